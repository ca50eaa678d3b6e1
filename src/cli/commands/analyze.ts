// rulecast analyze <rules...> --exclusions <file> [-t <target>] [-p <pipeline>]... [--json] [-o <file>]
import { parseCommandArgs } from '../args.js';
import { resolve } from 'node:path';
import { type ExclusionAnalysis } from '../../analysis/exclusion.js';
import { getTarget, listTargets } from '../../app/targets.js';
import { diagnosticLocation, isRulecastError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { exclusionsFor } from '../../exclusions/apply.js';
import type { ExclusionFile } from '../../exclusions/read.js';
import { compileSigma } from '../../index.js';
import { getBuiltinPipeline, loadPipeline } from '../../pipelines/load.js';
import type { Pipeline } from '../../pipelines/types.js';
import { SourceFile } from '../../diagnostics/source.js';
import { queryMeta } from '../../app/kql-import.js';
import { importKql } from '../../import/kql.js';
import { readOptionExclusions, RuleExclusions } from '../exclusions.js';
import { documentScenarios, inputKind } from '../../app/inputs.js';
import { analyseImported, analyseRule, type AnalysedExclusion } from '../../app/analyze.js';
import { expandInputs, readTextFile, writeFileAtomic } from '../files.js';
import { jsonDiagnostic } from '../report.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const analyzeHelp = `Usage: rulecast analyze <rules|folders|globs...> [--exclusions <file>] [options]

Decides, for each exclusion of a rule, what it does to the rule's detection:
  dead     it can never remove a detection (no event matches both)
  total    it removes every detection
  partial  it removes some detections and keeps others (with an example event of each)
  unknown  undecidable in the analysed fragment (the reason names what stopped it)
plus warnings: mixed AND/OR without parentheses, the value shorthand, very short or generic
'contains' values, values that differ from a detection value only by case or a file extension.

Detection and exclusion are compared in one field namespace: both go through the target's
pipeline (a field the pipeline cannot map stays as written). A rule over several log sources is
analysed over all of them.

KQL hunting documents (.kql, .md, .txt, Sentinel YAML) are analysed over the query's own tables
and columns, each exclusion mapped to each table's columns as 'convert -t kql' tunes it (-t and
-p do not change that). A document's own Scenario / Filter/Exclusion blocks are its exclusions
when no --exclusions is given.

Options:
  -x, --exclusions <file>  the exclusions (repeatable); a rule's own file (rulecast: {exclusions})
                           is used when none is given
  -t, --target <name>      the target whose pipeline maps the fields (default: kql)
  -p, --pipeline <name>    pipeline(s) instead of the target's default (a name or a .yml file)
      --json               print {"exclusions": [{"name", "verdict", "reason", "warnings"}], "rules": [...]}
  -o, --output <file>      also write the report (text, or JSON with --json) to this file
  -h, --help               show this help

Exit status: 0 analysed, 1 a rule or exclusion could not be read, 2 usage error.

