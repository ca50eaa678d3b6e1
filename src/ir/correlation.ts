// A correlation rule after its references are resolved: what a converter and the correlation
// evaluator (src/correlation/evaluate.ts) consume. Like RuleQuery, nothing here is specific to
// Sigma's YAML or to a target; the base rules are the lowered RuleQuery objects themselves.
import type { Span } from '../diagnostics/source.js';
import type { Duration, QueryMeta, RuleQuery } from './query.js';

/** Correlation types: the specification's (2.1: event_count, value_count, temporal,
 *  temporal_ordered, value_sum, value_avg, value_percentile) and pySigma's value_median. */
export const correlationTypes = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median'] as const;
export type CorrelationType = (typeof correlationTypes)[number];

/** Types that aggregate the values of `condition.field`. */
export const valueCorrelationTypes: ReadonlySet<CorrelationType> = new Set(['value_count', 'value_sum', 'value_avg', 'value_percentile', 'value_median']);

export const correlationOperators = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;
export type CorrelationOperator = (typeof correlationOperators)[number];

export interface Comparison {
  readonly op: CorrelationOperator;
  readonly value: number;
}

/** One rule a correlation refers to: a base rule or another correlation (a chain). */
export type CorrelationInput = {
  /** The reference as written in `rules` (an id or a name). */
  readonly reference: string;
  readonly id?: string | undefined;
  readonly name?: string | undefined;
} & ({ readonly kind: 'rule'; readonly query: RuleQuery } | { readonly kind: 'correlation'; readonly correlation: CorrelationQuery });

/** A group-by name and the field it reads in the events of each input (the name itself, or the
 *  field an alias gives for that rule). `fields[i]` belongs to `inputs[i]`. */
export interface GroupField {
  readonly name: string;
  readonly fields: readonly string[];
}

export interface CorrelationQuery {
  readonly type: CorrelationType;
  /** In the order of `rules` (temporal_ordered's order). */
  readonly inputs: readonly CorrelationInput[];
  /** Empty: all events form one group. */
  readonly groupBy: readonly GroupField[];
  readonly timespan: Duration;
  /** ANDed. A temporal correlation without a condition gets `gte: <number of rules>`. */
  readonly comparisons: readonly Comparison[];
  /** The field value_* types aggregate. */
  readonly field?: string | undefined;
  /** value_percentile's percentile (0–100). */
  readonly percentile?: number | undefined;
  /** Whether the referenced rules are also output on their own. */
  readonly generate: boolean;
  readonly meta: QueryMeta;
  /** The `correlation` key of the rule, for errors about the whole correlation. */
  readonly span?: Span | undefined;
}

export function compare(op: CorrelationOperator, actual: number, threshold: number): boolean {
  switch (op) {
    case 'gt':
      return actual > threshold;
    case 'gte':
      return actual >= threshold;
    case 'lt':
      return actual < threshold;
    case 'lte':
      return actual <= threshold;
    case 'eq':
      return actual === threshold;
    case 'neq':
      return actual !== threshold;
  }
}
