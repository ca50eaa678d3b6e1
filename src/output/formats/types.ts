// An output format: the last stage of a conversion. It receives the backend's typed plan and the
// query text made from it (templates/<target>/query.hbs), checks what it needs before rendering,
// and lays out its template (templates/<target>/<format>.hbs) with a typed context. The `default`
// format of every target is the query itself.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RuleQuery } from '../../ir/query.js';

/** How outputs of a format are written: the file extension, and for several in one stream a
 *  comment naming each (in the format's comment syntax) and a document separator (YAML's `---`). */
export interface FormatStyle {
  readonly extension: string;
  /** `slashes` (// …), `hash` (# …), `backticks` (Splunk's ``` … ```); absent: no comments (JSON). */
  readonly comment?: 'slashes' | 'hash' | 'backticks' | undefined;
  readonly separator?: string | undefined;
}

/** What the format is given for one rule. */
export interface FormatInput<P> {
  readonly plan: P;
  /** The query text of the plan (the format's adjusted plan, when it adjusts it). */
  readonly query: string;
  readonly rule: RuleQuery;
  /** A warning for the conversion's result (something the format cannot carry, say). */
  readonly warn: (warning: Diagnostic) => void;
}

/** What a run's pipelines give a format, known before any rule is read. */
export interface PipelineFacts {
  /** `-p none`: no mapping, no tables or indexes. */
  readonly bare: boolean;
  readonly names: readonly string[];
  /** The merged layout of the pipelines (tables, connectors, indexes…). */
  readonly layout: Readonly<Record<string, unknown>>;
  /** The layouts of the pipelines' sources (data model, index, category… of each). */
  readonly sourceLayouts: readonly Readonly<Record<string, unknown>>[];
}

export interface Format<P = unknown> {
  readonly target: string;
  /** The name used with `-f`. */
  readonly name: string;
  readonly description: string;
  readonly style: FormatStyle;
  /** The pipeline used when none is asked for, when it is not the target's (a Sentinel rule reads
   *  Sentinel's tables, not Defender's). */
  readonly defaultPipeline?: string | undefined;
  /** A scheduled rule (it runs periodically and alerts), as opposed to a query or a hunting query:
   *  its query reads each period once, so an event alerts once (docs/output-formats.md). */
  readonly scheduled: boolean;
  /** What the format needs of the pipelines, checked before any rule is converted: the reason
   *  the pair cannot work (a usage error), or undefined. */
  readonly needs?: ((pipelines: PipelineFacts) => string | undefined) | undefined;
  /** The plan its query is made from (a scheduled rule's query has no lookback of its own). */
  readonly adjust?: ((plan: P, rule: RuleQuery) => P) | undefined;
  /** What it needs of one rule's plan, checked before rendering: throws a located RulecastError. */
  readonly check?: ((plan: P, rule: RuleQuery) => void) | undefined;
  /** The template its query is made with (default `<target>/query`). */
  readonly query?: string | undefined;
  /** The query written in code instead of a template (a Sigma rule: nested data, every scalar
   *  quoted by the YAML writer). */
  readonly write?: ((plan: P) => string) | undefined;
  /** The context of its template; absent for the default format, whose output is the query. */
  readonly context?: ((input: FormatInput<P>) => object) | undefined;
}
