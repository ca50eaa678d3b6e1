// Rendering pieces of one expression for tests, as the backends render them (one line each).
import { eqlDialect } from '../../src/backends/eql/dialect.js';
import { eqlPasses } from '../../src/backends/eql/passes.js';
import { eqlPlan } from '../../src/backends/eql/plan.js';
import { renderExpr } from '../../src/backends/render.js';
import { splPlan } from '../../src/backends/spl/plan.js';
import type { RuleQuery } from '../../src/ir/query.js';
import type { Expr } from '../../src/ir/types.js';
import { runPasses } from '../../src/passes/index.js';
import type { Branch } from '../../src/pipelines/types.js';

/** An EQL condition (after the EQL passes). */
export function renderEqlExpression(expr: Expr): string {
  return renderExpr(runPasses(eqlPasses, expr), eqlDialect);
}

const bareQuery = (expr: Expr): RuleQuery => ({ expr, logsources: [{}], meta: { title: 't', tags: [], references: [], falsepositives: [] }, fields: [] });

/** The EQL query of a rule's branches (their union). */
export function eqlUnionQuery(branches: readonly Branch[]): string {
  return eqlPlan({ query: bareQuery(branches[0]!.expr), branches, layout: {}, pipelines: [] }, { bare: false, format: 'default', compact: true }).eql;
}

/** The whole expression as SPL without a pipeline: the search and its commands, one per line. */
export function renderSpl(expr: Expr): string {
  const query = bareQuery(expr);
  const plan = splPlan({ query, branches: [{ logsource: {}, source: null, expr, layout: {}, fields: [], exclusions: [] }], layout: {}, pipelines: [] }, { bare: true, format: 'default', compact: true });
  return [plan.search, ...plan.pipes].join('\n');
}
