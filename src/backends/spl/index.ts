// The Splunk SPL backend: the IR rendered through the generic renderer with SPL's two dialects
// (search and eval), an explicit IR step that moves what a search cannot express into `| regex` /
// `| where` (hoist.ts), pipelines as data (src/pipelines/splunk-*.yml) and Handlebars layouts
// (templates/spl/*.hbs: default, savedsearches, data-model).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, or, pred, withField } from '../../ir/build.js';
import { irKey } from '../../ir/dump.js';
import { mapPredicates, predicates } from '../../ir/passes.js';
import type { Expr } from '../../ir/types.js';
import type { Branch, MappedQuery } from '../../pipelines/types.js';
import { commentSafe } from '../../output/templates.js';
import { makeTarget, type BackendSpec, type RenderOptions } from '../target.js';
import type { Target } from '../types.js';
import { renderSearch, renderWhere } from './dialects.js';
import { hoistPipes, whereOnly, type SplPipe, type SplPlan } from './hoist.js';
import { listField, quote } from './literals.js';
import { regexText } from './predicates.js';

export { hoistPipes, whereOnly, type SplPlan, type SplPipe } from './hoist.js';
export { searchForm, whereForm } from './predicates.js';
export { renderSearch, renderWhere } from './dialects.js';

export function pipeText(pipe: SplPipe): string {
  if (pipe.kind === 'regex') return `| regex ${pipe.pred.field}${pipe.negated ? '!=' : '='}${quote(regexText(pipe.pred))}`;
  return `| where ${renderWhere(pipe.expr)}`;
}

export function searchText(plan: SplPlan): string {
  return renderedPlan(plan).search;
}

/** A plan as query text: the search, then one pipe per line. */
export function planText(plan: SplPlan): string {
  const { search, pipes } = renderedPlan(plan);
  return [search, ...pipes].join('\n');
}

/** Plans are immutable and a branch's plan is rendered for its body and again for the layout:
 *  the text is made once. */
const renderedPlans = new WeakMap<SplPlan, { readonly search: string; readonly pipes: readonly string[] }>();

function renderedPlan(plan: SplPlan): { readonly search: string; readonly pipes: readonly string[] } {
  let text = renderedPlans.get(plan);
  if (!text) renderedPlans.set(plan, (text = { search: plan.search ? renderSearch(plan.search) : '*', pipes: plan.pipes.map(pipeText) }));
  return text;
}

/** The whole IR expression as SPL (what `-p none` prints). */
export function renderSpl(expr: Expr): string {
  return planText(hoistPipes(expr));
}

// ─── Data models (tstats) ─────────────────────────────────────────────────────────────────────

interface DataModelBranch {
  readonly datamodel: string;
  readonly plan: SplPlan;
  /** Fields the pipes after tstats read: they must be `by` fields to survive the aggregation. */
  readonly by: readonly string[];
  readonly values: readonly string[];
}

