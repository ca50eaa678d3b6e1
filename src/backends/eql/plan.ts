// The EQL plan of one rule: one query over its branches, with the event category (`process
// where …`) when they share one, else `any where (event.category == … and …) or (…)`. Each
// expression goes through the EQL passes (passes.ts) and is rendered once.
import { isRulecastError, RulecastError } from '../../diagnostics/diagnostic.js';
import { and, pred } from '../../ir/build.js';
import { simplify } from '../../ir/passes.js';
import { commonConjuncts } from '../../passes/common-conjuncts.js';
import type { Expr } from '../../ir/types.js';
import { runPasses } from '../../passes/index.js';
import type { MappedQuery } from '../../pipelines/types.js';
import type { Backend, PlanOptions } from '../contract.js';
import { defaultLayout, layoutText, renderTree } from '../render.js';
import { eqlDialect } from './dialect.js';
import { eqlPasses } from './passes.js';
import { eqlString } from './strings.js';

/** The field Elasticsearch reads event categories from (the EQL search API's default). */
export const CATEGORY_FIELD = 'event.category';

/** Indexes an Elastic rule searches when the pipelines name none. */
const DEFAULT_INDEX = ['logs-*'];

export interface EqlPlan {
  readonly bare: boolean;
  /** The query: `<category> where <condition>`, the condition over lines. */
  readonly eql: string;
  readonly exclusions: readonly { readonly name: string; readonly description: string | null }[];
  /** The rule's lookback (`7d`): EQL has no time filter, the query's comment names it. */
  readonly lookback: string | null;
  /** Indexes the pipelines name (for Elastic rules), each once, in order. */
  readonly index: readonly string[];
  /** The pipelines' Elastic rule schedule: `from` (e.g. now-6m) and `interval` (5m). */
  readonly from: string;
  readonly interval: string;
}

/** An event category as EQL writes it after `where`'s left side. */
function categoryHead(source: string | null): string {
  if (source === null || source === 'any') return 'any';
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(source) ? source : eqlString(source);
}

/** A condition in EQL, through the passes, laid out over lines (continuation lines indented under
 *  the query's `where`). */
function condition(expr: Expr, compact: boolean): string {
  const tree = renderTree(runPasses(eqlPasses, expr), eqlDialect);
  return compact ? tree.text : layoutText(tree, eqlDialect, defaultLayout).replace(/\n/g, '\n    ');
}

/** Errors about the rule as a whole (a keyword) name the rule too. */
function inRule<T>(mapped: MappedQuery, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isRulecastError(err) && err.code === 'unsupported-keyword') {
      const d = err.diagnostic;
      throw new RulecastError(d.code, `rule '${mapped.query.meta.title}': ${d.message}`, d.span, d.notes);
    }
    throw err;
  }
}

/**
 * One query for all branches (a rule with several log sources is their union):
 * - one branch, or all with the same category and expression: that query;
 * - all with one category: `cat where (e1) or (e2)`;
 * - several categories: `any where (event.category == "process" and e1) or (…)`, a branch without
 *   a category (`any`) contributing its expression alone.
 * What every branch shares (a tuned rule's exclusions, a detection that only the log sources'
 * conditions tell apart) is written once: the pass common-conjuncts.
 */
function unionQuery(mapped: MappedQuery, options: PlanOptions): string {
  const branches = options.bare ? mapped.branches.slice(0, 1) : mapped.branches;
  const heads = branches.map((b) => (options.bare ? 'any' : categoryHead(b.source)));
  const uniqueHeads = [...new Set(heads)];
  if (uniqueHeads.length === 1) return `${uniqueHeads[0]} where ${condition(commonConjuncts(branches.map((b) => b.expr)), options.compact)}`;
  const parts = branches.map((b, i) => {
    const source = heads[i] === 'any' ? null : b.source!;
    return source === null ? b.expr : simplify(and(pred({ op: 'eq', field: CATEGORY_FIELD, value: source, cased: true }), b.expr));
  });
  return `any where ${condition(commonConjuncts(parts), options.compact)}`;
}

function indexes(mapped: MappedQuery): string[] {
  const out = new Set<string>();
  const add = (x: unknown): void => {
    if (Array.isArray(x)) for (const i of x) out.add(String(i));
    else if (x !== undefined) out.add(String(x));
  };
  add(mapped.layout.index);
  for (const b of mapped.branches) add(b.layout.index);
  return out.size ? [...out] : DEFAULT_INDEX;
}

export function eqlPlan(mapped: MappedQuery, options: PlanOptions): EqlPlan {
  const q = mapped.query;
  return {
    bare: options.bare,
    eql: inRule(mapped, () => unionQuery(mapped, options)),
    exclusions: (q.exclusions ?? []).map((e) => ({ name: e.name, description: e.description ?? null })),
    lookback: q.lookback ? `${q.lookback.count}${q.lookback.unit}` : null,
    index: indexes(mapped),
    from: String(mapped.layout.from ?? 'now-6m'),
    interval: String(mapped.layout.interval ?? '5m'),
  };
}

export const eqlBackend: Backend<EqlPlan> = {
  name: 'eql',
  description: 'Elasticsearch Event Query Language',
  defaultPipeline: 'ecs-windows',
  plan: eqlPlan,
};
