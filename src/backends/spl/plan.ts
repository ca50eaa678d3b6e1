// The SPL plan of one rule: the search and the filtering commands after it (hoist.ts decides what
// the search cannot hold), or, for the data-model format, a tstats search over a CIM data model.
// Branches of a rule over several log sources are one search when their commands are the same
// (compared on the IR), else one `| where` over all of them.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { andOf, orOf, pred, withField } from '../../ir/build.js';
import { irKey } from '../../ir/dump.js';
import { mapPredicates, predicates } from '../../ir/passes.js';
import type { Expr } from '../../ir/types.js';
import type { Branch, MappedQuery } from '../../pipelines/types.js';
import { commonConjuncts } from '../../passes/common-conjuncts.js';
import type { Backend, PlanOptions } from '../contract.js';
import { defaultLayout, layoutText, renderTree, type Dialect } from '../render.js';
import { searchDialect, whereDialect, whereExpr } from './dialects.js';
import { hoistPipes, type SplPipe, type SplPlan as SearchSplit } from './hoist.js';
import { listField, quote } from './literals.js';
import { regexText } from './predicates.js';

export interface SplPlan {
  readonly bare: boolean;
  /** The search expression (`*` when nothing stays in it), over lines. */
  readonly search: string;
  /** `| regex …` and `| where …`, one command each (a where condition over lines). */
  readonly pipes: readonly string[];
  /** The lookback (`7d`, for `earliest=-7d`), or null. */
  readonly lookback: string | null;
  /** The rule's fields, as `| table` lists them. */
  readonly tableFields: readonly string[];
  readonly exclusions: readonly { readonly name: string; readonly description: string | null }[];
  /** The data-model format's tstats search, or null in the other formats. */
  readonly dataModel: DataModelPlan | null;
}

export interface DataModelPlan {
  readonly datamodel: string;
  /** tstats' where clause (search syntax), or null. */
  readonly where: string | null;
  readonly by: readonly string[];
  readonly values: readonly string[];
  readonly pipes: readonly string[];
}

function laid(expr: Expr, dialect: Dialect, compact: boolean): string {
  const tree = renderTree(expr, dialect);
  return compact ? tree.text : layoutText(tree, dialect, defaultLayout);
}

function pipeText(pipe: SplPipe, compact: boolean): string {
  if (pipe.kind === 'regex') return `| regex ${pipe.pred.field}${pipe.negated ? '!=' : '='}${quote(regexText(pipe.pred))}`;
  const text = laid(whereExpr(pipe.expr), whereDialect, compact);
  return `| where ${text.replace(/\n/g, '\n    ')}`;
}

function searchText(split: SearchSplit, compact: boolean): string {
  return split.search ? laid(split.search, searchDialect, compact) : '*';
}

/** Whether two splits have the same commands after their search (compared on the IR). */
function samePipes(a: SearchSplit, b: SearchSplit): boolean {
  if (a.pipes.length !== b.pipes.length) return false;
  return a.pipes.every((p, i) => {
    const q = b.pipes[i]!;
    if (p.kind !== q.kind) return false;
    if (p.kind === 'regex' && q.kind === 'regex') return p.negated === q.negated && irKey(p.pred) === irKey(q.pred);
    return p.kind === 'where' && q.kind === 'where' && irKey(p.expr) === irKey(q.expr);
  });
}

// ─── Data models (tstats) ─────────────────────────────────────────────────────────────────────

