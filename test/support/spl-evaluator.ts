// A reference evaluator for the SPL subset rulecast emits (grammars/spl.peggy), used as a test
// oracle: a generated query, run on an event with Splunk's documented semantics, must keep the
// event exactly when rulecast's own IR evaluator (src/ir/evaluate.ts) accepts it.
//
// It runs on one event at a time. Each semantic choice is written next to the code that makes it;
// where Splunk's documentation is silent or ambiguous the choice is marked CHOICE and explained.
// References (Splunk Enterprise Search Manual / Search Reference, help.splunk.com):
//   [bool]     Search Manual, "Boolean expressions with logical operators" (order of evaluation)
//   [not]      Search Manual, "Difference between != and NOT"
//   [wild]     Search Manual, "Wildcards"; "Backslashes"
//   [search]   Search Reference, search command (CIDR support; quotes and escaping characters)
//   [case]     Search Manual, "Use CASE() and TERM() to match phrases"
//   [seg]      Search Manual, "Event segmentation and searching"; Admin Manual, segmenters.conf
//   [primer]   Search Manual, "Search command primer" (keywords are matched against _raw)
//   [where]    Search Reference, where command ("The <eval-expression> is case-sensitive")
//   [cond]     Search Reference, "Comparison and Conditional functions" (like, match, cidrmatch,
//              if, case, coalesce, searchmatch, isnull, isnotnull)
//   [mv]       Search Reference, "Multivalue eval functions" (mvcount, mvfind, mvindex)
//   [regex]    Search Reference, regex command ("An unanchored regular expression … PCRE")
//   [re]       Search Manual, "SPL and regular expressions"
//   [tstats]   Search Reference, tstats command
//   [fields]   Search Reference, table and fields commands
//
// The event model. An event is a flat record (dotted keys such as `Processes.process_name` are
// plain names); nested objects are flattened to dotted names as Splunk's JSON extraction names
// them. A value is text (numbers and booleans are read in their textual form); a list is a
// multi-value field; null or undefined means the field is absent (Splunk has no null field value:
// a field without a value does not exist in the event).
//
// Case. CHOICE: Splunk's documentation does not say how search terms and lower() treat letters
// outside ASCII; the oracle folds each character to its lower case one for one, as rulecast's
// evaluator does (src/ir/case.ts), so İ and the Kelvin sign only match themselves.
//
// `_raw`: the event's own `_raw` string when it has one; otherwise CHOICE: the event's fields
// written as `name=value` pairs separated by one space, in the event's order, one pair per value
// of a multi-value field (`CommandLine=whoami /all User=bob`). Keyword terms search it ([primer])
// and `| where`/`| regex` can read it as the field `_raw`.
import { RulecastError } from '../../src/diagnostics/diagnostic.js';
import { SourceFile, span } from '../../src/diagnostics/source.js';
import { foldCase } from '../../src/ir/case.js';
import { inCidr, parseCidr } from '../../src/ir/ip.js';
import { parseSplSearch, type EvalNode, type SearchNode, type SearchValue, type SplCommand, type SplQuery } from '../checkers/spl.js';

export type SplEvent = Readonly<Record<string, unknown>>;

/** A working copy of the event as the pipeline transforms it: field → values (texts). */
interface Row {
  readonly fields: Map<string, string[]>;
  /** Fields the evaluator made up (the synthesized `_raw`): never matched by wildcard keywords. */
  readonly synthesized: Set<string>;
}

interface Context {
  readonly source: SourceFile | undefined;
  /** Inside the `where` clause of tstats, where `nodename=…` selects the dataset. */
  readonly tstats: boolean;
}

/** An evaluation the oracle refuses (a feature it does not model, a type error Splunk would
 *  raise): code `spl-evaluate`, pointing into the query when the query text is known. */
function refuse(ctx: Context, node: { start: number; end: number } | undefined, message: string): RulecastError {
  const where = ctx.source && node ? span(ctx.source, node.start, node.end) : undefined;
  return new RulecastError('spl-evaluate', message, where);
}

// ─── Public entry points ──────────────────────────────────────────────────────────────────────

/** Whether `event` comes out of `query`: every command in order, each filtering or transforming
 *  the event. */
