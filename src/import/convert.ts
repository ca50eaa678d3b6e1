// Converting imported KQL queries: `-t kql` re-renders the query over its own tables and columns;
// every other target gets the query in Sigma's terms (log sources, Sigma/ECS field names) through
// the inverse of the Defender pipeline, and applies its own pipelines from there.
import { RulecastError, isRulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { getTarget } from '../backends/registry.js';
import type { ConvertOptions } from '../backends/types.js';
import type { QueryMeta, RuleQuery } from '../ir/query.js';
import { predicates } from '../ir/passes.js';
import { builtinPipelines, getBuiltinPipeline } from '../pipelines/load.js';
import type { Pipeline } from '../pipelines/types.js';
import type { KqlQuery } from '../lower/kql.js';
import type { KqlDocumentFormat, KqlDocumentMeta } from './document.js';
import { importKql, type ImportedKql } from './kql.js';
import { readAttack, sigmaTags } from '../output/attack.js';
import { toSigmaView, type SigmaView } from './reverse.js';
import type { ConversionResult } from '../index.js';

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

/** The query over its own tables and columns (log sources `{product: kusto, service: <table>}`). */
export function nativeQuery(imported: ImportedKql, kql: KqlQuery): RuleQuery {
  return { expr: kql.expr, logsources: kql.tables.map((t) => tableLogsource(t.name)), lookback: kql.lookback, meta: queryMeta(imported), fields: kql.fields, span: kql.span };
}

/** A pipeline that sends each table's log source to that table and keeps every column. The layout
 *  of the table's source in the Defender pipeline (if built in) is kept, so templates that need it
 *  (e.g. the time column) have it. */
export function nativePipeline(kql: KqlQuery): Pipeline {
  const forward = builtinPipelines().includes(defaultReversePipeline) ? getBuiltinPipeline(defaultReversePipeline) : undefined;
  return {
    name: 'kql-tables',
    description: 'the tables and columns of the imported query',
    target: 'kql',
    strict: false,
    unmatchedLogsource: 'error',
    fieldmaps: [],
    layout: nativeLayout(forward?.layout ?? {}, kql),
    origin: 'rulecast (KQL import)',
    sources: kql.tables.map((t) => ({
      logsource: tableLogsource(t.name),
      source: t.name,
      fieldmaps: [],
      layout: forward?.sources.find((s) => s.source === t.name)?.layout ?? {},
    })),
  };
}

/** The forward pipeline's layout for the query's own tables. Its table schemas (column types) are
 *  kept only when every table of the query has one listing every column the query reads: the KQL
 *  backend then checks columns against them, while a union may read a column that only some of its
 *  tables have (Kusto gives the others' rows an empty value). */
function nativeLayout(layout: Readonly<Record<string, unknown>>, kql: KqlQuery): Record<string, unknown> {
  const { tables, ...rest } = layout as { tables?: Record<string, { columns?: Record<string, unknown> }> };
  if (!tables) return { ...rest };
  const used = new Set([...predicates(kql.expr).flatMap((p) => (p.field === null ? [] : p.op === 'fieldref' ? [p.field, p.value.field] : [p.field])), ...kql.fields]);
  const complete = kql.tables.every((t) => {
    const columns = tables[t.name]?.columns;
    return columns !== undefined && [...used].every((c) => Object.prototype.hasOwnProperty.call(columns, c));
  });
  return complete ? { ...rest, tables: Object.fromEntries(kql.tables.map((t) => [t.name, tables[t.name]])) } : rest;
}

/** The query in Sigma's terms: one rule, or one per table when a column means different Sigma
 *  fields in different tables. */
export function sigmaViews(imported: ImportedKql, kql: KqlQuery, reverse: string | Pipeline = defaultReversePipeline, identity = false): SigmaView[] {
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
  return toSigmaView(kql, base, pipeline, { identity });
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
}

/** Imports every query of a KQL document and renders it for each target; never throws for bad
 *  input. One result per query and target. */
export function convertKqlDocument(text: string, path: string, targets: readonly string[], options: KqlConvertOptions = {}, format?: KqlDocumentFormat): KqlConversionResult[] {
  const results: KqlConversionResult[] = [];
  for (const imported of importKql(new SourceFile(path, text), format)) {
    const meta = queryMeta(imported);
    const base = { path, index: imported.index, title: meta.title, id: meta.id ?? null };
    for (const target of targets) {
      if (!imported.query) {
        const error = imported.error!;
        results.push({ ...base, target, query: null, error, warnings: [], status: invalidCodes.has(error.code) ? 'invalid' : 'unsupported' });
        continue;
      }
      try {
        const { text: out, warnings } = renderImported(imported, imported.query, target, options.options?.get(target) ?? {}, options.reverse);
        results.push({ ...base, target, query: out, error: null, warnings, status: 'converted' });
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        results.push({ ...base, target, query: null, error: err.diagnostic, warnings: [], status: 'unsupported' });
      }
    }
  }
  return results;
}

/** One imported query for one target. */
export function renderImported(imported: ImportedKql, kql: KqlQuery, target: string, options: ConvertOptions = {}, reverse?: string | Pipeline): { text: string; warnings: Diagnostic[] } {
  const t = getTarget(target);
  if (!t) throw new RulecastError('unknown-target', `unknown target '${target}'`);
  if (target === 'kql') {
    const bare = options.pipelines?.length === 1 && options.pipelines[0] === 'none';
    return { text: t.convert(nativeQuery(imported, kql), { ...options, pipelines: bare ? ['none'] : [nativePipeline(kql)] }), warnings: [] };
  }
  // A column without a Sigma name may keep its own only in a Sigma rule (read back with the same
  // pipeline); an SPL or EQL pipeline would not know it.
  const views = sigmaViews(imported, kql, reverse, target === 'sigma');
  const told: Diagnostic[] = [];
  const texts = views.map((v) => t.convert(v.query, { ...options, onWarning: (w) => (told.push(w), options.onWarning?.(w)) }).replace(/\n+$/, ''));
  const separator = target === 'sigma' ? '\n---\n' : '\n\n';
  return { text: `${texts.join(separator)}\n`, warnings: [...views.flatMap((v) => [...v.warnings]), ...told] };
}
