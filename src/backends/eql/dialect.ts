// The EQL dialect: precedence and tokens for the generic renderer, and the table that writes each
// IR predicate in Elasticsearch EQL (8.x). Every form is exact for the value it is given, or the
// predicate is refused with an error naming the construct:
//
// | IR (case-insensitive)            | EQL                                                    |
// |----------------------------------|--------------------------------------------------------|
// | eq "v" (letters)                 | f : "v"                                                |
// | eq "v" (no letter case: "4688")  | f == "v"                                               |
// | contains/startswith/endswith     | f : "*v*" / f : "v*" / f : "*v"                        |
// | wildcard a*b?c                   | f : "a*b?c"                                            |
// | value with a literal * ? or ü…   | f regex~ "…" (Lucene, anchored; see below)             |
// | re                               | f regex~ "…" / f regex "…"                             |
// | cidr                             | cidrMatch(f, "10.0.0.0/8")                             |
// | lt/lte/gt/gte, eq number/boolean | f < 5, f == 5, f == true                               |
// | null / exists                    | ?f == null / ?f != null                                |
// | has (KQL term)                   | f regex~ "(.*[^0-9A-Za-z])?v([^0-9A-Za-z].*)?"         |
// | cased: eq / patterns             | f == "v" / f like "a*b"                                |
//
// `:` and `like~` fold the case of ASCII letters only (Elasticsearch's case-insensitive term,
// wildcard and regexp queries); a value with a letter outside ASCII is written as a regex~ whose
// non-ASCII letters are classes of their case variants (`[Ää]`). `*` and `?` are always wildcards
// in `:`/`like` (no escape exists), so a value holding a literal one becomes a regex as well.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Dialect } from '../render.js';
import { ONE, STAR, type Pattern, type PatternPart, type Pred } from '../../ir/types.js';
import { eqlField, eqlNumber, eqlString, fitsWildcardOperator, hasCase, hasNonAsciiCase } from './strings.js';
import { luceneLiteral, MAX_REGEX_LENGTH, sigmaRegexToLucene } from './regex.js';
import { compileRegex } from '../../ir/evaluate.js';
import { overlapsIPv4Mapped, parseCidr } from '../../ir/ip.js';
import { BoundedMemo } from '../../memo.js';

/** How one predicate is written: the operator family decides which predicates share a list. */
type Form =
  | { readonly kind: 'colon'; readonly value: string } // f : "v" (case-insensitive, wildcards)
  | { readonly kind: 'eq'; readonly value: string } // f == "v" (exact, no wildcards)
  | { readonly kind: 'like'; readonly value: string } // f like "v" (case-sensitive, wildcards)
  | { readonly kind: 'regex'; readonly value: string; readonly ci: boolean } // f regex[~] "v"
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'cidr'; readonly value: string }
  | { readonly kind: 'other'; readonly text: string };

function fieldOf(p: Pred): string {
  if (p.field === null) {
    throw new RulecastError('unsupported-keyword', `EQL has no full-text search, so the keyword '${describeValue(p)}' (a value without a field) cannot be translated`, p.span, [
      'name the field the value is expected in (e.g. CommandLine|contains: …) to translate the rule to EQL',
    ]);
  }
  return p.field;
}

function describeValue(p: Pred): string {
  if (p.op === 'exists' || p.op === 'null') return p.op;
  const v = p.value;
  if (typeof v === 'object' && v !== null && 'parts' in v) return v.parts.map((x) => (typeof x === 'string' ? x : x.wildcard)).join('');
  if (typeof v === 'object' && v !== null && 'pattern' in v) return v.pattern;
  return String(v);
}

/** The string pattern of a string predicate, in parts. */
function patternOf(p: Pred): Pattern | undefined {
  switch (p.op) {
    case 'eq':
      return typeof p.value === 'string' ? { parts: p.value === '' ? [] : [p.value] } : undefined;
    case 'contains':
      return { parts: [STAR, p.value, STAR] };
    case 'startswith':
      return { parts: [p.value, STAR] };
    case 'endswith':
      return { parts: [STAR, p.value] };
    case 'wildcard':
      return p.value;
    default:
      return undefined;
  }
}

function wildcardText(parts: readonly PatternPart[]): string {
  return parts.map((x) => (typeof x === 'string' ? x : x.wildcard)).join('');
}

