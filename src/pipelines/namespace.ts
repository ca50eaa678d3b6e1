// Exclusions in the rule's own namespace: the step before any target pipeline. Exclusions are
// written with ECS names (process.name, process.args…); a rule is written either in ECS names (the
// bundled nbtscan rule) or in the Sigma taxonomy (SigmaHQ's rules: Image, CommandLine…). A target
// pipeline maps one namespace into its target, so an exclusion must first say what it means in
// the rule's names for each of the rule's log sources; otherwise `-p none` (or any pipeline that
// keeps unknown names) would render two naming schemes in one query, and the exclusion would never
// remove anything.
//
// The rule's namespace is decided by its detection's fields: ECS when it has fields and every one
// is an ECS field (EcsFlat of @elastic/ecs); the Sigma taxonomy otherwise (also for a rule without
// fields: Sigma's rules are written in the taxonomy). For each field of an exclusion:
// - a field the rule itself uses is kept (it is in the rule's namespace by definition);
// - in an ECS rule, an ECS field is kept; anything else is an unknown field;
// - in a taxonomy rule, a field the taxonomy knows for the log source (src/pipelines/taxonomy/
//   ecs-sigma.yml) is mapped by it (an ECS name through its transforms, exact or refused; a Sigma
//   name of that log source as it is); an ECS field it does not map has no exact counterpart and
//   is refused; a log source the taxonomy has no entry for keeps other names unchecked (they can
//   only be the rule's own), and anything else is an unknown field.
// Sigma filter documents (QueryExclusion.namespace 'rule') are written in the rule's names and
// pass as they are; so do all exclusions of a rule its front end declares to be in a target's
// own names (RuleQuery.namespace 'target': an imported KQL query, whose pipeline maps ECS names).
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span as makeSpan, type Span } from '../diagnostics/source.js';
import { assets } from '../generated/assets.js';
import { or, withField } from '../ir/build.js';
import { mapPredicates, predicates } from '../ir/passes.js';
import { describeLogsource, type QueryExclusion, type QueryLogsource, type RuleQuery } from '../ir/query.js';
import type { Expr, Pred } from '../ir/types.js';
import { nearest } from '../rule/load.js';
import { ecsFieldNames, ecsVersion, isEcsField } from './ecs.js';
import { loadPipeline } from './load.js';
import type { FieldTarget, Pipeline, SourceRule, TransformContext } from './types.js';

/** The names a rule's fields are written in. */
export type RuleNamespace = 'ecs' | 'sigma';

const taxonomyPath = 'src/pipelines/taxonomy/ecs-sigma.yml';
let taxonomy: Pipeline | undefined;

/** ECS → Sigma taxonomy, per log source (loaded on first use). */
export function ecsSigmaTaxonomy(): Pipeline {
  taxonomy ??= loadPipeline(assets[taxonomyPath]!, taxonomyPath);
  return taxonomy;
}

/** Every field a detection names (a field reference's other field too). */
export function ruleFields(expr: Expr): Set<string> {
  const fields = new Set<string>();
  for (const p of predicates(expr)) {
    if (p.field !== null) fields.add(p.field);
    if (p.op === 'fieldref') fields.add(p.value.field);
  }
  return fields;
}

export function ruleNamespace(fields: ReadonlySet<string>): RuleNamespace {
  if (fields.size === 0) return 'sigma';
  for (const f of fields) if (!isEcsField(f)) return 'sigma';
  return 'ecs';
}

/** The exclusions as a branch of the given log source carries them into the target pipelines. */
export interface NamespacedExclusion {
  readonly name: string;
  readonly description?: string | undefined;
  readonly expr: Expr;
}

/** The query's exclusions in the rule's own names for one of its log sources. Throws
 *  RulecastError (unknown-exclusion-field, exclusion-field-unmapped, lossy-mapping) at the field
 *  in the exclusion, naming the field, the log source and the exclusion. */
