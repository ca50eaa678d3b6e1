// Builders: the only way nodes are made, so every node is frozen.
import { pattern as normalisePattern } from './pattern.js';
import type { Span } from '../diagnostics/source.js';
import {
  ONE,
  STAR,
  type And,
  type Const,
  type Expr,
  type Not,
  type Or,
  type Pattern,
  type PatternPart,
  type Pred,
} from './types.js';

export const TRUE: Const = Object.freeze({ kind: 'const', value: true });
export const FALSE: Const = Object.freeze({ kind: 'const', value: false });

/** Conjunction; one argument is returned as is, none is TRUE. For a computed list use andOf:
 *  spreading an array into arguments puts every element on the stack, which overflows past about
 *  100,000 of them. */
export function and(...args: Expr[]): Expr {
  if (args.length === 0) return TRUE;
  if (args.length === 1) return args[0]!;
  // A rest parameter is a fresh array already: freezing it needs no copy.
  return Object.freeze({ kind: 'and', args: Object.freeze(args) }) as And;
}

/** Disjunction; one argument is returned as is, none is FALSE. For a computed list use orOf. */
export function or(...args: Expr[]): Expr {
  if (args.length === 0) return FALSE;
  if (args.length === 1) return args[0]!;
  return Object.freeze({ kind: 'or', args: Object.freeze(args) }) as Or;
}

/** and() of an array of any length. A frozen array (another node's operands) is shared; any
 *  other is copied, so the caller may go on using its own. */
export function andOf(args: readonly Expr[]): Expr {
  if (args.length === 0) return TRUE;
  if (args.length === 1) return args[0]!;
  return Object.freeze({ kind: 'and', args: frozenCopy(args) }) as And;
}

/** or() of an array of any length (see andOf). */
export function orOf(args: readonly Expr[]): Expr {
  if (args.length === 0) return FALSE;
  if (args.length === 1) return args[0]!;
  return Object.freeze({ kind: 'or', args: frozenCopy(args) }) as Or;
}

function frozenCopy(args: readonly Expr[]): readonly Expr[] {
  return Object.isFrozen(args) ? args : Object.freeze(args.slice());
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

// Every predicate has the same properties in the same order (absent ones undefined), so V8 gives
// them all one hidden class: the code that reads predicates (every pass and backend) then sees one
// shape instead of a handful, which keeps its property accesses fast. No spread, no `delete`.
function makePred(init: PredInit | Pred, field: string | null): Pred {
  const { value, timePart } = init as { value?: unknown; timePart?: unknown };
  return Object.freeze({ kind: 'pred', op: init.op, field, value, cased: init.cased ?? false, span: init.span, fieldSpan: init.fieldSpan, timePart }) as unknown as Pred;
}

/**
 * The canonical predicate for a string pattern on a field: no wildcard → `eq`; a single leading
 * and/or trailing `*` around a literal → `endswith`/`startswith`/`contains`; anything else
 * (a `?`, or a `*` in the middle) → an anchored `wildcard` match. Backends then only meet the
 * general `wildcard` operator when no simpler one says the same.
 */
export function stringPred(field: string | null, value: Pattern, cased: boolean, span?: Span, fieldSpan?: Span): Pred {
  // Lowering mostly hands over patterns in normal form already; normalising copies them.
  const p = isNormalPattern(value.parts) ? value : normalisePattern(value.parts);
  const parts = p.parts;
  // Indexed, not destructured: destructuring goes through the iterator protocol (garbage per call).
  const first = parts[0];
  const second = parts[1];
  const third = parts[2];
  // In normal form a pattern without wildcards is at most one literal, and a `*` is never doubled.
  switch (parts.length) {
    case 0:
      return pred({ op: 'eq', field, value: '', cased, span, fieldSpan });
    case 1:
      if (typeof first === 'string') return pred({ op: 'eq', field, value: first, cased, span, fieldSpan });
      if (first === STAR) return pred({ op: 'contains', field, value: '', cased, span, fieldSpan });
      break;
    case 2:
      if (typeof first === 'string' && second === STAR) return pred({ op: 'startswith', field, value: first, cased, span, fieldSpan });
      if (first === STAR && typeof second === 'string') return pred({ op: 'endswith', field, value: second, cased, span, fieldSpan });
      break;
    case 3:
      if (first === STAR && typeof second === 'string' && third === STAR) return pred({ op: 'contains', field, value: second, cased, span, fieldSpan });
      break;
  }
  return pred({ op: 'wildcard', field, value: p, cased, span, fieldSpan });
}

/** Whether parts are what `pattern()` would make of them: no empty or adjacent literals, no `**`,
 *  wildcards as the shared STAR/ONE objects. */
function isNormalPattern(parts: readonly PatternPart[]): boolean {
  let previous: PatternPart | undefined;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (typeof part === 'string') {
      if (part === '' || typeof previous === 'string') return false;
    } else if (part === STAR) {
      if (previous === STAR) return false;
    } else if (part !== ONE) {
      return false;
    }
    previous = part;
  }
  return true;
}
