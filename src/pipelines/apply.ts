// Applies pipelines to a lowered rule: one branch per log source, each mapped to its source with
// its own field names (a union over tables gets each table's mapping).
import { RulecastError } from '../diagnostics/diagnostic.js';
import { and, or, pred, withField } from '../ir/build.js';
import { mapPredicates, simplify } from '../ir/passes.js';
import { describeLogsource, type QueryLogsource, type RuleQuery } from '../ir/query.js';
import type { Expr, Pred } from '../ir/types.js';
import { exclusionsInRuleNamespace } from './namespace.js';
import type { Branch, FieldMap, FieldTarget, MappedQuery, Pipeline, SourceRule, TransformContext } from './types.js';

export { describeLogsource };

function logsourceMatches(pattern: QueryLogsource, actual: QueryLogsource): boolean {
  return (['category', 'product', 'service', 'definition'] as const).every(
    (k) => pattern[k] === undefined || (actual[k] !== undefined && pattern[k]!.toLowerCase() === actual[k]!.toLowerCase()),
  );
}

/** Applies pipelines in order. Throws RulecastError (unsupported-logsource, unmapped-field,
 *  unsupported-field, lossy-mapping) pointing at the rule. */
export interface ApplyOptions {
  /** Keep what the pipelines cannot map as written instead of failing (fields, log sources): for
   *  exclusion analysis, which only needs detection and exclusion in one namespace. */
  readonly lenient?: boolean;
}

export function applyPipelines(query: RuleQuery, pipelines: readonly Pipeline[], options: ApplyOptions = {}): MappedQuery {
  // Exclusions first say what they mean in the rule's own names for each log source, so that every
  // pipeline (none too) maps one namespace.
  let branches: Branch[] = query.logsources.map((logsource) => ({ logsource, source: null, expr: query.expr, layout: {}, fields: query.fields, exclusions: exclusionsInRuleNamespace(query, logsource) }));
  let layout: Record<string, unknown> = {};
  for (const p of pipelines) {
    layout = { ...layout, ...p.layout };
    branches = branches.map((b) => applyToBranch(p, b, query, options.lenient === true));
  }
  return { query, branches, layout, pipelines: pipelines.map((p) => p.name) };
}

/** Each pipeline's source rule per log source (rules of a repository share a few dozen log
 *  sources, and a pipeline has dozens of source rules to try). */
const sourceRules = new WeakMap<Pipeline, Map<string, SourceRule | null>>();

function sourceRuleFor(p: Pipeline, logsource: QueryLogsource): SourceRule | undefined {
  let known = sourceRules.get(p);
  if (!known) sourceRules.set(p, (known = new Map()));
  // The key compares as logsourceMatches does: case-insensitively, an absent key (null in JSON)
  // apart from any text.
  const key = JSON.stringify([logsource.category?.toLowerCase(), logsource.product?.toLowerCase(), logsource.service?.toLowerCase(), logsource.definition?.toLowerCase()]);
  let rule = known.get(key);
  if (rule === undefined) {
    rule = p.sources.find((s) => logsourceMatches(s.logsource, logsource)) ?? null;
    known.set(key, rule);
  }
  return rule ?? undefined;
}

/** The sources a pipeline knows, for the error naming an unsupported log source. */
const sourceLists = new WeakMap<Pipeline, string>();

function sourceList(p: Pipeline): string {
  let shown = sourceLists.get(p);
  if (shown === undefined) {
    const known = [...new Set(p.sources.map((s) => describeLogsource(s.logsource)))];
    shown = known.length > 8 ? `${known.slice(0, 8).join(', ')} and ${known.length - 8} more (rulecast list pipelines)` : known.join(', ');
    sourceLists.set(p, shown);
  }
  return shown;
}

