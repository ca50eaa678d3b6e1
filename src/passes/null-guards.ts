// Pass null-guards. Three-valued logic: in SPL's eval and in EQL a predicate on a missing value can
// be null rather than false, and `not(null)` is null, so `selection and not filter` silently drops events that lack the
// filter's field, which Sigma keeps. Kleene logic is regular (a definite result stays definite
// whatever an unknown turns out to be), so a null only changes the outcome where a predicate sits
// under an odd number of negations. There each nullable predicate P becomes `guard and P`, where
// the guard is two-valued and false exactly when P would be null: the negation then sees false.
import { and, not } from '../ir/build.js';
import { mapArgs } from '../ir/passes.js';
import type { Expr, Pred } from '../ir/types.js';

/** `guard(p)` returns the two-valued condition under which p is not null (e.g. the field is
 *  present), or undefined when p is never null in the target. Unchanged subtrees (all of those
 *  without a negation) are returned as they are, without copying. */
export function guardNegatedNullables(expr: Expr, guard: (p: Pred) => Expr | undefined): Expr {
  const walk = (e: Expr, negated: boolean): Expr => {
    switch (e.kind) {
      case 'const':
        return e;
      case 'pred': {
        if (!negated) return e;
        const g = guard(e);
        return g ? and(g, e) : e;
      }
      case 'not': {
        const arg = walk(e.arg, !negated);
        return arg === e.arg ? e : not(arg);
      }
      case 'and':
      case 'or':
        return mapArgs(e, (a) => walk(a, negated));
    }
  };
  return walk(expr, false);
}
