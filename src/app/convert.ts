// The library's application layer for rule files: compile (load, validate, lower) and convert
// documents, one file or a whole run in batches, with correlations resolved across the run.
// Nothing here touches the file system.
import { isRulecastError, RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { getTarget, type ConvertOptions } from '../app/targets.js';
import type { RuleQuery } from '../ir/query.js';
import { tryLower, unsupportedCorrelation, type LowerOptions } from '../lower/index.js';
import { loadSigmaSource, type LoadOptions } from '../rule/load.js';
import type { CorrelationUse, SigmaCorrelation, SigmaDocument } from '../rule/types.js';
import type { CorrelationQuery } from '../ir/correlation.js';
import { buildCorrelations } from '../correlation/build.js';
import { documentKey, resolveReferences, runDocument, type ReferenceResolution, type RunDocument } from '../correlation/resolve.js';

/** One YAML document of a rule file after loading and lowering. */
export interface CompiledDocument {
  readonly path: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly title: string | null;
  readonly id: string | null;
  readonly name?: string | null | undefined;
  readonly document?: SigmaDocument | undefined;
  /** Present when the document is a valid rule. */
  readonly query?: RuleQuery | undefined;
  /** Errors (at most one stops lowering) and warnings, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** A correlation document's rules and `generate`, read even when it is invalid. */
  readonly correlates?: CorrelationUse | undefined;
  /** After resolveCorrelations: the correlation with its rules resolved (when it has no errors). */
  readonly correlation?: CorrelationQuery | undefined;
  /** After resolveCorrelations: a correlation uses this document (without `generate: true`), so
   *  it is not output on its own. */
  readonly correlated?: boolean | undefined;
}

export type CompileOptions = LoadOptions & LowerOptions;

/** Loads, validates and lowers every document of a Sigma YAML text. Never throws for bad input:
 *  problems are diagnostics on the document they concern. */
export function compileSigma(text: string, path = '<input>', options: CompileOptions = {}): CompiledDocument[] {
  return loadSigmaSource(new SourceFile(path, text), options).map((loaded) => {
    const base = { path, index: loaded.index, title: loaded.title, id: loaded.id, name: loaded.name, correlates: loaded.correlates, document: loaded.document };
    // A correlation has nothing to lower: its rules are resolved across the run (resolveCorrelations).
    if (!loaded.document || loaded.document.kind === 'correlation') return { ...base, diagnostics: loaded.diagnostics };
    const lowered = tryLower(loaded.document, options);
    return { ...base, query: lowered.query, diagnostics: [...loaded.diagnostics, ...lowered.diagnostics] };
  });
}

/**
 * Resolves the correlations among the documents of a run (one file's, or many files'): each
 * correlation gets the errors of its references (unknown, ambiguous, cyclic…) and, when it has
 * none, its CorrelationQuery; each document a correlation uses without `generate: true` is marked
 * `correlated` (not output on its own). References are found by id or name in the correlation's
 * own file first, then among all the documents given.
 */
export function resolveCorrelations(docs: readonly CompiledDocument[]): CompiledDocument[] {
  const correlations = docs.flatMap((d) => (d.document?.kind === 'correlation' ? [d.document] : []));
  if (correlations.length === 0 && !docs.some((d) => d.correlates)) return [...docs];
  const resolution = resolveReferences(docs.map(runDocument), correlations);
  const built = buildCorrelations(docs, resolution);
  return docs.map((d) => {
    const key = documentKey(d);
    const errors = resolution.diagnostics.get(key);
    return { ...d, diagnostics: errors ? [...d.diagnostics, ...errors] : d.diagnostics, correlation: built.get(key), correlated: resolution.correlated.has(key) };
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
  /** converted; unsupported: a valid rule the target (or pipeline) cannot express exactly;
   *  invalid: the rule itself is wrong (YAML, specification, condition, modifiers). */
  readonly status: 'converted' | 'unsupported' | 'invalid';
}

/** Renders one lowered rule for a target. Throws RulecastError when the target cannot express
 *  the rule exactly or the target/pipeline/format is unknown. */
export function convertQuery(query: RuleQuery, target: string, options: ConvertOptions = {}): string {
  const t = getTarget(target);
  if (!t) throw new RulecastError('unknown-target', `unknown target '${target}'`);
  return t.convert(query, options);
}

/** Converts every rule of a Sigma YAML text for one target; one result per document, except the
 *  rules a correlation of the text uses (without `generate: true`), which are not output alone. */
export function convertSigma(text: string, path: string, target: string, options: ConvertOptions & CompileOptions = {}): ConversionResult[] {
  return resolveCorrelations(compileSigma(text, path, options))
    .filter((doc) => !doc.correlated)
    .map((doc) => convertCompiled(doc, target, options));
}

/** Converts an already compiled document (parse once, render for several targets). */
export function convertCompiled(doc: CompiledDocument, target: string, options: ConvertOptions = {}): ConversionResult {
  const base = { path: doc.path, index: doc.index, title: doc.title, id: doc.id, target };
  const warnings = doc.diagnostics.filter((d) => d.severity === 'warning');
  const firstError = doc.diagnostics.find((d) => d.severity === 'error');
  if (!firstError && doc.document?.kind === 'correlation') return { ...base, query: null, error: unsupportedCorrelation(doc.document), warnings, status: 'unsupported' };
  if (firstError || !doc.query) {
    const unsupported = firstError !== undefined && unsupportedDocumentCodes.has(firstError.code);
    return { ...base, query: null, error: firstError ?? null, warnings, status: unsupported ? 'unsupported' : 'invalid' };
  }
  try {
    const told: Diagnostic[] = [];
    const query = convertQuery(doc.query, target, { ...options, onWarning: (w) => (told.push(w), options.onWarning?.(w)) });
    return { ...base, query, error: null, warnings: told.length ? [...warnings, ...told] : warnings, status: 'converted' };
  } catch (err) {
    if (isRulecastError(err)) return { ...base, query: null, error: err.diagnostic, warnings, status: 'unsupported' };
    throw err;
  }
}

/** Documents that are valid Sigma but not convertible rules (correlations, filters). */
const unsupportedDocumentCodes = new Set(['unsupported-correlation', 'filter-document']);

/** A rule file given as text (the library never reads files). */
export interface RuleText {
  readonly path: string;
  readonly text: string;
}

export interface ConvertAllOptions extends CompileOptions {
  readonly targets: readonly string[];
  /** Pipelines per target name (absent: the target's default). */
  readonly pipelines?: Readonly<Record<string, ConvertOptions['pipelines']>>;
  /** Output format per target name (absent: 'default'). */
  readonly formats?: Readonly<Record<string, string>>;
  /** Every condition on one line. */
  readonly compact?: boolean;
  /** Called once per file, e.g. for a progress bar: files are converted in batches
   *  (conversionBatchSize), so the calls for a batch come when it is done. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Converts many rule files for several targets: each rule is parsed and lowered once and
 *  rendered for every target from the same IR. One result per rule document and target, in input
 *  order; never throws for a bad rule. Correlations reach across the files: a rule a correlation
 *  uses (without `generate: true`) has no result, and a correlation whose references do not
 *  resolve is invalid. */
export function convertAll(files: readonly RuleText[], options: ConvertAllOptions): ConversionResult[] {
  const results: ConversionResult[] = [];
  const optionsFor = (target: string): ConvertOptions => ({ pipelines: options.pipelines?.[target], format: options.formats?.[target], compact: options.compact });
  const run = new CorrelationRun();
  for (let start = 0; start < files.length; start += conversionBatchSize) {
    const batch = files.slice(start, start + conversionBatchSize);
    const docs = batch.flatMap((file) => compileSigma(file.text, file.path, options));
    for (const d of docs) run.add(d);
    for (const perDocument of convertDocuments(docs, options.targets, optionsFor)) results.push(...perDocument);
    for (let i = 0; i < batch.length; i++) options.onProgress?.(start + i + 1, files.length);
  }
  return run.settle(results);
}

/**
 * Cross-file correlation references of a run converted in batches: the documents are noted as
 * they are compiled (a few fields each; correlation documents whole), and once every file is read
 * the references are resolved and the results settled.
 */
export class CorrelationRun {
  private readonly documents: RunDocument[] = [];
  private readonly correlations: SigmaCorrelation[] = [];

  /** A document of the run (a compiled correlation document brings its correlation along). */
  add(doc: CompiledDocument | RunDocument): void {
    this.documents.push('diagnostics' in doc ? runDocument(doc) : doc);
    if ('document' in doc && doc.document?.kind === 'correlation') this.correlations.push(doc.document);
  }

  /** A loaded correlation whose document was added as a RunDocument (e.g. from a worker thread). */
  addCorrelation(correlation: SigmaCorrelation): void {
    this.correlations.push(correlation);
  }

  /** Whether any document of the run is a correlation (valid or not). */
  get hasCorrelations(): boolean {
    return this.documents.some((d) => d.correlates);
  }

  resolve(): ReferenceResolution {
    return resolveReferences(this.documents, this.correlations);
  }

  /** The results without the correlated documents', and with each correlation's own errors. */
  settle<R extends { readonly path: string; readonly index: number; readonly status: ConversionResult['status']; readonly error: unknown }>(
    results: readonly R[],
    failed: (result: R, error: Diagnostic) => R = (r, error) => ({ ...r, query: null, error, status: 'invalid' }),
    resolution: ReferenceResolution | undefined = this.hasCorrelations ? this.resolve() : undefined,
  ): R[] {
    if (!resolution) return [...results];
    return results.flatMap((r) => {
      const key = documentKey(r);
      if (resolution.correlated.has(key)) return [];
      const errors = resolution.diagnostics.get(key);
      return errors && r.status !== 'invalid' ? [failed(r, errors[0]!)] : [r];
    });
  }

  /** How many documents are not output because correlations use them. */
  correlatedCount(resolution: ReferenceResolution = this.resolve()): number {
    return this.documents.filter((d) => resolution.correlated.has(documentKey(d))).length;
  }
}

/** Files converted stage by stage at a time (see convertDocuments): enough for each stage to run
 *  warm, few enough to keep memory flat and progress reports frequent. */
export const conversionBatchSize = 128;

/**
 * Every document for every target, stage by stage: all documents for the first target, then for
 * the next. The results are those of converting each document for each target in turn (one list
 * per document, in target order), but each target's code runs many times in a row, which V8
 * compiles and runs faster than code alternating with the other targets' on every rule (5–15 %
 * less time on the public corpus, by the bench and by a standalone comparison). Callers pass a
 * batch of a few hundred files' documents.
 */
export function convertDocuments(docs: readonly CompiledDocument[], targets: readonly string[], optionsFor: (target: string) => ConvertOptions | undefined): ConversionResult[][] {
  const perDocument: ConversionResult[][] = docs.map(() => []);
  for (const target of targets) {
    const options = optionsFor(target);
    docs.forEach((doc, i) => perDocument[i]!.push(convertCompiled(doc, target, options)));
  }
  return perDocument;
}
