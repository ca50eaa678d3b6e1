// What every value transformation shares: its factory type, and the one way to refuse. Each
// transformation is exact or refuses: one that would widen or narrow what a predicate selects
// raises an error naming the rule location, never a silently different query.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import type { Expr, Pred } from '../../ir/types.js';
import type { TransformContext } from '../types.js';

/** A transformation's factory: its arguments (from the pipeline file, located) → the function
 *  that maps one predicate. */
export type TransformFactory = (args: unknown, span: Span | undefined) => (pred: Pred, context: TransformContext) => Expr;

/** Predicates that say nothing about the value (presence only) pass through every transform. */
export function isPresenceOnly(p: Pred): boolean {
  return p.op === 'exists' || p.op === 'null';
}

export function cannot(p: Pred, context: TransformContext, transform: string, why: string): never {
  throw new RulecastError(
    'lossy-mapping',
    `field '${context.originalField}' ${context.source ? `in ${context.source} ` : ''}${why}, so this condition cannot be expressed exactly (pipeline ${context.pipeline}, transform ${transform})`,
    p.span,
  );
}

/** A transformation's arguments that must be a mapping. */
export function argsObject(name: string, args: unknown, span: unknown): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', `the '${name}' transform needs a mapping as its argument`, span as never);
  }
  return args as Record<string, unknown>;
}
