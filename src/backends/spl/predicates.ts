// The two predicate tables of the SPL backend: how a predicate reads in a search expression (the
// initial search, and tstats' where clause) and in an eval expression (`| where`). A predicate has
// a search form only where Splunk's search semantics equal rulecast's exactly; the where form
// exists for (nearly) every predicate and is used for the rest.
//
// Search semantics relied on (Search Manual): field values compare case-insensitively; `*` is the
// only wildcard and cannot be escaped (`?` is literal); a value in CIDR notation matches the
// addresses of the network (IPv4 and IPv6); a value that reads as a number also matches the same
// number written differently (`4688.0`); `NOT f=v` is true where f is missing (`f!=v` is not, and
// is never emitted); a keyword term with a `*` matches a field value by pattern, a term without
// one matches whole indexed terms only.
//
// Eval semantics relied on (where command): comparisons are case-sensitive; two operands that read
// as numbers compare as numbers; a function of a missing field is null and `where` keeps only
// true, so negated predicates are guarded (see guardNegatedNullables); `match()` is an unanchored
// PCRE search, `cidrmatch()` takes IPv4 and IPv6 networks.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { parseCidr } from '../../ir/ip.js';
import { foldCase } from '../../ir/case.js';
import { BoundedMemo } from '../../memo.js';
import { patternToSigma } from '../../ir/pattern.js';
import type { Pattern, Pred, PredOfOp } from '../../ir/types.js';
import { evalField, hasControl, numberText, quote, regexLiteral, regexSource, searchField, searchSafe } from './literals.js';

const numberSyntax = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Text Splunk's search would compare as a number (so `f="4688"` also matches `4688.0`). */
function numberLike(text: string): boolean {
  return numberSyntax.test(text.trim());
}

/** Text Splunk's search would read as a CIDR network (`f="10.0.0.0/8"` matches 10.1.2.3). */
function cidrLike(text: string): boolean {
  return text.includes('/') && parseCidr(text.trim()) !== undefined;
}

/** The network with an explicit prefix: Splunk reads `10.0.0.1` as text, `10.0.0.1/32` as CIDR. */
export function cidrText(p: PredOfOp<'cidr'>): string {
  const network = p.value.network.trim();
  if (network.includes('/')) return network;
  return `${network}/${p.value.family === 4 ? 32 : 128}`;
}

/** A pattern as a search value (`*` wildcards only), or undefined when it has `?` or a literal
 *  part the search cannot hold. */
function searchPatternText(parts: Pattern['parts']): string | undefined {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      if (!searchSafe(part)) return undefined;
      out += part;
    } else if (part.wildcard === '*') {
      out += '*';
    } else {
      return undefined;
    }
  }
  return out;
}

/** The value of a string operator as a search pattern. */
function stringPatternText(p: Pred): string | undefined {
  switch (p.op) {
    case 'contains':
      if (p.value === '') return '*';
      return searchSafe(p.value) ? `*${p.value}*` : undefined;
    case 'startswith':
      return searchSafe(p.value) ? `${p.value}*` : undefined;
    case 'endswith':
      return searchSafe(p.value) ? `*${p.value}` : undefined;
    case 'wildcard':
      return searchPatternText(p.value.parts);
    default:
      return undefined;
  }
}

/**
 * The predicate as a search term, or undefined when the search cannot say exactly the same:
 * `|cased` (search values are case-insensitive), `?` and literal `*`, regexes, field references,
 * time parts, control characters; an equality whose text Splunk would read as a number or a
 * network; and a keyword equal to a whole value (a keyword term without `*` matches indexed terms,
 * not values: keywords are written `"*value*"`, which matches a field value containing it).
 */
export function searchForm(p: Pred): string | undefined {
  return searchForms.get(p, searchFormOrNull) ?? undefined;
}

/** Each predicate's search form (null: none), since hoisting asks before rendering writes it
 *  (predicates are immutable). */
const searchForms = new BoundedMemo<Pred, string | null>(4096);
const searchFormOrNull = (p: Pred): string | null => searchFormOf(p) ?? null;

