// The KQL plan of one rule: its tables (branches on the same table merged on the IR), each table's
// condition rendered once, the computed columns it uses, the projection and the lookback. The
// output stage lays it out (templates/kql/query.hbs) and embeds it in the rule formats.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { RuleQuery } from '../../ir/query.js';
import { irKey } from '../../ir/dump.js';
import { predicates } from '../../ir/passes.js';
import type { Expr } from '../../ir/types.js';
import { commonConjuncts } from '../../passes/common-conjuncts.js';
import type { MappedQuery } from '../../pipelines/types.js';
import type { Backend, PlanOptions } from '../contract.js';
import { defaultLayout, layoutText, renderTree } from '../render.js';
import { kqlDialect, type KqlContext } from './dialect.js';
import { kqlName } from './literal.js';
import { tableSchemas, type TableSchema } from '../../pipelines/schema.js';

/** Field name a pipeline gives to a field that never exists in a source (transform `absent`):
 *  nothing to project. */
export const ABSENT_FIELD = '~absent';

/** One table of the query (or the bare condition, `source` null). */
export interface KqlPart {
  readonly source: string | null;
  /** The table as KQL writes it (bracketed when it is not an identifier). */
  readonly sourceText: string | null;
  /** The table's condition, over lines (continuation lines indented from column 0). */
  readonly body: string;
  /** `Name = expression` for each computed column the table's rows need first. */
  readonly extend: readonly string[];
  /** The table's columns, when the pipeline declares its schema. */
  readonly columns?: ReadonlySet<string> | undefined;
}

export interface KqlPlan {
  readonly bare: boolean;
  readonly parts: readonly KqlPart[];
  /** The only table, or null for a union or a condition without a table. */
  readonly single: KqlPart | null;
  readonly union: boolean;
  /** Every table of the union has the same condition and no computed column: `union A, B | where`. */
  readonly sameBody: boolean;
  /** The one condition for `| where` after the table(s), or null when each part has its own. */
  readonly body: string | null;
  readonly hasSource: boolean;
  readonly kqlSources: readonly string[];
  /** The time column (as KQL writes it) and the lookback (`7d`), when both are known. */
  readonly time: string | null;
  readonly lookback: string | null;
  /** Columns to project, as KQL writes them. */
  readonly project: readonly string[];
  /** The tuned query's exclusions, for its comment. */
  readonly exclusions: readonly { readonly name: string; readonly description: string | null }[];
  /** Sentinel data connectors of the tables (from the pipeline's layout). */
  readonly connectors: readonly { readonly connectorId: string; readonly dataTypes: readonly string[] }[];
}

function schemaFor(mapped: MappedQuery, source: string | null, bare: boolean): TableSchema | undefined {
  if (bare || source === null) return undefined;
  const schemas = tableSchemas(mapped.layout);
  if (schemas.size === 0) return undefined;
  const schema = schemas.get(source);
  if (!schema) {
    throw new RulecastError('invalid-pipeline', `pipeline ${mapped.pipelines.join(', ')} declares table schemas but none for ${source}`, mapped.query.span);
  }
  return schema;
}

/** One condition in KQL for one table. `computedRefs`: computed columns are written by name and
 *  collected there (the layout adds them first); without it they are written in place. */
export function renderKql(expr: Expr, mapped: MappedQuery, source: string | null, bare: boolean, compact: boolean, computedRefs?: Set<string>): string {
  const ctx: KqlContext = { schema: schemaFor(mapped, source, bare), source, pipelines: mapped.pipelines, computedRefs };
  const dialect = kqlDialect(ctx);
  const tree = renderTree(expr, dialect);
  return compact ? tree.text : layoutText(tree, dialect, defaultLayout);
}

interface Group {
  readonly source: string | null;
  readonly exprs: Expr[];
  readonly fields: readonly string[];
}

/** Branches by table, in order of first appearance; branches of a table share its field names. */
function tables(mapped: MappedQuery): Group[] {
  const groups = new Map<string | null, Group>();
  for (const b of mapped.branches) {
    const g = groups.get(b.source);
    if (g) g.exprs.push(b.expr);
    else groups.set(b.source, { source: b.source, exprs: [b.expr], fields: b.fields });
  }
  return [...groups.values()];
}

/**
 * The projection: each rule field as the tables name it. A field only some tables of a union have
 * is projected from those (Kusto's union fills the column with empty values elsewhere); a field no
 * table has is an error. A computed column is added to its table's rows first (`| extend Name =
 * expression`, inside each table's subquery of a union, since the expression differs per table).
 */