export function evaluateSpl(query: SplQuery, event: SplEvent): boolean {
  const ctx: Context = { source: new SourceFile('<spl>', query.text), tstats: false };
  const row = toRow(event);
  for (const command of query.commands) {
    if (!runCommand(command, row, ctx)) return false;
  }
  return true;
}

/** A search expression alone, on one event. */
export function evaluateSplSearch(expr: SearchNode, event: SplEvent): boolean {
  return matchSearch(expr, toRow(event), { source: undefined, tstats: false });
}

/** The value of an eval expression on one event (null, boolean, number, text or a list). */
export function evaluateSplEval(expr: EvalNode, event: SplEvent): EvalValue {
  return evalExpr(expr, toRow(event), { source: undefined, tstats: false });
}

/** The `_raw` text the evaluator uses for an event (see the header). */
export function rawText(event: SplEvent): string {
  return toRow(event).fields.get('_raw')?.[0] ?? '';
}

// ─── The event ────────────────────────────────────────────────────────────────────────────────

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

function toRow(event: SplEvent): Row {
  const fields = new Map<string, string[]>();
  const pairs: [string, string][] = [];
  const add = (name: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) add(name, v);
      return;
    }
    const text = toText(value);
    if (text !== undefined) {
      const list = fields.get(name);
      if (list) list.push(text);
      else fields.set(name, [text]);
      pairs.push([name, text]);
      return;
    }
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${name}.${k}`, v);
    }
  };
  for (const [k, v] of Object.entries(event)) add(k, v);
  const synthesized = new Set<string>();
  if (!fields.has('_raw')) {
    fields.set('_raw', [pairs.map(([k, v]) => `${k}=${v}`).join(' ')]);
    synthesized.add('_raw');
  }
  return { fields, synthesized };
}

function values(row: Row, name: string): readonly string[] {
  return row.fields.get(name) ?? [];
}

// ─── Commands ─────────────────────────────────────────────────────────────────────────────────

/** Runs one command; false when it drops the event. */
function runCommand(command: SplCommand, row: Row, ctx: Context): boolean {
  switch (command.type) {
    case 'search':
      // An empty initial search keeps every event.
      return command.expr === null || matchSearch(command.expr, row, ctx);
    case 'where': {
      // [where] keeps "only the results for which the eval expression returns true": false and
      // null (a comparison on a missing field) both drop the event.
      const result = evalExpr(command.expr, row, ctx);
      if (result !== null && typeof result !== 'boolean') throw refuse(ctx, command, `where needs a boolean expression, not ${describeValue(result)}`);
      return result === true;
    }
    case 'regex': {
      // [regex] keeps results that match (field=) or that do not match (field!=) an unanchored
      // PCRE; the field defaults to _raw. CHOICE: a missing field matches nothing, so `f="re"`
      // drops the event and `f!="re"` keeps it ("To keep results that do not match"); a
      // multi-value field matches when any value does.
      const re = compilePcre(command.pattern.value, ctx, command.pattern);
      const matched = values(row, command.field?.name ?? '_raw').some((v) => re.test(v));
      return command.negated ? !matched : matched;
    }
    case 'table': {
      // [fields] table keeps only the listed fields (`*` wildcards in names); it never filters.
      for (const name of [...row.fields.keys()]) {
        if (!command.fields.some((f) => globMatch(f.name, name, true))) row.fields.delete(name);
      }
      return true;
    }
    case 'fields': {
      // [fields] `fields a b` keeps the listed fields and the internal ones (names starting with
      // `_`, removed only when listed in `fields - _*`); `fields - a` removes the listed ones.
      for (const name of [...row.fields.keys()]) {
        const listed = command.fields.some((f) => globMatch(f.name, name, true));
        if (command.mode === '-' ? listed : !listed && !name.startsWith('_')) row.fields.delete(name);
      }
      return true;
    }
    case 'eval': {
      for (const a of command.assignments) {
        const value = evalExpr(a.expr, row, ctx);
        // Splunk: "Fields cannot be assigned a boolean result. Instead, try if(...)".
        if (typeof value === 'boolean') throw refuse(ctx, a, 'fields cannot be assigned a boolean result');
        if (value === null) row.fields.delete(a.field.name);
        else row.fields.set(a.field.name, (Array.isArray(value) ? value : [value]).map(asText));
        row.synthesized.delete(a.field.name);
      }
      return true;
    }
    case 'tstats':
      // [tstats] aggregates indexed fields of a data model. CHOICE: the oracle checks only the
      // filter: the event stands for a row of the data model (fields named as written, e.g.
      // `Processes.process_name`) and survives when the `where` clause matches it; the
      // aggregates, `by` fields and options are not modelled (later commands see the event).
      return command.where === null || matchSearch(command.where, row, { ...ctx, tstats: true });
  }
}

// ─── Search expressions ───────────────────────────────────────────────────────────────────────

function matchSearch(node: SearchNode, row: Row, ctx: Context): boolean {
  switch (node.type) {
    // [bool]: the tree already encodes NOT > OR > AND; NOT is plain negation, so
    // `NOT f=v` is true when f is missing ([not]).
    case 'and':
      return node.args.every((a) => matchSearch(a, row, ctx));
    case 'or':
      return node.args.some((a) => matchSearch(a, row, ctx));
    case 'not':
      return !matchSearch(node.arg, row, ctx);
    case 'group':
      return matchSearch(node.expr, row, ctx);
    case 'in':
      // `f IN (a, b*)` is `f=a OR f=b*` (wildcards allowed).
      return values(row, node.field.name).some((v) => node.values.some((value) => valueMatches(v, value)));
    case 'keyword':
      return keywordMatches(node.value, row);
    case 'compare': {
      // CHOICE: inside tstats, `nodename=<dataset>` selects the dataset the event belongs to.
      if (ctx.tstats && node.field.name === 'nodename') return true;
      const vs = values(row, node.field.name);
      switch (node.op) {
        case '=':
          // A missing field never equals anything; a multi-value field matches when any value does.
          return vs.some((v) => valueMatches(v, node.value));
        case '!=':
          // [not]: "Events that do not have a value in the field are not included". CHOICE for a
          // multi-value field: true when no value matches (the same as `f=* NOT f=v`).
          return vs.length > 0 && !vs.some((v) => valueMatches(v, node.value));
        default: {
          // CHOICE: `<` `<=` `>` `>=` are modelled for numbers only (what rulecast emits); a
          // non-numeric literal is refused rather than guessed (Splunk compares strings
          // lexicographically). A non-numeric field value never satisfies a numeric comparison.
          const limit = asNumber(node.value.value);
          if (limit === undefined) throw refuse(ctx, node.value, `the oracle compares numbers only, not '${node.value.value}'`);
          return vs.some((v) => {
            const n = asNumber(v);
            return n !== undefined && compareNumbers(node.op, n, limit);
          });
        }
      }
    }
  }
}

function compareNumbers(op: string, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return a === b;
  }
}

/** One field value against a search value (`f=v`).
 *  - Case-insensitive unless CASE(…) ([case]: "By default, searches are case-insensitive").
 *  - `*` matches any run of characters, possibly empty; it is the only wildcard, `?` is literal
 *    ([wild]), and it cannot be escaped ([wild] "Backslashes"): a value is a whole-value match.
 *  - A value in CIDR notation (`10.0.0.0/8`, `fe80::/10`) matches the addresses of that network,
 *    IPv4 and IPv6 ([search]: "supports IPv4 and IPv6 addresses and subnets that use CIDR").
 *  - CHOICE: a number matches a field value that is the same number (`4688` = `4688.0`), as well
 *    as the same text.
 *  - TERM(x) as a field value means x (TERM only changes how the index is used). */
function valueMatches(text: string, value: SearchValue): boolean {
  const cased = value.directive === 'CASE';
  const pattern = value.value;
  if (!pattern.includes('*')) {
    if (pattern.includes('/')) {
      const network = parseCidr(pattern);
      if (network) return inCidr(text, network);
    }
    const n = asNumber(pattern);
    if (n !== undefined && asNumber(text) === n) return true;
    return cased ? text === pattern : foldCase(text) === foldCase(pattern);
  }
  return globMatch(pattern, text, cased);
}

// [seg] default breakers (segmenters.conf [default]). The percent-encoded forms (%20, %2C, …) and
// `--` of MAJOR are not modelled: events are not URL-decoded text.
const MAJOR_BREAKERS = new Set([...' \t\r\n[]<>(){}|!;,\'"*&?+']);
const MINOR_BREAKERS = new Set([...'/:=@.-$#%\\_']);
const isBreaker = (c: string | undefined): boolean => c !== undefined && (MAJOR_BREAKERS.has(c) || MINOR_BREAKERS.has(c));
const isMajorBreaker = (c: string | undefined): boolean => c !== undefined && MAJOR_BREAKERS.has(c);

/** A keyword term (no field). CHOICE, Splunk's index lookup made exact:
 *  - without `*`: the term (or quoted phrase) occurs in `_raw`, case-insensitively (CASE(…):
 *    exactly), starting and ending on term boundaries: the characters just outside it are
 *    breakers (major or minor) or the ends of `_raw`, unless the term itself starts/ends with a
 *    breaker. So `error` matches `an error:` and `x_error_y` (`_` is a minor breaker) but not
 *    `errors`;
 *  - TERM(x): the same, but the boundaries must be major breakers ([case]: "bound by major
 *    breakers"), so TERM(127.0.0.1) does not match `ip=127.0.0.1`;
 *  - with `*`: some value of some field matches the wildcard pattern as a whole value,
 *    case-insensitively (a real `_raw` counts as a field, the synthesized one does not);
 *  - `*` alone (or only stars) matches every event. */
function keywordMatches(value: SearchValue, row: Row): boolean {
  const term = value.value;
  const cased = value.directive === 'CASE';
  if (term.includes('*')) {
    if (/^\*+$/.test(term)) return true;
    for (const [name, vs] of row.fields) {
      if (row.synthesized.has(name)) continue;
      if (vs.some((v) => globMatch(term, v, cased))) return true;
    }
    return false;
  }
  const raw = values(row, '_raw')[0] ?? '';
  return occursAsTerm(raw, term, cased, value.directive === 'TERM' ? isMajorBreaker : isBreaker);
}

function occursAsTerm(text: string, term: string, cased: boolean, boundary: (c: string | undefined) => boolean): boolean {
  if (term === '') return false;
  const hay = cased ? text : foldCase(text);
  const needle = cased ? term : foldCase(term);
  const openStart = boundary(needle[0]);
  const openEnd = boundary(needle[needle.length - 1]);
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + 1)) {
    const j = i + needle.length;
    if ((openStart || i === 0 || boundary(hay[i - 1])) && (openEnd || j === hay.length || boundary(hay[j]))) return true;
  }
  return false;
}

/** Whole-value match of a pattern whose only wildcard is `*`. Greedy, backtracking to the last
 *  star only: O(n·m), never exponential. */
function globMatch(pattern: string, text: string, cased: boolean): boolean {
  const p = cased ? pattern : foldCase(pattern);
  const s = cased ? text : foldCase(text);
  let pi = 0;
  let si = 0;
  let starPi = -1;
  let starSi = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] === '*') {
      starPi = pi++;
      starSi = si;
    } else if (pi < p.length && p[pi] === s[si]) {
      pi++;
      si++;
    } else if (starPi !== -1) {
      pi = starPi + 1;
      si = ++starSi;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

// ─── Eval expressions ─────────────────────────────────────────────────────────────────────────

/** An eval value: null (a missing field, a failed function), a boolean, a number, a text, or the
 *  values of a multi-value field. */
export type EvalValue = null | boolean | number | string | readonly string[];

const numberSyntax = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function asNumber(value: EvalValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const t = value.trim();
    if (numberSyntax.test(t)) return Number(t);
  }
  return undefined;
}

function asText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}

function describeValue(v: EvalValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a multi-value';
  return `${typeof v} ${JSON.stringify(v)}`;
}

type Scalar = string | number;

/** Scalars of a value: none for null, each value of a multi-value. */
function scalars(v: EvalValue, ctx: Context, node: EvalNode): Scalar[] {
  if (v === null) return [];
  if (typeof v === 'boolean') throw refuse(ctx, node, 'a boolean is not a value here');
  return Array.isArray(v) ? [...v] : [v as Scalar];
}

/** Kleene logic on booleans and null; anything else is a type error. */
function truth(v: EvalValue, ctx: Context, node: EvalNode): boolean | null {
  if (v === null || typeof v === 'boolean') return v;
  throw refuse(ctx, node, `expected a boolean, found ${describeValue(v)}`);
}

/**
 * Evaluates an eval expression ([where]).
 * - Booleans follow three-valued (Kleene) logic. CHOICE, documented nowhere precisely: a
 *   comparison or a string function on a missing field is null, `NOT null` is null, `false AND
 *   null` is false and `true OR null` is true; `where` keeps only true. So `| where NOT f="x"`
 *   drops events without f (where a search `NOT f=x` keeps them): generated queries must guard
 *   missing fields explicitly (`isnull(f) OR NOT …`).
 * - `=` and `==` are the same, case-sensitive ([where]: "The <eval-expression> is
 *   case-sensitive"); a bare name is a field, a double-quoted text is a string.
 * - CHOICE: two operands that both read as numbers (a number, or text in number syntax) compare
 *   as numbers; otherwise as texts (code-unit order for `<`…).
 * - CHOICE: with a multi-value operand a comparison is true when some value satisfies it;
 *   `a != b` is `NOT (a = b)` for present values.
 */
function evalExpr(node: EvalNode, row: Row, ctx: Context): EvalValue {
  switch (node.type) {
    case 'group':
      return evalExpr(node.expr, row, ctx);
    case 'number':
      return node.value;
    case 'string':
      return node.value.value;
    case 'field': {
      const vs = values(row, node.field.name);
      if (vs.length === 0) return null;
      return vs.length === 1 ? vs[0]! : vs;
    }
    case 'and': {
      let unknown = false;
      for (const a of node.args) {
        const t = truth(evalExpr(a, row, ctx), ctx, a);
        if (t === false) return false;
        if (t === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case 'or': {
      let unknown = false;
      for (const a of node.args) {
        const t = truth(evalExpr(a, row, ctx), ctx, a);
        if (t === true) return true;
        if (t === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case 'xor': {
      let result = false;
      for (const a of node.args) {
        const t = truth(evalExpr(a, row, ctx), ctx, a);
        if (t === null) return null;
        result = result !== t;
      }
      return result;
    }
    case 'not': {
      const t = truth(evalExpr(node.arg, row, ctx), ctx, node.arg);
      return t === null ? null : !t;
    }
    case 'negate': {
      const n = asNumber(single(evalExpr(node.arg, row, ctx), ctx, node.arg));
      return n === undefined ? null : -n;
    }
    case 'compare': {
      const left = evalExpr(node.left, row, ctx);
      const right = evalExpr(node.right, row, ctx);
      if (left === null || right === null) return null;
      const ls = scalars(left, ctx, node.left);
      const rs = scalars(right, ctx, node.right);
      if (node.op === 'LIKE') return ls.some((l) => rs.some((r) => likeMatch(asText(l), asText(r))));
      if (node.op === '!=') return !ls.some((l) => rs.some((r) => compareScalars('=', l, r)));
      return ls.some((l) => rs.some((r) => compareScalars(node.op, l, r)));
    }
    case 'in': {
      const v = evalExpr(node.arg, row, ctx);
      if (v === null) return null;
      const ls = scalars(v, ctx, node.arg);
      const candidates = node.values.flatMap((c) => scalars(evalExpr(c, row, ctx), ctx, c));
      return ls.some((l) => candidates.some((r) => compareScalars('=', l, r)));
    }
    case 'arith':
      return arithmetic(node, evalExpr(node.left, row, ctx), evalExpr(node.right, row, ctx), ctx);
    case 'call':
      return callFunction(node, row, ctx);
  }
}

function compareScalars(op: string, l: Scalar, r: Scalar): boolean {
  const a = asNumber(l);
  const b = asNumber(r);
  if (a !== undefined && b !== undefined) return compareNumbers(op === '==' ? '=' : op, a, b);
  const x = asText(l);
  const y = asText(r);
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    default:
      return x === y;
  }
}

/** The one value of a single-valued operand (null stays null). */
function single(v: EvalValue, ctx: Context, node: EvalNode): Scalar | null {
  if (v === null) return null;
  if (typeof v === 'boolean') throw refuse(ctx, node, 'a boolean is not a value here');
  if (Array.isArray(v)) throw refuse(ctx, node, 'the oracle does not model arithmetic on multi-value fields');
  return v as Scalar;
}

/** CHOICE: null in, null out; `+` adds numbers and concatenates two texts; `.` concatenates
 *  texts; a non-numeric operand of `- * / %` (or a division by zero) gives null. */
function arithmetic(node: Extract<EvalNode, { type: 'arith' }>, lv: EvalValue, rv: EvalValue, ctx: Context): EvalValue {
  const l = single(lv, ctx, node.left);
  const r = single(rv, ctx, node.right);
  if (l === null || r === null) return null;
  if (node.op === '.') return asText(l) + asText(r);
  const a = asNumber(l);
  const b = asNumber(r);
  if (a === undefined || b === undefined) return node.op === '+' && typeof l === 'string' && typeof r === 'string' ? l + r : null;
  switch (node.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? null : a / b;
    case '%':
      return b === 0 ? null : a % b;
  }
}

/** [cond] like(str, pattern): `%` is any run of characters, `_` exactly one; the whole value
 *  must match. CHOICE: case-sensitive (eval expressions are case-sensitive, [where]), and no
 *  escape character (the docs define none), so `%` and `_` cannot be literal in a pattern. */
function likeMatch(text: string, pattern: string): boolean {
  let source = '^';
  for (const c of pattern) {
    if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  return new RegExp(`${source}$`, 'u').test(text);
}

function arity(node: Extract<EvalNode, { type: 'call' }>, ctx: Context, min: number, max = min): void {
  if (node.args.length < min || node.args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw refuse(ctx, node, `${node.name}() takes ${expected} argument(s), not ${node.args.length}`);
  }
}

function callFunction(node: Extract<EvalNode, { type: 'call' }>, row: Row, ctx: Context): EvalValue {
  const arg = (i: number): EvalValue => evalExpr(node.args[i]!, row, ctx);
  const textOf = (i: number): string | null => {
    const v = single(arg(i), ctx, node.args[i]!);
    return v === null ? null : asText(v);
  };
  /** Applies a test to each value of argument i: null when the argument is null, else whether
   *  some value passes (multi-value: any). */
  const anyValue = (i: number, test: (text: string) => boolean): boolean | null => {
    const v = arg(i);
    if (v === null) return null;
    return scalars(v, ctx, node.args[i]!).some((s) => test(asText(s)));
  };
  switch (node.name) {
    case 'true':
      arity(node, ctx, 0);
      return true;
    case 'false':
      arity(node, ctx, 0);
      return false;
    case 'null':
      arity(node, ctx, 0);
      return null;
    case 'isnull':
      arity(node, ctx, 1);
      return arg(0) === null;
    case 'isnotnull':
      arity(node, ctx, 1);
      return arg(0) !== null;
    case 'isnum': {
      arity(node, ctx, 1);
      const v = arg(0);
      return v !== null && !Array.isArray(v) && typeof v !== 'boolean' && asNumber(v as Scalar) !== undefined;
    }
    case 'isstr': {
      arity(node, ctx, 1);
      const v = arg(0);
      return typeof v === 'string' && asNumber(v) === undefined;
    }
    case 'like': {
      // [cond] like(<str>, <pattern>); see likeMatch.
      arity(node, ctx, 2);
      const pattern = textOf(1);
      if (pattern === null) return null;
      return anyValue(0, (t) => likeMatch(t, pattern));
    }
    case 'match': {
      // [cond] match(<str>, <regex>): "TRUE if the regular expression finds a match against any
      // substring": an unanchored PCRE search, case-sensitive unless the pattern says (?i).
      arity(node, ctx, 2);
      const pattern = textOf(1);
      if (pattern === null) return null;
      const re = compilePcre(pattern, ctx, node.args[1]);
      return anyValue(0, (t) => re.test(t));
    }
    case 'cidrmatch': {
      // [cond] cidrmatch(<cidr>, <ip>): IPv4 and IPv6 networks. CHOICE: null when the address is
      // missing; false for a text that is not an address of the network's family; a malformed
      // network is refused (a generator bug, not a non-match).
      arity(node, ctx, 2);
      const cidr = textOf(0);
      if (cidr === null) return null;
      const network = parseCidr(cidr);
      if (!network || !cidr.includes('/')) throw refuse(ctx, node.args[0], `'${cidr}' is not a CIDR network`);
      return anyValue(1, (t) => inCidr(t, network));
    }
    case 'searchmatch': {
      // [cond] searchmatch(<search_str>): whether the event matches the search string, with
      // search semantics (case-insensitive, keywords on _raw). Never null.
      arity(node, ctx, 1);
      const text = textOf(0);
      if (text === null) throw refuse(ctx, node, 'searchmatch() needs a search string');
      return matchSearch(parseSplSearch(text), row, { source: undefined, tstats: false });
    }
    case 'lower':
    case 'upper': {
      arity(node, ctx, 1);
      const v = arg(0);
      if (v === null) return null;
      const f = (s: Scalar) => (node.name === 'lower' ? foldCase(asText(s)) : asText(s).toUpperCase());
      return Array.isArray(v) ? v.map(f) : f(single(v, ctx, node.args[0]!)!);
    }
    case 'len': {
      arity(node, ctx, 1);
      const t = textOf(0);
      return t === null ? null : [...t].length;
    }
    case 'tostring': {
      arity(node, ctx, 1);
      const v = arg(0);
      if (typeof v === 'boolean') return v ? 'True' : 'False';
      return textOf(0);
    }
    case 'tonumber': {
      arity(node, ctx, 1);
      const t = textOf(0);
      return t === null ? null : (asNumber(t) ?? null);
    }
    case 'coalesce': {
      // [cond] the first argument that is not null.
      for (let i = 0; i < node.args.length; i++) {
        const v = arg(i);
        if (v !== null) return v;
      }
      return null;
    }
    case 'if': {
      // [cond] if(<predicate>, <true_value>, <false_value>): a null predicate takes the false branch.
      arity(node, ctx, 3);
      return truth(arg(0), ctx, node.args[0]!) === true ? arg(1) : arg(2);
    }
    case 'case': {
      // [cond] case(<condition>, <value>, …): the first true condition's value, else null.
      if (node.args.length % 2 !== 0) throw refuse(ctx, node, 'case() takes condition/value pairs');
      for (let i = 0; i < node.args.length; i += 2) {
        if (truth(arg(i), ctx, node.args[i]!) === true) return arg(i + 1);
      }
      return null;
    }
    case 'in': {
      // in(<value>, <list>…): the IN operator as a function.
      if (node.args.length < 2) throw refuse(ctx, node, 'in() takes a value and at least one candidate');
      const v = arg(0);
      if (v === null) return null;
      const ls = scalars(v, ctx, node.args[0]!);
      const rs = node.args.slice(1).flatMap((a) => scalars(evalExpr(a, row, ctx), ctx, a));
      return ls.some((l) => rs.some((r) => compareScalars('=', l, r)));
    }
    case 'mvcount': {
      // [mv] the number of values. CHOICE: null for a missing field.
      arity(node, ctx, 1);
      const v = arg(0);
      if (v === null) return null;
      return Array.isArray(v) ? v.length : 1;
    }
    case 'mvfind': {
      // [mv] mvfind(<mv>, <regex>): the index of the first value the regex finds a match in, or null.
      arity(node, ctx, 2);
      const v = arg(0);
      const pattern = textOf(1);
      if (v === null || pattern === null) return null;
      const re = compilePcre(pattern, ctx, node.args[1]);
      const i = scalars(v, ctx, node.args[0]!).findIndex((s) => re.test(asText(s)));
      return i === -1 ? null : i;
    }
    case 'mvindex': {
      // [mv] mvindex(<mv>, <start>[, <end>]): negative indexes count from the end; end inclusive.
      arity(node, ctx, 2, 3);
      const v = arg(0);
      if (v === null) return null;
      const list = scalars(v, ctx, node.args[0]!).map(asText);
      const at = (i: number): number | undefined => {
        const n = asNumber(single(arg(i), ctx, node.args[i]!) ?? undefined);
        if (n === undefined) return undefined;
        return n < 0 ? list.length + n : n;
      };
      const start = at(1);
      if (start === undefined || start < 0 || start >= list.length) return null;
      if (node.args.length === 2) return list[start]!;
      const end = at(2);
      if (end === undefined || end < start) return null;
      const slice = list.slice(start, end + 1);
      return slice.length === 1 ? slice[0]! : slice;
    }
    default:
      throw refuse(ctx, node, `the oracle does not evaluate the function ${node.name}()`);
  }
}

// ─── PCRE ─────────────────────────────────────────────────────────────────────────────────────

const pcreCache = new Map<string, RegExp>();

/**
 * Compiles a PCRE pattern ([re], [regex]: Splunk's regexes are PCRE) to a JavaScript RegExp.
 * CHOICE: JavaScript's engine rather than RE2, because it has what PCRE rules use and RE2 lacks
 * (lookaround, backreferences). Translated: leading inline options `(?i)` `(?s)` `(?m)` (to
 * flags), `(?P<name>…)` and `(?P=name)`, `\A`, `\z`, `\Z`, `\e`, `\a`, and `$`, which in PCRE
 * also matches before a final newline. Refused (an error, never a silent difference): inline
 * options elsewhere or `(?x)`, atomic groups, possessive quantifiers, recursion, conditionals,
 * comments, branch reset, `\Q…\E`, `\G`, `\K`, `\R`, `\X`, `\C`, `\h`, `\H`, `\v`, `\V`, `\N`,
 * `\p{…}`, `\x{…}`, `\g`. Known remaining differences: `\s`, `\w`, `\d` and `.` follow
 * JavaScript (without the `u` flag), e.g. JavaScript's `\s` also matches Unicode spaces.
 */
export function pcreToRegExp(pattern: string): RegExp {
  return compilePcre(pattern, { source: undefined, tstats: false });
}

function compilePcre(pattern: string, ctx: Context, node?: { start: number; end: number }): RegExp {
  const cached = pcreCache.get(pattern);
  if (cached) return cached;
  const unsupported = (what: string) => refuse(ctx, node, `the oracle does not evaluate the PCRE feature ${what} in /${pattern}/`);
  const flags = new Set<string>();
  let i = 0;
  for (let m = /^\(\?([A-Za-z]+)\)/.exec(pattern); m; m = /^\(\?([A-Za-z]+)\)/.exec(pattern.slice(i))) {
    for (const f of m[1]!) {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else throw unsupported(`(?${f})`);
    }
    i += m[0].length;
  }
  const endOfSubject = '(?![\\s\\S])';
  const dollar = flags.has('m') ? '$' : `(?=\\n?${endOfSubject})`;
  let out = '';
  let inClass = false;
  let afterQuantifier = false;
  for (; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw unsupported('a trailing backslash');
      i++;
      afterQuantifier = false;
      if ('QEGKRXChHvVNpPg'.includes(n)) throw unsupported(`\\${n}`);
      if (n === 'x' && pattern[i + 1] === '{') throw unsupported('\\x{…}');
      if (n === 'e') out += '\\x1b';
      else if (n === 'a') out += '\\x07';
      else if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += endOfSubject;
      else if (!inClass && n === 'Z') out += `(?=\\n?${endOfSubject})`;
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      afterQuantifier = false;
      out += '[';
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      afterQuantifier = false;
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (rest.startsWith('P=')) {
        const close = rest.indexOf(')');
        if (close === -1) throw unsupported('(?P=');
        out += `\\k<${rest.slice(2, close)}>`;
        i += 2 + close;
        continue;
      }
      if (/^(:|=|!|<=|<!|<[A-Za-z_])/.test(rest)) {
        out += '(?';
        i += 1;
        continue;
      }
      throw unsupported(`(?${rest.slice(0, 2)}`);
    }
    if (c === '+' && afterQuantifier) throw unsupported('a possessive quantifier');
    if (c === '$') {
      out += dollar;
      afterQuantifier = false;
      continue;
    }
    out += c;
    afterQuantifier = c === '*' || c === '+' || c === '?' || c === '}';
  }
  let re: RegExp;
  try {
    re = new RegExp(out, [...flags].join(''));
  } catch (err) {
    throw refuse(ctx, node, `invalid regular expression /${pattern}/: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (pcreCache.size > 10_000) pcreCache.clear();
  pcreCache.set(pattern, re);
  return re;
}
