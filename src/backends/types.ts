import type { RuleQuery } from '../ir/query.js';

export interface ConvertOptions {
  /** Pipeline names or loaded pipeline definitions, applied in order. Empty = the target's
   *  default pipeline; the name 'none' means no mapping and no layout. */
  readonly pipelines?: readonly string[];
  /** Output format name; 'default' when absent. */
  readonly format?: string;
}

/** A conversion target. Everything a target differs in is data (its table and templates);
 *  `convert` throws RulecastError for what it cannot express exactly. */
export interface Target {
  /** The name used with `-t`. */
  readonly name: string;
  readonly description: string;
  /** File extension for one query of this target (`.kql`). */
  readonly extension: string;
  readonly defaultPipeline: string;
  readonly pipelines: readonly string[];
  readonly formats: readonly string[];
  convert(query: RuleQuery, options: ConvertOptions): string;
}
