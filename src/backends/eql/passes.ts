// The IR passes the EQL backend runs on every expression it renders, in this order. Elasticsearch
// evaluates in three-valued logic: a comparison on a missing (or null) field is null, and `not
// null` is null, so `selection and not filter` would drop every event that lacks the filter's
// field, which Sigma keeps. The guard `?f != null` is false exactly when a predicate on f would be
// null; under odd negation it makes the negation see false.
import { not, pred } from '../../ir/build.js';
import { simplify } from '../../ir/passes.js';
import type { Pred } from '../../ir/types.js';
import { emptyPatternsAsPresence } from '../../passes/empty-patterns.js';
import { hoistGuardsPass } from '../../passes/hoist-guards.js';
import type { Pass } from '../../passes/index.js';
import { guardNegatedNullables } from '../../passes/null-guards.js';

/** `?f != null`, for every predicate with a field but presence tests. */
function presenceGuard(p: Pred) {
  return p.field !== null && p.op !== 'null' && p.op !== 'exists' ? not(pred({ op: 'null', field: p.field })) : undefined;
}

export const eqlPasses: readonly Pass[] = [
  { name: 'empty-patterns', run: (e) => simplify(emptyPatternsAsPresence(e)) },
  { name: 'null-guards', run: (e) => simplify(guardNegatedNullables(e, presenceGuard)) },
  { name: 'hoist-guards', run: hoistGuardsPass },
];