export function exclusionsInRuleNamespace(query: RuleQuery, logsource: QueryLogsource): NamespacedExclusion[] {
  const exclusions = query.exclusions ?? [];
  if (exclusions.length === 0) return [];
  // A rule in a target's own names (an imported KQL query): its pipeline maps the ECS names.
  if (query.namespace === 'target' || exclusions.every((e) => e.namespace === 'rule')) return exclusions.map(({ name, description, expr }) => ({ name, description, expr }));
  const fields = ruleFields(query.expr);
  const step = new NamespaceStep(fields, ruleNamespace(fields), logsource);
  return exclusions.map((e) => ({ name: e.name, description: e.description, expr: e.namespace === 'rule' ? e.expr : step.map(e) }));
}

/** Maps every exclusion for every log source of the query, for its errors only: a rule whose
 *  exclusion cannot be said in its own names fails before any target is rendered. */
export function checkExclusionNamespaces(query: RuleQuery): void {
  for (const logsource of query.logsources) exclusionsInRuleNamespace(query, logsource);
}

function sourceRuleOf(p: Pipeline, ls: QueryLogsource): SourceRule | undefined {
  const same = (a: string | undefined, b: string | undefined) => a === undefined || (b !== undefined && a.toLowerCase() === b.toLowerCase());
  return p.sources.find((s) => same(s.logsource.category, ls.category) && same(s.logsource.product, ls.product) && same(s.logsource.service, ls.service) && same(s.logsource.definition, ls.definition));
}

function lookup(rule: SourceRule, field: string): FieldTarget | undefined {
  for (const m of rule.fieldmaps) {
    const t = m.fields.get(field);
    if (t) return t;
  }
  return undefined;
}

/** The span of the field name at the start of a predicate's span (the whole span otherwise). */
function fieldSpan(p: Pred): Span | undefined {
  const s = p.span;
  if (!s || p.field === null || !s.source.text.startsWith(p.field, s.start)) return s;
  return makeSpan(s.source, s.start, s.start + p.field.length);
}

class NamespaceStep {
  private readonly rule: SourceRule | undefined;
  private readonly where: string;

  constructor(
    private readonly fields: ReadonlySet<string>,
    private readonly namespace: RuleNamespace,
    private readonly logsource: QueryLogsource,
  ) {
    this.rule = namespace === 'sigma' ? sourceRuleOf(ecsSigmaTaxonomy(), logsource) : undefined;
    this.where = `logsource ${describeLogsource(logsource)}`;
  }

  map(e: QueryExclusion): Expr {
    return mapPredicates(e.expr, (p) => this.pred(p, e));
  }

  private pred(p: Pred, e: QueryExclusion): Expr {
    if (p.field === null) return p;
    if (p.op === 'fieldref') {
      // Both fields must already be in the rule's names: a reference is not rewritten by a transform.
      for (const f of [p.field, p.value.field]) if (!this.keeps(f)) this.refuse(p, e, f);
      return p;
    }
    const field = p.field;
    if (this.fields.has(field)) return p;
    if (this.namespace === 'ecs') return isEcsField(field) ? p : this.unknown(p, e);
    const target = this.rule ? lookup(this.rule, field) : undefined;
    if (target) return this.apply(p, e, target);
    if (isEcsField(field)) return this.unmapped(p, e);
    return this.rule ? this.unknown(p, e) : p;
  }

  /** Whether a field is in the rule's names as written: used by the rule, an ECS name in an ECS
   *  rule, a Sigma name of the log source (mapped to itself by the taxonomy), or any non-ECS name
   *  in a log source the taxonomy has no entry for. */
  private keeps(field: string): boolean {
    if (this.fields.has(field)) return true;
    if (this.namespace === 'ecs') return isEcsField(field);
    if (!this.rule) return !isEcsField(field);
    const t = lookup(this.rule, field);
    return t?.kind === 'field' && t.field === field && t.transforms.length === 0;
  }

