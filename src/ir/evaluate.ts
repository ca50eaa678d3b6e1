// Evaluates the IR on one event with Sigma's semantics. It is the reference every backend is
// tested against: a translated query must select exactly the events this function accepts.
//
// Semantics (documented in README "Evaluator"):
// - strings compare case-insensitively unless the predicate is `cased`;
// - a field holding a list matches when any element matches;
// - a missing field matches no value predicate (so `not(pred)` accepts it), `null` accepts it;
// - a keyword (field null) matches when any value anywhere in the event matches;
// - regular expressions search (unanchored) with RE2 semantics, in linear time (re2js);
// - numbers compare numerically; a number also equals its textual form in the event.
import { RE2JS } from 're2js';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { foldCase } from './case.js';
import { inCidr, parseCidr, type Cidr } from './ip.js';
import { BoundedMemo } from '../memo.js';
import { visit, visitPred, type Expr, type Pattern, type Pred, type TimePart } from './types.js';

export type EventValue = unknown;
export type Event = Readonly<Record<string, EventValue>>;

export function evaluate(expr: Expr, event: Event): boolean {
  return visit<boolean>(expr, {
    const: (n) => n.value,
    and: (n) => n.args.every((a) => evaluate(a, event)),
    or: (n) => n.args.some((a) => evaluate(a, event)),
    not: (n) => !evaluate(n.arg, event),
    pred: (p) => evaluatePred(p, event),
  });
}

/** Values of a field: [] when absent. A present null is [null]; a list contributes its elements. */
export function fieldValues(event: Event, field: string): { present: boolean; values: EventValue[] } {
  let value: EventValue;
  let present = Object.prototype.hasOwnProperty.call(event, field);
  if (present) {
    value = event[field];
  } else if (field.includes('.')) {
    // Nested JSON (ECS events): `process.parent.name` walks objects.
    let cur: EventValue = event;
    present = true;
    for (const key of field.split('.')) {
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.prototype.hasOwnProperty.call(cur, key)) {
        cur = (cur as Record<string, EventValue>)[key];
      } else {
        present = false;
        break;
      }
    }
    value = cur;
  }
  if (!present) return { present: false, values: [] };
  return { present: true, values: Array.isArray(value) ? value : [value] };
}

/** Every leaf value of the event, for keywords. */
function allValues(value: EventValue, out: EventValue[] = []): EventValue[] {
  if (Array.isArray(value)) for (const v of value) allValues(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) allValues(v, out);
  else out.push(value);
  return out;
}

function asText(value: EventValue): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

const numberSyntax = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function asNumber(value: EventValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    if (numberSyntax.test(t)) return Number(t);
    if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  }
  return undefined;
}

function evaluatePred(p: Pred, event: Event): boolean {
  if (p.op === 'exists') {
    if (p.field === null) throw new RulecastError('evaluate-keyword', 'exists needs a field', p.span);
    return fieldValues(event, p.field).present;
  }
  if (p.op === 'null') {
    if (p.field === null) throw new RulecastError('evaluate-keyword', 'null needs a field', p.span);
    const { values } = fieldValues(event, p.field);
    return values.length === 0 || values.every((v) => v === null || v === undefined);
  }
  if (p.op === 'fieldref') {
    if (p.field === null) throw new RulecastError('evaluate-keyword', 'fieldref needs a field', p.span);
    const left = fieldValues(event, p.field).values.map(asText).filter((v): v is string => v !== undefined);
    const right = fieldValues(event, p.value.field).values.map(asText).filter((v): v is string => v !== undefined);
    const fold = (s: string) => (p.cased ? s : foldCase(s));
    const match = p.value.match;
    return left.some((l) =>
      right.some((r) => {
        const a = fold(l);
        const b = fold(r);
        return match === 'eq' ? a === b : match === 'contains' ? a.includes(b) : match === 'startswith' ? a.startsWith(b) : a.endsWith(b);
      }),
    );
  }
  const test = matcher(p);
  const values = p.field === null ? allValues(event) : fieldValues(event, p.field).values;
  return values.some(test);
}

type ValueTest = (value: EventValue) => boolean;
const matchers = new WeakMap<Pred, ValueTest>();

function matcher(p: Pred): ValueTest {
  let m = matchers.get(p);
  if (!m) {
    m = buildMatcher(p);
    matchers.set(p, m);
  }
  return m;
}

function textTest(cased: boolean, test: (text: string) => boolean): ValueTest {
  return (value) => {
    const t = asText(value);
    if (t === undefined) return false;
    return test(cased ? t : foldCase(t));
  };
}