interface DataModelBranch {
  readonly datamodel: string;
  readonly split: SearchSplit;
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

function dataModelBranch(branch: Branch, bare: boolean): DataModelBranch {
  const datamodel = layoutString(branch, 'datamodel');
  const dataset = layoutString(branch, 'dataset');
  if (bare || !datamodel || !dataset) {
    throw new RulecastError(
      'spl-datamodel-needs-cim',
      `the data-model format needs a pipeline that maps the rule to a CIM data model (-p splunk-cim); ${bare ? "'-p none' maps nothing" : `the log source has no data model in the pipelines used`}`,
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
  const split = hoistPipes(expr);
  const by = new Set<string>();
  for (const pipe of split.pipes) {
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
  return { datamodel, split, by: [...by], values: values.map(prefixed) };
}

function dataModelPlan(mapped: MappedQuery, options: PlanOptions): DataModelPlan {
  const dms = mapped.branches.map((b) => dataModelBranch(b, options.bare));
  const first = dms[0]!;
  if (dms.some((d) => d.datamodel !== first.datamodel)) {
    throw new RulecastError('spl-datamodel-union', `the rule's log sources map to different data models (${[...new Set(dms.map((d) => d.datamodel))].join(', ')}); tstats reads one`, mapped.query.span);
  }
  if (dms.some((d) => !samePipes(d.split, first.split))) {
    throw new RulecastError('spl-datamodel-union', "the rule's log sources need different filters after tstats; convert them separately", mapped.query.span);
  }
  const searches = dms.map((d) => d.split.search);
  const where = searches.some((s) => s === null) ? null : orOf([...new Map(searches.map((s) => [irKey(s!), s!])).values()]);
  return {
    datamodel: first.datamodel,
    where: where ? laid(where, searchDialect, true) : null,
    by: [...new Set(dms.flatMap((d) => d.by))].map(listField),
    values: [...new Set(dms.flatMap((d) => d.values))].map(listField),
    pipes: first.split.pipes.map((p) => pipeText(p, true)),
  };
}

// ─── Branches and unions ──────────────────────────────────────────────────────────────────────

/** The branch's expression as the default format searches it: with a CIM pipeline it adds the
 *  data model's tags (`tag=process tag=report`), which select its events. */
function branchExpr(branch: Branch, bare: boolean): Expr {
  const tags = branch.layout.tags;
  if (bare || !Array.isArray(tags) || tags.length === 0) return branch.expr;
  return andOf([...tags.map((t) => pred({ op: 'eq', field: 'tag', value: String(t) })), branch.expr]);
}

/** One search for all branches (a rule with several log sources is their union). What every
 *  branch shares (a tuned rule's exclusions…) is written once: the pass common-conjuncts. */
function unionSplit(branches: readonly Branch[], bare: boolean): SearchSplit {
  const each = branches.map((b) => hoistPipes(branchExpr(b, bare)));
  if (each.length === 1) return each[0]!;
  if (each.every((s) => samePipes(s, each[0]!))) {
    // (S1 AND P) OR (S2 AND P) = (S1 OR S2) AND P; identical searches are one.
    const searches = each.map((p) => p.search);
    if (searches.some((s) => s === null)) return { search: null, pipes: each[0]!.pipes };
    const distinct = [...new Map(searches.map((s) => [irKey(s!), s!])).values()];
    return { search: commonConjuncts(distinct), pipes: each[0]!.pipes };
  }
  return hoistPipes(commonConjuncts(branches.map((b) => branchExpr(b, bare))));
}

export function splPlan(mapped: MappedQuery, options: PlanOptions): SplPlan {
  const q = mapped.query;
  const exclusions = (q.exclusions ?? []).map((e) => ({ name: e.name, description: e.description ?? null }));
  const tableFields = [...new Set(mapped.branches.flatMap((b) => b.fields))].map(listField);
  const lookback = q.lookback && !options.bare ? `${q.lookback.count}${q.lookback.unit}` : null;
  if (options.format === 'data-model') {
    return { bare: options.bare, search: '', pipes: [], lookback, tableFields, exclusions, dataModel: dataModelPlan(mapped, options) };
  }
  // Without pipelines every branch has the same expression.
  const split = options.bare ? hoistPipes(mapped.branches[0]!.expr) : unionSplit(mapped.branches, false);
  return {
    bare: options.bare,
    search: searchText(split, options.compact),
    pipes: split.pipes.map((p) => pipeText(p, options.compact)),
    lookback,
    tableFields,
    exclusions,
    dataModel: null,
  };
}

export const splBackend: Backend<SplPlan> = {
  name: 'spl',
  description: 'Splunk Search Processing Language',
  defaultPipeline: 'none',
  plan: splPlan,
};
