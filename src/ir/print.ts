// IR → exclusion filter text, fully parenthesised: every AND/OR group is wrapped in parentheses,
// so the text says exactly how it is read, and parsing it back gives the same IR
// (`lowerExclusion(printExclusion(e))` has the dump of `e`).
//
//   and(eq, or(contains, contains))  →  (process.name == "nbtscan" AND (process.args contains "scan" OR process.args contains "discovery"))
//   not(eq)                          →  process.name != "nbtscan"
//   not(x)                           →  NOT x
//
// Only what the language can say is printable: eq (string or number), contains, startswith,
// endswith, re without m/s flags (`matches`), exists, with or without `cased` (`_cs`). Anything
// else (wildcards, cidr, comparisons, null, keywords, constants…) is a RulecastError
// `unprintable-exclusion` naming it.
import { RulecastError } from '../diagnostics/diagnostic.js';
import { visit, type Expr, type Pred } from './types.js';

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const keywords = new Set(['and', 'or', 'not']);

export function printExclusion(expr: Expr): string {
  return visit<string>(expr, {
    and: (n) => `(${n.args.map(printExclusion).join(' AND ')})`,
    or: (n) => `(${n.args.map(printExclusion).join(' OR ')})`,
    not: (n) => {
      const arg = n.arg;
      if (arg.kind === 'pred' && arg.op === 'eq') return printPredicate(arg, true);
      return `NOT ${printExclusion(arg)}`;
    },
    pred: (p) => printPredicate(p, false),
    const: (n) => {
      throw new RulecastError('unprintable-exclusion', `the constant ${n.value ? 'true' : 'false'} cannot be written in the exclusion language`);
    },
  });
}

/** One predicate as a comparison; `negated` prints an eq as `!=`. */
export function printPredicate(p: Pred, negated = false): string {
  const fail = (what: string): never => {
    throw new RulecastError('unprintable-exclusion', `${what} cannot be written in the exclusion language`, p.span);
  };
  if (p.field === null) return fail('a keyword (a value searched in every field)');
  const field = printField(p.field, p);
  const cs = p.cased ? '_cs' : '';
  switch (p.op) {
    case 'eq':
      if (p.timePart) return fail(`a comparison of the ${p.timePart} of a timestamp`);
      if (typeof p.value === 'boolean') return fail(`the boolean ${p.value}`);
      return `${field} ${negated ? '!=' : '=='}${cs} ${printValue(p.value)}`;
    case 'contains':
    case 'startswith':
    case 'endswith':
      return `${field} ${p.op}${cs} ${printString(p.value)}`;
    case 're':
      if (p.value.flags.m || p.value.flags.s) return fail('a regular expression with the m or s flag');
      return `${field} matches${cs} ${printString(p.value.pattern)}`;
    case 'exists':
      return `${field} exists`;
    case 'wildcard':
      return fail('a wildcard pattern');
    case 'has':
      return fail("KQL's has");
    case 'cidr':
      return fail('a CIDR network match');
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return fail('a numeric comparison');
    case 'null':
      return fail('a null test');
    case 'fieldref':
      return fail('a comparison with another field');
  }
}

function printField(name: string, p: Pred): string {
  if (!identifier.test(name) || keywords.has(name.toLowerCase())) {
    throw new RulecastError('unprintable-exclusion', `the field name '${name}' cannot be written in the exclusion language (letters, digits, '_', '-', separated by dots)`, p.span);
  }
  return name;
}

function printValue(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RulecastError('unprintable-exclusion', `the number ${value} cannot be written in the exclusion language`);
    return String(value);
  }
  return printString(value);
}

/** A double-quoted string with the language's escapes; control characters, line separators and
 *  lone surrogates as \uXXXX, so the text survives any editor or encoding. */
export function printString(value: string): string {
  let out = '"';
  for (const c of value) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (/^[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]$/.test(c)) out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
