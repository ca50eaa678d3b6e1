// Tuning a compiled rule: the exclusions of the files that apply to it composed with its
// detection (tuneWith), and the analysis's verdicts as warnings, so a tuned query that cannot
// fire, or whose exclusion does nothing, is never written silently.
import { isRulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { tunedQueryWarnings } from '../analysis/tuned.js';
import { tuneWith } from '../exclusions/apply.js';
import type { ExclusionFile } from '../exclusions/read.js';
import type { CompiledDocument } from './convert.js';

/** The document with its query tuned by the exclusions that apply to it, or the error that
 *  stops it (an exclusion is never dropped silently). */
export function tuneDocument(doc: CompiledDocument, files: readonly ExclusionFile[]): { doc: CompiledDocument; error?: Diagnostic } {
  if (!doc.query || files.length === 0) return { doc };
  try {
    const meta = doc.document?.meta;
    const { query, warnings } = tuneWith(doc.query, files, { id: doc.id, name: meta?.name, logsource: doc.document?.logsource ?? {} });
    const verdicts = tunedQueryWarnings(query);
    return { doc: { ...doc, query, diagnostics: [...doc.diagnostics, ...warnings.filter((w) => w.severity === 'warning'), ...verdicts] } };
  } catch (err) {
    if (isRulecastError(err)) return { doc, error: err.diagnostic };
    throw err;
  }
}
