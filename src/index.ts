// rulecast as a library. Nothing here touches the file system, so it runs in a browser as well;
// the command line (src/cli/) adds files, globs and output on top.
import { isRulecastError, RulecastError, type Diagnostic } from './diagnostics/diagnostic.js';
import { SourceFile } from './diagnostics/source.js';
import { getTarget } from './backends/registry.js';
import type { ConvertOptions } from './backends/types.js';
import type { RuleQuery } from './ir/query.js';
import { tryLower, type LowerOptions } from './lower/index.js';
import { loadSigmaSource, type LoadOptions } from './rule/load.js';
import type { SigmaDocument } from './rule/types.js';

export { RulecastError, isRulecastError, type Diagnostic, type Severity } from './diagnostics/diagnostic.js';
export { SourceFile, type Span } from './diagnostics/source.js';
export { formatDiagnostic, type FormatOptions } from './diagnostics/format.js';
export { loadSigma, loadSigmaSource, type LoadOptions } from './rule/load.js';
export type * from './rule/types.js';
export { lowerRule, tryLower, type LowerOptions, type LoweredRule } from './lower/index.js';
export type * from './ir/types.js';
export type { RuleQuery, QueryLogsource, QueryMeta, Duration } from './ir/query.js';
export { and, or, not, pred, stringPred, TRUE, FALSE } from './ir/build.js';
export { parseSigmaString, patternToSigma } from './ir/pattern.js';
export { simplify, predicates, mapPredicates } from './ir/passes.js';
export { dumpIr, toJson as irToJson, type IrJson } from './ir/dump.js';
export { evaluate, type Event } from './ir/evaluate.js';
export { readEvents, flattenEvent } from './events/read.js';
export { listTargets, getTarget } from './backends/registry.js';
export type { Target, ConvertOptions } from './backends/types.js';
export { embeddedAt, embeddedScalar, type EmbeddedText } from './parse/embedded.js';
export { parseExclusionFilter, type FilterNode, type FilterValue, type FilterLiteral, type FilterField, type FilterToken } from './parse/exclusion.js';
export { lowerExclusion, compileExclusion, exclusionOperators, type LoweredExclusion } from './lower/exclusion.js';
export { lowerFilter, type LoweredFilter } from './lower/filter.js';
export { printExclusion, printPredicate } from './exclusions/print.js';
export { readExclusions, type Exclusion, type ExclusionFile, type ExclusionFormat, type ExclusionScope, type ReadExclusionsOptions } from './exclusions/read.js';
export { analyzeExclusion, lintExclusion, genericWords, shortContainsLength, type AnalysisWarning, type AnalyzeOptions, type ExclusionAnalysis, type Verdict } from './analysis/exclusion.js';
export { satisfiable, defaultMaxConjuncts, type SatOptions, type SatResult, type Literal } from './analysis/satisfiable.js';

/** One YAML document of a rule file after loading and lowering. */
export interface CompiledDocument {
  readonly path: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly title: string | null;
  readonly id: string | null;
  readonly document?: SigmaDocument | undefined;
  /** Present when the document is a valid rule. */
  readonly query?: RuleQuery | undefined;
  /** Errors (at most one stops lowering) and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
}

export type CompileOptions = LoadOptions & LowerOptions;

/** Loads, validates and lowers every document of a Sigma YAML text. Never throws for bad input:
 *  problems are diagnostics on the document they concern. */
export function compileSigma(text: string, path = '<input>', options: CompileOptions = {}): CompiledDocument[] {
  return loadSigmaSource(new SourceFile(path, text), options).map((loaded) => {
    const base = { path, index: loaded.index, title: loaded.title, id: loaded.id, document: loaded.document };
    if (!loaded.document) return { ...base, diagnostics: loaded.diagnostics };
    const lowered = tryLower(loaded.document, options);
    return { ...base, query: lowered.query, diagnostics: [...loaded.diagnostics, ...lowered.diagnostics] };
  });
}

export interface ConversionResult {
  readonly path: string;
  readonly index: number;
  readonly title: string | null;
  readonly id: string | null;
  readonly target: string;
  /** The query text, or null when the rule could not be converted. */
  readonly query: string | null;
  /** Why it could not be converted. */
  readonly error: Diagnostic | null;
  readonly warnings: readonly Diagnostic[];
}

/** Renders one lowered rule for a target. Throws RulecastError when the target cannot express
 *  the rule exactly or the target/pipeline/format is unknown. */
export function convertQuery(query: RuleQuery, target: string, options: ConvertOptions = {}): string {
  const t = getTarget(target);
  if (!t) throw new RulecastError('unknown-target', `unknown target '${target}'`);
  return t.convert(query, options);
}

/** Converts every rule of a Sigma YAML text for one target; one result per document. */
export function convertSigma(text: string, path: string, target: string, options: ConvertOptions & CompileOptions = {}): ConversionResult[] {
  return compileSigma(text, path, options).map((doc) => convertCompiled(doc, target, options));
}

/** Converts an already compiled document (parse once, render for several targets). */
export function convertCompiled(doc: CompiledDocument, target: string, options: ConvertOptions = {}): ConversionResult {
  const base = { path: doc.path, index: doc.index, title: doc.title, id: doc.id, target };
  const warnings = doc.diagnostics.filter((d) => d.severity === 'warning');
  const firstError = doc.diagnostics.find((d) => d.severity === 'error');
  if (firstError || !doc.query) {
    return { ...base, query: null, error: firstError ?? null, warnings };
  }
  try {
    return { ...base, query: convertQuery(doc.query, target, options), error: null, warnings };
  } catch (err) {
    if (isRulecastError(err)) return { ...base, query: null, error: err.diagnostic, warnings };
    throw err;
  }
}
