// Three-valued logic. In KQL and EQL a predicate on a missing value can be null rather than false,
// and `not(null)` is null, so `selection and not filter` silently drops events that lack the
// filter's field, which Sigma keeps. Kleene logic is regular (a definite result stays definite
// whatever an unknown turns out to be), so a null only changes the outcome where a predicate sits
// under an odd number of negations. There each nullable predicate P becomes `guard and P`, where
// the guard is two-valued and false exactly when P would be null: the negation then sees false.
import { and, not, or } from '../ir/build.js';
import { visit, type Expr, type Pred } from '../ir/types.js';

/** `guard(p)` returns the two-valued condition under which p is not null (e.g. the field is
 *  present), or undefined when p is never null in the target. */
export function guardNegatedNullables(expr: Expr, guard: (p: Pred) => Expr | undefined): Expr {
  const walk = (e: Expr, negated: boolean): Expr =>
    visit<Expr>(e, {
      const: (n) => n,
      pred: (p) => {
        if (!negated) return p;
        const g = guard(p);
        return g ? and(g, p) : p;
      },
      not: (n) => {
        const arg = walk(n.arg, !negated);
        return arg === n.arg ? n : not(arg);
      },
      and: (n) => {
        const args = n.args.map((a) => walk(a, negated));
        return args.every((a, i) => a === n.args[i]) ? n : and(...args);
      },
      or: (n) => {
        const args = n.args.map((a) => walk(a, negated));
        return args.every((a, i) => a === n.args[i]) ? n : or(...args);
      },
    });
  return walk(expr, false);
}
