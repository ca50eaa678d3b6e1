// The backend contract. A backend is its dialect (tokens, precedence, quoting: data, in
// dialect.ts), its own IR passes (named, in src/passes/, listed in the order it runs them), and a
// typed plan: everything its query and output formats need, built once per rule by `plan` from the
// rule's mapped branches. A backend is stateless (no module-level state), never calls a template
// and never decides on rendered text: it renders each expression once, and the output stage
// (src/output/) lays the plan out as query text and output formats. The conversion driver
// (src/app/targets.ts) applies the pipelines and the shared passes before `plan`.
import type { MappedQuery } from '../pipelines/types.js';

export interface PlanOptions {
  /** `-p none`: no mapping, no layout; the plan carries the bare expression. */
  readonly bare: boolean;
  /** The output format asked for, for backends whose plan differs by format (SPL's data-model
   *  format searches accelerated data models: its fields are named by their dataset). */
  readonly format: string;
  /** One line per expression instead of one clause per line at each and/or level. */
  readonly compact: boolean;
}

export interface Backend<P> {
  /** The target's name (`-t kql`). */
  readonly name: string;
  readonly description: string;
  readonly defaultPipeline: string;
  /** False for a target that takes no pipeline (a Sigma rule keeps its own names): the driver
   *  refuses any but 'none'. */
  readonly takesPipelines?: boolean | undefined;
  /** The plan of one rule for this target. Throws RulecastError (located) for what the target
   *  cannot express exactly. */
  plan(mapped: MappedQuery, options: PlanOptions): P;
}
