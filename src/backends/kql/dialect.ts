// The KQL predicate table: how each IR operator is written in Kusto, by column type. One dialect is
// made per branch (a table and its schema); the generic renderer does precedence and lists.
//
// Semantics decisions (docs/kql.md has the full table):
// - strings compare case-insensitively (`=~`, `in~`, `contains`, `startswith`, `endswith`) unless
//   cased (`==`, `in`, `*_cs`); a string operator on a non-string column reads `tostring(col)`;
// - KQL string columns cannot hold null: a missing string reads as "". rulecast therefore treats an
//   empty string as absent: `null` → isempty, `exists` → isnotempty, `F: '*'` → isnotempty, and a
//   regex that matches the empty string is guarded with isnotempty;
// - predicates that are null on a missing value (numeric comparisons, ipv4/ipv6_is_in_range) are
//   guarded under negation (the renderer's `guard` hook: `isnotnull(operand) and P`) so `not(null)`
//   never drops an event Sigma keeps.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import { compileRegex } from '../../ir/evaluate.js';
import { overlapsIPv4Mapped, parseCidr } from '../../ir/ip.js';
import type { CidrPred, ComparePred, EqPred, FieldRefPred, Pred, RegexPred, StringPred, WildcardPred } from '../../ir/types.js';
import type { Dialect } from '../render.js';
import { kqlName, kqlNumber, kqlRegexLiteral, kqlString, wildcardRegex } from './literal.js';
import { kindOf, type ColumnType, type TableSchema, type ValueKind } from '../../pipelines/schema.js';

export interface KqlContext {
  /** The branch's table schema; undefined when the pipeline declares none (or `-p none`). */
  readonly schema?: TableSchema | undefined;
  /** For messages: the source (table) and the pipelines applied. */
  readonly source: string | null;
  readonly pipelines: readonly string[];
  /** When set, a computed column is written by its name and recorded here, and the layout adds it
   *  to the rows first (`| extend Name = expression`), which keeps long expressions out of the
   *  condition. When unset, the expression is written in place (a self-contained condition). */
  readonly computedRefs?: Set<string> | undefined;
}

interface Column {
  readonly field: string;
  /** The KQL text of the column (bare or bracketed name, or a computed expression). */
  readonly text: string;
  readonly kind: ValueKind;
  /** A two-valued KQL condition: the value is present (not null, not empty). */
  readonly present: string;
  /** Its negation, as written (`isempty(c)`). */
  readonly absent: string;
}

function fail(code: string, message: string, span: Span | undefined, notes: string[] = []): never {
  throw new RulecastError(code, message, span, notes);
}

function column(ctx: KqlContext, field: string, span: Span | undefined): Column {
  const schema = ctx.schema;
  if (!schema) {
    const text = kqlName(field, span);
    return { field, text, kind: 'unknown', present: `isnotempty(${text})`, absent: `isempty(${text})` };
  }
  const computed = schema.computed.get(field);
  if (computed) {
    if (ctx.computedRefs) {
      ctx.computedRefs.add(field);
      const name = kqlName(field, span);
      return { field, text: name, kind: kindOf(computed.type), present: computed.present ?? `isnotempty(${name})`, absent: computed.absent ?? (computed.present ? `not(${computed.present})` : `isempty(${name})`) };
    }
    return { field, text: computed.kql, kind: kindOf(computed.type), present: computed.present ?? `isnotempty(${computed.kql})`, absent: computed.absent ?? (computed.present ? `not(${computed.present})` : `isempty(${computed.kql})`) };
  }
  const type: ColumnType | undefined = schema.columns.get(field);
  if (!type) {
    const pipelines = ctx.pipelines.length ? ` (pipeline ${ctx.pipelines.join(', ')})` : '';
    fail('unknown-column', `field '${field}' is neither mapped${pipelines} nor a column of ${schema.name}`, span, [
      'rulecast never queries a column the table does not have; map the field in a pipeline (-p your.yml) or use a column of the table',
    ]);
  }
  const text = kqlName(field, span);
  return { field, text, kind: kindOf(type), present: `isnotempty(${text})`, absent: `isempty(${text})` };
}

