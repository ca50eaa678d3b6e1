// IR → IR passes: each a named function with its own spec, in a file of its own. Every one keeps the
// meaning of the expression exactly, in the logic its spec names. The order they run in is declared
// in one place per caller: the conversion driver (src/app/targets.ts: after the pipelines, for
// every target) and each backend's own list (src/backends/<target>/passes.ts), run by the backend
// on the expressions it renders.
//
//   combine-exclusions   detection and not e1 and not e2 … for one branch            (driver)
//   simplify             flatten and/or, fold constants, drop double negation and
//                        duplicate siblings (src/ir/passes.ts, used by most passes)   (driver)
//   common-conjuncts     or(e1, e2 …) with the conjuncts every ei shares taken out  (KQL, EQL)
//   null-guards          `guard and P` for each nullable P under odd negation       (SPL where, EQL)
//   empty-patterns       `contains ''` as a presence test                           (EQL)
//   hoist-guards         guards moved out to where they read well                   (EQL)
import type { Expr } from '../ir/types.js';

export interface Pass {
  /** As listed above. */
  readonly name: string;
  readonly run: (expr: Expr) => Expr;
}

/** The passes in order, each on the result of the one before. */
export function runPasses(passes: readonly Pass[], expr: Expr): Expr {
  let e = expr;
  for (let i = 0; i < passes.length; i++) e = passes[i]!.run(e);
  return e;
}
