// Converting imported KQL queries: `-t kql` re-renders the query over its own tables and columns;
// every other target gets the query in Sigma's terms (log sources, Sigma/ECS field names) through
// the inverse of the Defender pipeline, and applies its own pipelines from there.
import { RulecastError, isRulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { getTarget, type ConvertOptions } from './targets.js';
import { tuneQuery, type QueryExclusion, type QueryMeta, type RuleQuery } from '../ir/query.js';
import { predicates } from '../ir/passes.js';
import { describeLogsource } from '../pipelines/apply.js';
import { builtinPipelines, getBuiltinPipeline } from '../pipelines/load.js';
import type { FieldMap, FieldTarget, Pipeline, SourceRule } from '../pipelines/types.js';
import { commentSafe } from '../output/templates.js';
import { exclusionAppliesTo, exclusionsFor } from '../exclusions/apply.js';
import type { ExclusionFile } from '../exclusions/read.js';
import type { KqlQuery } from '../lower/kql.js';
import type { KqlDocumentFormat, KqlDocumentMeta } from '../import/document.js';
import { importKql, type ImportedKql } from '../import/kql.js';
import { readAttack, sigmaTags } from '../output/attack.js';
import { toSigmaView, type SigmaView, type SigmaViewOptions } from '../import/reverse.js';
import type { ConversionResult } from './convert.js';

/** The pipeline whose inverse maps Defender tables and columns back to Sigma's terms. */
export const defaultReversePipeline = 'defender-xdr';

/** The log source that stands for a Kusto table in a query over its own columns. */
export function tableLogsource(table: string): { product: string; service: string } {
  return { product: 'kusto', service: table };
}

/** Sigma tags for the document's ATT&CK tactics ("Initial access", "DefenseEvasion") and
 *  techniques (T1046), read with the one ATT&CK table (src/output/attack.ts): Sentinel's
 *  DefenseEvasion becomes the v19 tactic its techniques sit under. Names that are not ATT&CK
 *  tactics (the template's "Vulnerability", "Misconfiguration"…) are left out. */
export function attackTags(meta: KqlDocumentMeta): string[] {
  return sigmaTags(readAttack(meta.tactics, meta.techniques));
}

const levels: Record<string, string> = { informational: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

export function queryMeta(imported: ImportedKql): QueryMeta {
  const m = imported.meta;
  const stem = imported.path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  return {
    title: m.title ?? stem,
    id: m.id,
    description: m.description,
    author: m.author,
    level: m.severity ? levels[m.severity.toLowerCase()] : undefined,
    tags: attackTags(m),
    references: m.references,
    falsepositives: [],
  };
}

/** The query over its own tables and columns (log sources `{product: kusto, service: <table>}`):
 *  in the target's own names, so its exclusions reach nativePipeline as written. */
export function nativeQuery(imported: ImportedKql, kql: KqlQuery): RuleQuery {
  return { expr: kql.expr, logsources: kql.tables.map((t) => tableLogsource(t.name)), lookback: kql.lookback, meta: queryMeta(imported), fields: kql.fields, span: kql.span, namespace: 'target' };
}

/** A pipeline that sends each table's log source to that table: its columns as they are, and the
 *  Sigma and ECS names the Defender pipeline maps to them in that table (so exclusions, written in
 *  ECS names, reach the columns they mean: `process.name` is FileName in DeviceProcessEvents and
 *  InitiatingProcessFileName in DeviceFileEvents). Strict: a name that is neither is an error.
 *  The layout of the table's source in the Defender pipeline (if built in) is kept, so templates
 *  that need it (e.g. the time column) have it. */
export function nativePipeline(kql: KqlQuery): Pipeline {
  const forward = builtinPipelines().includes(defaultReversePipeline) ? getBuiltinPipeline(defaultReversePipeline) : undefined;
  const layout = nativeLayout(forward?.layout ?? {}, kql);
  const own = ownColumns(kql);
  return {
    name: 'kql-tables',
    description: 'the tables and columns of the imported query',
    target: 'kql',
    strict: true,
    unmatchedLogsource: 'error',
    fieldmaps: [],
    layout,
    origin: 'rulecast (KQL import)',
    sources: kql.tables.map((t) => ({
      logsource: tableLogsource(t.name),
      source: t.name,
      fieldmaps: forward ? tableMaps(forward, t.name, own, layout.tables !== undefined) : [columnsMap(t.name, own, undefined)],
      layout: forward?.sources.find((s) => s.source === t.name)?.layout ?? {},
    })),
  };
}

/** Every column the query reads or projects. */
function ownColumns(kql: KqlQuery): Set<string> {
  return new Set([...predicates(kql.expr).flatMap((p) => (p.field === null ? [] : p.op === 'fieldref' ? [p.field, p.value.field] : [p.field])), ...kql.fields]);
}

function schemaColumns(pipeline: Pipeline | undefined, table: string): Record<string, unknown> | undefined {
  const tables = (pipeline?.layout as { tables?: Record<string, { columns?: Record<string, unknown> }> } | undefined)?.tables;
  return tables?.[table]?.columns;
}

/** The table's columns (its schema's, and those the query reads) under their own names. */
function columnsMap(table: string, own: ReadonlySet<string>, forward: Pipeline | undefined): FieldMap {
  const names = new Set([...Object.keys(schemaColumns(forward, table) ?? {}), ...own]);
  return { name: 'columns', fields: new Map([...names].map((c): [string, FieldTarget] => [c, { kind: 'field', field: c, transforms: [] }])) };
}

/** The table's columns, then the forward pipeline's names for them. A name that is both a column
 *  and a Sigma field the pipeline maps otherwise (Sysmon's hexadecimal `LogonId` against the
 *  column's number) is refused, unless the query itself reads the column: then it means the
 *  column, as in the detection. */
function tableMaps(forward: Pipeline, table: string, own: ReadonlySet<string>, schemas: boolean): FieldMap[] {
  const columns = columnsMap(table, own, forward);
  const names = tableNames(forward, table, schemas);
  const fields = new Map(columns.fields);
  for (const [c, self] of columns.fields) {
    const other = names.fields.get(c);
    if (other && !own.has(c) && targetKey(other) !== targetKey(self)) {
      fields.set(c, { kind: 'unsupported', reason: `it is both a column of ${table} and a Sigma field that pipeline ${forward.name} maps otherwise, so which one the exclusion means is ambiguous` });
    }
  }
  return [{ name: columns.name, fields }, names];
}

function targetKey(t: FieldTarget | undefined): string {
  if (!t) return 'none';
  if (t.kind === 'unsupported') return `unsupported:${t.reason ?? ''}`;
  if (t.kind === 'any') return `any(${t.targets.map(targetKey).join(',')})`;
  return `field:${t.field}:${JSON.stringify(t.transforms.map((x) => [x.name, x.args]))}`;
}

/**
 * The names the forward pipeline gives the table's columns, as one field map: what every source
 * rule of the table maps a name to, where they all agree (DeviceProcessEvents' rules for Windows,
 * Linux and macOS map Sysmon's `User` differently: it is refused, with the reason). Without the
 * table schemas in the layout (a union reading a column some of its tables lack), a name the
 * pipeline maps to a computed column cannot be rendered, and is refused too.
 */
function tableNames(forward: Pipeline, table: string, schemas: boolean): FieldMap {
  const rules = forward.sources.filter((s) => s.source === table);
  const resolve = (rule: SourceRule, field: string): FieldTarget | undefined => [...rule.fieldmaps, ...forward.fieldmaps].find((m) => m.fields.has(field))?.fields.get(field);
  const names = new Set(rules.flatMap((r) => [...r.fieldmaps, ...forward.fieldmaps].flatMap((m) => [...m.fields.keys()])));
  const columns = schemaColumns(forward, table);
  const real = (t: FieldTarget): boolean => (t.kind === 'field' ? t.field.startsWith('~') || columns === undefined || Object.prototype.hasOwnProperty.call(columns, t.field) : t.kind === 'any' ? t.targets.every(real) : true);
  const fields = new Map<string, FieldTarget>();
  for (const name of names) {
    const targets = rules.map((r) => resolve(r, name));
    const first = targets[0];
    if (!first || targets.some((t) => !t)) {
      const which = rules.filter((_, i) => targets[i] !== undefined).map((r) => describeLogsource(r.logsource));
      fields.set(name, { kind: 'unsupported', reason: `pipeline ${forward.name} maps it for only some of the log sources of ${table} (${which.join(', ')}), so its meaning depends on rows the query does not tell apart` });
    } else if (targets.some((t) => targetKey(t) !== targetKey(first))) {
      fields.set(name, { kind: 'unsupported', reason: `pipeline ${forward.name} maps it differently for the log sources of ${table} (${rules.map((r) => describeLogsource(r.logsource)).join(', ')})` });
    } else if (!schemas && !real(first)) {
      fields.set(name, { kind: 'unsupported', reason: `it is computed from several columns, which needs the table schemas; this union reads a column not every one of its tables has` });
    } else {
      fields.set(name, first);
    }
  }
  return { name: `${forward.name}:${table}`, fields };
}

/** The forward pipeline's layout for the query's own tables. Its table schemas (column types) are
 *  kept only when every table of the query has one listing every column the query reads: the KQL
 *  backend then checks columns against them, while a union may read a column that only some of its
 *  tables have (Kusto gives the others' rows an empty value). */
function nativeLayout(layout: Readonly<Record<string, unknown>>, kql: KqlQuery): Record<string, unknown> {
  const { tables, ...rest } = layout as { tables?: Record<string, { columns?: Record<string, unknown> }> };
  if (!tables) return { ...rest };
  const used = ownColumns(kql);
  const complete = kql.tables.every((t) => {
    const columns = tables[t.name]?.columns;
    return columns !== undefined && [...used].every((c) => Object.prototype.hasOwnProperty.call(columns, c));
  });
  return complete ? { ...rest, tables: Object.fromEntries(kql.tables.map((t) => [t.name, tables[t.name]])) } : rest;
}

/** The query in Sigma's terms: one rule, or one per table when a column means different Sigma
 *  fields in different tables. */
export function sigmaViews(imported: ImportedKql, kql: KqlQuery, reverse: string | Pipeline = defaultReversePipeline, options: boolean | SigmaViewOptions = {}): SigmaView[] {
  let pipeline: Pipeline;
  if (typeof reverse === 'string') {
    if (!builtinPipelines().includes(reverse)) {
      throw new RulecastError('no-reverse-pipeline', `mapping Kusto columns back to Sigma fields needs the ${reverse} pipeline, which this build of rulecast does not have`, kql.span);
    }
    pipeline = getBuiltinPipeline(reverse);
  } else {
    pipeline = reverse;
  }
  const { expr: _e, logsources: _l, fields: _f, lookback: _b, ...base } = nativeQuery(imported, kql);
  return toSigmaView(kql, base, pipeline, typeof options === 'boolean' ? { identity: options } : options);
}

/** One imported query rendered for one target: the shape of a Sigma rule's conversion. */
export type KqlConversionResult = ConversionResult;

/** Error codes of input that is not valid KQL (or has no query): the rest are valid queries
 *  rulecast cannot import or a target cannot express. */
const invalidCodes = new Set(['kql-syntax', 'kql-no-query', 'kql-too-deep', 'kql-invalid-regex', 'kql-unknown-column']);

export interface KqlConvertOptions {
  /** Options per target (pipelines apply to the Sigma view; for kql only 'none' is honoured). */
  readonly options?: ReadonlyMap<string, ConvertOptions> | undefined;
  /** The pipeline whose inverse maps columns back to Sigma fields (default defender-xdr). */
  readonly reverse?: string | Pipeline | undefined;
  /** Exclusion files that tune every query of the document (in ECS or Sigma names). */
  readonly exclusions?: readonly ExclusionFile[] | undefined;
}

/** The exclusions of some files that apply to an imported query (a Sigma filter applies when it
 *  names the query's id or title, or `any`). A file or exclusion with an error throws it. A Sigma
 *  filter scoped to a log source is refused: the query reads tables, and whether a Sigma log
 *  source covers them is the reverse mapping's business, not the filter's. */
export function importedExclusions(files: readonly ExclusionFile[], imported: ImportedKql): { exclusions: QueryExclusion[]; warnings: Diagnostic[] } {
  const meta = queryMeta(imported);
  const rule = { id: meta.id, name: meta.title, logsource: {} };
  for (const file of files) {
    for (const e of file.exclusions) {
      const scoped = e.scope && (['category', 'product', 'service'] as const).some((k) => e.scope!.logsource[k] !== undefined);
      if (scoped && exclusionAppliesTo(e, { ...rule, logsource: e.scope!.logsource })) {
        throw new RulecastError('kql-exclusions', `Sigma filter '${e.name}' is scoped to the log source ${describeLogsource(e.scope!.logsource)}; an imported KQL query reads tables, so the filter's scope cannot be checked (drop its logsource to apply it)`, e.span);
      }
    }
  }
  const { exclusions, warnings } = exclusionsFor(files, rule);
  return { exclusions: [...exclusions], warnings: warnings.filter((w) => w.severity === 'warning') };
}

/** Imports every query of a KQL document and renders it for each target, tuned by the exclusion
 *  files given; never throws for bad input. One result per query and target. */
export function convertKqlDocument(text: string, path: string, targets: readonly string[], options: KqlConvertOptions = {}, format?: KqlDocumentFormat): KqlConversionResult[] {
  const results: KqlConversionResult[] = [];
  for (const imported of importKql(new SourceFile(path, text), format)) {
    const meta = queryMeta(imported);
    const base = { path, index: imported.index, title: meta.title, id: meta.id ?? null };
    let tuning: { exclusions: QueryExclusion[]; warnings: Diagnostic[] } = { exclusions: [], warnings: [] };
    let error = imported.error;
    if (imported.query && options.exclusions?.length) {
      try {
        tuning = importedExclusions(options.exclusions, imported);
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        error = err.diagnostic;
      }
    }
    for (const target of targets) {
      if (!imported.query || error) {
        results.push({ ...base, target, query: null, error: error!, warnings: [], status: !imported.query && !invalidCodes.has(error!.code) ? 'unsupported' : 'invalid' });
        continue;
      }
      try {
        const { text: out, warnings } = renderImported(imported, imported.query, target, options.options?.get(target) ?? {}, options.reverse, tuning.exclusions);
        results.push({ ...base, target, query: out, error: null, warnings: [...tuning.warnings, ...warnings], status: 'converted' });
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        results.push({ ...base, target, query: null, error: err.diagnostic, warnings: [], status: 'unsupported' });
      }
    }
  }
  return results;
}

/** What an imported query gets for a target whose default pipeline is `none` (SPL) when no
 *  pipeline is asked for: the Sigma view's names as they are, with the target's layout, since the
 *  bare expression would drop the lookback and the projection (`-p none` still gives it). */
const namesAsTheyAre: Pipeline = {
  name: 'sigma-names',
  description: "the imported query's Sigma view, its field names as they are",
  strict: false,
  sources: [],
  unmatchedLogsource: 'keep',
  fieldmaps: [],
  layout: {},
  origin: 'rulecast (KQL import)',
};

/** A comment naming the tables (and the log sources standing for them) of one part of a query
 *  over several tables, in the target's comment syntax; undefined where the output has none. */
function tableLabel(target: string, view: SigmaView): string | undefined {
  const text = `${view.tables.join(', ')}: ${view.query.logsources.length > 1 ? 'log sources' : 'log source'} ${view.query.logsources.map(describeLogsource).join(', ')}`;
  if (target === 'spl') return `\`\`\`${commentSafe(text, 'backticks')}\`\`\``;
  if (target === 'eql') return `// ${commentSafe(text, 'line')}`;
  return undefined;
}

/** One imported query for one target, tuned by the exclusions given: over its own tables and
 *  columns for kql (each exclusion mapped to each table's columns), in Sigma's terms (one ECS
 *  namespace where the pipeline allows) for the others. */
export function renderImported(imported: ImportedKql, kql: KqlQuery, target: string, options: ConvertOptions = {}, reverse?: string | Pipeline, exclusions: readonly QueryExclusion[] = []): { text: string; warnings: Diagnostic[] } {
  const t = getTarget(target);
  if (!t) throw new RulecastError('unknown-target', `unknown target '${target}'`);
  const bare = options.pipelines?.length === 1 && options.pipelines[0] === 'none';
  if (target === 'kql') {
    if (bare && exclusions.length) {
      throw new RulecastError('kql-exclusions', "'-p none' renders the imported condition over its columns as written, without mapping the exclusions' field names to them; tune it without '-p none'", exclusions[0]!.span);
    }
    return { text: t.convert(tuneQuery(nativeQuery(imported, kql), exclusions), { ...options, pipelines: bare ? ['none'] : [nativePipeline(kql)] }), warnings: [] };
  }
  // Sigma: one rule (keeping the query's id) whose detection tells the tables apart where their
  // columns have different names; a column without a Sigma name may keep its own only there (read
  // back with the same pipeline), since an SPL or EQL pipeline would not know it. SPL and EQL get
  // one search per table where the names differ, each labelled with its table.
  const sigma = target === 'sigma';
  const views = sigmaViews(imported, kql, reverse, { identity: sigma, guard: sigma });
  const defaultLayout = !options.pipelines?.length && t.defaultPipeline === 'none' && !sigma;
  const convertOptions = defaultLayout ? { ...options, pipelines: [namesAsTheyAre] } : options;
  const labelled = kql.tables.length > 1 && !bare && (options.format ?? 'default') === 'default';
  const told: Diagnostic[] = [];
  const texts = views.map((v) => {
    const text = t.convert(tuneQuery(v.query, exclusions), { ...convertOptions, onWarning: (w) => (told.push(w), options.onWarning?.(w)) }).replace(/\n+$/, '');
    const label = labelled ? tableLabel(target, v) : undefined;
    return label ? `${label}\n${text}` : text;
  });
  const separator = sigma ? '\n---\n' : '\n\n';
  return { text: `${texts.join(separator)}\n`, warnings: [...views.flatMap((v) => [...v.warnings]), ...told] };
}
