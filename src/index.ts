// rulecast as a library: its export list (nothing else lives here). Nothing the library exports
// touches the file system, so it runs in a browser as well; the command line (src/cli/) adds
// files, globs and output on top.

export { RulecastError, isRulecastError, type Diagnostic, type Severity } from './diagnostics/diagnostic.js';
export { SourceFile, type Span } from './diagnostics/source.js';
export { formatDiagnostic, type FormatOptions } from './diagnostics/format.js';
export { loadSigma, loadSigmaSource, type LoadOptions } from './rule/load.js';
export type * from './rule/types.js';
export { lowerRule, tryLower, type LowerOptions, type LoweredRule } from './lower/index.js';
export type * from './ir/types.js';
export { tuneQuery, type RuleQuery, type QueryLogsource, type QueryMeta, type QueryExclusion, type Duration } from './ir/query.js';
export { and, or, not, pred, stringPred, TRUE, FALSE } from './ir/build.js';
export { parseSigmaString, patternToSigma } from './ir/pattern.js';
export { simplify, predicates, mapPredicates } from './ir/passes.js';
export { dumpIr, toJson as irToJson, type IrJson } from './ir/dump.js';
export { evaluate, type Event } from './ir/evaluate.js';
export { correlationTypes, correlationOperators, type CorrelationQuery, type CorrelationInput, type CorrelationType, type CorrelationOperator, type Comparison, type GroupField } from './ir/correlation.js';
export { evaluateCorrelation, evaluateCorrelations, defaultTimeField, parseTime, formatTime, type CorrelationAlert, type CorrelationOptions } from './correlation/evaluate.js';
export { resolveReferences, runDocument, documentKey, type RunDocument, type ReferenceResolution } from './correlation/resolve.js';
export { buildCorrelations } from './correlation/build.js';
export { readEvents, flattenEvent } from './events/read.js';
export { listTargets, getTarget, type Target, type ConvertOptions } from './app/targets.js';
export { embeddedAt, embeddedScalar, type EmbeddedText } from './parse/embedded.js';
export { parseExclusionFilter, type FilterNode, type FilterValue, type FilterLiteral, type FilterField, type FilterToken } from './parse/exclusion.js';
export { lowerExclusion, compileExclusion, exclusionOperators, type LoweredExclusion } from './lower/exclusion.js';
export { lowerFilter, type LoweredFilter } from './lower/filter.js';
export { printExclusion, printPredicate } from './ir/print.js';
export { readExclusions, type Exclusion, type ExclusionFile, type ExclusionFormat, type ExclusionScope, type ReadExclusionsOptions } from './exclusions/read.js';
export { exclusionAppliesTo, exclusionsFor, tuneWith, type AppliedExclusions, type RuleIdentity } from './exclusions/apply.js';
export { loadPipeline, builtinPipelines, getBuiltinPipeline } from './pipelines/load.js';
export { applyPipelines, type ApplyOptions } from './pipelines/apply.js';
export type { Pipeline, MappedQuery, Branch } from './pipelines/types.js';
export { analyzeExclusionPairs, analyzeExclusion, lintExclusion, genericWords, shortContainsLength, type AnalysisWarning, type AnalyzeOptions, type ExclusionAnalysis, type Verdict } from './analysis/exclusion.js';
export { satisfiable, defaultMaxConjuncts, type SatOptions, type SatResult, type Literal } from './analysis/satisfiable.js';

// Compiling and converting rule files (src/app/convert.ts).
export {
  compileSigma,
  resolveCorrelations,
  convertQuery,
  convertSigma,
  convertCompiled,
  convertAll,
  convertDocuments,
  conversionBatchSize,
  CorrelationRun,
  type CompiledDocument,
  type CompileOptions,
  type ConversionResult,
  type RuleText,
  type ConvertAllOptions,
} from './app/convert.js';
export { inputKind, documentScenarios, type InputKind } from './app/inputs.js';
export { tuneDocument } from './app/tune.js';
export { analyseRule, analyseImported, type AnalysedExclusion } from './app/analyze.js';
export { tunedQueryWarnings } from './analysis/tuned.js';

// KQL hunting queries (Defender XDR / Sentinel) as input: read, lower to the IR, render.
export { importKql, type ImportedKql } from './import/kql.js';
export { readKqlDocument, kqlDocumentFormat, type KqlDocument, type KqlDocumentFormat, type KqlDocumentMeta } from './import/document.js';
export { convertKqlDocument, renderImported, sigmaViews, type KqlConversionResult } from './app/kql-import.js';
export type { KqlQuery, KqlTable } from './lower/kql.js';
