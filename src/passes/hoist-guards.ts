// Pass hoist-guards (EQL's guards, read like an analyst writes them). After null-guards, each
// nullable predicate under odd negation carries `?f != null` (written `not(null f)` in the IR).
// Guards shared by the branches of an `or` are factored out, and a negated conjunction with guards
// becomes `?f == null or not (…)`. Both rewrites are distributivity and De Morgan, which hold in
// Kleene's logic, so the result means the same. Input and output are simplified expressions.
import { andOf, not, orOf, TRUE } from '../ir/build.js';
import { simplify } from '../ir/passes.js';
import type { Expr, Not, Pred } from '../ir/types.js';

/** The pass on a simplified expression. */
export function hoistGuardsPass(expr: Expr): Expr {
  return simplify(hoistGuards(expr, true));
}

/** `?f != null`: not(null f). */
export function isGuard(e: Expr): e is Not {
  return e.kind === 'not' && e.arg.kind === 'pred' && e.arg.op === 'null';
}

/** Guards with the same key are the same condition (`?f != null`); the key distinguishes what
 *  irKey would (field and case flag) without building the predicate's whole key. */
function guardKey(g: Not): string {
  const p = g.arg as Pred;
  return `${p.cased ? 1 : 0}${p.field ?? '\u0001'}`;
}

function guardsOf(e: Expr): Not[] {
  if (isGuard(e)) return [e];
  if (e.kind === 'and') return e.args.filter(isGuard);
  return [];
}

/** guardsOf(e).length > 0, without building the list. */
function hasGuards(e: Expr): boolean {
  return isGuard(e) || (e.kind === 'and' && e.args.some(isGuard));
}

function withoutGuards(e: Expr, keys: ReadonlySet<string>): Expr {
  if (isGuard(e) && keys.has(guardKey(e))) return TRUE;
  if (e.kind === 'and') return andOf(e.args.filter((a) => !(isGuard(a) && keys.has(guardKey(a)))));
  return e;
}

/** hoistGuards of each argument, or undefined when every one came back unchanged (most subtrees
 *  hold no guard, and allocating a copy of each node would dominate the pass). */
function hoistedArgs(args: readonly Expr[], simplified: boolean): Expr[] | undefined {
  let out: Expr[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const h = hoistGuards(a, simplified);
    if (out === undefined) {
      if (h === a) continue;
      out = args.slice(0, i);
    }
    out.push(h);
  }
  return out;
}

/**
 * Moves guards out to where they read well (see prepareExpr). `simplified`: the node is part of a
 * simplified tree (so are its descendants); the rewrites below build fresh nodes that are not.
 * Where nothing changes below a node and the node itself offers nothing to hoist, the node is
 * returned (simplified) rather than rebuilt: `simplify(n)` is what rebuilding it from the same
 * arguments and simplifying would give, and a simplified node is its own simplification.
 */
function hoistGuards(expr: Expr, simplified: boolean): Expr {
  switch (expr.kind) {
    case 'const':
    case 'pred':
      return expr;
    case 'and': {
      const args = hoistedArgs(expr.args, simplified);
      if (args === undefined) return simplified ? expr : simplify(expr);
      return simplify(andOf(args));
    }
    case 'or': {
      const changed = hoistedArgs(expr.args, simplified);
      if (!(changed ?? expr.args).some(hasGuards)) {
        if (changed === undefined) return simplified ? expr : simplify(expr);
        return simplify(orOf(changed));
      }
      return hoistOr(changed ?? [...expr.args]);
    }
    case 'not': {
      const arg = hoistGuards(expr.arg, simplified);
      // not (a or b), where the branches keep guards of their own: (not a) and (not b), each then
      // `?f == null or not …`.
      if (arg.kind === 'or' && arg.args.some(hasGuards)) return simplify(andOf(arg.args.map((a) => hoistGuards(not(a), false))));
      if (!hasGuards(arg) || isGuard(arg)) {
        if (arg === expr.arg) return simplified ? expr : simplify(expr);
        return simplify(not(arg));
      }
      const guards = guardsOf(arg);
      const rest = arg.kind === 'and' ? arg.args.filter((a) => !isGuard(a)) : [];
      return simplify(orOf([...guards.map((g) => g.arg), ...(rest.length ? [not(andOf(rest))] : [])]));
    }
  }
}

/** An `or` whose (hoisted) branches carry guards. Guards shared by every branch come out in front
 *  of the `or`; branches that share the same guards are grouped under them (a or b) where the
 *  first of them stood. */
function hoistOr(args: readonly Expr[]): Expr {
  const sets = args.map((a) => new Set(guardsOf(a).map(guardKey)));
  const common = guardsOf(args[0]!).filter((g) => sets.every((s) => s.has(guardKey(g))));
  if (common.length > 0 && args.length > 1) {
    const keys = new Set(common.map(guardKey));
    return simplify(andOf([...common, hoistGuards(orOf(args.map((a) => withoutGuards(a, keys))), false)]));
  }
  const groups = new Map<string, Expr[]>();
  const order: (Expr | string)[] = [];
  args.forEach((a, i) => {
    const key = [...sets[i]!].sort().join('\u0000');
    if (key === '') return void order.push(a);
    const g = groups.get(key);
    if (g) g.push(a);
    else {
      groups.set(key, [a]);
      order.push(key);
    }
  });
  return simplify(
    orOf(
      order.map((x) => {
        if (typeof x !== 'string') return x;
        const members = groups.get(x)!;
        if (members.length === 1) return members[0]!;
        const guards = guardsOf(members[0]!);
        const keys = new Set(guards.map(guardKey));
        return andOf([...guards, orOf(members.map((a) => withoutGuards(a, keys)))]);
      }),
    ),
  );
}