function layoutString(branch: Branch, key: string): string | undefined {
  const v = branch.layout[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * A filter after tstats sees one row per group of `by` fields, and tstats drops groups whose
 * `by` fields are null. A conjunct moved after tstats is therefore exact only if it is false
 * whenever one of its fields is missing (positive, on one field, or one field reference).
 */
function strictConjunct(e: Expr): boolean {
  let negation = false;
  const walk = (x: Expr): void => {
    if (x.kind === 'not') negation = true;
    else if (x.kind === 'and' || x.kind === 'or') x.args.forEach(walk);
  };
  walk(e);
  const preds = predicates(e);
  if (negation || preds.some((p) => p.op === 'null')) return false;
  const fields = new Set(preds.map((p) => p.field));
  if (preds.length === 1 && preds[0]!.op === 'fieldref') return true;
  return fields.size === 1 && !preds.some((p) => p.op === 'fieldref');
}

function dataModelBranch(branch: Branch, options: RenderOptions): DataModelBranch {
  const datamodel = layoutString(branch, 'datamodel');
  const dataset = layoutString(branch, 'dataset');
  if (options.bare || !datamodel || !dataset) {
    throw new RulecastError(
      'spl-datamodel-needs-cim',
      `the data-model format needs a pipeline that maps the rule to a CIM data model (-p splunk-cim); ${options.bare ? "'-p none' maps nothing" : `the log source has no data model in the pipelines used`}`,
      undefined,
      ['tstats reads accelerated data models, whose fields are named <Dataset>.<cim_field> (Processes.process_name)'],
    );
  }
  // tstats names every field by its dataset: an explicit renaming step on the IR.
  const prefixed = (field: string) => `${dataset}.${field}`;
  const expr = mapPredicates(branch.expr, (p): Expr => {
    if (p.field === null) {
      throw new RulecastError('spl-datamodel-keyword', 'a keyword (a value without a field) cannot be searched in a data model: tstats filters on data model fields only', p.span, [
        'use the default format, which searches the events themselves',
      ]);
    }
    if (p.op === 'fieldref') return pred({ ...p, field: prefixed(p.field), value: { ...p.value, field: prefixed(p.value.field) } });
    return withField(p, prefixed(p.field));
  });
  const plan = hoistPipes(expr);
  const by = new Set<string>();
  for (const pipe of plan.pipes) {
    const conjuncts = pipe.kind === 'regex' ? [pipe.negated ? null : pipe.pred] : pipe.expr.kind === 'and' ? pipe.expr.args : [pipe.expr];
    for (const c of conjuncts) {
      if (c === null || !strictConjunct(c)) {
        const p = c === null ? (pipe as Extract<SplPipe, { kind: 'regex' }>).pred : predicates(c)[0];
        throw new RulecastError(
          'spl-datamodel-filter',
          'this condition cannot be checked exactly after tstats: it holds where a field is missing (a negation, null, or several fields), but tstats drops the groups whose by-fields are missing',
          p?.span,
          ['tstats can only filter with search syntax (no regex, |cased, `?` or literal `*`); use the default format for this rule'],
        );
      }
      for (const p of predicates(c)) {
        by.add(p.field!);
        if (p.op === 'fieldref') by.add(p.value.field);
      }
    }
  }
  // The rule's fields (or the dataset's usual ones) as values(): unlike `by` fields, they never
  // drop a group where they are missing.
  const defaults = Array.isArray(branch.layout.values) ? branch.layout.values.map(String) : [];
  const values = branch.fields.length ? branch.fields : defaults;
  return { datamodel, plan, by: [...by], values: values.map(prefixed) };
}

// ─── Branches and unions ──────────────────────────────────────────────────────────────────────

/** The branch's expression as the format searches it: with a CIM pipeline the default format
 *  adds the data model's tags (`tag=process tag=report`), which select its events. */
function branchExpr(branch: Branch, options: RenderOptions): Expr {
  const tags = branch.layout.tags;
  if (options.bare || !Array.isArray(tags) || tags.length === 0) return branch.expr;
  return and(...tags.map((t) => pred({ op: 'eq', field: 'tag', value: String(t) })), branch.expr);
}

const plans = new WeakMap<Branch, SplPlan>();
const dataModels = new WeakMap<Branch, DataModelBranch>();

/** One plan for all branches (a rule with several log sources is their union). */
function unionPlan(branches: readonly Branch[], options: RenderOptions): SplPlan {
  const each = branches.map((b) => plans.get(b) ?? hoistPipes(branchExpr(b, options)));
  if (each.length === 1) return each[0]!;
  const pipes = each.map((p) => p.pipes.map(pipeText).join('\n'));
  if (pipes.every((p) => p === pipes[0])) {
    // (S1 AND P) OR (S2 AND P) = (S1 OR S2) AND P; identical searches are one.
    const searches = each.map((p) => p.search);
    if (searches.some((s) => s === null)) return { search: null, pipes: each[0]!.pipes };
    const distinct = [...new Map(searches.map((s) => [irKey(s!), s!])).values()];
    return { search: or(...distinct), pipes: each[0]!.pipes };
  }
  return whereOnly(or(...branches.map((b) => branchExpr(b, options))));
}

function severity(level: string | undefined): number {
  // savedsearches.conf alert.severity: 1 debug, 2 info, 3 warn, 4 error, 5 severe, 6 fatal.
  switch (level) {
    case 'informational':
      return 2;
    case 'low':
      return 3;
    case 'medium':
      return 4;
    case 'high':
      return 5;
    case 'critical':
      return 6;
    default:
      return 3;
  }
}

/** A stanza name: `[` `]` and line breaks would end or break the header. */
function stanzaName(title: string): string {
  const name = title.replace(/\[/g, '(').replace(/\]/g, ')').replace(/\s+/g, ' ').trim();
  return name || 'Untitled rule';
}

/** A one-line conf value: line breaks collapsed (a continued line would need a trailing `\`),
 *  and no trailing backslash (it would continue the value onto the next key's line). */
function confLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\\+$/, '').trimEnd();
}

