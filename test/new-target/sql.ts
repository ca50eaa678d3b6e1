// A target built in the test lab to show what adding one takes: an SQL WHERE clause (a dialect of
// data, one function per IR operator), the shared null-guards pass for SQL's three-valued logic,
// and a plan. The renderer does precedence, lists, negation and layout; the driver does pipelines,
// exclusions and formats. Every IR construct is written exactly or refused with a located error.
import { RulecastError } from '../../src/diagnostics/diagnostic.js';
import { pred } from '../../src/ir/build.js';
import { simplify } from '../../src/ir/passes.js';
import type { Expr, Pattern, Pred } from '../../src/ir/types.js';
import type { Backend, PlanOptions } from '../../src/backends/contract.js';
import { defaultLayout, layoutText, renderTree, type Dialect } from '../../src/backends/render.js';
import { runPasses, type Pass } from '../../src/passes/index.js';
import { guardNegatedNullables } from '../../src/passes/null-guards.js';
import type { MappedQuery } from '../../src/pipelines/types.js';
import type { Format } from '../../src/output/formats/types.js';

const column = (p: Pred): string => {
  if (p.field === null) throw new RulecastError('unsupported-keyword', 'SQL has no search across all columns: a keyword needs a field', p.span);
  return `"${p.field.replace(/"/g, '""')}"`;
};
const text = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** A LIKE pattern: `%`, `_` and the escape character itself escaped with `\`. */
const like = (parts: Pattern['parts']): string => text(parts.map((x) => (typeof x === 'string' ? x.replace(/[\\%_]/g, (c) => `\\${c}`) : x.wildcard === '*' ? '%' : '_')).join(''));
/** Case-insensitive unless cased: both sides lowered (ASCII and beyond, as LOWER does). */
const side = (p: Pred, c: string) => (p.cased ? c : `LOWER(${c})`);
const value = (p: Pred, v: string) => (p.cased ? text(v) : `LOWER(${text(v)})`);

function sqlPred(p: Pred): string {
  const c = column(p);
  switch (p.op) {
    case 'eq':
      if (p.timePart) return `EXTRACT(${p.timePart.toUpperCase()} FROM ${c}) = ${p.value}`;
      if (typeof p.value !== 'string') return `${c} = ${typeof p.value === 'number' ? p.value : p.value ? 'TRUE' : 'FALSE'}`;
      return `${side(p, c)} = ${value(p, p.value)}`;
    case 'contains':
      return `${side(p, c)} LIKE ${p.cased ? like([{ wildcard: '*' }, p.value, { wildcard: '*' }]) : `LOWER(${like([{ wildcard: '*' }, p.value, { wildcard: '*' }])})`} ESCAPE '\\'`;
    case 'startswith':
      return `${side(p, c)} LIKE ${p.cased ? like([p.value, { wildcard: '*' }]) : `LOWER(${like([p.value, { wildcard: '*' }])})`} ESCAPE '\\'`;
    case 'endswith':
      return `${side(p, c)} LIKE ${p.cased ? like([{ wildcard: '*' }, p.value]) : `LOWER(${like([{ wildcard: '*' }, p.value])})`} ESCAPE '\\'`;
    case 'wildcard':
      return `${side(p, c)} LIKE ${p.cased ? like(p.value.parts) : `LOWER(${like(p.value.parts)})`} ESCAPE '\\'`;
    case 're':
      return `REGEXP_LIKE(${c}, ${text(p.value.pattern)}, '${p.cased ? 'c' : 'i'}${p.value.flags.m ? 'm' : ''}${p.value.flags.s ? 'n' : ''}')`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${c} ${{ lt: '<', lte: '<=', gt: '>', gte: '>=' }[p.op]} ${p.value}`;
    case 'exists':
      return `${c} IS NOT NULL`;
    case 'null':
      return `${c} IS NULL`;
    case 'fieldref':
      if (p.value.match !== 'eq') throw new RulecastError('unsupported-fieldref', `this SQL dialect compares fields for equality only, not '${p.value.match}'`, p.span);
      return `${side(p, c)} = ${side(p, `"${p.value.field.replace(/"/g, '""')}"`)}`;
    case 'has':
    case 'cidr':
      throw new RulecastError('unsupported-operator', `this SQL dialect has no '${p.op}'`, p.span);
  }
}

export const sqlDialect: Dialect = {
  precedence: { or: 1, and: 2, not: 3 },
  tokens: { and: ' AND ', or: ' OR ' },
  not: { form: 'prefix', token: 'NOT ' },
  constant: (v) => (v ? 'TRUE' : 'FALSE'),
  pred: sqlPred,
  negatedPred: (p) => (p.op === 'null' ? `${column(p)} IS NOT NULL` : p.op === 'exists' ? `${column(p)} IS NULL` : undefined),
  list: (preds) => {
    const [first] = preds;
    if (!first || typeof first.value !== 'string' || preds.some((p) => typeof p.value !== 'string')) return undefined;
    return `${side(first, column(first))} IN (${preds.map((p) => value(p, p.value as string)).join(', ')})`;
  },
};

/** A NULL column makes a comparison NULL, and NOT NULL is NULL: under negation each predicate
 *  on a column is guarded `c IS NOT NULL AND P` (the shared pass null-guards). */
const sqlPasses: readonly Pass[] = [
  { name: 'null-guards', run: (e: Expr) => simplify(guardNegatedNullables(e, (p) => (p.field !== null && p.op !== 'null' && p.op !== 'exists' ? pred({ op: 'exists', field: p.field }) : undefined))) },
];

export interface SqlPlan {
  readonly table: string | null;
  readonly where: string;
}

export const sqlBackend: Backend<SqlPlan> = {
  name: 'sql',
  description: 'an SQL WHERE clause (the test lab’s target)',
  defaultPipeline: 'none',
  plan(mapped: MappedQuery, options: PlanOptions): SqlPlan {
    const tree = renderTree(runPasses(sqlPasses, mapped.branches[0]!.expr), sqlDialect);
    return { table: mapped.branches[0]!.source, where: options.compact ? tree.text : layoutText(tree, sqlDialect, defaultLayout) };
  },
};

export const sqlDefault: Format<SqlPlan> = {
  target: 'sql',
  name: 'default',
  description: 'SELECT * … WHERE',
  style: { extension: '.sql', comment: 'slashes' },
  scheduled: false,
  write: (plan) => `SELECT * FROM ${plan.table ?? 'events'}\nWHERE ${plan.where.replace(/\n/g, '\n    ')}`,
};