function buildMatcher(p: Pred): ValueTest {
  const fold = (s: string) => (p.cased ? s : foldCase(s));
  return visitPred<ValueTest>(p, {
    eq: (q) => {
      if (q.timePart) {
        const part = q.timePart;
        return (value) => timestampPart(value, part) === q.value;
      }
      if (typeof q.value === 'number') {
        const n = q.value;
        return (value) => asNumber(value) === n;
      }
      if (typeof q.value === 'boolean') {
        const b = String(q.value);
        return (value) => (typeof value === 'boolean' ? String(value) === b : typeof value === 'string' && foldCase(value) === b);
      }
      const expected = fold(q.value);
      return textTest(q.cased, (t) => t === expected);
    },
    contains: (q) => {
      const needle = fold(q.value);
      return textTest(q.cased, (t) => t.includes(needle));
    },
    startswith: (q) => {
      const needle = fold(q.value);
      return textTest(q.cased, (t) => t.startsWith(needle));
    },
    endswith: (q) => {
      const needle = fold(q.value);
      return textTest(q.cased, (t) => t.endsWith(needle));
    },
    has: (q) => {
      // Term boundaries are found in the value as stored, not after case folding (see hasTerm).
      return (value) => {
        const t = asText(value);
        return t !== undefined && hasTerm(t, q.value, q.cased);
      };
    },
    wildcard: (q) => {
      const compiled = compileWildcard(q.value, q.cased);
      return textTest(q.cased, compiled);
    },
    re: (q) => {
      const re = compileRegex(q);
      return (value) => {
        const t = asText(value);
        return t !== undefined && re.test(t);
      };
    },
    cidr: (q) => {
      const network: Cidr | undefined = parseCidr(q.value.network);
      if (!network) throw new RulecastError('invalid-cidr', `'${q.value.network}' is not a CIDR network`, q.span);
      return (value) => {
        const t = asText(value);
        return t !== undefined && inCidr(t, network);
      };
    },
    lt: (q) => (value) => compare(value, (n) => n < q.value),
    lte: (q) => (value) => compare(value, (n) => n <= q.value),
    gt: (q) => (value) => compare(value, (n) => n > q.value),
    gte: (q) => (value) => compare(value, (n) => n >= q.value),
    exists: () => () => true,
    null: () => () => false,
    fieldref: () => () => false,
  });
}

function compare(value: EventValue, test: (n: number) => boolean): boolean {
  const n = asNumber(value);
  return n !== undefined && test(n);
}

const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);

/** KQL `has`: the needle occurs where it starts and ends on term boundaries. Microsoft's documentation
 *  ("What is a term?", datatypes-string-operators): a string value is broken into maximal runs of
 *  ASCII letters and digits, each a term; `has` matches whole terms. A boundary is therefore decided
 *  on the stored characters: a non-ASCII character is never part of a term. Case-insensitive `has`
 *  compares the folded texts (foldCase keeps every character at its place). */
function hasTerm(text: string, needle: string, cased: boolean): boolean {
  if (needle === '') return true;
  const n = needle.length;
  const folded = cased ? text : foldCase(text);
  const needleFolded = cased ? needle : foldCase(needle);
  const startBoundary = alnum(needle[0]);
  const endBoundary = alnum(needle[n - 1]);
  for (let i = 0; i + n <= text.length; i++) {
    if (startBoundary && alnum(text[i - 1])) continue;
    if (endBoundary && alnum(text[i + n])) continue;
    if (folded.startsWith(needleFolded, i)) return true;
  }
  return false;
}

/** Compiles a wildcard pattern into a matcher over (case-folded) text. Greedy matching with
 *  backtracking to the last `*` only: O(n·m) at worst, never exponential. `?` is one code point. */
function compileWildcard(p: Pattern, cased: boolean): (text: string) => boolean {
  type Tok = { kind: 'lit'; text: string } | { kind: 'one' } | { kind: 'star' };
  const toks: Tok[] = p.parts.map((part) =>
    typeof part === 'string' ? { kind: 'lit', text: cased ? part : foldCase(part) } : part.wildcard === '*' ? { kind: 'star' } : { kind: 'one' },
  );
  return (text: string) => globMatch(toks, text);

  function globMatch(tokens: Tok[], s: string): boolean {
    let ti = 0;
    let si = 0;
    let starTi = -1;
    let starSi = 0;
    while (true) {
      if (ti < tokens.length) {
        const t = tokens[ti]!;
        if (t.kind === 'star') {
          starTi = ti++;
          starSi = si;
          continue;
        }
        if (t.kind === 'lit' && s.startsWith(t.text, si)) {
          si += t.text.length;
          ti++;
          continue;
        }
        if (t.kind === 'one' && si < s.length) {
          si += codePointLength(s, si);
          ti++;
          continue;
        }
      } else if (si === s.length) {
        return true;
      }
      if (starTi === -1 || starSi >= s.length) return false;
      starSi += codePointLength(s, starSi);
      si = starSi;
      ti = starTi + 1;
    }
  }
}

function codePointLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

const regexCache = new BoundedMemo<string, RE2JS>(10_000);

/** Compiles a `re` predicate with RE2 (linear-time). Flags map to RE2's; `(?i)` and other inline
 *  flags in the pattern are RE2 syntax already. A pattern RE2 cannot run (lookaround,
 *  backreference) is an error naming it, never a silent non-match. */
export function compileRegex(p: Extract<Pred, { op: 're' }>): RE2JS {
  const flags = (p.cased ? 0 : RE2JS.CASE_INSENSITIVE) | (p.value.flags.m ? RE2JS.MULTILINE : 0) | (p.value.flags.s ? RE2JS.DOTALL : 0);
  const key = `${flags}/${p.value.pattern}`;
  return regexCache.get(key, () => {
    try {
      return RE2JS.compile(p.value.pattern, flags);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new RulecastError('unsupported-regex', `regular expression '${p.value.pattern}' cannot be evaluated: ${reason}`, p.span, [
        'rulecast evaluates regular expressions with RE2 (no lookaround or backreferences), as KQL does',
      ]);
    }
  });
}

/** The part of a timestamp (ISO 8601 text, `YYYY-MM-DD hh:mm:ss`, or epoch milliseconds) in UTC. */
export function timestampPart(value: EventValue, part: TimePart): number | undefined {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string') {
    const t = value.trim();
    const iso = /^\d{4}-\d{2}-\d{2} \d/.test(t) ? t.replace(' ', 'T') : t;
    const withZone = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(iso) ? `${iso}Z` : iso;
    const ms = Date.parse(withZone);
    if (!Number.isNaN(ms)) date = new Date(ms);
  }
  if (!date || Number.isNaN(date.getTime())) return undefined;
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number.
      const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
      const day = d.getUTCDay() || 7;
      d.setUTCDate(d.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
      return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
    }
  }
}
