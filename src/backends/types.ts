import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleQuery } from '../ir/query.js';
import type { Pipeline } from '../pipelines/types.js';

export interface ConvertOptions {
  /** Pipelines by built-in name or as loaded definitions (`loadPipeline`), applied in order. Empty or
   *  absent = the target's default pipeline; the single name 'none' means no mapping and no layout. */
  readonly pipelines?: readonly (string | Pipeline)[];
  /** Output format name; 'default' when absent. */
  readonly format?: string;
  /** Told what the output format could not carry without stopping the conversion (a technique
   *  Elastic's `threat` cannot list): convertCompiled adds these to the result's warnings. */
  readonly onWarning?: (warning: Diagnostic) => void;
}

/** A conversion target. Everything a target differs in is data (its dialect table, pipelines and
 *  templates); `convert` throws RulecastError for what it cannot express exactly. */
export interface Target {
  /** The name used with `-t`. */
  readonly name: string;
  readonly description: string;
  /** File extension for one query of this target (`.kql`). */
  readonly extension: string;
  readonly defaultPipeline: string;
  /** Built-in pipelines written for this target, plus 'none'. */
  readonly pipelines: readonly string[];
  readonly formats: readonly string[];
  convert(query: RuleQuery, options?: ConvertOptions): string;
}