function applyToBranch(p: Pipeline, b: Branch, query: RuleQuery, lenient: boolean): Branch {
  let rule: SourceRule | undefined;
  if (p.sources.length > 0) {
    rule = sourceRuleFor(p, b.logsource);
    if (!rule && p.unmatchedLogsource === 'error' && !lenient) {
      throw new RulecastError('unsupported-logsource', `pipeline ${p.name} has no source for logsource ${describeLogsource(b.logsource)}`, b.logsource.span ?? query.span, [`sources of ${p.name}: ${sourceList(p)}`]);
    }
  }
  const source = rule ? rule.source : b.source;
  const maps = [...(rule?.fieldmaps ?? []), ...p.fieldmaps];
  const mapper = new FieldMapper(p, maps, source);
  const map = (q: Pred): Expr => {
    if (!lenient) return mapper.pred(q);
    try {
      return mapper.pred(q);
    } catch (err) {
      if (err instanceof RulecastError) return q;
      throw err;
    }
  };
  let expr = mapPredicates(b.expr, map);
  if (rule?.conditions) expr = and(rule.conditions, expr);
  const fields = lenient ? b.fields : b.fields.flatMap((f) => mapper.names(f));
  // Exclusions are mapped like the detection; an error names the exclusion it comes from.
  const exclusions = b.exclusions.map((e) => {
    try {
      return { ...e, expr: simplify(mapPredicates(e.expr, map)) };
    } catch (err) {
      if (!(err instanceof RulecastError)) throw err;
      const d = err.diagnostic;
      throw new RulecastError(d.code, `exclusion '${e.name}': ${d.message}`, d.span, d.notes);
    }
  });
  return { logsource: b.logsource, source, expr: simplify(expr), layout: { ...b.layout, ...(rule?.layout ?? {}) }, fields, exclusions };
}

class FieldMapper {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly maps: readonly FieldMap[],
    private readonly source: string | null,
  ) {}

  private lookup(field: string): FieldTarget | undefined {
    for (const m of this.maps) {
      const t = m.fields.get(field);
      if (t) return t;
    }
    return undefined;
  }

  private where(): string {
    return this.source ? ` in ${this.source}` : '';
  }

  private unknown(field: string, p?: Pred): never {
    throw new RulecastError('unmapped-field', `field '${field}' has no mapping${this.where()} (pipeline ${this.pipeline.name})`, p?.fieldSpan ?? p?.span, [
      'rulecast never renders a field the target does not have; add the field to a pipeline (-p your.yml) or use a field the pipeline knows',
    ]);
  }

  private unsupported(field: string, target: Extract<FieldTarget, { kind: 'unsupported' }>, p?: Pred): never {
    throw new RulecastError('unsupported-field', `field '${field}' has no equivalent${this.where()} (pipeline ${this.pipeline.name})${target.reason ? `: ${target.reason}` : ''}`, p?.fieldSpan ?? p?.span);
  }

  /** A field no map knows, when the pipeline is not strict: as written, or with the pipeline's prefix. */
  private unmapped(field: string): string {
    const u = this.pipeline.unmapped;
    return u && !u.keep?.test(field) ? `${u.prefix}${field}` : field;
  }

  /** The target names of a field (for projections). */
  names(field: string): string[] {
    const t = this.lookup(field);
    if (!t) return this.pipeline.strict ? this.unknown(field) : [this.unmapped(field)];
    const collect = (x: FieldTarget): string[] => (x.kind === 'field' ? [x.field] : x.kind === 'any' ? x.targets.flatMap(collect) : this.unsupported(field, x));
    return collect(t);
  }

  /** A predicate with its field (and a field reference's field) mapped. */
  pred(p: Pred): Expr {
    if (p.field === null) return p;
    const target = this.lookup(p.field);
    if (!target) {
      if (this.pipeline.strict) return this.unknown(p.field, p);
      return this.mapFieldRef(withField(p, this.unmapped(p.field)));
    }
    return this.apply(p, p.field, target);
  }

  private apply(p: Pred, original: string, target: FieldTarget): Expr {
    switch (target.kind) {
      case 'unsupported':
        return this.unsupported(original, target, p);
      case 'any':
        return or(...target.targets.map((t) => this.apply(p, original, t)));
      case 'field': {
        const renamed = this.mapFieldRef(withField(p, target.field));
        if (target.transforms.length === 0) return renamed;
        const context: TransformContext = { pipeline: this.pipeline.name, source: this.source, originalField: original };
        let expr: Expr = target.transforms[0]!.apply(renamed, context);
        for (const t of target.transforms.slice(1)) expr = mapPredicates(expr, (q) => t.apply(q, context));
        return expr;
      }
    }
  }

  private mapFieldRef(p: Pred): Pred {
    if (p.op !== 'fieldref') return p;
    const names = this.names(p.value.field);
    if (names.length !== 1) {
      throw new RulecastError('lossy-mapping', `field reference '${p.value.field}' maps to several fields${this.where()}; compare with one of them`, p.span);
    }
    return pred({ ...p, value: { ...p.value, field: names[0]! } }) as Pred;
  }
}
