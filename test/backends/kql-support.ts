// Test support for the KQL backend: Microsoft's own Kusto parser and analyzer
// (@kusto/language-service-next, the C# Kusto.Language compiled to JavaScript), the Defender XDR
// schema as analyzer symbols, and a small evaluator over the Kusto syntax tree for the operators
// rulecast emits (so the KQL text itself, as Kusto parses it, is checked against the IR evaluator).
import { createRequire } from 'node:module';
import { RE2JS } from 're2js';
import { foldCase } from '../../src/ir/case.js';
import { parseIPv4, parseIPv6 } from '../../src/ir/ip.js';
import { timestampPart } from '../../src/ir/evaluate.js';
import { tableSchemas } from '../../src/pipelines/schema.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');

/* eslint-disable @typescript-eslint/no-explicit-any */
const g = globalThis as any;
export const Kusto = g.Kusto;
const Bridge = g.Bridge;
const SK = Kusto.Language.Syntax.SyntaxKind;
const kindNames = new Map<number, string>(Object.keys(SK).filter((k) => typeof SK[k] === 'number').map((k) => [SK[k] as number, k]));

export type SyntaxNode = any;

export function kindName(node: SyntaxNode): string {
  return kindNames.get(node.Kind) ?? String(node.Kind);
}

export interface Diag {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start?: number;
}

function diags(code: any): Diag[] {
  return Bridge.toArray(code.GetDiagnostics()).map((d: any) => ({ code: d.Code, severity: String(d.Severity), message: d.Message, start: d.Start }));
}

/**
 * Parses (or analyzes) many queries in one script (`q1;\nq2;…`: Kusto statements), which spares
 * the parser's per-call cost, and gives each query its own diagnostics (by position).
 */
export function checkMany(queries: readonly string[], globals?: any): Diag[][] {
  const starts: number[] = [];
  let text = '';
  for (const q of queries) {
    starts.push(text.length);
    text += `${q};\n`;
  }
  const code = globals ? Kusto.Language.KustoCode.ParseAndAnalyze(text, globals) : Kusto.Language.KustoCode.Parse(text);
  const out: Diag[][] = queries.map(() => []);
  for (const d of diags(code)) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= (d.start ?? 0)) lo = mid;
      else hi = mid - 1;
    }
    out[lo]!.push(d);
  }
  return out;
}

/** Syntax only. */
export function parse(query: string): { syntax: SyntaxNode; diagnostics: Diag[] } {
  const code = Kusto.Language.KustoCode.Parse(query);
  return { syntax: code.Syntax, diagnostics: diags(code) };
}

/** Names and types against a database of tables. */
export function analyze(query: string, globals: any): Diag[] {
  return diags(Kusto.Language.KustoCode.ParseAndAnalyze(query, globals));
}

const S = Kusto.Language.Symbols;
const scalar: Record<string, any> = {
  string: S.ScalarTypes.String,
  long: S.ScalarTypes.Long,
  int: S.ScalarTypes.Int,
  real: S.ScalarTypes.Real,
  decimal: S.ScalarTypes.Decimal,
  bool: S.ScalarTypes.Bool,
  datetime: S.ScalarTypes.DateTime,
  timespan: S.ScalarTypes.TimeSpan,
  dynamic: S.ScalarTypes.Dynamic,
  guid: S.ScalarTypes.Guid,
};

/** Analyzer globals with the given tables (name → column → type). */
export function globalsFor(tables: Record<string, Record<string, string>>): any {
  const symbols = Object.entries(tables).map(
    ([name, cols]) => new S.TableSymbol.$ctor4(name, Object.entries(cols).map(([c, t]) => new S.ColumnSymbol(c, scalar[t] ?? S.ScalarTypes.String))),
  );
  return Kusto.Language.GlobalState.Default.WithDatabase(new S.DatabaseSymbol.ctor('db', symbols));
}

/** The Defender XDR tables as the defender-xdr pipeline declares them (the corpus suite checks
 *  they are those of ../shared/schemas/defender-xdr.json, Microsoft Learn's schema reference). */
export function defenderSchema(): Record<string, Record<string, string>> {
  return Object.fromEntries([...tableSchemas(getBuiltinPipeline('defender-xdr').layout)].map(([t, s]) => [t, Object.fromEntries(s.columns)]));
}

/** Every node of a tree, depth first. */
export function* nodes(node: SyntaxNode): Generator<SyntaxNode> {
  if (!node) return;
  yield node;
  for (let i = 0; i < node.ChildCount; i++) yield* nodes(node.GetChild(i));
}

export function literalValue(node: SyntaxNode): unknown {
  const v = node.LiteralValue;
  if (v !== null && typeof v === 'object' && '$boxed' in v) return v.v;
  if (v !== null && typeof v === 'object' && typeof v.toNumber === 'function') return v.toNumber(); // a Bridge.NET Int64
  return v;
}

/** The condition of the first `where` of a query. */
export function whereCondition(syntax: SyntaxNode): SyntaxNode {
  for (const n of nodes(syntax)) if (kindName(n) === 'FilterOperator') return n.Condition;
  throw new Error('no where clause');
}

