// Pass common-conjuncts: or(e1, e2, …) with the conjuncts every ei shares taken out,
// `(c and r1) or (c and r2)` = `c and (r1 or r2)` (distributivity, which holds in Kleene's logic
// too). Branches of one table that differ only in their log source's condition (file_event,
// file_delete… on DeviceFileEvents) become `ActionType in~ (…) and <detection>`; the exclusions a
// tuned rule adds to every branch of a union come out once.
import { andOf, orOf } from '../ir/build.js';
import { irKey } from '../ir/dump.js';
import { simplify } from '../ir/passes.js';
import type { Expr } from '../ir/types.js';

export function commonConjuncts(exprs: readonly Expr[]): Expr {
  if (exprs.length === 1) return exprs[0]!;
  const conjuncts = exprs.map((e) => (e.kind === 'and' ? e.args : [e]));
  const keys = conjuncts.map((list) => new Set(list.map(irKey)));
  const common = conjuncts[0]!.filter((c) => keys.every((k) => k.has(irKey(c))));
  const commonKeys = new Set(common.map(irKey));
  const residuals = conjuncts.map((list) => andOf(list.filter((c) => !commonKeys.has(irKey(c)))));
  return simplify(andOf([orOf(residuals), ...common]));
}
