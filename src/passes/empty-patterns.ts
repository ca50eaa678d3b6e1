// Pass empty-patterns: `contains ''` (Sigma's value `*`; also startswith/endswith of '') holds for
// any present value at all: written as a presence test, `not(null f)`, which needs no null guard.
// Unchanged subtrees (nearly all) are returned as they are.
import { not, pred } from '../ir/build.js';
import { mapPredicates } from '../ir/passes.js';
import type { Expr } from '../ir/types.js';

export function emptyPatternsAsPresence(e: Expr): Expr {
  return mapPredicates(e, (p) =>
    (p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith') && p.value === '' && p.field !== null ? not(pred({ op: 'null', field: p.field, span: p.span })) : p,
  );
}