// ---------------------------------------------------------------------------------------------
// An evaluator for the subset of KQL that rulecast emits, following Kusto's documented semantics:
// strings are never null (a missing string column reads as ""), other types are null when missing;
// comparisons `<` `>` with null are null, `==`/`!=` with one null operand are false/true; and/or
// are three-valued (Kleene), not(null) is null, and `where` keeps a row only when the condition is
// true. Case-insensitive operators fold each character to its lower case (src/ir/case.ts, as the IR
// evaluator does).

export type KValue = string | number | boolean | null;
export type Row = Readonly<Record<string, KValue>>;

const lower = foldCase;
const isNull = (v: KValue) => v === null;

function str(v: KValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  return String(v);
}

function not3(v: KValue): KValue {
  return v === null ? null : !v;
}

function and3(a: KValue, b: () => KValue): KValue {
  if (a === false) return false;
  const r = b();
  if (r === false) return false;
  return a === null || r === null ? null : true;
}

function or3(a: KValue, b: () => KValue): KValue {
  if (a === true) return true;
  const r = b();
  if (r === true) return true;
  return a === null || r === null ? null : false;
}

function hasTerm(text: string, needle: string): boolean {
  const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
  if (needle === '') return true;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    if ((!alnum(needle[0]) || !alnum(text[i - 1])) && (!alnum(needle[needle.length - 1]) || !alnum(text[i + needle.length]))) return true;
  }
  return false;
}

function inRange(family: 4 | 6, ip: KValue, range: KValue): KValue {
  if (typeof ip !== 'string' || typeof range !== 'string') return null;
  const [net, prefixText] = range.split('/');
  const prefix = Number(prefixText);
  let addr: Uint8Array | undefined;
  let netBytes: Uint8Array | undefined;
  if (family === 4) {
    addr = parseIPv4(ip);
    netBytes = parseIPv4(net!);
  } else {
    // Kusto's IPv6 functions read an IPv4 address as its IPv4-mapped IPv6 form.
    const v4 = parseIPv4(ip);
    addr = v4 ? new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]) : parseIPv6(ip);
    netBytes = parseIPv6(net!);
  }
  if (!addr || !netBytes) return null;
  let bits = prefix;
  for (let i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i]! & mask) !== (netBytes[i]! & mask)) return false;
  }
  return true;
}

const regexCache = new Map<string, RE2JS>();
function re(pattern: string): RE2JS {
  let r = regexCache.get(pattern);
  if (!r) {
    r = RE2JS.compile(pattern);
    regexCache.set(pattern, r);
  }
  return r;
}

function toReal(v: KValue): KValue {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : null;
}

function compare(a: KValue, b: KValue, test: (x: number, y: number) => boolean): KValue {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return test(a, b);
  throw new Error(`comparison of ${typeof a} and ${typeof b}`);
}

function equal(a: KValue, b: KValue): KValue {
  if (a === null && b === null) return null;
  if (a === null || b === null) return false;
  if (typeof a === 'string' && typeof b !== 'string') throw new Error(`== of string and ${typeof b}`);
  return a === b;
}

export function evalKql(node: SyntaxNode, row: Row): KValue {
  const kind = kindName(node);
  const child = (i: number) => node.GetChild(i);
  switch (kind) {
    case 'ParenthesizedExpression':
      return evalKql(child(1), row);
    case 'AndExpression':
      return and3(evalKql(child(0), row), () => evalKql(child(2), row));
    case 'OrExpression':
      return or3(evalKql(child(0), row), () => evalKql(child(2), row));
    case 'NameReference': {
      const name = node.SimpleName as string;
      if (!(name in row)) throw new Error(`unknown column ${name}`);
      return row[name]!;
    }
    case 'StringLiteralExpression':
    case 'LongLiteralExpression':
    case 'RealLiteralExpression':
    case 'BooleanLiteralExpression':
      return literalValue(node) as KValue;
    case 'FunctionCallExpression':
      return call(node, row);
    case 'UnaryMinusExpression': {
      const v = evalKql(child(1), row);
      return v === null ? null : -(v as number);
    }
  }
  if (node.ChildCount === 3 && child(1).IsToken) return binary(child(1).Text as string, child(0), child(2), row);
  throw new Error(`unsupported KQL node ${kind}`);
}

function binary(op: string, leftNode: SyntaxNode, rightNode: SyntaxNode, row: Row): KValue {
  const star = kindName(leftNode) === 'StarExpression';
  const test = (left: KValue): KValue => binaryValue(op, left, rightNode, row);
  if (star) {
    // `* op value`: true when any column satisfies it (as text).
    let result: KValue = false;
    for (const v of Object.values(row)) {
      const r = test(str(v));
      if (r === true) return true;
      if (r === null) result = null;
    }
    return result;
  }
  return test(evalKql(leftNode, row));
}

/** The values of an `(a, b, …)` list: ExpressionList → ( List of SeparatedElement ). */
function listValues(node: SyntaxNode, row: Row): KValue[] {
  const list = node.GetChild(1);
  const out: KValue[] = [];
  for (let i = 0; i < list.ChildCount; i++) out.push(evalKql(list.GetChild(i).GetChild(0), row));
  return out;
}