/** The column as text for string operators. */
function textOf(c: Column): string {
  return c.kind === 'string' || c.kind === 'unknown' ? c.text : `tostring(${c.text})`;
}

const canonicalNumber = (s: string): boolean => /^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/.test(s) && String(Number(s)) === s;

const timeParts = { minute: 'minute', hour: 'hour', day: 'day', week: 'week_of_year', month: 'month', year: 'year' } as const;

function predField(p: Pred): string {
  if (p.field === null) return fail('unsupported-keyword', `a keyword cannot use '${p.op}'`, p.span);
  return p.field;
}

/** Equality of a column with a value, or undefined with `negated` when there is no one-piece form. */
function eq(ctx: KqlContext, p: EqPred, negated: boolean): string | undefined {
  const c = column(ctx, predField(p), p.fieldSpan ?? p.span);
  const v = p.value;
  if (p.timePart) {
    if (typeof v !== 'number') return fail('unsupported-value', `a time part compares with a number, not '${String(v)}'`, p.span);
    const time = c.kind === 'time' ? c.text : `todatetime(${c.text})`;
    // `==`/`!=` with a null operand and a value are false/true (documented), never null.
    return `datetime_part("${timeParts[p.timePart]}", ${time}) ${negated ? '!=' : '=='} ${kqlNumber(v, p.span)}`;
  }
  if (typeof v === 'number') {
    const n = kqlNumber(v, p.span);
    switch (c.kind) {
      case 'number':
      case 'unknown':
        return `${c.text} ${negated ? '!=' : '=='} ${n}`;
      case 'string':
        // The canonical decimal text of the number (Sigma also matches it written as text).
        return `${c.text} ${negated ? '!=' : '=='} "${String(v)}"`;
      case 'bool':
        return fail('type-mismatch', `field '${c.field}' is a boolean column and Sigma's number ${v} never equals a boolean`, p.span);
      default:
        return `tostring(${c.text}) ${negated ? '!=' : '=='} "${String(v)}"`;
    }
  }
  if (typeof v === 'boolean') {
    switch (c.kind) {
      case 'bool':
        return `${c.text} ${negated ? '!=' : '=='} ${v}`;
      case 'string':
        return `${c.text} ${negated ? '!~' : '=~'} "${v}"`;
      case 'number':
        return fail('type-mismatch', `field '${c.field}' is a numeric column and Sigma's boolean ${v} never equals a number`, p.span);
      default:
        return `tostring(${c.text}) ${negated ? '!~' : '=~'} "${v}"`;
    }
  }
  // A string value.
  if (v === '') return negated ? c.present : c.absent;
  if (c.kind === 'number' && canonicalNumber(v)) return `${c.text} ${negated ? '!=' : '=='} ${v}`;
  if (c.kind === 'bool' && /^(true|false)$/i.test(v) && (!p.cased || v === v.toLowerCase())) return `${c.text} ${negated ? '!=' : '=='} ${v.toLowerCase()}`;
  const op = p.cased ? (negated ? '!=' : '==') : negated ? '!~' : '=~';
  return `${textOf(c)} ${op} ${kqlString(v, p.span)}`;
}

const stringOps = { contains: 'contains', startswith: 'startswith', endswith: 'endswith', has: 'has' } as const;

function stringOp(ctx: KqlContext, p: StringPred | Extract<Pred, { op: 'has' }>, negated: boolean): string {
  const op = `${negated ? '!' : ''}${stringOps[p.op]}${p.cased ? '_cs' : ''}`;
  if (p.field === null) return `* ${op} ${kqlString(p.value, p.span)}`;
  const c = column(ctx, p.field, p.fieldSpan ?? p.span);
  if (p.value === '' && p.op !== 'has') {
    // Every present string contains, starts and ends with "": Sigma's `F: '*'` means present.
    return negated ? c.absent : c.present;
  }
  return `${textOf(c)} ${op} ${kqlString(p.value, p.span)}`;
}


function wildcard(ctx: KqlContext, p: WildcardPred): string {
  const regex = kqlRegexLiteral(wildcardRegex(p.value, p.cased), p.span);
  if (p.field === null) return `* matches regex ${regex}`;
  return `${textOf(column(ctx, p.field, p.fieldSpan ?? p.span))} matches regex ${regex}`;
}

