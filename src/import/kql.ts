// KQL hunting queries → rulecast: read the document, parse each query, lower it to the IR.
import { isRulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { KqlUnsupportedError, lowerKql, type KqlLowerOptions, type KqlQuery } from '../lower/kql.js';
import { builtinPipelines, getBuiltinPipeline } from '../pipelines/load.js';
import { parseKql } from '../parse/kql.js';
import { readKqlDocument, type KqlDocumentFormat, type KqlDocumentMeta } from './document.js';

export interface ImportedKql {
  readonly path: string;
  readonly index: number;
  readonly format: KqlDocumentFormat;
  readonly meta: KqlDocumentMeta;
  /** The query's text as found in the document. */
  readonly text: string;
  readonly query?: KqlQuery | undefined;
  readonly error?: Diagnostic | undefined;
  /** For a query rulecast does not import: the construct that stopped it (`summarize`,
   *  `tolower()`, `tabular let`…), or `syntax error`. */
  readonly construct?: string | undefined;
}

/** Column types from the built-in defender-xdr pipeline's layout (`layout.tables.<T>.columns`). */
export function defenderColumnTypes(table: string): Readonly<Record<string, string>> | undefined {
  if (!builtinPipelines().includes('defender-xdr')) return undefined;
  const tables = (getBuiltinPipeline('defender-xdr').layout as { tables?: Record<string, { columns?: Record<string, string> }> }).tables;
  return tables?.[table]?.columns;
}

/** Reads every query of a document and lowers it; never throws for bad input. */
export function importKql(source: SourceFile, format?: KqlDocumentFormat, options: KqlLowerOptions = { columnTypes: defenderColumnTypes }): ImportedKql[] {
  let doc;
  try {
    doc = readKqlDocument(source, format);
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    return [{ path: source.path, index: 0, format: format ?? 'kql', meta: { tactics: [], techniques: [], references: [] }, text: '', error: err.diagnostic }];
  }
  return doc.queries.map((q) => {
    const base = { path: source.path, index: q.index, format: doc.format, meta: q.meta, text: q.embedded.text };
    try {
      return { ...base, query: lowerKql(parseKql(q.embedded), q.embedded, options) };
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      const construct = err instanceof KqlUnsupportedError ? err.construct : err.code === 'kql-syntax' ? 'syntax error' : err.code;
      return { ...base, error: err.diagnostic, construct };
    }
  });
}
