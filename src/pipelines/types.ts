// Pipelines: data-driven IR → IR transformations between lowering and rendering. A pipeline maps a
// rule's log sources to the target's sources (tables, data models, event categories) and its field
// names to the target's, transforms values where the target stores them differently, and adds the
// conditions a source needs. Pipelines are YAML files (src/pipelines/*.yml, or the user's own).
import type { Span } from '../diagnostics/source.js';
import type { Expr, Pred } from '../ir/types.js';
import type { QueryLogsource, RuleQuery } from '../ir/query.js';

/** What a field maps to in one source. */
export type FieldTarget =
  /** Rename. */
  | { readonly kind: 'field'; readonly field: string; readonly transforms: readonly ValueTransform[] }
  /** The field exists in the taxonomy but the source has nothing like it: an error naming it. */
  | { readonly kind: 'unsupported'; readonly reason?: string | undefined }
  /** Several target fields; the predicate must hold on any of them (ORed). */
  | { readonly kind: 'any'; readonly targets: readonly FieldTarget[] };

/** A named value transformation with its arguments (see transforms.ts). */
export interface ValueTransform {
  readonly name: string;
  readonly args: unknown;
  /** Where it is written, for errors in the pipeline file. */
  readonly span?: Span | undefined;
  apply(pred: Pred, context: TransformContext): Expr;
}

export interface TransformContext {
  readonly pipeline: string;
  readonly source: string | null;
  /** The field as written in the rule (before renaming). */
  readonly originalField: string;
}

export interface FieldMap {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldTarget>;
}

export interface SourceRule {
  /** Every key given must equal the rule's logsource key (case-insensitive). */
  readonly logsource: QueryLogsource;
  /** The source's name for the layout (table, data model, event category…), or null. */
  readonly source: string | null;
  /** Field maps consulted in order; the first that knows a field wins. */
  readonly fieldmaps: readonly FieldMap[];
  /** Conditions the source needs, ANDed to the detection (e.g. ActionType for a shared table). */
  readonly conditions?: Expr | undefined;
  /** Free data for the layout (index, category…), merged over the pipeline's. */
  readonly layout: Readonly<Record<string, unknown>>;
}

export interface Pipeline {
  readonly name: string;
  readonly description: string;
  /** The target the pipeline is written for, or undefined for any. */
  readonly target?: string | undefined;
  /** An unknown field is an error (true) or is kept as written (false). */
  readonly strict: boolean;
  /** When not strict: a prefix for fields no field map knows (e.g. `winlog.event_data.`), except
   *  names matching `keep` (e.g. names with a dot, already in the target's schema). */
  readonly unmapped?: { readonly prefix: string; readonly keep?: RegExp | undefined } | undefined;
  /** Log source → source. Empty: the pipeline maps fields only. */
  readonly sources: readonly SourceRule[];
  /** What happens to a log source that no source rule matches. */
  readonly unmatchedLogsource: 'error' | 'keep';
  /** Field maps used for every branch, after its source's own (e.g. ECS names). */
  readonly fieldmaps: readonly FieldMap[];
  readonly layout: Readonly<Record<string, unknown>>;
  /** Where the pipeline came from (built in, or a file path). */
  readonly origin: string;
}

/** One log source of a rule after the pipelines: what the layout renders as one part of a union. */
export interface Branch {
  readonly logsource: QueryLogsource;
  readonly source: string | null;
  readonly expr: Expr;
  readonly layout: Readonly<Record<string, unknown>>;
  /** The rule's `fields` as the source names them (unmapped ones kept). */
  readonly fields: readonly string[];
  /** The query's exclusions, mapped like the detection (same source, same field names). */
  readonly exclusions: readonly { readonly name: string; readonly description?: string | undefined; readonly expr: Expr }[];
}

export interface MappedQuery {
  readonly query: RuleQuery;
  readonly branches: readonly Branch[];
  readonly layout: Readonly<Record<string, unknown>>;
  /** Names of the pipelines applied, in order. */
  readonly pipelines: readonly string[];
}