function regex(ctx: KqlContext, p: RegexPred): string {
  const re = compileRegex(p); // RE2, as Kusto: refuses lookaround and backreferences with a located error
  const flags = `${p.cased ? '' : 'i'}${p.value.flags.m ? 'm' : ''}${p.value.flags.s ? 's' : ''}`;
  const literal = kqlRegexLiteral(flags ? `(?${flags})${p.value.pattern}` : p.value.pattern, p.span);
  if (p.field === null) return `* matches regex ${literal}`;
  const c = column(ctx, p.field, p.fieldSpan ?? p.span);
  const text = `${textOf(c)} matches regex ${literal}`;
  // A regex that matches "" would also match a missing string (which KQL reads as "").
  return re.test('') ? `(${c.present} and ${text})` : text;
}

function cidrCall(ctx: KqlContext, p: CidrPred): string {
  const c = column(ctx, predField(p), p.fieldSpan ?? p.span);
  const net = parseCidr(p.value.network);
  if (!net) return fail('invalid-cidr', `'${p.value.network}' is not a CIDR network`, p.span);
  if (overlapsIPv4Mapped(net)) {
    fail('unsupported-cidr', `IPv6 network ${p.value.network} contains IPv4-mapped addresses (::ffff:0:0/96); Kusto's ipv6_is_in_range reads IPv4 values as such addresses and would match them`, p.span);
  }
  const text = p.value.network.includes('/') ? p.value.network : `${p.value.network}/${net.family === 4 ? 32 : 128}`;
  return `${net.family === 4 ? 'ipv4_is_in_range' : 'ipv6_is_in_range'}(${textOf(c)}, ${kqlString(text, p.span)})`;
}

const compareOps = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function compareOperand(ctx: KqlContext, p: ComparePred): string {
  const c = column(ctx, predField(p), p.fieldSpan ?? p.span);
  if (c.kind === 'number' || c.kind === 'unknown') return c.text;
  if (c.kind === 'string' || c.kind === 'dynamic') return `toreal(${c.text})`;
  return fail('type-mismatch', `field '${c.field}' is not numeric, so '${p.op}' cannot compare it with ${p.value}`, p.span);
}

function fieldref(ctx: KqlContext, p: FieldRefPred): string {
  const a = column(ctx, predField(p), p.fieldSpan ?? p.span);
  const b = column(ctx, p.value.field, p.span);
  const A = textOf(a);
  const B = textOf(b);
  const low = (x: string) => (p.cased ? x : `tolower(${x})`);
  switch (p.value.match) {
    case 'eq':
      // Both present (a present value equal to the other makes it present too).
      return `(${a.present} and ${A} ${p.cased ? '==' : '=~'} ${B})`;
    case 'contains':
      return `(${b.present} and indexof(${low(A)}, ${low(B)}) >= 0)`;
    case 'startswith':
      return `(${b.present} and indexof(${low(A)}, ${low(B)}) == 0)`;
    case 'endswith':
      return `(${b.present} and indexof(reverse(${low(A)}), reverse(${low(B)})) == 0)`;
  }
}

/** Predicates that are null (not false) on some rows: Kusto's `<`/`>` on a null value, toreal() of
 *  text that is not a number, and the ip range functions on a missing or other-family address. */
export function nullable(p: Pred): boolean {
  if (p.field === null) return false;
  return p.op === 'cidr' || p.op === 'lt' || p.op === 'lte' || p.op === 'gt' || p.op === 'gte';
}

/** The expression whose nullness a guard tests. */
function nullableOperand(ctx: KqlContext, p: Pred): string {
  if (p.op === 'cidr') return cidrCall(ctx, p);
  if (p.op === 'lt' || p.op === 'lte' || p.op === 'gt' || p.op === 'gte') return compareOperand(ctx, p);
  return fail('internal', `no null guard for '${p.op}'`, p.span);
}

