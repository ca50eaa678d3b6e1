// The page's work, done with the library's calls exactly as the command line does it
// (src/cli/convert-run.ts, src/cli/commands/{convert,analyze,match}.ts), so every query, verdict
// and diagnostic the page shows is what the CLI gives for the same rule and options. The
// exclusions editor plays the part of the files: it is the file the rule names under
// `rulecast: {exclusions}` when it names one (the page has no file system to read it from), and
// `-x` otherwise. Nothing here touches the DOM: it runs in the page's worker and in Node's tests.
import {
  compileSigma,
  convertDocuments,
  convertKqlDocument,
  CorrelationRun,
  evaluateCorrelations,
  exclusionsFor,
  formatDiagnostic,
  getBuiltinPipeline,
  getTarget,
  importKql,
  isRulecastError,
  kqlDocumentFormat,
  listTargets,
  readEvents,
  readExclusions,
  resolveCorrelations,
  RulecastError,
  SourceFile,
  type CompiledDocument,
  type ConversionResult,
  type ConvertOptions,
  type Diagnostic,
  type Event,
  type ExclusionFile,
  type Pipeline,

} from '../../index.js';
import { analyseImported, analyseRule, diagnosticLocation, documentScenarios, inputKind, matchesOf, namedExclusions, queryMeta, tuneDocument, type AnalysedExclusion } from './library.js';
import type {
  AnalysisRow,
  AnalysisView,
  ConversionView,
  DocumentQueries,
  EditorName,
  ExclusionsRole,
  MatchView,
  NamedText,
  PageInput,
  QueryOutcome,
  RegistryView,
  RuleKind,
  WebDiagnostic,
} from './protocol.js';

/** The targets, their pipelines and formats, as `rulecast list` gives them. */
export function registry(): RegistryView {
  return {
    targets: listTargets().map((t) => ({
      name: t.name,
      description: t.description,
      defaultPipeline: t.defaultPipeline,
      pipelines: t.pipelines.map((p) => ({ name: p, description: p === 'none' ? 'no mapping, no layout: field names as written, the bare expression' : getBuiltinPipeline(p).description })),
      formats: [...t.formats],
    })),
  };
}

/** Turns library diagnostics into the page's, pointing into the editor whose text they are about. */
class Diagnostics {
  constructor(private readonly input: PageInput) {}

  web(d: Diagnostic, target?: string): WebDiagnostic {
    const { path, line, column } = diagnosticLocation(d);
    const editor = d.span ? this.editorOf(d.span.source) : null;
    return {
      severity: d.severity,
      code: d.code,
      message: d.message,
      path,
      line,
      column,
      editor,
      from: editor ? d.span!.start : null,
      to: editor ? d.span!.end : null,
      formatted: formatDiagnostic(d) + (target ? `\n  = note: target ${target}` : ''),
      ...(target ? { target } : {}),
    };
  }

  private editorOf(source: SourceFile): EditorName | null {
    for (const name of ['rule', 'exclusions', 'events'] as const) {
      const t = this.input[name];
      if (source.path === t.name && source.text === t.text) return name;
    }
    return null;
  }
}

/** What the exclusions editor holds, read once per request. */
interface ExclusionsText {
  /** Undefined when the editor is blank. */
  readonly file: ExclusionFile | undefined;
  /** Its errors: with `-x` they stop every tuned output, as `readOptionExclusions` stops the CLI. */
  readonly errors: readonly Diagnostic[];
}

function readExclusionsText(input: PageInput): ExclusionsText {
  if (input.exclusions.text.trim() === '') return { file: undefined, errors: [] };
  const file = readExclusions(input.exclusions.text, input.exclusions.name);
  const errors = [...file.diagnostics, ...file.exclusions.flatMap((e) => e.diagnostics)].filter((d) => d.severity === 'error');
  return { file, errors };
}

/** The exclusion files that tune one Sigma document, as convert/analyze/match read them: the
 *  editor as the file the rule names, or as `-x`. Throws RulecastError as the CLI's reading does. */
