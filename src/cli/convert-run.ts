// One conversion run's work on one file, shared by the command (in-process) and its worker
// threads: settings and results are plain data, so they cross a thread boundary as they are.
import { resolve } from 'node:path';
import { isRulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { readExclusions, type ExclusionFile } from '../exclusions/read.js';
import { compileSigma, convertDocuments, CorrelationRun, documentKey, runDocument, type CompiledDocument, type ConversionResult, type RunDocument } from '../index.js';
import { convertKqlDocument } from '../app/kql-import.js';
import { loadPipeline } from '../pipelines/load.js';
import type { Pipeline } from '../pipelines/types.js';
import type { ConvertOptions } from '../app/targets.js';
import { RuleExclusions } from './exclusions.js';
import { inputKind } from '../app/inputs.js';
import { tuneDocument } from '../app/tune.js';
import { readTextFile, type InputFile } from './files.js';
import { compileUserTemplate } from './templates.js';
import type { UserTemplate } from '../output/templates.js';
import { jsonDiagnostic, type JsonDiagnostic } from './report.js';

export interface RunSettings {
  readonly targets: readonly string[];
  /** Per target: built-in pipeline names, or pipeline files by path. */
  readonly pipelines: Readonly<Record<string, readonly (string | { readonly file: string })[]>>;
  readonly formats: Readonly<Record<string, string>>;
  readonly placeholders?: Readonly<Record<string, readonly string[]>> | undefined;
  /** Exclusion files given with --exclusions (already checked by the command). */
  readonly exclusionFiles: readonly string[];
  /** --template: the user's template files, by the name of the template they replace
   *  (`kql/query`, `kql/sentinel-rule`). */
  readonly templates?: Readonly<Record<string, string>> | undefined;
  /** --compact: every condition on one line. */
  readonly compact?: boolean | undefined;
  /** --no-exclusions: the untuned detection, even for rules that name their own exclusions file. */
  readonly untuned?: boolean | undefined;
  /** Colours in the formatted errors. */
  readonly color: boolean;
}

/** A ConversionResult with its diagnostics in JSON form (and the error formatted for people). */
export interface RunResult extends Omit<ConversionResult, 'error' | 'warnings'> {
  readonly error: (JsonDiagnostic & { readonly formatted: string }) | null;
  readonly warnings: readonly (JsonDiagnostic & { readonly formatted: string })[];
}

export interface FileOutcome {
  readonly results: readonly RunResult[];
  /** The file is an exclusions file (skipped, counted). */
  readonly exclusionsFile: boolean;
  /** Its Sigma documents, for the correlation references of the run (plain data). */
  readonly documents?: readonly RunDocument[] | undefined;
  /** After settleCorrelations: how many of its documents are not output because correlations
   *  use them. */
  readonly correlated?: number | undefined;
  /** Files besides the rule file its results depend on (the exclusions files its rules name), with
   *  their content as read (digest.ts; null: not cacheable), for --cache. */
  readonly dependencies?: readonly { readonly path: string; readonly digest: string | null }[] | undefined;
}

/** Files the caller has already read (in-process runs), so they are not read a second time. */
export interface Preloaded {
  readonly pipelines?: ReadonlyMap<string, Pipeline>;
  readonly exclusions?: ReadonlyMap<string, ExclusionFile>;
}

export class Converter {
  private readonly options = new Map<string, ConvertOptions>();
  private readonly optionExclusions: ExclusionFile[];
  private readonly ruleExclusions = new RuleExclusions();

  private readonly templates = new Map<string, UserTemplate>();

  constructor(
    private readonly settings: RunSettings,
    preloaded: Preloaded = {},
  ) {
    for (const [name, file] of Object.entries(settings.templates ?? {})) this.templates.set(name, compileUserTemplate(file));
    const loaded = new Map<string, Pipeline>(preloaded.pipelines);
    for (const t of settings.targets) {
      const pipelines = (settings.pipelines[t] ?? []).map((p) => {
        if (typeof p === 'string') return p;
        let pipeline = loaded.get(p.file);
        if (!pipeline) {
          pipeline = loadPipeline(readTextFile(p.file, resolve(p.file)).text, p.file);
          loaded.set(p.file, pipeline);
        }
        return pipeline;
      });
      this.options.set(t, { pipelines, format: settings.formats[t] ?? 'default', compact: settings.compact, templates: this.templates });
    }
    this.optionExclusions = settings.exclusionFiles.map((p) => preloaded.exclusions?.get(p) ?? readExclusions(readTextFile(p, resolve(p)).text, p));
  }

  private result(r: ConversionResult): RunResult {
    return {
      path: r.path,
      index: r.index,
      title: r.title,
      id: r.id,
      target: r.target,
      query: r.query,
      status: r.status,
      error: r.error ? { ...jsonDiagnostic(r.error), formatted: formatDiagnostic(r.error, { color: this.settings.color }) } : null,
      warnings: r.warnings.map((w) => ({ ...jsonDiagnostic(w), formatted: formatDiagnostic(w, { color: this.settings.color }) })),
    };
  }

  private failed(path: string, index: number, title: string | null, id: string | null, error: Diagnostic, status: RunResult['status']): RunResult[] {
    return this.settings.targets.map((target) => this.result({ path, index, title, id, target, query: null, error, warnings: [], status }));
  }

  convertFile(file: InputFile): FileOutcome {
    return this.convertBatch([file])[0]!;
  }

  /** Converts files stage by stage: every file is read, parsed and lowered, then every rule is
   *  rendered target by target (convertDocuments). Same results, in the same order, as converting
   *  the files one by one; the caller keeps batches to a few hundred files. */
  convertBatch(files: readonly InputFile[]): FileOutcome[] {
    const prepared = files.map((file) => this.prepare(file));
    const ready = prepared.flatMap((p) => (p.kind === 'rules' ? p.docs.filter((d) => !('error' in d)).map((d) => d.doc) : []));
    const converted = convertDocuments(ready, this.settings.targets, (target) => this.options.get(target));
    // Results in the order of a file-by-file run: file, document, then target.
    let next = 0;
    return prepared.map((p): FileOutcome => {
      if (p.kind === 'done') return p.outcome;
      const results: RunResult[] = [];
      for (const doc of p.docs) {
        if ('error' in doc) results.push(...this.failed(p.path, doc.doc.index, doc.doc.title, doc.doc.id, doc.error, 'invalid'));
        else for (const r of converted[next++]!) results.push(this.result(r));
      }
      return { results, exclusionsFile: false, documents: p.docs.map((d) => runDocument(d.doc)), ...(p.dependencies.length ? { dependencies: p.dependencies } : {}) };
    });
  }

  /** Reading, parsing, lowering and tuning of one file: its rules, ready for the targets, or its
   *  outcome already (unreadable, an exclusions file, an imported KQL query). */
  private prepare(file: InputFile): PreparedFile {
    let text: string;
    try {
      text = file.text ?? readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      return { kind: 'done', outcome: { results: this.failed(file.path, 0, null, null, err.diagnostic, 'invalid'), exclusionsFile: false } };
    }
    const input = inputKind(file.path, text);
    if (input.kind === 'exclusions') return { kind: 'done', outcome: { results: [], exclusionsFile: true } };
    if (input.kind === 'kql') {
      // Imported KQL queries are rules once in the IR: tuned by --exclusions like any other (a
      // document's own Scenario blocks tune it only when --exclusions names it).
      const results = convertKqlDocument(text, file.path, this.settings.targets, { options: this.options, exclusions: this.optionExclusions }, input.format).map((r) => this.result(r));
      return { kind: 'done', outcome: { results, exclusionsFile: false } };
    }
    const docs: PreparedDocument[] = [];
    const used = new Set<string>();
    for (const compiled of compileSigma(text, file.path, { placeholders: this.settings.placeholders })) {
      let doc = compiled;
      let error: Diagnostic | undefined;
      if (this.settings.untuned) {
        docs.push({ doc });
        continue;
      }
      try {
        const own = this.ruleExclusions.forRule(compiled, file.path, used);
        ({ doc, error } = tuneDocument(compiled, own ? [...this.optionExclusions, own] : this.optionExclusions));
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        error = err.diagnostic;
      }
      docs.push(error ? { doc, error } : { doc });
    }
    const dependencies = [...used].map((path) => ({ path, digest: this.ruleExclusions.digests.get(path) ?? null }));
    return { kind: 'rules', path: file.path, docs, dependencies };
  }
}

/**
 * Settles the correlations of a whole run once every file is converted (files are converted in
 * batches and on worker threads, and a correlation may use rules of any file): the results of the
 * documents correlations use are dropped (counted per file), and a correlation whose references do
 * not resolve becomes invalid with that error. The few files holding correlations are read again
 * here, since a worker thread's results are plain data without source positions.
 */
export function settleCorrelations(outcomes: readonly FileOutcome[], files: readonly InputFile[], settings: RunSettings): FileOutcome[] {
  const run = new CorrelationRun();
  outcomes.forEach((o, i) => {
    for (const d of o.documents ?? []) run.add(d);
    if (!o.documents?.some((d) => d.kind === 'correlation')) return;
    const file = files[i]!;
    let text: string;
    try {
      text = readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (isRulecastError(err)) return; // gone since: its correlations stay unsupported, unresolved
      throw err;
    }
    for (const d of compileSigma(text, file.path, { placeholders: settings.placeholders })) if (d.document?.kind === 'correlation') run.addCorrelation(d.document);
  });
  if (!run.hasCorrelations) return [...outcomes];
  const resolution = run.resolve();
  const failed = (r: RunResult, error: Diagnostic): RunResult => ({ ...r, query: null, status: 'invalid', error: { ...jsonDiagnostic(error), formatted: formatDiagnostic(error, { color: settings.color }) } });
  return outcomes.map((o) => {
    const correlated = (o.documents ?? []).filter((d) => resolution.correlated.has(documentKey(d))).length;
    return { ...o, results: run.settle(o.results, failed, resolution), correlated };
  });
}

type PreparedDocument = { readonly doc: CompiledDocument; readonly error: Diagnostic } | { readonly doc: CompiledDocument };

type PreparedFile = { readonly kind: 'done'; readonly outcome: FileOutcome } | { readonly kind: 'rules'; readonly path: string; readonly docs: readonly PreparedDocument[]; readonly dependencies: NonNullable<FileOutcome['dependencies']> };