  private refuse(p: Pred, e: QueryExclusion, field: string): never {
    throw new RulecastError('exclusion-field-unmapped', `exclusion '${e.name}': field '${field}' of a field reference is not in the rule's own names (${this.where}); a reference is only taken as written`, fieldSpan(p));
  }

  private apply(p: Pred, e: QueryExclusion, target: FieldTarget): Expr {
    const field = p.field!;
    switch (target.kind) {
      case 'unsupported':
        return this.unmapped(p, e);
      case 'any':
        return or(...target.targets.map((t) => this.apply(p, e, t)));
      case 'field': {
        const renamed = withField(p, target.field);
        const context: TransformContext = { pipeline: ecsSigmaTaxonomy().name, source: null, originalField: field };
        try {
          let expr: Expr = renamed;
          for (const t of target.transforms) expr = mapPredicates(expr, (q) => t.apply(q, context));
          return expr;
        } catch (err) {
          if (!(err instanceof RulecastError)) throw err;
          const d = err.diagnostic;
          throw new RulecastError(d.code, `exclusion '${e.name}' (${this.where}, ${field} as ${target.field}): ${d.message}`, d.span, d.notes);
        }
      }
    }
  }

  private unmapped(p: Pred, e: QueryExclusion): never {
    const field = p.field!;
    const notes = this.rule
      ? [`ECS fields with a counterpart in ${this.where}: ${this.counterparts().join(', ')}`, "or write the condition with the rule's own field names"]
      : [`the ECS → Sigma taxonomy (${taxonomyPath}) has no entry for ${this.where}; write the condition with the rule's own field names`];
    throw new RulecastError(
      'exclusion-field-unmapped',
      `exclusion '${e.name}': ECS field '${field}' has no exact counterpart in ${this.where}, whose rule is written in Sigma taxonomy names; rulecast never renders it under its ECS name, where it would match nothing`,
      fieldSpan(p),
      notes,
    );
  }

  private unknown(p: Pred, e: QueryExclusion): never {
    const field = p.field!;
    let hint: string | undefined;
    if (this.namespace === 'ecs') {
      // A Sigma name in a rule written in ECS: the ECS name the taxonomy gives it, if it has one.
      const ecs = this.ecsNameOf(field);
      hint = ecs ? `'${ecs}' (the ECS name of ${field})` : undefined;
    }
    if (!hint) {
      const own = this.rule ? this.rule.fieldmaps.flatMap((m) => [...m.fields.keys()]) : [];
      const near = nearest(field, [...this.fields, ...own, ...ecsFieldNames()]);
      hint = near ? `'${near}'` : undefined;
    }
    const names = this.namespace === 'ecs' ? `ECS ${ecsVersion} names (the rule is written in them)` : `ECS ${ecsVersion} names (mapped into the rule's Sigma taxonomy names) or the rule's own names`;
    throw new RulecastError('unknown-exclusion-field', `exclusion '${e.name}': unknown field '${field}' for ${this.where}${hint ? `; did you mean ${hint}?` : ''}`, fieldSpan(p), [
      `exclusion fields are ${names}`,
    ]);
  }

  /** The ECS field a Sigma name of this log source is the plain counterpart of. */
  private ecsNameOf(field: string): string | undefined {
    const rule = sourceRuleOf(ecsSigmaTaxonomy(), this.logsource);
    for (const m of rule?.fieldmaps ?? []) {
      for (const [ecs, t] of m.fields) if (ecs !== field && t.kind === 'field' && t.field === field && t.transforms.length === 0) return ecs;
    }
    return undefined;
  }

  private counterparts(): string[] {
    const out: string[] = [];
    for (const m of this.rule?.fieldmaps ?? []) {
      for (const [ecs, t] of m.fields) if (isEcsField(ecs) && t.kind === 'field') out.push(`${ecs} → ${t.field}`);
    }
    return out;
  }
}