/** A multi-line conf value: every line but the last ends with `\` (the query never has a line
 *  ending with a backslash: values are quoted, control characters never reach it). */
function confMultiline(text: string): string {
  return text.split('\n').join(' \\\n');
}

const spec: BackendSpec = {
  name: 'spl',
  description: 'Splunk Search Processing Language',
  extension: '.spl',
  defaultPipeline: 'none',
  renderBranch(branch, _mapped, options) {
    if (options.format === 'data-model') {
      const dm = dataModelBranch(branch, options);
      dataModels.set(branch, dm);
      return planText(dm.plan);
    }
    const plan = hoistPipes(branchExpr(branch, options));
    plans.set(branch, plan);
    return planText(plan);
  },
  context(mapped: MappedQuery, _bodies, options) {
    const q = mapped.query;
    const fields = [...new Set(mapped.branches.flatMap((b) => b.fields))];
    const context: Record<string, unknown> = { tableFields: fields.map(listField) };
    if (options.format === 'data-model') {
      const dms = mapped.branches.map((b) => dataModels.get(b)!);
      const first = dms[0]!;
      if (dms.some((d) => d.datamodel !== first.datamodel)) {
        throw new RulecastError('spl-datamodel-union', `the rule's log sources map to different data models (${[...new Set(dms.map((d) => d.datamodel))].join(', ')}); tstats reads one`, q.span);
      }
      const pipes = dms.map((d) => d.plan.pipes.map(pipeText).join('\n'));
      if (pipes.some((p) => p !== pipes[0])) {
        throw new RulecastError('spl-datamodel-union', "the rule's log sources need different filters after tstats; convert them separately", q.span);
      }
      const searches = dms.map((d) => d.plan.search);
      const where = searches.some((s) => s === null) ? null : or(...new Map(searches.map((s) => [irKey(s!), s!])).values());
      context.datamodel = first.datamodel;
      context.where = where ? renderSearch(where) : null;
      context.pipes = first.plan.pipes.map(pipeText);
      context.by = [...new Set(dms.flatMap((d) => d.by))].map(listField);
      context.values = [...new Set(dms.flatMap((d) => d.values))].map(listField);
      return context;
    }
    const plan = unionPlan(mapped.branches, options);
    const { search, pipes } = renderedPlan(plan);
    const query = [search, ...pipes].join('\n');
    context.search = search;
    context.pipes = pipes;
    context.splQuery = query;
    // A tuned query names each exclusion in a ```comment``` (Splunk 8.1+) ahead of the search.
    const comments = (q.exclusions ?? []).map((e) => `\`\`\`tuned: excludes ${commentSafe(e.name, 'backticks')}\`\`\`\n`).join('');
    context.comments = comments;
    const table = fields.length ? `\n| table ${fields.map(listField).join(', ')}` : '';
    context.conf = {
      stanza: stanzaName(q.meta.title),
      description: confLine(q.meta.description ?? q.meta.title),
      search: confMultiline(comments + query + table),
      severity: severity(q.meta.level),
    };
    return context;
  },
};

export const splTarget: Target = makeTarget(spec);
