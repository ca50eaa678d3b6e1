// The targets of the library: a backend (its plan) and the output formats of its language, joined
// by the one conversion driver. The driver resolves and applies the pipelines, runs the shared
// passes, asks the backend for its plan of the rule, and hands the plan to the output format.
import { RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleQuery } from '../ir/query.js';
import { combineExclusions } from '../passes/combine-exclusions.js';
import { applyPipelines } from '../pipelines/apply.js';
import { builtinPipelines, getBuiltinPipeline } from '../pipelines/load.js';
import type { MappedQuery, Pipeline } from '../pipelines/types.js';
import type { Backend } from '../backends/contract.js';
import { eqlBackend } from '../backends/eql/plan.js';
import { kqlBackend } from '../backends/kql/plan.js';
import { sigmaBackend } from '../backends/sigma/plan.js';
import { splBackend } from '../backends/spl/plan.js';
import { formatsOf, getFormat, type Format, type PipelineFacts } from '../output/formats/index.js';
import { renderOutput } from '../output/render.js';
import type { UserTemplate } from '../output/templates.js';

export interface ConvertOptions {
  /** Pipelines by built-in name or as loaded definitions (`loadPipeline`), applied in order. Empty or
   *  absent = the target's default pipeline; the single name 'none' means no mapping and no layout. */
  readonly pipelines?: readonly (string | Pipeline)[];
  /** Output format name; 'default' when absent. */
  readonly format?: string;
  /** Every condition on one line, instead of one clause per line at each and/or level. */
  readonly compact?: boolean;
  /** The user's templates replacing built-in ones, by name (`kql/query`, `kql/sentinel-rule`). */
  readonly templates?: ReadonlyMap<string, UserTemplate>;
  /** Told what the output format could not carry without stopping the conversion (a technique
   *  Elastic's `threat` cannot list): convertCompiled adds these to the result's warnings. */
  readonly onWarning?: (warning: Diagnostic) => void;
}

/** A conversion target; `convert` throws RulecastError for what it cannot express exactly. */
export interface Target {
  /** The name used with `-t`. */
  readonly name: string;
  readonly description: string;
  /** File extension of one query of this target (`.kql`); each format has its own. */
  readonly extension: string;
  readonly defaultPipeline: string;
  /** Built-in pipelines written for this target, plus 'none'. */
  readonly pipelines: readonly string[];
  readonly formats: readonly string[];
  convert(query: RuleQuery, options?: ConvertOptions): string;
}

const ignoreWarning = (): void => {};

/** The pipelines a conversion asks for, resolved; `bare` for the single name 'none'. */
export function resolvePipelines(target: string, defaultPipeline: string, requested: ConvertOptions['pipelines']): { pipelines: Pipeline[]; bare: boolean } {
  const names = requested?.length ? requested : [defaultPipeline];
  const bare = names.length === 1 && names[0] === 'none';
  if (!bare && names.includes('none')) {
    throw new RulecastError('invalid-pipeline', "pipeline 'none' means no mapping at all and cannot be combined with other pipelines");
  }
  return { bare, pipelines: bare ? [] : names.map((p) => (typeof p === 'string' ? builtinFor(p, target) : p)) };
}

function builtinFor(name: string, target: string): Pipeline {
  const p = getBuiltinPipeline(name);
  if (p.target && p.target !== target) {
    throw new RulecastError('invalid-pipeline', `pipeline ${name} is written for target ${p.target}, not ${target}`);
  }
  return p;
}

/** What the pipelines give the formats, known before any rule is converted. */
export function pipelineFacts(pipelines: readonly Pipeline[], bare: boolean): PipelineFacts {
  let layout: Record<string, unknown> = {};
  for (const p of pipelines) layout = { ...layout, ...p.layout };
  return { bare, names: pipelines.map((p) => p.name), layout, sourceLayouts: pipelines.flatMap((p) => p.sources.map((s) => s.layout)) };
}

/** The format asked for, or an error naming the target's formats. */
export function formatFor(target: string, name: string): Format<unknown> {
  const format = getFormat(target, name);
  if (!format) throw new RulecastError('unknown-format', `target ${target} has no output format '${name}' (formats: ${formatsOf(target).map((f) => f.name).join(', ')})`);
  return format;
}

function convertWith<P>(backend: Backend<P>, formats: () => readonly Format<unknown>[], query: RuleQuery, options: ConvertOptions): string {
  if (backend.takesPipelines === false && options.pipelines?.some((p) => p !== 'none')) {
    throw new RulecastError('invalid-pipeline', `the ${backend.name} target writes the rule with its own field names and log sources; it takes no pipeline (only none)`);
  }
  const name = options.format ?? 'default';
  const format = formats().find((f) => f.name === name) as Format<P> | undefined;
  if (!format) throw new RulecastError('unknown-format', `target ${backend.name} has no output format '${name}' (formats: ${formats().map((f) => f.name).join(', ')})`);
  const { pipelines, bare } = resolvePipelines(backend.name, format.defaultPipeline ?? backend.defaultPipeline, options.pipelines);
  const unfit = format.needs?.(pipelineFacts(pipelines, bare));
  if (unfit) throw new RulecastError('format-needs', unfit, query.span);
  // A tuned query is `detection and not e1 and not e2 …` on each branch (combine-exclusions), so
  // no backend needs to know about exclusions; the formats name them in comments.
  const tuned = applyPipelines(query, pipelines);
  const mapped: MappedQuery = { ...tuned, branches: tuned.branches.map(combineExclusions) };
  const plan = backend.plan(mapped, { bare, format: format.name, compact: options.compact === true });
  return renderOutput(format, plan, query, { templates: options.templates, warn: options.onWarning ?? ignoreWarning });
}

/** A target from a backend and the output formats of its language (by default the registry's:
 *  src/output/formats/index.ts), converted by the one driver. A target of one's own (a library
 *  user's, or the test lab's: test/new-target.test.ts) is made the same way. */
export function makeTarget<P>(backend: Backend<P>, options: { pipelines: () => readonly string[]; formats?: () => readonly Format<P>[] }): Target {
  const formats = (options.formats ?? (() => formatsOf(backend.name))) as () => readonly Format<unknown>[];
  return {
    name: backend.name,
    description: backend.description,
    get extension() {
      return formats().find((f) => f.name === 'default')?.style.extension ?? '.txt';
    },
    defaultPipeline: backend.defaultPipeline,
    get pipelines() {
      return options.pipelines();
    },
    get formats() {
      return formats().map((f) => f.name);
    },
    convert: (query: RuleQuery, convertOptions: ConvertOptions = {}): string => convertWith(backend, formats, query, convertOptions),
  };
}

function sigmaPipelines(): readonly string[] {
  return ['none'];
}

const targets: readonly Target[] = [
  makeTarget(kqlBackend, { pipelines: () => [...builtinPipelines('kql'), 'none'] }),
  makeTarget(splBackend, { pipelines: () => [...builtinPipelines('spl'), 'none'] }),
  makeTarget(eqlBackend, { pipelines: () => [...builtinPipelines('eql'), 'none'] }),
  makeTarget(sigmaBackend, { pipelines: sigmaPipelines }),
];

export function listTargets(): readonly Target[] {
  return targets;
}

export function getTarget(name: string): Target | undefined {
  return targets.find((t) => t.name === name);
}
