// Builders: the only way nodes are made, so every node is frozen.
import { pattern as normalisePattern, patternLiteral } from './pattern.js';
import type { Span } from '../diagnostics/source.js';
import {
  STAR,
  type And,
  type Const,
  type Expr,
  type Not,
  type Or,
  type Pattern,
  type Pred,
} from './types.js';

export const TRUE: Const = Object.freeze({ kind: 'const', value: true });
export const FALSE: Const = Object.freeze({ kind: 'const', value: false });

/** Conjunction; one argument is returned as is, none is TRUE. */
export function and(...args: Expr[]): Expr {
  if (args.length === 0) return TRUE;
  if (args.length === 1) return args[0]!;
  return Object.freeze({ kind: 'and', args: Object.freeze([...args]) }) as And;
}

/** Disjunction; one argument is returned as is, none is FALSE. */
export function or(...args: Expr[]): Expr {
  if (args.length === 0) return FALSE;
  if (args.length === 1) return args[0]!;
  return Object.freeze({ kind: 'or', args: Object.freeze([...args]) }) as Or;
}

export function not(arg: Expr): Expr {
  return Object.freeze({ kind: 'not', arg }) as Not;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type PredInit = DistributiveOmit<Pred, 'kind' | 'cased'> & { cased?: boolean };

export function pred(init: PredInit): Pred {
  return makePred(init, init.field);
}

/** The same predicate on another field (the predicate itself when the field is the same). */
export function withField(p: Pred, field: string | null): Pred {
  return p.field === field ? p : makePred(p, field);
}

// Built property by property rather than spread and pruned: `delete` would turn every predicate
// into a slow dictionary-mode object, and this runs for every predicate made.
function makePred(init: PredInit | Pred, field: string | null): Pred {
  const node: Record<string, unknown> = { kind: 'pred', op: init.op, field };
  if ('value' in init) node.value = init.value;
  node.cased = init.cased ?? false;
  if (init.span !== undefined) node.span = init.span;
  if ('timePart' in init && init.timePart !== undefined) node.timePart = init.timePart;
  return Object.freeze(node) as unknown as Pred;
}

/**
 * The canonical predicate for a string pattern on a field: no wildcard → `eq`; a single leading
 * and/or trailing `*` around a literal → `endswith`/`startswith`/`contains`; anything else
 * (a `?`, or a `*` in the middle) → an anchored `wildcard` match. Backends then only meet the
 * general `wildcard` operator when no simpler one says the same.
 */
export function stringPred(field: string | null, value: Pattern, cased: boolean, span?: Span): Pred {
  const p = normalisePattern(value.parts);
  const parts = p.parts;
  const literal = patternLiteral(p);
  if (literal !== undefined) return pred({ op: 'eq', field, value: literal, cased, span });
  if (parts.length === 1 && parts[0] === STAR) return pred({ op: 'contains', field, value: '', cased, span });
  const inner = (from: number, to: number): string | undefined => {
    const middle = parts.slice(from, to);
    return middle.length === 1 && typeof middle[0] === 'string' ? middle[0] : undefined;
  };
  const leading = parts[0] === STAR;
  const trailing = parts[parts.length - 1] === STAR;
  if (leading && trailing) {
    const lit = inner(1, parts.length - 1);
    if (lit !== undefined) return pred({ op: 'contains', field, value: lit, cased, span });
  } else if (trailing) {
    const lit = inner(0, parts.length - 1);
    if (lit !== undefined) return pred({ op: 'startswith', field, value: lit, cased, span });
  } else if (leading) {
    const lit = inner(1, parts.length);
    if (lit !== undefined) return pred({ op: 'endswith', field, value: lit, cased, span });
  }
  return pred({ op: 'wildcard', field, value: p, cased, span });
}
