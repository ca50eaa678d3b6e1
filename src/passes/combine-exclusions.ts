// Pass combine-exclusions: a tuned branch is `detection and not e1 and not e2 …`, composed on the IR
// so no backend needs to know about exclusions (the output formats name them in comments, from the
// query's exclusions).
import { andOf, not } from '../ir/build.js';
import { simplify } from '../ir/passes.js';
import type { Branch } from '../pipelines/types.js';

export function combineExclusions(b: Branch): Branch {
  if (b.exclusions.length === 0) return b;
  return { ...b, expr: simplify(andOf([b.expr, ...b.exclusions.map((e) => not(e.expr))])), exclusions: [] };
}
