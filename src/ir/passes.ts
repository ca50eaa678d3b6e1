// IR → IR passes that keep meaning exactly.
import { and, FALSE, not, or, TRUE } from './build.js';
import { irKey } from './dump.js';
import { visit, type Expr, type Pred } from './types.js';

/**
 * Flattens nested and/or, folds constants, removes double negation and duplicate siblings, and
 * unwraps single-child groups. Sibling order is kept, so output stays recognisable.
 */
export function simplify(expr: Expr): Expr {
  return visit<Expr>(expr, {
    const: (n) => n,
    pred: (n) => n,
    not: (n) => {
      const arg = simplify(n.arg);
      if (arg.kind === 'const') return arg.value ? FALSE : TRUE;
      if (arg.kind === 'not') return arg.arg;
      return arg === n.arg ? n : not(arg);
    },
    and: (n) => combine('and', n.args),
    or: (n) => combine('or', n.args),
  });
}

function combine(kind: 'and' | 'or', args: readonly Expr[]): Expr {
  const identity = kind === 'and';
  const out: Expr[] = [];
  const seen = new Set<string>();
  const push = (e: Expr): boolean => {
    if (e.kind === 'const') return e.value === identity; // false → short-circuit
    if (e.kind === kind) {
      for (const inner of e.args) if (!push(inner)) return false;
      return true;
    }
    const key = irKey(e);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
    return true;
  };
  for (const arg of args) {
    if (!push(simplify(arg))) return identity ? FALSE : TRUE;
  }
  return kind === 'and' ? and(...out) : or(...out);
}

/** Every predicate of an expression, in order. */
export function predicates(expr: Expr): Pred[] {
  const out: Pred[] = [];
  const walk = (e: Expr): void => {
    visit<void>(e, {
      const: () => {},
      pred: (p) => void out.push(p),
      not: (n) => walk(n.arg),
      and: (n) => n.args.forEach(walk),
      or: (n) => n.args.forEach(walk),
    });
  };
  walk(expr);
  return out;
}

/** Rewrites every predicate with `fn` (which may return any expression), rebuilding only the
 *  parts that changed. Pipelines use it to rename fields and transform values. */
export function mapPredicates(expr: Expr, fn: (p: Pred) => Expr): Expr {
  return visit<Expr>(expr, {
    const: (n) => n,
    pred: (p) => fn(p),
    not: (n) => {
      const arg = mapPredicates(n.arg, fn);
      return arg === n.arg ? n : not(arg);
    },
    and: (n) => rebuild(n.args, fn, and) ?? n,
    or: (n) => rebuild(n.args, fn, or) ?? n,
  });
}

function rebuild(
  args: readonly Expr[],
  fn: (p: Pred) => Expr,
  make: (...args: Expr[]) => Expr,
): Expr | undefined {
  let changed = false;
  const next = args.map((a) => {
    const b = mapPredicates(a, fn);
    if (b !== a) changed = true;
    return b;
  });
  return changed ? make(...next) : undefined;
}
