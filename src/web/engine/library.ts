// What the page uses from the library beyond convert: all of it from its export list.
export { analyseImported, analyseRule, diagnosticLocation, documentScenarios, inputKind, matchesOf, namedExclusions, queryMeta, tuneDocument, type AnalysedExclusion } from '../../index.js';
