// What the page needs that src/index.ts does not export (yet), in one place: a few internal
// modules of the library, and three small functions that live in src/cli/ (which the page must
// not import: it reads files and writes to a terminal). The lead's application layer (issue 14)
// is meant to absorb all of it; until then the duplicates below are marked for it.
export { diagnosticLocation } from '../../diagnostics/diagnostic.js';
export { tunedQueryWarnings } from '../../analysis/tuned.js';
export { importedExclusions, nativePipeline, nativeQuery, queryMeta } from '../../import/convert.js';

import { tunedQueryWarnings } from '../../analysis/tuned.js';
import { isRulecastError, readExclusions, tuneWith, type CompiledDocument, type Diagnostic, type ExclusionFile } from '../../index.js';

// TODO(app-layer): move to the library (a copy of isExclusionsFile in src/cli/exclusions.ts).
/** A YAML file of ours that holds exclusions, not a rule. */
export function isExclusionsFile(text: string): boolean {
  return /^exclusions\s*:/m.test(text) && !/^detection\s*:/m.test(text);
}

// TODO(app-layer): move to the library (a copy of documentScenarios in src/cli/exclusions.ts).
/** A KQL hunting document's own Scenario / Filter/Exclusion blocks, or undefined when it has none
 *  (`analyze` uses them when no exclusions are given). */
export function documentScenarios(text: string, path: string): ExclusionFile | undefined {
  if (!/^[ \t]*Filter\/Exclusion[ \t]*:/im.test(text)) return undefined;
  const file = readExclusions(text, path);
  return file.format === 'text' && file.exclusions.length > 0 ? file : undefined;
}

// TODO(app-layer): move to the library (a copy of tuneDocument in src/cli/exclusions.ts).
/** The document with its query tuned by the exclusions that apply to it, or the error that stops
 *  it (an exclusion is never dropped silently). */
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