/** A pattern as an anchored Lucene regular expression. */
function patternRegex(parts: readonly PatternPart[], ci: boolean, p: Pred): string {
  const source = parts.map((x) => (x === STAR ? '.*' : x === ONE ? '.' : luceneLiteral(x as string, ci))).join('');
  if (source.length > MAX_REGEX_LENGTH) {
    throw new RulecastError('unsupported-value', `the value needs a regular expression of ${source.length} characters, above Elasticsearch's default index.max_regex_length of ${MAX_REGEX_LENGTH}`, p.span);
  }
  return source;
}

const alnum = /[A-Za-z0-9]/;

/** What is decided about a predicate once, since list folding, lists and rendering all ask. */
interface Decision {
  readonly form: Form | RulecastError;
  readonly listKey: string | undefined;
}

/** Decisions by predicate node (nodes are immutable): the predicates of one rule are asked about
 *  together. */
const decisions = new BoundedMemo<Pred, Decision>(4096);

function decisionOf(p: Pred): Decision {
  return decisions.get(p, decide);
}

function decide(p: Pred): Decision {
  let form: Form | RulecastError;
  try {
    form = decideForm(p);
  } catch (err) {
    if (!(err instanceof RulecastError)) throw err;
    form = err;
  }
  return { form, listKey: form instanceof RulecastError ? undefined : decideListKey(p, form) };
}

/** A predicate's EQL form. */
function formOf(p: Pred): Form {
  const f = decisionOf(p).form;
  if (f instanceof RulecastError) throw f;
  return f;
}

/** The literal text, the wildcard text and whether the pattern has wildcards, for a string
 *  predicate; undefined for other predicates. The common operators skip building a Pattern. */
function stringShape(p: Pred): { readonly text: string; readonly wildcard: string; readonly wild: boolean; readonly fits: boolean } | undefined {
  switch (p.op) {
    case 'eq':
      return typeof p.value === 'string' ? { text: p.value, wildcard: p.value, wild: false, fits: fitsWildcardOperator(p.value) } : undefined;
    case 'contains':
      return { text: p.value, wildcard: `*${p.value}*`, wild: true, fits: fitsWildcardOperator(p.value) };
    case 'startswith':
      return { text: p.value, wildcard: `${p.value}*`, wild: true, fits: fitsWildcardOperator(p.value) };
    case 'endswith':
      return { text: p.value, wildcard: `*${p.value}`, wild: true, fits: fitsWildcardOperator(p.value) };
    case 'wildcard': {
      const literals = p.value.parts.filter((x): x is string => typeof x === 'string');
      return { text: literals.join(''), wildcard: wildcardText(p.value.parts), wild: p.value.parts.some((x) => typeof x !== 'string'), fits: literals.every(fitsWildcardOperator) };
    }
    default:
      return undefined;
  }
}

function decideForm(p: Pred): Form {
  const field = fieldOf(p);
  const shape = stringShape(p);
  if (shape) {
    const { text, wild, fits } = shape;
    if (p.cased || !hasCase(text)) {
      if (!wild) return { kind: 'eq', value: text };
      if (fits) return p.cased ? { kind: 'like', value: shape.wildcard } : { kind: 'colon', value: shape.wildcard };
      return { kind: 'regex', value: patternRegex(patternOf(p)!.parts, false, p), ci: false };
    }
    if (hasNonAsciiCase(text) || !fits) return { kind: 'regex', value: patternRegex(patternOf(p)!.parts, true, p), ci: true };
    return { kind: 'colon', value: shape.wildcard };
  }
  switch (p.op) {
    case 'eq':
      if (p.timePart) {
        throw new RulecastError('unsupported-modifier', `EQL has no date functions, so the |${p.timePart} comparison of '${field}' cannot be translated`, p.span);
      }
      if (typeof p.value === 'number') return { kind: 'number', value: p.value };
      return { kind: 'other', text: `${eqlField(field, p.span)} == ${String(p.value)}` };
    case 're': {
      const r = sigmaRegexToLucene(p.value.pattern, { i: !p.cased, m: p.value.flags.m, s: p.value.flags.s }, p.span);
      // RE2 must accept the pattern too: rulecast's semantics of |re are RE2's.
      compileRegex(p);
      return { kind: 'regex', value: r.source, ci: r.caseInsensitive };
    }
    case 'has': {
      if (p.value === '') return { kind: 'other', text: `?${eqlField(field, p.span)} != null` };
      const first = p.value[0]!;
      const last = p.value[p.value.length - 1]!;
      const before = alnum.test(first) ? '(.*[^0-9A-Za-z])?' : '.*';
      const after = alnum.test(last) ? '([^0-9A-Za-z].*)?' : '.*';
      const ci = !p.cased && hasCase(p.value);
      return { kind: 'regex', value: `${before}${luceneLiteral(p.value, ci)}${after}`, ci };
    }
    case 'cidr': {
      const net = parseCidr(p.value.network);
      if (net && overlapsIPv4Mapped(net)) {
        throw new RulecastError('eql-unsupported-cidr', `IPv6 network ${p.value.network} contains IPv4-mapped addresses (::ffff:0:0/96); Elasticsearch stores IPv4 values as such addresses, so cidrMatch would match them too`, p.span);
      }
      return { kind: 'cidr', value: p.value.network };
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[p.op];
      return { kind: 'other', text: `${eqlField(field, p.span)} ${op} ${eqlNumber(p.value, p.span)}` };
    }
    case 'exists':
      return { kind: 'other', text: `?${eqlField(field, p.span)} != null` };
    case 'null':
      return { kind: 'other', text: `?${eqlField(field, p.span)} == null` };
    case 'fieldref':
      throw new RulecastError('unsupported-fieldref', `Elasticsearch EQL cannot compare a field with another field ('${field}' with '${p.value.field}')`, p.span, [
        'EQL compares fields with constant values only; see the Elasticsearch EQL syntax reference, "Limitations for comparisons"',
      ]);
    default:
      throw new RulecastError('unsupported-operator', `the ${p.op} comparison has no EQL form`, p.span);
  }
}

