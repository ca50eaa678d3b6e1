// What a backend receives: the detection expression plus the rule's neutral context (log sources,
// lookback, metadata, output fields). Nothing here is specific to Sigma's YAML or to a target.
import type { Span } from '../diagnostics/source.js';
import type { Expr } from './types.js';

export interface QueryLogsource {
  readonly category?: string | undefined;
  readonly product?: string | undefined;
  readonly service?: string | undefined;
  readonly definition?: string | undefined;
  /** Where the log source is written (the `logsource` key), for errors about it. */
  readonly span?: Span | undefined;
}

/** A log source as messages write it: `{product: windows, category: process_creation}`. */
export function describeLogsource(ls: QueryLogsource): string {
  const parts = (['product', 'category', 'service', 'definition'] as const).filter((k) => ls[k]).map((k) => `${k}: ${ls[k]}`);
  return parts.length ? `{${parts.join(', ')}}` : '{}';
}

export interface QueryMeta {
  readonly title: string;
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly status?: string | undefined;
  readonly level?: string | undefined;
  readonly author?: string | undefined;
  readonly date?: string | undefined;
  readonly modified?: string | undefined;
  readonly tags: readonly string[];
  readonly references: readonly string[];
  readonly falsepositives: readonly string[];
}

/** A duration such as `7d`: a count and a unit (s, m, h, d, w). */
export interface Duration {
  readonly count: number;
  readonly unit: 's' | 'm' | 'h' | 'd' | 'w';
}

/** An exclusion of a tuned query: events it matches are removed from the detection. */
export interface QueryExclusion {
  readonly name: string;
  readonly description?: string | undefined;
  readonly expr: Expr;
  /** Where the exclusion is written, for errors (e.g. a field the target cannot map). */
  readonly span?: Span | undefined;
  /** The names its fields are written in. `ecs` (the default, the exclusion language): ECS names,
   *  mapped into the rule's own names for each of its log sources before any pipeline (or the
   *  rule's own names, kept); `rule`: the rule's own names as they are (a Sigma filter document,
   *  written against the rules it names). See src/pipelines/namespace.ts. */
  readonly namespace?: 'ecs' | 'rule' | undefined;
}

export interface RuleQuery {
  /** The detection. With exclusions, the query means `expr and not e1 and not e2 …`. */
  readonly expr: Expr;
  /** Exclusions of a tuned query (kept apart so outputs can name each one in a comment). */
  readonly exclusions?: readonly QueryExclusion[] | undefined;
  /** Where the events come from. Usually one; a rule may name several (rulecast's
   *  `rulecast.logsources` key), which a backend renders as a union of sources. */
  readonly logsources: readonly QueryLogsource[];
  /** Only events newer than this (rulecast's `rulecast.lookback` key). */
  readonly lookback?: Duration | undefined;
  readonly meta: QueryMeta;
  /** Fields to show with each result (Sigma's `fields`). */
  readonly fields: readonly string[];
  /** The rule document, for errors that concern the whole rule. */
  readonly span?: Span | undefined;
  /** The names the detection is written in, when its front end knows them: `target`, a target's
   *  own columns (an imported KQL query over its tables), whose pipeline maps the exclusions' ECS
   *  names itself. Absent: decided from the detection's fields (src/pipelines/namespace.ts). */
  readonly namespace?: 'target' | undefined;
}

export function durationText(d: Duration): string {
  return `${d.count}${d.unit}`;
}

export function durationSeconds(d: Duration): number {
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[d.unit];
  return d.count * unit;
}

/** A tuned query: the detection minus the exclusions, composed on the IR. */
export function tuneQuery(query: RuleQuery, exclusions: readonly QueryExclusion[]): RuleQuery {
  if (exclusions.length === 0) return query;
  return { ...query, exclusions: [...(query.exclusions ?? []), ...exclusions] };
}
