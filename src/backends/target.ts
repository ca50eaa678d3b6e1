// A target from a backend spec: resolves pipelines, applies them, renders every branch with the
// backend's dialect and lays the result out with the format's template.
import { RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { durationSeconds, durationText, type RuleQuery } from '../ir/query.js';
import { attackFromTags } from '../output/attack.js';
import { hasTemplate, renderTemplate, templateFormats } from '../output/templates.js';
import { applyPipelines } from '../pipelines/apply.js';
import { and, not } from '../ir/build.js';
import { simplify } from '../ir/passes.js';
import { builtinPipelines, getBuiltinPipeline } from '../pipelines/load.js';
import type { Branch, MappedQuery, Pipeline } from '../pipelines/types.js';
import type { ConvertOptions, Target } from './types.js';

export interface RenderOptions {
  /** `-p none`: no layout; the expression is the whole query. */
  readonly bare: boolean;
  /** The output format being rendered (`default`, or a template name), for backends whose body
   *  differs by format (e.g. a data-model query names fields by their dataset). */
  readonly format: string;
  /** A warning for the conversion's result (ConvertOptions.onWarning). */
  readonly warn: (warning: Diagnostic) => void;
}

const ignoreWarning = (): void => {};

export interface BackendSpec {
  readonly name: string;
  readonly description: string;
  readonly extension: string;
  readonly defaultPipeline: string;
  /** Renders one branch's expression (after pipelines) in the target language. */
  renderBranch(branch: Branch, mapped: MappedQuery, options: RenderOptions): string;
  /** Extra values for the templates, computed from the mapped query and rendered bodies. */
  context?(mapped: MappedQuery, bodies: readonly string[], options: RenderOptions): Record<string, unknown>;
}

export function makeTarget(spec: BackendSpec): Target {
  return {
    name: spec.name,
    description: spec.description,
    extension: spec.extension,
    defaultPipeline: spec.defaultPipeline,
    get pipelines() {
      return [...builtinPipelines(spec.name), 'none'];
    },
    get formats() {
      const formats = templateFormats(spec.name);
      return ['default', ...formats.filter((f) => f !== 'default')];
    },
    // One function for every target, not a closure per target: V8 then compiles it once.
    convert: (query: RuleQuery, options: ConvertOptions = {}): string => convertFor(spec, query, options),
  };
}

function convertFor(spec: BackendSpec, query: RuleQuery, options: ConvertOptions): string {
  const requested = options.pipelines?.length ? options.pipelines : [spec.defaultPipeline];
  const bare = requested.length === 1 && requested[0] === 'none';
  if (!bare && requested.includes('none')) {
    throw new RulecastError('invalid-pipeline', "pipeline 'none' means no mapping at all and cannot be combined with other pipelines");
  }
  const pipelines: Pipeline[] = bare ? [] : requested.map((p) => (typeof p === 'string' ? resolvePipeline(p, spec.name) : p));
  const format = options.format ?? 'default';
  const renderOptions: RenderOptions = { bare, format, warn: options.onWarning ?? ignoreWarning };
  // A tuned query is the IR composition `detection and not e1 and not e2 …` on each branch, so
  // every backend renders it without knowing about exclusions; the templates name them in
  // comments (exclusions in the template context).
  const tuned = applyPipelines(query, pipelines);
  const mapped: MappedQuery = { ...tuned, branches: tuned.branches.map(combineExclusions) };
  const bodies = mapped.branches.map((b) => spec.renderBranch(b, mapped, renderOptions));
  if (bare && format === 'default') {
    // Without pipelines every branch has the same expression.
    return bodies[0]!;
  }
  const name = `${spec.name}/${format}`;
  if (!hasTemplate(name)) {
    throw new RulecastError('unknown-format', `target ${spec.name} has no output format '${format}' (formats: ${templateFormats(spec.name).join(', ')})`);
  }
  // Assigned rather than spread into a new object: this is a large object made per rule and target.
  const context = Object.assign(baseContext(spec.name, format, mapped, bodies, bare), spec.context?.(mapped, bodies, renderOptions));
  return renderTemplate(name, context);
}

function resolvePipeline(name: string, target: string): Pipeline {
  const p = getBuiltinPipeline(name);
  if (p.target && p.target !== target) {
    throw new RulecastError('invalid-pipeline', `pipeline ${name} is written for target ${p.target}, not ${target}`);
  }
  return p;
}

/** What every template can use. */
export function baseContext(target: string, format: string, mapped: MappedQuery, bodies: readonly string[], bare: boolean): Record<string, unknown> {
  const q = mapped.query;
  const branches = mapped.branches.map((b, i) => ({
    source: b.source,
    body: bodies[i]!,
    fields: b.fields,
    layout: b.layout,
    logsource: b.logsource,
  }));
  const fields = [...new Set(mapped.branches.flatMap((b) => b.fields))];
  return {
    target,
    format,
    bare,
    branches,
    /** The expression when every branch renders the same (one where clause for a union). */
    query: bodies.every((b) => b === bodies[0]) ? bodies[0] : null,
    sources: [...new Set(mapped.branches.map((b) => b.source).filter((s): s is string => s !== null))],
    rule: { ...q.meta, tags: q.meta.tags },
    attack: attackFromTags(q.meta.tags),
    lookback: q.lookback ? { text: durationText(q.lookback), count: q.lookback.count, unit: q.lookback.unit, seconds: durationSeconds(q.lookback) } : null,
    fields,
    layout: mapped.layout,
    pipelines: mapped.pipelines,
    /** The tuned query's exclusions, for comments (their conditions are part of the bodies). */
    exclusions: (q.exclusions ?? []).map((e) => ({ name: e.name, description: e.description ?? null })),
  };
}

/** `detection and not e1 and not e2 …` for one branch. */
function combineExclusions(b: Branch): Branch {
  if (b.exclusions.length === 0) return b;
  return { ...b, expr: simplify(and(b.expr, ...b.exclusions.map((e) => not(e.expr)))), exclusions: [] };
}