function searchFormOf(p: Pred): string | undefined {
  if (p.field === null) {
    if (p.cased) return undefined;
    const text = stringPatternText(p);
    // A keyword pattern must hold a `*`: without one Splunk looks for a whole indexed term.
    return text !== undefined && text.includes('*') ? quote(text) : undefined;
  }
  const field = searchField(p.field);
  if (field === undefined) return undefined;
  switch (p.op) {
    case 'eq': {
      if (p.timePart) return undefined;
      if (typeof p.value === 'number') return `${field}=${numberText(p.value)}`;
      if (typeof p.value === 'boolean') return `${field}=${quote(String(p.value))}`;
      if (p.cased || !searchSafe(p.value) || numberLike(p.value) || cidrLike(p.value)) return undefined;
      return `${field}=${quote(p.value)}`;
    }
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'wildcard': {
      if (p.cased) return undefined;
      const text = stringPatternText(p);
      return text === undefined ? undefined : `${field}=${quote(text)}`;
    }
    case 'cidr':
      return `${field}=${quote(cidrText(p))}`;
    case 'lt':
      return `${field}<${numberText(p.value)}`;
    case 'lte':
      return `${field}<=${numberText(p.value)}`;
    case 'gt':
      return `${field}>${numberText(p.value)}`;
    case 'gte':
      return `${field}>=${numberText(p.value)}`;
    case 'exists':
      return `${field}=*`;
    case 'null':
      return `NOT ${field}=*`;
    case 'has':
    case 're':
    case 'fieldref':
      return undefined;
  }
}

/** The predicate is written in the search (directly or under NOT). */
export function searchable(p: Pred): boolean {
  return searchForm(p) !== undefined;
}


function unsupported(code: string, message: string, p: Pred, notes?: string[]): never {
  throw new RulecastError(code, message, p.span, notes);
}

/** A where-form regex match of literal-derived PCRE on the (lower-cased unless cased) field. */
function matchText(p: Pred, field: string, body: string): string {
  const subject = p.cased ? field : `lower(${field})`;
  return `match(${subject}, ${quote(body)})`;
}

/** The text as the where form compares it: folded as rulecast folds case (ir/case.ts), since the
 *  field is compared through lower(). */
function fold(p: Pred, text: string): string {
  return p.cased ? text : foldCase(text);
}

/** A pattern as an anchored PCRE (`(?s)` so `*` and `?` also match newlines, `\z` so the end is
 *  the end of the value: PCRE's `$` also matches before a final newline). */
function patternRegex(p: Pred, pattern: Pattern): string {
  const body = pattern.parts.map((part) => (typeof part === 'string' ? regexLiteral(fold(p, part)) : part.wildcard === '*' ? '.*' : '.')).join('');
  return `${pattern.parts.some((x) => typeof x !== 'string') ? '(?s)' : ''}^${body}\\z`;
}

/**
 * The predicate as an eval expression for `| where`. Case-insensitive comparisons lower-case the
 * field (`lower(F)`) and compare with the lower-cased value, exactly what rulecast's evaluator
 * does; regular expressions built from literal text are anchored with `^` and `\z`. Values that
 * read as numbers are matched by regex, never with `==` (which would compare them as numbers).
 */
