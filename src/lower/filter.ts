// Sigma meta filter (specification "Sigma Filters") → IR.
//
// pySigma applies a filter by ANDing its condition C to the condition of every rule it names:
// `rule AND C`. Filters are therefore written `condition: not selection`, and C says which events
// to KEEP. As an exclusion (what to REMOVE, so that the tuned rule is `rule AND NOT exclusion`)
// a filter is `not(C)`.
import { RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { not } from '../ir/build.js';
import { simplify } from '../ir/passes.js';
import type { Expr } from '../ir/types.js';
import type { SigmaFilter } from '../rule/types.js';
import { lowerConditions } from './condition.js';
import type { DetectionContext } from './detection.js';
import type { LowerOptions } from './index.js';

export interface LoweredFilter {
  /** The filter's condition C, as pySigma ANDs it to a rule. */
  readonly condition: Expr;
  /** not(C), simplified: the events the filter removes from a rule's results. */
  readonly exclusion: Expr;
  readonly diagnostics: readonly Diagnostic[];
}

/** Lowers a filter's detection. Throws RulecastError on the first error; warnings are returned. */
export function lowerFilter(filter: SigmaFilter, options: LowerOptions = {}): LoweredFilter {
  const diagnostics: Diagnostic[] = [];
  const ctx: DetectionContext = { source: filter.source, placeholders: options.placeholders, diagnostics };
  const condition = simplify(lowerConditions(ctx, filter.detection));
  const firstError = diagnostics.find((d) => d.severity === 'error');
  if (firstError) throw RulecastError.fromDiagnostic(firstError);
  return { condition, exclusion: simplify(not(condition)), diagnostics };
}