function writeOne(field: string, f: Form, p: Pred): string {
  const name = eqlField(field, p.span);
  switch (f.kind) {
    case 'colon':
      return `${name} : ${eqlString(f.value, p.span)}`;
    case 'eq':
      return `${name} == ${eqlString(f.value, p.span)}`;
    case 'like':
      return `${name} like ${eqlString(f.value, p.span)}`;
    case 'regex':
      return `${name} ${f.ci ? 'regex~' : 'regex'} ${eqlString(f.value, p.span)}`;
    case 'number':
      return `${name} == ${eqlNumber(f.value, p.span)}`;
    case 'cidr':
      return `cidrMatch(${name}, ${eqlString(f.value, p.span)})`;
    case 'other':
      return f.text;
  }
}

/** Predicates of one field whose forms can share a list: `:`/`==` values (`:` takes exact values
 *  too), `like` values, regexes of one case mode, numbers, networks. A predicate whose form is an
 *  error has no key: it is rendered alone, where the error is raised. */
function listKey(p: Pred): string | undefined {
  if (p.field === null) return undefined;
  return decisionOf(p).listKey;
}

function decideListKey(p: Pred, f: Form): string | undefined {
  // An exact value joins a `:` list only when `:` would not read wildcards (or its escape) in it.
  const family = f.kind === 'eq' ? (p.cased || !fitsWildcardOperator(f.value) ? 'in' : 'colon') : f.kind === 'regex' ? (f.ci ? 'regex~' : 'regex') : f.kind;
  if (family === 'other') return undefined;
  return `${family}\u0000${p.field}`;
}

function keyedList(preds: readonly Pred[]): string | undefined {
  const p0 = preds[0]!;
  const field = eqlField(fieldOf(p0), p0.span);
  const forms = preds.map(formOf);
  const values = (fn: (f: Form) => string) => forms.map(fn).join(', ');
  const str = (f: Form) => eqlString((f as { value: string }).value, p0.span);
  const f0 = forms[0]!;
  switch (f0.kind) {
    case 'colon':
    case 'eq':
      return listKey(p0)!.startsWith('in\u0000') ? `${field} in (${values(str)})` : `${field} : (${values(str)})`;
    case 'like':
      return `${field} like (${values(str)})`;
    case 'regex':
      return `${field} ${f0.ci ? 'regex~' : 'regex'} (${values(str)})`;
    case 'number':
      return `${field} in (${values((f) => eqlNumber((f as { value: number }).value, p0.span))})`;
    case 'cidr':
      return `cidrMatch(${field}, ${values(str)})`;
    default:
      return undefined;
  }
}

export const eqlDialect: Dialect = {
  // EqlBase.g4: NOT binds tightest, then AND, then OR.
  precedence: { or: 1, and: 2, not: 3 },
  tokens: { and: ' and ', or: ' or ' },
  not: { form: 'prefix', token: 'not ' },
  constant: (v) => (v ? 'true' : 'false'),
  pred: (p) => writeOne(fieldOf(p), formOf(p), p),
  negatedPred: (p) => (p.op === 'null' && p.field !== null ? `?${eqlField(p.field, p.span)} != null` : p.op === 'exists' && p.field !== null ? `?${eqlField(p.field, p.span)} == null` : undefined),
  listKey,
  keyedList,
};