export function whereForm(p: Pred): string {
  if (p.field === null) {
    const search = searchForm(p);
    if (search !== undefined) return `searchmatch(${quote(search)})`;
    return unsupported(
      'spl-unsupported-keyword',
      `the keyword ${describeValue(p)} cannot be searched exactly in SPL: ${keywordReason(p)}`,
      p,
      ['a keyword matches any field value; SPL can only search every field with a `*` pattern (case-insensitive, `*` as the only wildcard)', 'name the field the value belongs to'],
    );
  }
  if (p.field === '' || hasControl(p.field)) {
    return unsupported('spl-unsupported-field-name', `the field name ${JSON.stringify(p.field)} cannot be written in SPL: it is empty or holds a control character`, p);
  }
  const f = evalField(p.field);
  switch (p.op) {
    case 'eq': {
      if (p.timePart) {
        return unsupported('spl-unsupported-timepart', `the time part modifier |${p.timePart} cannot be expressed exactly in SPL: the format of '${p.field}' is not known to the query`, p, [
          'SPL reads timestamps with strptime() and an explicit format; compare _time instead, or convert the rule without the time part',
        ]);
      }
      if (typeof p.value === 'number') return `${f}==${numberText(p.value)}`;
      if (typeof p.value === 'boolean') return `lower(${f})==${quote(String(p.value))}`;
      if (numberLike(p.value) || hasControl(p.value)) return matchText(p, f, `^${regexLiteral(fold(p, p.value))}\\z`);
      return `${p.cased ? f : `lower(${f})`}==${quote(fold(p, p.value))}`;
    }
    case 'contains':
      // Any value contains the empty string: the field is present.
      if (p.value === '') return `isnotnull(${f})`;
      return matchText(p, f, regexLiteral(fold(p, p.value)));
    case 'startswith':
      return matchText(p, f, `^${regexLiteral(fold(p, p.value))}`);
    case 'endswith':
      return matchText(p, f, `${regexLiteral(fold(p, p.value))}\\z`);
    case 'wildcard':
      return matchText(p, f, patternRegex(p, p.value));
    case 'has': {
      // KQL's term match: the value starts and ends on term boundaries (ASCII letters and digits).
      const v = fold(p, p.value);
      if (v === '') return `isnotnull(${f})`;
      const alnum = (c: string) => /[A-Za-z0-9]/.test(c);
      const before = alnum(v[0]!) ? '(?<![A-Za-z0-9])' : '';
      const after = alnum(v[v.length - 1]!) ? '(?![A-Za-z0-9])' : '';
      return matchText(p, f, `${before}${regexLiteral(v)}${after}`);
    }
    case 're':
      return `match(${f}, ${quote(regexText(p))})`;
    case 'cidr':
      return `cidrmatch(${quote(cidrText(p))}, ${f})`;
    // A number compared with text that is not a number compares as text in eval: isnum() first.
    case 'lt':
      return `(isnum(${f}) AND ${f}<${numberText(p.value)})`;
    case 'lte':
      return `(isnum(${f}) AND ${f}<=${numberText(p.value)})`;
    case 'gt':
      return `(isnum(${f}) AND ${f}>${numberText(p.value)})`;
    case 'gte':
      return `(isnum(${f}) AND ${f}>=${numberText(p.value)})`;
    case 'exists':
      return `isnotnull(${f})`;
    case 'null':
      return `isnull(${f})`;
    case 'fieldref': {
      if (p.value.match !== 'eq') {
        return unsupported('spl-unsupported-fieldref', `'${p.field}|fieldref|${p.value.match}' cannot be expressed exactly in SPL: eval has no substring test of one field in another`, p, [
          'like() would read % and _ in the other field as wildcards; |fieldref alone (equality) is supported',
        ]);
      }
      if (p.value.field === '' || hasControl(p.value.field)) {
        return unsupported('spl-unsupported-field-name', `the field name ${JSON.stringify(p.value.field)} cannot be written in SPL: it is empty or holds a control character`, p);
      }
      // `"_".` makes both sides text: two values that read as numbers would otherwise compare
      // as numbers (`1` = `1.0`), where Sigma compares strings.
      const side = (name: string) => (p.cased ? `"_".${evalField(name)}` : `"_".lower(${evalField(name)})`);
      return `${side(p.field)}==${side(p.value.field)}`;
    }
  }
}

/** A rule's regex with its flags as leading inline options (`(?i)`, `(?m)`, `(?s)`). */
export function regexText(p: PredOfOp<'re'>): string {
  const flags = `${p.cased ? '' : 'i'}${p.value.flags.m ? 'm' : ''}${p.value.flags.s ? 's' : ''}`;
  return `${flags ? `(?${flags})` : ''}${regexSource(p.value.pattern, p.value.flags.m)}`;
}

function describeValue(p: Pred): string {
  switch (p.op) {
    case 'wildcard':
      return `'${patternToSigma(p.value)}'`;
    case 're':
      return `regex '${p.value.pattern}'`;
    default:
      return p.op === 'exists' || p.op === 'null' ? `(${p.op})` : `'${String(p.value)}'`;
  }
}

function keywordReason(p: Pred): string {
  if (p.cased) return 'a case-sensitive keyword has no search form (search terms are case-insensitive)';
  switch (p.op) {
    case 'eq':
      return 'a search term without `*` matches indexed terms, not whole field values';
    case 're':
      return 'a regular expression can only be applied to a named field (or _raw, which is not a field value)';
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'wildcard':
      return 'it holds a `?` wildcard, a literal `*` or a control character, which a search term cannot hold';
    default:
      return `'${p.op}' needs a field`;
  }
}