Examples:
  rulecast analyze rules/windows/proc_creation_win_nbtscan.yml
  rulecast analyze detect-nbtscan-activity.txt
  rulecast analyze rule.yml --exclusions false-positives.txt -t spl --json`;

interface AnalysisRow {
  name: string;
  verdict: ExclusionAnalysis['verdict'];
  reason: string;
  warnings: { code: string; message: string; line: number | null; column: number | null }[];
  witnesses: ExclusionAnalysis['witnesses'];
  rule: { path: string; title: string | null; id: string | null };
}

export function analyzeCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseCommandArgs('analyze', argv, {
      exclusions: { type: 'string', short: 'x', multiple: true },
      target: { type: 'string', short: 't' },
      pipeline: { type: 'string', short: 'p', multiple: true },
      json: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    });
  if (values.help) {
    write(term.out, analyzeHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('analyze needs at least one rule file, folder or glob');
  const targetName = values.target ?? 'kql';
  const target = getTarget(targetName);
  if (!target) throw new UsageError(`unknown target '${targetName}'; known targets: ${listTargets().map((t) => t.name).join(', ')}`);
  const pipelines: Pipeline[] = (values.pipeline?.length ? values.pipeline : [target.defaultPipeline])
    .filter((p) => p !== 'none')
    .map((p) => {
      if (/\.ya?ml$/i.test(p) || p.includes('/')) return loadPipeline(readTextFile(p, resolve(p)).text, p);
      if (!target.pipelines.includes(p)) throw new UsageError(`unknown pipeline '${p}' for target ${targetName}`);
      return getBuiltinPipeline(p);
    });
  const optionFiles = readOptionExclusions(values.exclusions ?? [], term);
  const ruleExclusions = new RuleExclusions();

  const rows: AnalysisRow[] = [];
  const rules: { path: string; title: string | null; id: string | null; exclusions: number; error: ReturnType<typeof jsonDiagnostic> | null }[] = [];
  const errors: Diagnostic[] = [];
  const text: string[] = [];
  for (const file of expandInputs(positionals)) {
    let source: string;
    try {
      source = readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      errors.push(err.diagnostic);
      rules.push({ path: file.path, title: null, id: null, exclusions: 0, error: jsonDiagnostic(err.diagnostic) });
      continue;
    }
    const input = inputKind(file.path, source);
    if (input.kind === 'exclusions') continue;
    const fail = (rule: AnalysisRow['rule'], d: Diagnostic) => {
      errors.push(d);
      rules.push({ ...rule, exclusions: 0, error: jsonDiagnostic(d) });
    };
    /** The rows and text of one rule's analysed exclusions; `fields` says which namespace. */
    const report = (rule: AnalysisRow['rule'], analyses: readonly AnalysedExclusion[], fields: string) => {
      rules.push({ ...rule, exclusions: analyses.length, error: null });
      text.push(`${file.path}: ${rule.title ?? '(untitled)'} — ${analyses.length} exclusion(s), ${fields}`);
      for (const { exclusion, analysis } of analyses) {
        rows.push({
          name: exclusion.name,
          verdict: analysis.verdict,
          reason: analysis.reason,
          warnings: analysis.warnings.map((w) => ({ code: w.code, message: w.message, ...lineColumn(w) })),
          witnesses: analysis.witnesses,
          rule,
        });
        text.push(`  ${analysis.verdict.padEnd(8)} ${exclusion.name}`);
        text.push(`           ${analysis.reason}`);
        for (const w of analysis.warnings) text.push(`           warning[${w.code}]: ${w.message}`);
      }
    };
    if (input.kind === 'kql') {
      // An imported query is analysed over its own tables and columns, each exclusion mapped to
      // each table's columns as `convert -t kql` tunes it (the Sigma views are proven to select
      // the same rows); its document's Scenario blocks are its own exclusions.
      const own = documentScenarios(source, file.path);
      for (const q of importKql(new SourceFile(file.path, source), input.format)) {
        const meta = queryMeta(q);
        const rule = { path: file.path, title: meta.title, id: meta.id ?? null };
        if (!q.query) {
          fail(rule, q.error!);
          continue;
        }
        const files = optionFiles.length ? optionFiles : own ? [own] : [];
        try {
          report(rule, analyseImported(q, files).analyses, "fields as the query's tables name them");
        } catch (err) {
          if (!isRulecastError(err)) throw err;
          fail(rule, err.diagnostic);
        }
      }
      continue;
    }
    for (const doc of compileSigma(source, file.path)) {
      const rule = { path: file.path, title: doc.title, id: doc.id };
      const docError = doc.diagnostics.find((d) => d.severity === 'error');
      if (docError || !doc.query) {
        if (docError) fail(rule, docError);
        continue;
      }
      let files: ExclusionFile[] = optionFiles;
      try {
        if (files.length === 0) {
          const own = ruleExclusions.forRule(doc, file.path);
          files = own ? [own] : [];
        }
        const meta = doc.document?.meta;
        const { exclusions } = exclusionsFor(files, { id: doc.id, name: meta?.name, logsource: doc.document?.logsource ?? {} });
        report(rule, analyseRule(doc.query, files, exclusions, pipelines), `fields as ${targetName}${pipelines.length ? ` (${pipelines.map((p) => p.name).join(', ')})` : ''} names them`);
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        fail(rule, err.diagnostic);
      }
    }
  }
  for (const e of errors) write(term.err, formatDiagnostic(e, { color: term.color }));
  const report = values.json
    ? JSON.stringify({ exclusions: rows.map(({ name, verdict, reason, warnings, witnesses, rule }) => ({ name, verdict, reason, warnings, witnesses, rule })), rules }, null, 2)
    : text.join('\n');
  if (report) write(term.out, report);
  if (values.output) writeFileAtomic(values.output, `${report}\n`);
  return errors.length > 0 ? 1 : 0;
}

function lineColumn(w: { span?: Diagnostic['span'] }): { line: number | null; column: number | null } {
  if (!w.span) return { line: null, column: null };
  const { line, column } = diagnosticLocation({ severity: 'warning', code: '', message: '', span: w.span });
  return { line, column };
}