function projection(groups: readonly Group[], schemas: readonly (TableSchema | undefined)[], computed: readonly Set<string>[], query: RuleQuery): { project: string[]; extend: string[][] } {
  const project: string[] = [];
  const seen = new Set<string>();
  const has = (i: number, name: string) => name === ABSENT_FIELD || !schemas[i] || schemas[i]!.columns.has(name) || schemas[i]!.computed.has(name);
  // Each rule field maps to one name per table (unless a field map gives several targets).
  const positional = groups.every((g) => g.fields.length === query.fields.length);
  if (positional) {
    query.fields.forEach((field, k) => {
      if (!groups.some((g, i) => has(i, g.fields[k]!))) {
        throw new RulecastError('unknown-column', `field '${field}' of the rule's 'fields' is a column of none of ${groups.map((g) => g.source).join(', ')}`, query.span);
      }
    });
  }
  groups.forEach((group, i) => {
    for (const f of group.fields) {
      if (f === ABSENT_FIELD) continue;
      if (!has(i, f)) {
        if (positional) continue; // another table provides it (checked above)
        throw new RulecastError('unknown-column', `field '${f}' of the rule's 'fields' is not a column of ${group.source}`, query.span);
      }
      if (schemas[i]?.computed.has(f)) computed[i]!.add(f);
      if (seen.has(f)) continue;
      seen.add(f);
      project.push(kqlName(f));
    }
  });
  const extend = computed.map((names, i) => [...names].map((n) => `${kqlName(n)} = ${schemas[i]!.computed.get(n)!.kql}`));
  return { project, extend };
}

function connectorsOf(mapped: MappedQuery, parts: readonly KqlPart[]): KqlPlan['connectors'] {
  const layout = (mapped.layout.connectors ?? {}) as Record<string, unknown>;
  const out: { connectorId: string; dataTypes: string[] }[] = [];
  for (const p of parts) {
    if (p.source === null) continue;
    const id = layout[p.source];
    if (typeof id !== 'string') continue;
    const entry = out.find((c) => c.connectorId === id) ?? out[out.push({ connectorId: id, dataTypes: [] }) - 1]!;
    if (!entry.dataTypes.includes(p.source)) entry.dataTypes.push(p.source);
  }
  return out;
}

/** Whether the tables' conditions are one condition: the same IR over columns of the same types
 *  (so they are written alike, and `union A, B | where …` says the same). */
function sameCondition(exprs: readonly Expr[], schemas: readonly (TableSchema | undefined)[]): boolean {
  const key = irKey(exprs[0]!);
  if (!exprs.every((e) => irKey(e) === key)) return false;
  const fields = new Set(predicates(exprs[0]!).flatMap((p) => (p.field === null ? [] : p.op === 'fieldref' ? [p.field, p.value.field] : [p.field])));
  for (const f of fields) {
    const kinds = schemas.map((s) => (s === undefined ? 'none' : s.computed.has(f) ? 'computed' : (s.columns.get(f) ?? 'missing')));
    if (kinds.some((k) => k !== kinds[0] || k === 'computed')) return false;
  }
  return true;
}

export function kqlPlan(mapped: MappedQuery, options: PlanOptions): KqlPlan {
  const { bare, compact } = options;
  const q = mapped.query;
  const exclusions = (q.exclusions ?? []).map((e) => ({ name: e.name, description: e.description ?? null }));
  if (bare) {
    // Without pipelines every branch has the same expression.
    const part: KqlPart = { source: null, sourceText: null, body: renderKql(mapped.branches[0]!.expr, mapped, null, true, compact), extend: [] };
    return { bare, parts: [part], single: null, union: false, sameBody: false, body: null, hasSource: false, kqlSources: [], time: null, lookback: null, project: [], exclusions, connectors: [] };
  }
  const groups = tables(mapped);
  const schemas = groups.map((g) => schemaFor(mapped, g.source, false));
  const computed = groups.map(() => new Set<string>());
  const exprs = groups.map((g) => commonConjuncts(g.exprs));
  const bodies = groups.map((g, i) => renderKql(exprs[i]!, mapped, g.source, false, compact, computed[i]));
  const { project, extend } = projection(groups, schemas, computed, q);
  const parts: KqlPart[] = groups.map((g, i) => ({
    source: g.source,
    sourceText: g.source === null ? null : kqlName(g.source),
    body: bodies[i]!,
    extend: extend[i]!,
    columns: schemas[i]?.columns ? new Set(schemas[i]!.columns.keys()) : undefined,
  }));
  const anyExtend = extend.some((e) => e.length > 0);
  const sources = parts.map((p) => p.sourceText).filter((s): s is string => s !== null);
  const single = parts.length === 1 && parts[0]!.source !== null ? parts[0]! : null;
  const sameBody = parts.length > 1 && !anyExtend && sameCondition(exprs, schemas);
  const time = typeof mapped.layout.time === 'string' ? kqlName(mapped.layout.time) : null;
  return {
    bare,
    parts,
    single,
    union: parts.length > 1,
    sameBody,
    body: sameBody || single ? parts[0]!.body : null,
    hasSource: sources.length > 0,
    kqlSources: sources,
    time,
    lookback: q.lookback && time ? `${q.lookback.count}${q.lookback.unit}` : null,
    project,
    exclusions,
    connectors: connectorsOf(mapped, parts),
  };
}

export const kqlBackend: Backend<KqlPlan> = {
  name: 'kql',
  description: 'Kusto Query Language: Microsoft Defender XDR advanced hunting and Microsoft Sentinel',
  defaultPipeline: 'defender-xdr',
  plan: kqlPlan,
};