function filesFor(doc: CompiledDocument, exclusions: ExclusionsText): ExclusionFile[] {
  const named = namedExclusions(doc);
  if (named && !exclusions.file) {
    throw new RulecastError('missing-exclusions', `the rule's exclusions file '${named.ref}' is not open in the page: open it or paste it into the exclusions editor`, named.span);
  }
  if (!exclusions.file) return [];
  if (!named && exclusions.errors.length > 0) throw RulecastError.fromDiagnostic(exclusions.errors[0]!);
  return [exclusions.file];
}

function ruleKind(rule: NamedText): RuleKind {
  if (inputKind(rule.name, rule.text).kind === 'exclusions') return 'exclusions';
  return kqlDocumentFormat(rule.name, rule.text) ?? 'sigma';
}

/** The name the page gives a rule text the user typed or pasted (not opened from a file), so that
 *  it is read as the CLI reads a file of that kind: a KQL document with a "KQL Query" section
 *  (.txt), markdown with kusto blocks (.md), YAML (a Sigma rule or a Sentinel one), or raw KQL. */
export function defaultRuleName(text: string): string {
  if (kqlDocumentFormat('document.txt', text) === 'text') return 'document.txt';
  if (/^```\s*(kusto|kql)\b/im.test(text)) return 'document.md';
  if (/^[A-Za-z_][\w.-]*[ \t]*:/m.test(text) || text.trim() === '') return 'rule.yml';
  return 'query.kql';
}

/** The page's input with its names settled: a blank rule name gets defaultRuleName, a blank
 *  exclusions name the file the rule names (so diagnostics name it as the CLI does when run in
 *  the rule's folder) or exclusions.yml; blank events are events.jsonl. */
function settleNames(input: PageInput, docs: (rule: NamedText) => readonly CompiledDocument[]): PageInput {
  const rule = input.rule.name.trim() ? input.rule : { ...input.rule, name: defaultRuleName(input.rule.text) };
  let exclusions = input.exclusions;
  if (!exclusions.name.trim()) {
    const named = ruleKind(rule) === 'sigma' ? docs(rule).flatMap((d) => namedExclusions(d)?.ref ?? []) : [];
    exclusions = { ...exclusions, name: named[0] ?? 'exclusions.yml' };
  }
  const events = input.events.name.trim() ? input.events : { ...input.events, name: 'events.jsonl' };
  return { ...input, rule, exclusions, events };
}

function exclusionsRole(docs: readonly CompiledDocument[], exclusions: ExclusionsText): ExclusionsRole {
  const named = [...new Set(docs.flatMap((d) => namedExclusions(d)?.ref ?? []))];
  if (named.length > 0) return { role: 'rule-file', named };
  return { role: exclusions.file ? 'option' : 'none', named };
}

function optionsFor(input: PageInput): Map<string, ConvertOptions> {
  return new Map(input.targets.map((t) => [t.name, { pipelines: t.pipeline === null ? [] : [t.pipeline], format: t.format }]));
}

/**
 * One state of the page: its texts read once (the rule compiled, the exclusions read), then what
 * `convert`, `analyze` and `match` give for it. The worker makes one per edit, sends the
 * conversion first and the rest after it.
 */
export class PageSession {
  readonly input: PageInput;
  readonly kind: RuleKind;
  private readonly diags: Diagnostics;
  private readonly exclusions: ExclusionsText;
  private compiled: readonly CompiledDocument[] | undefined;

  constructor(input: PageInput) {
    let compiled: { text: string; name: string; docs: readonly CompiledDocument[] } | undefined;
    const docs = (rule: NamedText) => {
      if (compiled?.text !== rule.text || compiled.name !== rule.name) compiled = { text: rule.text, name: rule.name, docs: compileSigma(rule.text, rule.name) };
      return compiled.docs;
    };
    this.input = settleNames(input, docs);
    this.kind = ruleKind(this.input.rule);
    if (compiled && compiled.name === this.input.rule.name) this.compiled = compiled.docs;
    this.diags = new Diagnostics(this.input);
    this.exclusions = readExclusionsText(this.input);
  }

  /** The rule file's Sigma documents (compiled once). */
  private docs(): readonly CompiledDocument[] {
    return (this.compiled ??= compileSigma(this.input.rule.text, this.input.rule.name));
  }

  /** Every query of the rule for every target chosen, tuned and untuned, with the diagnostics
   *  `rulecast convert` prints. */
  convert(): ConversionView {
    const { input, kind, diags, exclusions } = this;
    const names = { rule: input.rule.name, exclusions: input.exclusions.name };
    const targets = input.targets.map((t) => t.name);
    const options = optionsFor(input);
    if (kind === 'exclusions') return { kind, names, exclusions: { role: 'none', named: [] }, documents: [], diagnostics: [], correlated: 0 };

    let tuned: ConversionResult[];
    let untuned: ConversionResult[] | undefined;
    let role: ExclusionsRole;
    let correlated = 0;
    const fileErrors: Diagnostic[] = [];
    if (kind !== 'sigma') {
      // Imported KQL queries: the editor is -x (a document's own Scenario blocks tune it only when
      // -x names the document, as the CLI does).
      role = { role: exclusions.file ? 'option' : 'none', named: [] };
      untuned = convertKqlDocument(input.rule.text, input.rule.name, targets, { options }, kind);
      if (exclusions.file && exclusions.errors.length > 0) {
        fileErrors.push(...exclusions.errors);
        tuned = untuned.map((r) => ({ ...r, query: null, error: exclusions.errors[0]!, warnings: [], status: 'invalid' }));
      } else if (exclusions.file) {
        tuned = convertKqlDocument(input.rule.text, input.rule.name, targets, { options, exclusions: [exclusions.file] }, kind);
      } else {
        tuned = untuned;
        untuned = undefined;
      }
    } else {
      const docs = this.docs();
      role = exclusionsRole(docs, exclusions);
      if (role.role === 'option' && exclusions.errors.length > 0) fileErrors.push(...exclusions.errors);
      const tunedDocs = docs.map((doc) => {
        // -x with errors: listed once above, and every tuned output refused with the first.
        if (!namedExclusions(doc) && exclusions.file && exclusions.errors.length > 0) return { doc, error: exclusions.errors[0]! };
        try {
          const tuning = tuneDocument(doc, filesFor(doc, exclusions));
          return tuning.error ? { doc: tuning.doc, error: tuning.error } : { doc: tuning.doc };
        } catch (err) {
          if (!isRulecastError(err)) throw err;
          return { doc, error: err.diagnostic };
        }
      });
      const run = new CorrelationRun();
      for (const d of docs) run.add(d);
      tuned = run.settle(convertEach(tunedDocs, targets, options));
      if (role.role !== 'none') untuned = run.settle(convertEach(docs.map((doc) => ({ doc })), targets, options));
      correlated = run.hasCorrelations ? run.correlatedCount() : 0;
    }
    return {
      kind,
      names,
      exclusions: role,
      documents: documentsOf(tuned, untuned, input, diags),
      diagnostics: [...fileErrors.map((d) => diags.web(d)), ...reported(tuned, targets.length, diags, new Set(fileErrors))],
      correlated,
    };
  }

  /** `rulecast analyze -t <target> [-p <pipeline>]` over the rule and the exclusions editor; null
   *  when the rule editor holds no rule. */
  analyse(): AnalysisView | null {
    const { input, kind, diags, exclusions } = this;
    if (kind === 'exclusions') return null;
    const target = getTarget(input.analysis.target);
    if (!target) throw new Error(`unknown target '${input.analysis.target}'`);
    const pipelines: Pipeline[] = (input.analysis.pipeline === null ? [target.defaultPipeline] : [input.analysis.pipeline]).filter((p) => p !== 'none').map((p) => getBuiltinPipeline(p));
    const rows: AnalysisRow[] = [];
    const errors: WebDiagnostic[] = [];
    const fields: string[] = [];

    const report = (rule: AnalysisRow['rule'], analyses: readonly AnalysedExclusion[], names: string) => {
      fields.push(names);
      for (const { exclusion, analysis } of analyses) {
        rows.push({
          name: exclusion.name,
          verdict: analysis.verdict,
          reason: analysis.reason,
          warnings: analysis.warnings.map((w) => diags.web({ severity: 'warning', code: w.code, message: w.message, span: w.span })),
          witnesses: analysis.witnesses,
          rule,
        });
      }
    };

    if (kind !== 'sigma') {
      // Over the query's own tables and columns; the document's Scenario blocks are its
      // exclusions when the editor is blank.
      if (exclusions.file && exclusions.errors.length > 0) return { fields, exclusions: rows, errors: exclusions.errors.map((d) => diags.web(d)) };
      const own = documentScenarios(input.rule.text, input.rule.name);
      const files = exclusions.file ? [exclusions.file] : own ? [own] : [];
      for (const q of importKql(new SourceFile(input.rule.name, input.rule.text), kind)) {
        const meta = queryMeta(q);
        const rule = { path: input.rule.name, title: meta.title, id: meta.id ?? null, index: q.index };
        if (!q.query) {
          errors.push(diags.web(q.error!));
          continue;
        }
        try {
          report(rule, analyseImported(q, files).analyses, "fields as the query's tables name them");
        } catch (err) {
          if (!isRulecastError(err)) throw err;
          errors.push(diags.web(err.diagnostic));
        }
      }
      return { fields, exclusions: rows, errors };
    }

    const docs = this.docs();
    if (exclusionsRole(docs, exclusions).role === 'option' && exclusions.errors.length > 0) return { fields, exclusions: rows, errors: exclusions.errors.map((d) => diags.web(d)) };
    for (const doc of docs) {
      const rule = { path: doc.path, title: doc.title, id: doc.id, index: doc.index };
      const docError = doc.diagnostics.find((d) => d.severity === 'error');
      if (docError || !doc.query) {
        if (docError) errors.push(diags.web(docError));
        continue;
      }
      try {
        const files = filesFor(doc, exclusions);
        const meta = doc.document?.meta;
        const { exclusions: tuning } = exclusionsFor(files, { id: doc.id, name: meta?.name, logsource: doc.document?.logsource ?? {} });
        report(rule, analyseRule(doc.query, files, tuning, pipelines), `fields as ${target.name}${pipelines.length ? ` (${pipelines.map((p) => p.name).join(', ')})` : ''} names them`);
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        errors.push(diags.web(err.diagnostic));
      }
    }
    return { fields, exclusions: rows, errors };
  }

  /** `rulecast match` of the rule (tuned as convert tunes it) on the events editor; null when
   *  the events editor is blank. */
  match(): MatchView | null {
    const { input, kind, diags, exclusions } = this;
    if (input.events.text.trim() === '') return null;
    let events: Event[];
    try {
      events = readEvents(input.events.text, input.events.name);
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      return { events: 0, matches: [], rules: [], correlations: [], errors: [diags.web(err.diagnostic)] };
    }
    if (kind !== 'sigma') {
      const message = kind === 'exclusions' ? 'the rule editor holds exclusions, not a rule' : 'match evaluates Sigma rules; the rule editor holds a KQL document (convert it with the sigma target to match it)';
      return { events: events.length, matches: [], rules: [], correlations: [], errors: [diags.web({ severity: 'error', code: 'match-needs-sigma', message })] };
    }
    const errors: Diagnostic[] = [];
    const rules: MatchView['rules'][number][] = [];
    // One file holds every rule a correlation of the page can use.
    const resolved = resolveCorrelations(this.docs());
    for (const compiledDoc of resolved) {
      let doc = compiledDoc;
      if (doc.correlated || doc.document?.kind === 'correlation') {
        errors.push(...doc.diagnostics.filter((d) => d.severity === 'error').slice(0, 1));
        continue;
      }
      if (doc.query) {
        try {
          const tuning = tuneDocument(doc, filesFor(doc, exclusions));
          if (tuning.error) {
            errors.push(tuning.error);
            continue;
          }
          doc = tuning.doc;
        } catch (err) {
          if (!isRulecastError(err)) throw err;
          errors.push(err.diagnostic);
          continue;
        }
      }
      const error = doc.diagnostics.find((d) => d.severity === 'error');
      if (error || !doc.query) {
        if (error) errors.push(error);
        continue;
      }
      try {
        rules.push({ title: doc.title, id: doc.id, ...matchesOf(doc.query, events) });
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        errors.push(err.diagnostic);
      }
    }
    const reported = resolved.filter((d) => d.correlation && !d.correlated);
    let alerts: unknown[][] = reported.map(() => []);
    if (errors.length === 0) {
      try {
        alerts = evaluateCorrelations(reported.map((d) => d.correlation!), events);
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        errors.push(err.diagnostic);
      }
    }
    return {
      events: events.length,
      matches: [...new Set(rules.flatMap((r) => r.matches))].sort((a, b) => a - b),
      rules,
      correlations: reported.map((d, i) => ({ title: d.title, id: d.id, type: d.correlation!.type, alerts: alerts[i]! })),
      errors: errors.map((d) => diags.web(d)),
    };
  }
}

/** convert-run's Converter: a document that failed before rendering (its tuning) fails for
 *  every target; the others are rendered target by target. */
function convertEach(docs: readonly { doc: CompiledDocument; error?: Diagnostic }[], targets: readonly string[], options: ReadonlyMap<string, ConvertOptions>): ConversionResult[] {
  const ready = docs.filter((d) => !d.error).map((d) => d.doc);
  const converted = convertDocuments(ready, targets, (t) => options.get(t));
  let next = 0;
  return docs.flatMap(({ doc, error }) => (error ? targets.map((target): ConversionResult => ({ path: doc.path, index: doc.index, title: doc.title, id: doc.id, target, query: null, error, warnings: [], status: 'invalid' })) : converted[next++]!));
}

function documentsOf(tuned: readonly ConversionResult[], untuned: readonly ConversionResult[] | undefined, input: PageInput, diags: Diagnostics): DocumentQueries[] {
  const outcome = (r: ConversionResult): QueryOutcome => ({ query: r.query, status: r.status, error: r.error ? diags.web(r.error, r.status === 'unsupported' ? r.target : undefined) : null });
  const documents = new Map<number, DocumentQueries & { targets: DocumentQueries['targets'][number][] }>();
  for (const r of tuned) {
    let doc = documents.get(r.index);
    if (!doc) documents.set(r.index, (doc = { index: r.index, title: r.title, id: r.id, targets: [] }));
    const plain = untuned?.find((u) => u.index === r.index && u.target === r.target);
    const format = input.targets.find((t) => t.name === r.target)?.format ?? 'default';
    doc.targets.push({ target: r.target, format, tuned: outcome(r), untuned: plain ? outcome(plain) : null });
  }
  return [...documents.values()];
}

/** The diagnostics `convert` prints, once each: every warning, an invalid rule's error once
 *  whatever the number of targets, an unsupported one once per target (`shown`: the errors of
 *  an exclusions file, listed already). */
function reported(results: readonly ConversionResult[], targets: number, diags: Diagnostics, shown: ReadonlySet<Diagnostic>): WebDiagnostic[] {
  const seen = new Set<string>();
  const out: WebDiagnostic[] = [];
  for (const r of results) {
    for (const w of r.warnings) {
      const d = diags.web(w);
      const key = `${r.index}#${d.code}#${d.path}:${d.line}:${d.column}#${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
    if (!r.error || shown.has(r.error)) continue;
    const key = r.status === 'invalid' ? `${r.index}` : `${r.index}#${r.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diags.web(r.error, r.status === 'unsupported' && targets > 1 ? r.target : undefined));
  }
  return out;
}

