// rulecast convert <files|dirs|globs...> -t <target> [-p <pipeline>]... [-f <format>] [-o <out>] [--json]
import { parseArgs } from 'node:util';
import { join, relative, dirname, basename, extname, resolve } from 'node:path';
import { loadPipeline } from '../../pipelines/load.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { isRulecastError } from '../../diagnostics/diagnostic.js';
import { getTarget, listTargets } from '../../backends/registry.js';
import { compileSigma, convertCompiled, type ConversionResult } from '../../index.js';
import { expandInputs, isDirectory, readPlaceholders, readTextFile, writeFileAtomic } from '../files.js';
import { jsonDiagnostic } from '../report.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const convertHelp = `Usage: rulecast convert <files|folders|globs...> -t <target> [options]

Converts Sigma rules into queries. Folders are searched for .yml/.yaml files.

Options:
  -t, --target <name>     target language: ${listTargets().map((t) => t.name).join(', ')} (repeatable)
  -p, --pipeline <name>   pipeline to apply instead of the target's default (repeatable, in order):
                          a built-in name, a pipeline file (.yml), or 'none' = field names as
                          written, no table/index, the bare expression
  -f, --format <name>     output format (default: 'default')
  -o, --output <path>     write to this file, or into this existing folder (one file per rule)
      --json              print {"results": [...], "summary": {...}} instead of queries
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help              show this help

Exit status: 0 all rules converted, 1 some rules failed (the others are still converted),
2 usage error.

Examples:
  rulecast convert rules/ -t kql
  rulecast convert 'rules/**/proc_creation_*.yml' -t spl -p none --json
  rulecast convert rule.yml -t eql -o out.eql`;

export function convertCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', short: 't', multiple: true },
      pipeline: { type: 'string', short: 'p', multiple: true },
      format: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      placeholders: { type: 'string' },
    },
  });
  if (values.help) {
    write(term.out, convertHelp);
    return 0;
  }
  const targets = values.target ?? [];
  if (targets.length === 0) throw new UsageError(`convert needs a target: -t ${listTargets().map((t) => t.name).join('|')}`);
  for (const t of targets) if (!getTarget(t)) throw new UsageError(`unknown target '${t}'; known targets: ${listTargets().map((x) => x.name).join(', ')}`);
  if (positionals.length === 0) throw new UsageError('convert needs at least one rule file, folder or glob');
  const inputs = expandInputs(positionals);
  const placeholders = values.placeholders ? readPlaceholders(values.placeholders) : undefined;
  const pipelines = (values.pipeline ?? []).map((p) => (isPipelineFile(p) ? loadPipeline(readTextFile(p, resolve(p)).text, p) : p));
  for (const t of targets) {
    const target = getTarget(t)!;
    for (const p of pipelines) {
      if (typeof p === 'string' && !target.pipelines.includes(p)) throw new UsageError(`unknown pipeline '${p}' for target ${t}; pipelines: ${target.pipelines.join(', ')} or a pipeline file (.yml)`);
    }
    const format = values.format ?? 'default';
    if (!target.formats.includes(format)) throw new UsageError(`target ${t} has no output format '${format}'; formats: ${target.formats.join(', ')}`);
  }
  const options = { pipelines, format: values.format ?? 'default' };

  const results: ConversionResult[] = [];
  for (const file of inputs) {
    let text: string;
    try {
      text = readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      for (const target of targets) results.push({ path: file.path, index: 0, title: null, id: null, target, query: null, error: err.diagnostic, warnings: [] });
      continue;
    }
    const docs = compileSigma(text, file.path, { placeholders });
    for (const doc of docs) for (const target of targets) results.push(convertCompiled(doc, target, options));
  }

  const converted = results.filter((r) => r.query !== null).length;
  const failed = results.length - converted;

  if (values.output) {
    writeOutputs(values.output, results, inputs);
  }
  if (values.json) {
    const json = {
      results: results.map((r) => ({
        path: r.path,
        title: r.title,
        id: r.id,
        query: r.query,
        error: r.error ? jsonDiagnostic(r.error) : null,
        target: r.target,
        warnings: r.warnings.map(jsonDiagnostic),
      })),
      summary: { converted, failed },
    };
    write(term.out, JSON.stringify(json, null, 2));
  } else {
    if (!values.output) {
      const queries = results.filter((r) => r.query !== null).map((r) => r.query!.replace(/\n+$/, ''));
      if (queries.length) write(term.out, queries.join('\n\n'));
    }
    for (const r of results) if (r.error) write(term.err, formatDiagnostic(r.error, { color: term.color }));
    write(term.err, `rulecast: ${converted} converted, ${failed} failed`);
  }
  return failed > 0 ? 1 : 0;
}

/** A -p value is a pipeline file when it names a YAML file; otherwise a built-in pipeline. */
function isPipelineFile(p: string): boolean {
  return /\.ya?ml$/i.test(p) || p.includes('/') || p.includes('\\');
}

/** -o names a file (all queries in it) or an existing folder (one file per rule and target,
 *  mirroring the input tree, named after the rule file with the target's extension). */
function writeOutputs(output: string, results: ConversionResult[], inputs: ReturnType<typeof expandInputs>): void {
  const ok = results.filter((r) => r.query !== null);
  if (!isDirectory(output)) {
    writeFileAtomic(output, ok.map((r) => r.query!.replace(/\n+$/, '')).join('\n\n') + (ok.length ? '\n' : ''));
    return;
  }
  const docsPerFile = new Map<string, number>();
  for (const r of results) docsPerFile.set(r.path, Math.max(docsPerFile.get(r.path) ?? 0, r.index + 1));
  for (const r of ok) {
    const input = inputs.find((i) => i.path === r.path);
    const rel = input ? relative(input.base, input.absolute) : basename(r.path);
    const stem = basename(rel, extname(rel));
    const suffix = (docsPerFile.get(r.path) ?? 1) > 1 ? `.${r.index}` : '';
    const ext = getTarget(r.target)!.extension;
    writeFileAtomic(join(output, dirname(rel), `${stem}${suffix}${ext}`), `${r.query!.replace(/\n+$/, '')}\n`);
  }
}