function binaryValue(op: string, left: KValue, rightNode: SyntaxNode, row: Row): KValue {
  if (/^!?in~?$/.test(op)) {
    const values = listValues(rightNode, row);
    const insensitive = op.endsWith('~');
    // `in` is equality with any element: a null operand equals nothing (documented for ==).
    const hit = left !== null && values.some((v) => (insensitive ? lower(str(v)) === lower(str(left)) : v === left));
    return op.startsWith('!') ? !hit : hit;
  }
  const right = evalKql(rightNode, row);
  const negate = op.startsWith('!') && op !== '!=' && op !== '!~';
  const base = negate ? op.slice(1) : op;
  let r: KValue;
  switch (base) {
    case '==':
      r = equal(left, right);
      break;
    case '!=':
      r = not3(equal(left, right));
      if (left === null && right !== null) r = true;
      break;
    case '=~':
      r = lower(str(left)) === lower(str(right));
      break;
    case '!~':
      r = lower(str(left)) !== lower(str(right));
      break;
    case '<':
      r = compare(left, right, (x, y) => x < y);
      break;
    case '<=':
      r = compare(left, right, (x, y) => x <= y);
      break;
    case '>':
      r = compare(left, right, (x, y) => x > y);
      break;
    case '>=':
      r = compare(left, right, (x, y) => x >= y);
      break;
    case 'contains':
      r = lower(str(left)).includes(lower(str(right)));
      break;
    case 'contains_cs':
      r = str(left).includes(str(right));
      break;
    case 'startswith':
      r = lower(str(left)).startsWith(lower(str(right)));
      break;
    case 'startswith_cs':
      r = str(left).startsWith(str(right));
      break;
    case 'endswith':
      r = lower(str(left)).endsWith(lower(str(right)));
      break;
    case 'endswith_cs':
      r = str(left).endsWith(str(right));
      break;
    case 'has':
      r = hasTerm(lower(str(left)), lower(str(right)));
      break;
    case 'has_cs':
      r = hasTerm(str(left), str(right));
      break;
    case 'matches regex':
      r = re(str(right)).matcher(str(left)).find();
      break;
    default:
      throw new Error(`unsupported operator ${op}`);
  }
  return negate ? not3(r) : r;
}

const parts: Record<string, 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year'> = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week_of_year: 'week',
  month: 'month',
  year: 'year',
};

function call(node: SyntaxNode, row: Row): KValue {
  const name = node.GetChild(0).SimpleName as string;
  const args: SyntaxNode[] = [];
  const list = node.GetChild(1).GetChild(1);
  for (let i = 0; i < list.ChildCount; i++) args.push(list.GetChild(i).GetChild(0));
  const arg = (i: number) => evalKql(args[i], row);
  switch (name) {
    case 'not':
      return not3(arg(0));
    case 'isempty': {
      const v = arg(0);
      return v === null || v === '';
    }
    case 'isnotempty': {
      const v = arg(0);
      return !(v === null || v === '');
    }
    case 'isnull':
      return isNull(arg(0));
    case 'isnotnull':
      return !isNull(arg(0));
    case 'tostring':
      return str(arg(0));
    case 'toreal':
      return toReal(arg(0));
    case 'tolower':
      return lower(str(arg(0)));
    case 'reverse':
      return [...str(arg(0))].reverse().join('');
    case 'strcat':
      return args.map((_, i) => str(arg(i))).join('');
    case 'indexof':
      return str(arg(0)).indexOf(str(arg(1)));
    case 'iff':
      return arg(0) === true ? arg(1) : arg(2);
    case 'todatetime': {
      const v = arg(0);
      return v === null || v === '' ? null : (v as string | number);
    }
    case 'datetime_part': {
      const part = parts[str(arg(0)).toLowerCase()];
      const v = arg(1);
      if (!part || v === null) return null;
      return timestampPart(v, part) ?? null;
    }
    case 'ipv4_is_in_range':
      return inRange(4, arg(0), arg(1));
    case 'ipv6_is_in_range':
      return inRange(6, arg(0), arg(1));
    default:
      throw new Error(`unsupported function ${name}`);
  }
}

/** Whether `T | where <condition>` keeps the row. */
export function kqlKeeps(query: string, row: Row): boolean {
  const { syntax, diagnostics } = parse(query);
  if (diagnostics.length) throw new Error(`${query}: ${diagnostics.map((d) => d.message).join('; ')}`);
  return evalKql(whereCondition(syntax), row) === true;
}

const parsedConditions = new Map<string, SyntaxNode>();
/** The parsed condition of a query, cached (the semantic tests evaluate one query on many rows). */
export function condition(query: string): SyntaxNode {
  let c = parsedConditions.get(query);
  if (!c) {
    const { syntax, diagnostics } = parse(query);
    if (diagnostics.length) throw new Error(`${query}: ${diagnostics.map((d) => d.message).join('; ')}`);
    c = whereCondition(syntax);
    parsedConditions.set(query, c);
  }
  return c;
}
