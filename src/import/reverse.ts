// Imported KQL (Defender tables and columns) → a rule in Sigma's terms (log sources and Sigma/ECS
// field names), so the SPL and EQL pipelines can map it, and so it can be written as a Sigma rule.
// The mapping is the inverse of a forward pipeline (defender-xdr), derived from its data per table:
//
// - a table stands for the first log source the pipeline sends to it without added conditions; or,
//   when every log source of the table adds an `ActionType` condition, for several log sources
//   whose conditions split the table's documented ActionType values exactly (each value once, all
//   of them: see actionTypes below);
// - a column C stands for the Sigma fields the pipeline renames to C without a value transform
//   (`Image: FolderPath`), and, in a pipeline that keeps unknown fields as written (not strict),
//   for C itself when no field map of the source claims the name C (and the table's schema in the
//   pipeline's layout, if any, has the column). Sigma/ECS names are preferred; a column kept under
//   its own name is for the sigma target only (an SPL or EQL pipeline would not know it).
//
// Nothing is guessed: after mapping back, the forward pipeline is applied to the result and must give
// back the imported query for every table (with each log source's ActionType condition), or the
// import is refused.
import { RulecastError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { mapPredicates, simplify } from '../ir/passes.js';
import { satisfiable } from '../analysis/satisfiable.js';
import { irKey } from '../ir/dump.js';
import { and, or, pred, withField } from '../ir/build.js';
import type { QueryLogsource, RuleQuery } from '../ir/query.js';
import type { Expr, Pred } from '../ir/types.js';
import { applyPipelines, describeLogsource } from '../pipelines/apply.js';
import type { FieldMap, Pipeline, SourceRule } from '../pipelines/types.js';
import type { KqlQuery } from '../lower/kql.js';
import { timeColumns } from '../lower/kql.js';

/** ActionType values of Defender tables whose Sigma log sources each take some of them. From
 *  Microsoft Learn's advanced hunting schema reference (DeviceFileEvents: files created, modified,
 *  deleted and renamed). A table is split by ActionType only when its log sources cover exactly
 *  these values; a pipeline may declare its own in `layout.tables.<table>.actionTypes`. */
export const actionTypes: Readonly<Record<string, readonly string[]>> = {
  DeviceFileEvents: ['FileCreated', 'FileModified', 'FileDeleted', 'FileRenamed'],
};

/** One log source standing for (part of) a table. */
export interface LogsourceInverse {
  readonly logsource: QueryLogsource;
  /** The ActionType condition the pipeline adds for this log source (undefined: the whole table). */
  readonly condition?: Expr | undefined;
  /** Column → Sigma/ECS fields renamed to it exactly, in the pipeline's order. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
  /** The pipeline's source rule (for identityOk). */
  readonly rule: SourceRule;
}

export interface TableInverse {
  readonly table: string;
  readonly parts: readonly LogsourceInverse[];
}

function exactRenames(maps: readonly FieldMap[]): Map<string, string[]> {
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

function mapsOf(rule: SourceRule, pipeline: Pipeline): FieldMap[] {
  return [...rule.fieldmaps, ...pipeline.fieldmaps];
}

/** The table's column list from the pipeline's layout (`layout.tables.<T>.columns`), if given. */
function layoutTable(pipeline: Pipeline, table: string): { columns?: Record<string, unknown>; actionTypes?: unknown } | undefined {
  const tables = (pipeline.layout as { tables?: Record<string, unknown> }).tables;
  const t = tables?.[table];
  return t && typeof t === 'object' ? (t as { columns?: Record<string, unknown>; actionTypes?: unknown }) : undefined;
}

/** A column may stand for itself: the pipeline keeps unknown fields as written, no field map of the
 *  source claims the name (as a Sigma field mapped elsewhere, or as unsupported), and the table has
 *  the column (when the layout lists columns). */
function identityOk(pipeline: Pipeline, table: string, rule: SourceRule, column: string): boolean {
  if (pipeline.strict) return false;
  if (mapsOf(rule, pipeline).some((m) => m.fields.has(column))) {
    const target = mapsOf(rule, pipeline).find((m) => m.fields.has(column))!.fields.get(column)!;
    return target.kind === 'field' && target.field === column && target.transforms.length === 0;
  }
  const columns = layoutTable(pipeline, table)?.columns;
  return columns === undefined || Object.prototype.hasOwnProperty.call(columns, column);
}

/** The ActionType values of a condition `ActionType: [a, b]` (case-insensitive equalities), or
 *  undefined for any other condition. */
function actionTypeValues(e: Expr): string[] | undefined {
  const one = (x: Expr): string | undefined => (x.kind === 'pred' && x.op === 'eq' && x.field === 'ActionType' && typeof x.value === 'string' && !x.timePart ? x.value : undefined);
  if (e.kind === 'or') {
    const values = e.args.map(one);
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  }
  const v = one(e);
  return v === undefined ? undefined : [v];
}

/** The same test as the pipeline's (src/pipelines/apply.ts): every key the rule gives must equal
 *  the log source's, case-insensitively. */
function matches(pattern: QueryLogsource, actual: QueryLogsource): boolean {
  return (['category', 'product', 'service', 'definition'] as const).every((k) => pattern[k] === undefined || (actual[k] !== undefined && pattern[k]!.toLowerCase() === actual[k]!.toLowerCase()));
}

/** The log source a source rule stands for in a rule: its own keys, with `product: windows` when it
 *  names no product (the product Sigma's taxonomy and the SPL and EQL pipelines key on), provided
 *  the pipeline still sends that log source to this very rule. */
function ruleLogsource(pipeline: Pipeline, rule: SourceRule): QueryLogsource {
  if (rule.logsource.product !== undefined || rule.logsource.service !== undefined) return rule.logsource;
  const windows = { ...rule.logsource, product: 'windows' };
  return pipeline.sources.find((s) => matches(s.logsource, windows)) === rule ? windows : rule.logsource;
}

/** Each table's log sources in the inverse of `pipeline` (tables it cannot cover are absent). A
 *  table is read as a whole by an unconditional source rule: a product-neutral one when there is
 *  one (Defender XDR's DeviceProcessEvents also holds Linux and macOS devices), else the first. */
export function invertPipeline(pipeline: Pipeline): Map<string, TableInverse> {
  const out = new Map<string, TableInverse>();
  const tables = [...new Set(pipeline.sources.map((s) => s.source).filter((s): s is string => s !== null))];
  for (const table of tables) {
    const rules = pipeline.sources.filter((s) => s.source === table);
    const part = (rule: SourceRule): LogsourceInverse => ({ logsource: ruleLogsource(pipeline, rule), condition: rule.conditions, columns: exactRenames(mapsOf(rule, pipeline)), rule });
    const unconditional = rules.filter((r) => r.conditions === undefined);
    const whole = unconditional.find((r) => r.logsource.product === undefined && r.logsource.service === undefined) ?? unconditional[0];
    if (whole) {
      out.set(table, { table, parts: [part(whole)] });
      continue;
    }
    const declared = layoutTable(pipeline, table)?.actionTypes;
    const domain = Array.isArray(declared) ? declared.map(String) : actionTypes[table];
    if (!domain) continue;
    // Log sources whose ActionType values are not yet covered, in the pipeline's order.
    const covered = new Set<string>();
    const parts: LogsourceInverse[] = [];
    for (const r of rules) {
      const values = actionTypeValues(r.conditions!);
      if (!values || values.some((v) => covered.has(v.toLowerCase()) || !domain.some((d) => d.toLowerCase() === v.toLowerCase()))) continue;
      values.forEach((v) => covered.add(v.toLowerCase()));
      parts.push(part(r));
    }
    if (domain.every((d) => covered.has(d.toLowerCase()))) out.set(table, { table, parts });
  }
  return out;
}

export interface SigmaView {
  readonly query: RuleQuery;
  readonly warnings: readonly Diagnostic[];
  /** The query's tables this view stands for, in the query's order. */
  readonly tables: readonly string[];
}

type Base = Omit<RuleQuery, 'expr' | 'logsources' | 'fields' | 'lookback'>;

export interface SigmaViewOptions {
  /** Let columns keep their own names where no Sigma field maps to them (for the sigma target). */
  readonly identity?: boolean | undefined;
  /** For a union whose tables name a column differently: one rule all the same, each table's
   *  detection under the condition that tells its events apart (see guardField). For the sigma
   *  target, where one rule keeps the query's id; SPL and EQL get one search per table instead. */
  readonly guard?: boolean | undefined;
}

/** The field namespaces a view may use. ECS names are dotted paths (`process.name`) or
 *  `@timestamp`; Sigma's taxonomy (Sysmon's names) has single words (`Image`, `sha1`). ECS comes
 *  first: the exclusion language is written in ECS names, and a Defender column has one ECS
 *  meaning per table (`FileName`: process.name or file.name). `mixed` takes any exact name, ECS
 *  first, for queries neither namespace covers alone. */
type Namespace = 'ecs' | 'sigma' | 'mixed';

export function isEcsName(field: string): boolean {
  return field.includes('.') || field.startsWith('@');
}

function inNamespace(names: readonly string[], ns: Namespace): string[] {
  if (ns === 'mixed') return [...names.filter(isEcsName), ...names.filter((n) => !isEcsName(n))];
  return names.filter((n) => isEcsName(n) === (ns === 'ecs'));
}

type Shape = 'one' | 'guarded' | 'split';

/** Maps an imported query to Sigma's terms with the inverse of `pipeline`, in one field namespace
 *  (ECS, else Sigma's, else both). One rule for all the query's tables when every column has one
 *  name in all of them; otherwise (with `guard`) one rule whose detection tells the tables apart,
 *  else one rule per table (a Sigma detection names each field once for all its log sources). */
export function toSigmaView(kql: KqlQuery, base: Base, pipeline: Pipeline, options: SigmaViewOptions = {}): SigmaView[] {
  const inverse = invertPipeline(pipeline);
  const tablesInverse = kql.tables.map((t) => {
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
  // A log source whose ActionType condition contradicts the query selects nothing of it: left out
  // (a query on `ActionType == "FileCreated"` needs no rename log source).
  const inverses = tablesInverse.map((inv) => {
    if (inv.parts.length < 2) return inv;
    const kept = inv.parts.filter((p) => !p.condition || satisfiable(and(p.condition, kql.expr), { maxConjuncts: 2_000 }).status !== 'unsat');
    return kept.length ? { ...inv, parts: kept } : inv;
  });
  const columns = usedColumns(kql.expr);
  const shapes: Shape[] = inverses.length === 1 ? ['one'] : ['one', ...(options.guard ? (['guarded'] as const) : []), 'split'];
  // The error reported when nothing maps: the first of the most lenient namespace (the reasons
  // of the stricter ones are only that a name is in the other namespace).
  let reported: RulecastError | undefined;
  for (const identity of options.identity ? [false, true] : [false]) {
    for (const ns of ['ecs', 'sigma', 'mixed'] as const) {
      for (const shape of shapes) {
        const r = shape === 'guarded' ? tryGuarded(kql, base, pipeline, inverses, columns, identity, ns) : tryShape(kql, base, pipeline, inverses, columns, identity, ns, shape === 'split');
        if (r.ok) return r.views;
        if (ns === 'mixed' && !identity) reported ??= r.error;
      }
    }
  }
  throw reported!;
}

type Attempt = { ok: true; views: SigmaView[] } | { ok: false; error: RulecastError };

interface Part {
  readonly table: string;
  readonly part: LogsourceInverse;
}

function partsOf(tables: readonly TableInverse[]): Part[] {
  return tables.flatMap((t) => t.parts.map((p) => ({ table: t.table, part: p })));
}

/** Column → one name in the namespace, the same in every log source of the group (the column
 *  itself only with `identity`). */
function namesFor(pipeline: Pipeline, tables: readonly TableInverse[], columns: ReadonlyMap<string, Pred>, identity: boolean, ns: Namespace): { ok: true; names: Map<string, string>; warnings: Diagnostic[] } | { ok: false; error: RulecastError } {
  const parts = partsOf(tables);
  const names = new Map<string, string>();
  const warnings: Diagnostic[] = [];
  for (const [column, where] of columns) {
    const common = candidates(pipeline, parts, column, identity, ns);
    if (common.length === 0) {
      const missing = [...new Set(parts.filter(({ part }) => inNamespace(part.columns.get(column) ?? [], ns).length === 0).map(({ table }) => table))];
      const message = missing.length
        ? `column ${column} of ${missing.join(' and ')} has no exact Sigma field in pipeline ${pipeline.name}`
        : `column ${column} stands for different Sigma fields in ${tables.map((t) => `${t.table} (${[...new Set(t.parts.flatMap((p) => inNamespace(p.columns.get(column) ?? [], ns)))].join(', ')})`).join(' and ')}`;
      return { ok: false, error: new RulecastError('unmapped-column', message, where.span, ['rulecast maps a column back only where the pipeline renames a Sigma field to it without changing values']) };
    }
    names.set(column, common[0]!);
    if (!parts.every(({ part }) => part.columns.get(column)?.includes(column))) if (common[0] === column) warnings.push(warning('kql-column-kept', `column ${column} has no Sigma field in pipeline ${pipeline.name}; the rule names it as the column`, where.span));
  }
  if (ns === 'mixed') {
    const sigmaOnly = [...names].filter(([column, name]) => name !== column && !isEcsName(name));
    if (sigmaOnly.length && [...names.values()].some(isEcsName)) {
      const list = sigmaOnly.map(([column, name]) => `${column} (${name})`).join(', ');
      warnings.push(warning('kql-mixed-names', `the rule names columns in ECS where pipeline ${pipeline.name} has ECS names and in Sigma's taxonomy where it has only those: ${list}`, columns.get(sigmaOnly[0]![0])!.span));
    }
  }
  return { ok: true, names, warnings };
}

/** The names a column may take in every log source of the group, in the namespace's order. */
function candidates(pipeline: Pipeline, parts: readonly Part[], column: string, identity: boolean, ns: Namespace): string[] {
  const lists = parts.map(({ table, part }) => [...inNamespace(part.columns.get(column) ?? [], ns), ...(identity && identityOk(pipeline, table, part.rule, column) ? [column] : [])]);
  return lists[0]!.filter((f) => lists.every((l) => l.includes(f)));
}

function renamed(expr: Expr, names: ReadonlyMap<string, string>): Expr {
  return simplify(
    mapPredicates(expr, (p) => {
      const field = p.field === null ? null : names.get(p.field)!;
      if (p.op === 'fieldref') return pred({ ...p, field, value: { ...p.value, field: names.get(p.value.field)! } } as Parameters<typeof pred>[0]);
      return withField(p, field);
    }),
  );
}

/** The projection in the group's names; a column without one is left out, with a warning. */
function fieldsFor(kql: KqlQuery, pipeline: Pipeline, tables: readonly TableInverse[], identity: boolean, ns: Namespace, fields: string[], warnings: Diagnostic[]): void {
  const parts = partsOf(tables);
  for (const column of kql.fields) {
    const common = candidates(pipeline, parts, column, identity, ns);
    if (common.length) {
      if (!fields.includes(common[0]!)) fields.push(common[0]!);
    } else if (!(timeColumns as readonly string[]).includes(column)) {
      warnings.push(warning('kql-field-dropped', `projected column ${column} has no Sigma field in ${tables.map((t) => t.table).join(' and ')} (pipeline ${pipeline.name}); it is left out of the rule's fields`, kql.span));
    }
  }
}

/** One rule for all the tables (split: false) or one per table. */
function tryShape(kql: KqlQuery, base: Base, pipeline: Pipeline, tables: readonly TableInverse[], columns: ReadonlyMap<string, Pred>, identity: boolean, ns: Namespace, split: boolean): Attempt {
  const groups = split ? tables.map((t) => [t]) : [tables];
  const views: SigmaView[] = [];
  for (const group of groups) {
    const meta = split ? { ...base.meta, title: `${base.meta.title} (${group[0]!.table})`, id: undefined } : base.meta;
    const named = namesFor(pipeline, group, columns, identity, ns);
    if (!named.ok) return named;
    const fields: string[] = [];
    const warnings = [...named.warnings];
    fieldsFor(kql, pipeline, group, identity, ns, fields, warnings);
    const parts = partsOf(group);
    const query: RuleQuery = { ...base, meta, expr: renamed(kql.expr, named.names), logsources: parts.map(({ part }) => part.logsource), fields, lookback: kql.lookback };
    const error = roundTripError(kql, query, pipeline, parts);
    if (error) return { ok: false, error };
    views.push({ query, warnings, tables: group.map((t) => t.table) });
  }
  return { ok: true, views };
}

/**
 * One rule for a union whose tables name a column differently: each table's detection in its own
 * names, ORed, under a guard where it could hold in another table's events. The guard is a field
 * the pipeline maps to a constant in every log source (ECS event.category: process, file…), with
 * a different value per table, so mapping forward decides it and gives each table its detection
 * back. A table's detection needs no guard where it is false in every other table anyway (ECS
 * file.* in process events, which the pipeline maps as absent).
 */
function tryGuarded(kql: KqlQuery, base: Base, pipeline: Pipeline, tables: readonly TableInverse[], columns: ReadonlyMap<string, Pred>, identity: boolean, ns: Namespace): Attempt {
  const exprs: Expr[] = [];
  const fields: string[] = [];
  const warnings: Diagnostic[] = [];
  for (const t of tables) {
    const named = namesFor(pipeline, [t], columns, identity, ns);
    if (!named.ok) return named;
    exprs.push(renamed(kql.expr, named.names));
    warnings.push(...named.warnings);
    fieldsFor(kql, pipeline, [t], identity, ns, fields, warnings);
  }
  const parts = partsOf(tables);
  const guard = guardField(pipeline, tables);
  const guarded: Expr[] = [];
  for (let i = 0; i < tables.length; i++) {
    const others = parts.filter(({ table }) => table !== tables[i]!.table);
    if (falseIn(exprs[i]!, base, pipeline, others)) guarded.push(exprs[i]!);
    else if (guard) guarded.push(and(pred({ op: 'eq', field: guard.field, value: guard.values[i]! }), exprs[i]!));
    else return { ok: false, error: new RulecastError('unmapped-column', `the tables of the union name a column differently and pipeline ${pipeline.name} has no field that tells their events apart`, kql.span) };
  }
  const query: RuleQuery = { ...base, expr: simplify(or(...guarded)), logsources: parts.map(({ part }) => part.logsource), fields, lookback: kql.lookback };
  const error = roundTripError(kql, query, pipeline, parts);
  if (error) return { ok: false, error };
  return { ok: true, views: [{ query, warnings, tables: tables.map((t) => t.table) }] };
}

/** A field the pipeline maps to a constant in every log source of the tables, with one value per
 *  table and a different one in each (ECS event.category), or undefined. */
function guardField(pipeline: Pipeline, tables: readonly TableInverse[]): { field: string; values: string[] } | undefined {
  const constant = (rule: SourceRule, field: string): string | undefined => {
    const target = mapsOf(rule, pipeline).find((m) => m.fields.has(field))?.fields.get(field);
    if (target?.kind !== 'field' || target.transforms.length !== 1 || target.transforms[0]!.name !== 'constant') return undefined;
    const v = target.transforms[0]!.args;
    return typeof v === 'string' ? v : undefined;
  };
  const fields = new Set(mapsOf(tables[0]!.parts[0]!.rule, pipeline).flatMap((m) => [...m.fields.keys()]));
  for (const field of fields) {
    const values = tables.map((t) => {
      const each = t.parts.map((p) => constant(p.rule, field));
      return each.every((v) => v !== undefined && v.toLowerCase() === each[0]!.toLowerCase()) ? each[0] : undefined;
    });
    if (values.every((v): v is string => v !== undefined) && new Set(values.map((v) => v.toLowerCase())).size === values.length) return { field, values };
  }
  return undefined;
}

/** Whether the pipeline maps the detection to false in every one of these log sources. */
function falseIn(expr: Expr, base: Base, pipeline: Pipeline, parts: readonly Part[]): boolean {
  if (parts.length === 0) return true;
  try {
    const mapped = applyPipelines({ ...base, expr, logsources: parts.map(({ part }) => part.logsource), fields: [] }, [pipeline]);
    return mapped.branches.every((b) => b.expr.kind === 'const' && !b.expr.value);
  } catch (err) {
    if (err instanceof RulecastError) return false;
    throw err;
  }
}

/** The proof: mapping forward again gives the imported detection for every table (with the log
 *  source's ActionType condition where the table is split). */
function roundTripError(kql: KqlQuery, query: RuleQuery, pipeline: Pipeline, parts: readonly Part[]): RulecastError | undefined {
  let mapped;
  try {
    mapped = applyPipelines(query, [pipeline]);
  } catch (err) {
    if (err instanceof RulecastError) return err;
    throw err;
  }
  for (let i = 0; i < parts.length; i++) {
    const branch = mapped.branches[i]!;
    const { table, part } = parts[i]!;
    const expected = part.condition ? simplify(and(part.condition, kql.expr)) : kql.expr;
    if (branch.source !== table || irKey(simplify(branch.expr)) !== irKey(expected)) {
      return new RulecastError('inexact-mapping', `mapping ${table} back to ${describeLogsource(part.logsource)} and forward again with pipeline ${pipeline.name} does not give the same query`, kql.span);
    }
  }
  return undefined;
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
