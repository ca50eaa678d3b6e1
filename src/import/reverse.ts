// Imported KQL (Defender tables and columns) → a rule in Sigma's terms (log sources and Sigma/ECS
// field names), so the SPL and EQL pipelines can map it, and so it can be written as a Sigma rule.
// The mapping is the inverse of a forward pipeline (defender-xdr), derived from its data per table:
// a column C of table T stands for the Sigma field F when the pipeline renames F to C in T with no
// value transform. Nothing is guessed: after mapping back, the forward pipeline is applied to the
// result and must give back the imported query exactly, or the import is refused.
import { RulecastError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { mapPredicates, simplify } from '../ir/passes.js';
import { irKey } from '../ir/dump.js';
import { pred } from '../ir/build.js';
import type { QueryLogsource, RuleQuery } from '../ir/query.js';
import type { Expr, Pred } from '../ir/types.js';
import { applyPipelines, describeLogsource } from '../pipelines/apply.js';
import type { FieldMap, Pipeline, SourceRule } from '../pipelines/types.js';
import type { KqlQuery } from '../lower/kql.js';
import { timeColumns } from '../lower/kql.js';

export interface TableInverse {
  readonly table: string;
  readonly logsource: QueryLogsource;
  /** Column → the Sigma fields the pipeline renames to it exactly, in the pipeline's order. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
}

/** The inverse of a forward pipeline, per table: for each table the first source rule that maps a
 *  log source to it without added conditions, and the exact renames of that source. */
export function invertPipeline(pipeline: Pipeline): Map<string, TableInverse> {
  const out = new Map<string, TableInverse>();
  for (const rule of pipeline.sources) {
    if (rule.source === null || rule.conditions !== undefined || out.has(rule.source)) continue;
    out.set(rule.source, { table: rule.source, logsource: rule.logsource, columns: exactRenames(rule, pipeline.fieldmaps) });
  }
  return out;
}

function exactRenames(rule: SourceRule, common: readonly FieldMap[]): Map<string, string[]> {
  const maps = [...rule.fieldmaps, ...common];
  const decided = new Set<string>();
  const columns = new Map<string, string[]>();
  for (const m of maps) {
    for (const [field, target] of m.fields) {
      // The first map that knows a field decides where it goes.
      if (decided.has(field)) continue;
      decided.add(field);
      if (target.kind === 'field' && target.transforms.length === 0) {
        const list = columns.get(target.field);
        if (list) list.push(field);
        else columns.set(target.field, [field]);
      }
    }
  }
  return columns;
}

export interface SigmaView {
  readonly query: RuleQuery;
  readonly warnings: readonly Diagnostic[];
}

/** Maps an imported query to Sigma's terms with the inverse of `pipeline`. One rule for all the
 *  query's tables when every column has one Sigma name in all of them; otherwise one rule per
 *  table (a Sigma detection names each field once for all its log sources). */
export function toSigmaView(kql: KqlQuery, base: Omit<RuleQuery, 'expr' | 'logsources' | 'fields' | 'lookback'>, pipeline: Pipeline): SigmaView[] {
  const inverse = invertPipeline(pipeline);
  const inverses = kql.tables.map((t) => {
    const inv = inverse.get(t.name);
    if (!inv) {
      const conditional = pipeline.sources.filter((s) => s.source === t.name);
      throw new RulecastError(
        'unmapped-table',
        conditional.length
          ? `table ${t.name} has no Sigma log source that covers all its rows in pipeline ${pipeline.name} (its log sources add conditions: ${conditional.map((s) => describeLogsource(s.logsource)).join(', ')})`
          : `table ${t.name} has no Sigma log source in pipeline ${pipeline.name}`,
        t.span,
      );
    }
    return inv;
  });
  const columns = usedColumns(kql.expr);
  const together = tryMap(kql, base, pipeline, inverses, columns);
  if (together.ok) return [together.view];
  if (inverses.length === 1) throw together.error;
  // One rule per table: each is titled after its table, and none keeps the query's id (two rules
  // must not share one).
  return inverses.map((inv) => {
    const meta = { ...base.meta, title: `${base.meta.title} (${inv.table})`, id: undefined };
    const one = tryMap(kql, { ...base, meta }, pipeline, [inv], columns);
    if (!one.ok) throw one.error;
    return one.view;
  });
}

type Attempt = { ok: true; view: SigmaView } | { ok: false; error: RulecastError };

function tryMap(kql: KqlQuery, base: Omit<RuleQuery, 'expr' | 'logsources' | 'fields' | 'lookback'>, pipeline: Pipeline, inverses: readonly TableInverse[], columns: ReadonlyMap<string, Pred>): Attempt {
  const names = new Map<string, string>();
  for (const [column, where] of columns) {
    const lists = inverses.map((inv) => inv.columns.get(column) ?? []);
    const common = lists[0]!.filter((f) => lists.every((l) => l.includes(f)));
    if (common.length === 0) {
      const missing = inverses.filter((inv) => !inv.columns.has(column)).map((inv) => inv.table);
      const message = missing.length
        ? `column ${column} of ${missing.join(' and ')} has no exact Sigma field in pipeline ${pipeline.name}`
        : `column ${column} stands for different Sigma fields in ${inverses.map((inv) => `${inv.table} (${inv.columns.get(column)!.join(', ')})`).join(' and ')}`;
      return { ok: false, error: new RulecastError('unmapped-column', message, where.span, ['rulecast maps a column back only where the pipeline renames a Sigma field to it without changing values']) };
    }
    names.set(column, common[0]!);
  }
  const expr = simplify(
    mapPredicates(kql.expr, (p) => {
      const field = p.field === null ? null : names.get(p.field)!;
      if (p.op === 'fieldref') return pred({ ...p, field, value: { ...p.value, field: names.get(p.value.field)! } } as Parameters<typeof pred>[0]);
      return pred({ ...p, field } as Parameters<typeof pred>[0]);
    }),
  );
  const warnings: Diagnostic[] = [];
  const fields: string[] = [];
  for (const column of kql.fields) {
    const lists = inverses.map((inv) => inv.columns.get(column) ?? []);
    const common = lists[0]!.filter((f) => lists.every((l) => l.includes(f)));
    if (common.length) {
      if (!fields.includes(common[0]!)) fields.push(common[0]!);
    } else if (!(timeColumns as readonly string[]).includes(column)) {
      warnings.push(warning('kql-field-dropped', `projected column ${column} has no Sigma field in ${inverses.map((i) => i.table).join(' and ')} (pipeline ${pipeline.name}); it is left out of the rule's fields`, kql.span));
    }
  }
  const query: RuleQuery = { ...base, expr, logsources: inverses.map((i) => i.logsource), fields, lookback: kql.lookback };
  // The proof: mapping forward again gives the imported detection for every table.
  const mapped = applyPipelines(query, [pipeline]);
  for (let i = 0; i < inverses.length; i++) {
    const branch = mapped.branches[i]!;
    if (branch.source !== inverses[i]!.table || irKey(simplify(branch.expr)) !== irKey(kql.expr)) {
      return { ok: false, error: new RulecastError('inexact-mapping', `mapping ${inverses[i]!.table} back to ${describeLogsource(inverses[i]!.logsource)} and forward again with pipeline ${pipeline.name} does not give the same query`, kql.span) };
    }
  }
  return { ok: true, view: { query, warnings } };
}

/** Every column the detection reads (with the first predicate on it, for error locations). */
function usedColumns(expr: Expr): Map<string, Pred> {
  const out = new Map<string, Pred>();
  mapPredicates(expr, (p) => {
    if (p.field !== null && !out.has(p.field)) out.set(p.field, p);
    if (p.op === 'fieldref' && !out.has(p.value.field)) out.set(p.value.field, p);
    return p;
  });
  return out;
}
