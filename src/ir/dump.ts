// A stable JSON form of the IR for golden files and structural comparison. Key order is fixed by
// construction; source spans are left out, so reformatting a rule does not change its dump.
import { patternToSigma } from './pattern.js';
import { visit, visitPred, type Expr, type PatternPart, type Pred } from './types.js';

export type IrJson =
  | { and: IrJson[] }
  | { or: IrJson[] }
  | { not: IrJson }
  | { const: boolean }
  | PredJson;

export interface PredJson {
  op: Pred['op'];
  field: string | null;
  value?: unknown;
  cased?: true;
  timePart?: string;
}

export function predToJson(p: Pred): PredJson {
  const out: PredJson = { op: p.op, field: p.field };
  const value = visitPred<unknown>(p, {
    eq: (q) => q.value,
    contains: (q) => q.value,
    startswith: (q) => q.value,
    endswith: (q) => q.value,
    has: (q) => q.value,
    wildcard: (q) => patternToSigma(q.value),
    re: (q) => ({ pattern: q.value.pattern, flags: `${q.value.flags.m ? 'm' : ''}${q.value.flags.s ? 's' : ''}` }),
    cidr: (q) => q.value.network,
    lt: (q) => q.value,
    lte: (q) => q.value,
    gt: (q) => q.value,
    gte: (q) => q.value,
    exists: () => undefined,
    null: () => undefined,
    fieldref: (q) => (q.value.match === 'eq' ? q.value.field : { field: q.value.field, match: q.value.match }),
  });
  if (value !== undefined) out.value = value;
  if (p.cased) out.cased = true;
  if (p.op === 'eq' && p.timePart) out.timePart = p.timePart;
  return out;
}

export function toJson(expr: Expr): IrJson {
  return visit<IrJson>(expr, {
    and: (n) => ({ and: n.args.map(toJson) }),
    or: (n) => ({ or: n.args.map(toJson) }),
    not: (n) => ({ not: toJson(n.arg) }),
    const: (n) => ({ const: n.value }),
    pred: predToJson,
  });
}

/** Pretty, stable text for golden files. */
export function dumpIr(expr: Expr): string {
  return `${JSON.stringify(toJson(expr), null, 2)}\n`;
}

const keys = new WeakMap<Expr, string>();

/** A compact key: two expressions with the same key are the same tree. Nodes are immutable, so a
 *  node's key is computed once and reused by every tree that shares the node. */
export function irKey(expr: Expr): string {
  let key = keys.get(expr);
  if (key === undefined) {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        let text = expr.kind === 'and' ? '&(' : '|(';
        for (let i = 0; i < expr.args.length; i++) text += (i ? ',' : '') + irKey(expr.args[i]!);
        key = `${text})`;
        break;
      }
      case 'not':
        key = `!(${irKey(expr.arg)})`;
        break;
      case 'const':
        key = String(expr.value);
        break;
      case 'pred':
        key = predKey(expr);
    }
    keys.set(expr, key);
  }
  return key;
}

/** A predicate's key without building its JSON form (this runs for every predicate of every rule). */
function predKey(p: Pred): string {
  let value: string;
  switch (p.op) {
    case 'wildcard':
      value = patternToSigma(p.value);
      break;
    case 're':
      value = `${p.value.flags.m ? 'm' : ''}${p.value.flags.s ? 's' : ''}/${p.value.pattern}`;
      break;
    case 'cidr':
      value = p.value.network;
      break;
    case 'fieldref':
      value = `${p.value.match}:${p.value.field}`;
      break;
    case 'exists':
    case 'null':
      value = '';
      break;
    default:
      value = `${typeof p.value}:${String(p.value)}`;
  }
  return `${p.op}\u0000${p.field ?? '\u0001'}\u0000${p.cased ? 1 : 0}\u0000${p.op === 'eq' && p.timePart ? p.timePart : ''}\u0000${value}`;
}

/** Whether two predicates are the same (what equal keys mean), without building the keys. */
export function samePred(a: Pred, b: Pred): boolean {
  if (a.op !== b.op || a.field !== b.field || a.cased !== b.cased) return false;
  if (a.op === 'eq' && (a.timePart ?? '') !== ((b as typeof a).timePart ?? '')) return false;
  switch (a.op) {
    case 'wildcard': {
      const x = a.value.parts;
      const y = (b as typeof a).value.parts;
      return x.length === y.length && x.every((part, i) => samePart(part, y[i]!));
    }
    case 're': {
      const y = (b as typeof a).value;
      return a.value.pattern === y.pattern && a.value.flags.m === y.flags.m && a.value.flags.s === y.flags.s;
    }
    case 'cidr':
      return a.value.network === (b as typeof a).value.network;
    case 'fieldref':
      return a.value.field === (b as typeof a).value.field && a.value.match === (b as typeof a).value.match;
    case 'exists':
    case 'null':
      return true;
    default:
      // Scalars: the key compares type and text, so 1 and '1' differ, as === says (NaN aside).
      return a.value === (b as typeof a).value || (Number.isNaN(a.value) && Number.isNaN((b as typeof a).value));
  }
}

function samePart(a: PatternPart, b: PatternPart): boolean {
  return a === b || (typeof a !== 'string' && typeof b !== 'string' && a.wildcard === b.wildcard);
}