function renderPred(ctx: KqlContext, p: Pred): string {
  if (p.field === null && !['contains', 'startswith', 'endswith', 'has', 'wildcard', 're'].includes(p.op)) {
    return fail('unsupported-keyword', `a keyword (value without a field) cannot use '${p.op}' in KQL`, p.span);
  }
  switch (p.op) {
    case 'eq':
      return eq(ctx, p, false)!;
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'has':
      return stringOp(ctx, p, false);
    case 'wildcard':
      return wildcard(ctx, p);
    case 're':
      return regex(ctx, p);
    case 'cidr':
      return cidrCall(ctx, p);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${compareOperand(ctx, p)} ${compareOps[p.op]} ${kqlNumber(p.value, p.span)}`;
    case 'exists':
      return column(ctx, p.field!, p.fieldSpan ?? p.span).present;
    case 'null':
      return column(ctx, p.field!, p.fieldSpan ?? p.span).absent;
    case 'fieldref':
      return fieldref(ctx, p);
  }
}

function renderNegated(ctx: KqlContext, p: Pred): string | undefined {
  switch (p.op) {
    case 'eq':
      return p.field === null ? undefined : eq(ctx, p, true);
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'has':
      return p.field === null ? undefined : stringOp(ctx, p, true);
    case 'exists':
      return p.field === null ? undefined : column(ctx, p.field, p.fieldSpan ?? p.span).absent;
    case 'null':
      return p.field === null ? undefined : column(ctx, p.field, p.fieldSpan ?? p.span).present;
    default:
      return undefined;
  }
}

/** `negated`: the list form is the negation (`!in~`); `underNegation`: the list sits under an odd
 *  number of negations, where a numeric `in (…)` is never used: its result on a null value Kusto does
 *  not document (`==` on null and a value is documented false). */
function listValues(ctx: KqlContext, preds: readonly EqPred[], negated: boolean, underNegation = false): string | undefined {
  const first = preds[0]!;
  if (first.field === null || first.timePart) return undefined;
  const c = column(ctx, first.field, first.fieldSpan ?? first.span);
  const values = preds.map((p) => p.value);
  if (values.every((v) => typeof v === 'string')) {
    const strings = values as string[];
    if (strings.includes('')) return undefined;
    if (c.kind === 'number') {
      if (!strings.every(canonicalNumber) || underNegation) return undefined;
      return negated ? `(${strings.map((s) => `${c.text} != ${s}`).join(' and ')})` : `${c.text} in (${strings.join(', ')})`;
    }
    if (c.kind === 'bool') return undefined;
    const op = `${negated ? '!' : ''}in${first.cased ? '' : '~'}`;
    return `${textOf(c)} ${op} (${strings.map((s) => kqlString(s, first.span)).join(', ')})`;
  }
  if (values.every((v) => typeof v === 'number')) {
    const numbers = values as number[];
    if (c.kind === 'number' || c.kind === 'unknown') {
      if (negated) return `(${numbers.map((n) => `${c.text} != ${kqlNumber(n, first.span)}`).join(' and ')})`;
      if (underNegation) return undefined;
      return `${c.text} in (${numbers.map((n) => kqlNumber(n, first.span)).join(', ')})`;
    }
    if (c.kind === 'bool') return undefined;
    return `${c.kind === 'string' ? c.text : `tostring(${c.text})`} ${negated ? '!in' : 'in'} (${numbers.map((n) => `"${String(n)}"`).join(', ')})`;
  }
  return undefined;
}

/** Longest and/or chain written flat. Kusto parses `a or b or …` as a left-deep tree, and its
 *  analyzer gives up on trees deeper than a few hundred levels (KS245): longer chains are written
 *  as parenthesised groups of this many operands (the corpus has rules with 1,000+ values). */
const maxChain = 64;

export function kqlDialect(ctx: KqlContext): Dialect {
  return {
    precedence: { or: 1, and: 2, not: 3 },
    tokens: { and: ' and ', or: ' or ' },
    not: { form: 'function', token: 'not' },
    constant: (v) => (v ? 'true' : 'false'),
    maxChain,
    pred: (p) => renderPred(ctx, p),
    guard: (p) => (nullable(p) ? `isnotnull(${nullableOperand(ctx, p)})` : undefined),
    negatedPred: (p) => renderNegated(ctx, p),
    list: (preds, negated) => listValues(ctx, preds, false, negated),
    negatedList: (preds) => listValues(ctx, preds, true),
  };
}
