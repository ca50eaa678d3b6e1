// rulecast convert <files|dirs|globs...> -t <target>... [-p <pipeline>]... [-f <format>] [-o <out>] [--json]
import { parseCommandArgs } from '../args.js';
import { existsSync } from 'node:fs';
import { join, relative, dirname, basename, extname, resolve } from 'node:path';
import { formatFor, getTarget, listTargets, pipelineFacts, resolvePipelines } from '../../app/targets.js';
import { isRulecastError } from '../../diagnostics/diagnostic.js';
import { loadPipeline } from '../../pipelines/load.js';
import type { Pipeline } from '../../pipelines/types.js';
import type { RunResult, RunSettings } from '../convert-run.js';
import { readOptionExclusions } from '../exclusions.js';
import { expandInputs, isDirectory, readPlaceholders, readTextFile, writeFileAtomic, type InputFile } from '../files.js';
import { ConversionCache } from '../cache.js';
import { convertFiles } from '../parallel.js';
import { progressBar, summaryTable } from '../progress.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';
import { formatStyle } from '../../output/formats/index.js';
import { joinOutputs, type StreamedOutput } from '../../output/stream.js';

export const convertHelp = `Usage: rulecast convert <files|folders|globs...> -t <target> [options]

Converts Sigma rules into queries. Folders are searched for .yml/.yaml (and .kql) files. Each rule
is parsed once and rendered for every target asked for.

Correlation rules are not converted yet (status unsupported); the rules a correlation uses, in
any file of the run, are not converted on their own unless the correlation says 'generate: true'.

KQL hunting queries are read too: a .kql file, a markdown document with kusto code blocks (.md), a
text file (.txt, raw KQL or a "KQL Query" section), or a Sentinel YAML rule with a 'query:' key.
-t kql re-renders the query over its own tables; other targets get it with Sigma's log sources and
field names (the inverse of the defender-xdr pipeline); -t sigma writes it as a Sigma rule.

Options:
  -t, --target <name>     target language: ${listTargets().map((t) => t.name).join(', ')} (repeatable: -t kql -t spl)
  -p, --pipeline <name>   pipeline to apply instead of the target's default (repeatable, in order):
                          a built-in name, a pipeline file (.yml), or 'none' = field names as
                          written, no table/index, the bare expression. Prefix with a target to
                          scope it: -p kql:sentinel-asim -p spl:splunk-cim
  -f, --format <name>     output format (default: 'default'); may be scoped like -p: -f kql:sentinel-rule
  -o, --output <path>     write to this file (several queries are separated by a comment naming
                          rule and target), or into this folder (an existing one, or a path
                          ending with /): one file per rule and target, mirroring the input
                          tree, named after the rule file with the format's extension (.kql,
                          .spl, .eql, .yml; .yaml, .json, .conf, .ndjson for rule formats); a
                          file holding several rules gets .<n> per document; outputs whose names
                          would collide keep the rule file's extension too (x.yml.kql,
                          x.yaml.kql). Files are written atomically; a run that would write a
                          file twice, or over an input, writes nothing and exits 2.
      --skip-unsupported  rules a target cannot express are skipped: listed in the summary, not
                          printed as errors, and they do not make the exit status 1
  -x, --exclusions <file> tune every rule with the exclusions of this file (repeatable): our YAML
                          (exclusions: [{name, description, filter}]), the Scenario/Filter text
                          form, or Sigma filter documents (which apply to the rules they name).
                          A rule's own file (rulecast: {exclusions: file}) applies too. Every
                          tuned rule is analysed: an exclusion that removes every detection,
                          none, or all but an artefact is reported as a warning
      --filter <file>     the same, as sigma-cli calls it (Sigma filter documents)
      --no-exclusions     the untuned detection, even for rules that name their own exclusions
      --template <file>   your own template for the format asked for (scoped like -f:
                          --template kql:my-rule.hbs), or for any template by name
                          (--template kql/query=my-query.hbs); docs/templates.md lists what
                          each template is given. Compiled at run time (the built-in templates
                          are precompiled)
      --compact           every condition on one line (by default a long condition is laid
                          out over lines, one clause per line at each and/or level)
      --json              print {"results": [...], "summary": {...}} instead of queries
                          (summary.correlated: rules used by correlations, not output alone)
  -j, --jobs <n>          convert on n worker threads (default: none; helps on machines with
                          real cores to spare)
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
      --cache <dir>       reuse the conversion of a file when nothing it depends on changed:
                          its bytes, the options and the files they name (pipelines,
                          exclusions, templates), rulecast itself (by content, not by time);
                          the folder is made when missing and may be deleted at any time
  -h, --help              show this help

Exit status: 0 all rules converted, 1 some rules failed (the others are still converted),
2 usage error.

Examples:
  rulecast convert rules/ -t kql
  rulecast convert rules/ -t kql -t spl -t eql -o out/
  rulecast convert 'rules/**/proc_creation_*.yml' -t spl -p none --json
  rulecast convert rule.yml -t kql -p sentinel-asim -f sentinel-rule -o rule.yaml
  rulecast convert rules/ -t spl -p my-pipeline.yml --skip-unsupported
  rulecast convert rule.yml -t kql -t spl -t eql --exclusions false-positives.yml
  rulecast convert rules/ -t kql -t spl -o out/ --cache .rulecast-cache`;

/** `kql:name` → scoped to kql; `name` → every target. */
function scoped(values: readonly string[], targets: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(targets.map((t) => [t, []]));
  for (const v of values) {
    const m = /^([a-z]+):(.+)$/.exec(v);
    if (m && getTarget(m[1]!)) {
      if (!out.has(m[1]!)) throw new UsageError(`'${v}' is scoped to target ${m[1]}, which is not asked for (-t ${m[1]})`);
      out.get(m[1]!)!.push(m[2]!);
    } else {
      for (const t of targets) out.get(t)!.push(v);
    }
  }
  return out;
}

/** --template values: `name=file` (a template by name: kql/query, kql/sentinel-rule…), or a file
 *  for the format asked for, scoped to a target (`kql:file`) or, with one target, unscoped. */
function userTemplates(values: readonly string[], targets: readonly string[], formats: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set(listTargets().flatMap((t) => ['query', ...t.formats.filter((f) => f !== 'default')].map((f) => `${t.name}/${f}`)));
  for (const v of values) {
    const named = /^([a-z]+\/[a-z-]+)=(.+)$/.exec(v);
    if (named) {
      if (!known.has(named[1]!)) throw new UsageError(`--template ${v}: there is no template '${named[1]}'; templates: ${[...known].join(', ')}`);
      out[named[1]!] = named[2]!;
      continue;
    }
    const m = /^([a-z]+):(.+)$/.exec(v);
    const target = m && getTarget(m[1]!) ? m[1]! : targets.length === 1 ? targets[0]! : undefined;
    if (!target) throw new UsageError(`--template ${v}: say which target it is for (--template kql:${v}) or name the template (--template kql/query=${v})`);
    if (!targets.includes(target)) throw new UsageError(`--template ${v} is for target ${target}, which is not asked for (-t ${target})`);
    const format = formats[target] ?? 'default';
    out[`${target}/${format === 'default' ? 'query' : format}`] = m && getTarget(m[1]!) ? m[2]! : v;
  }
  for (const file of Object.values(out)) if (!existsSync(file)) throw new UsageError(`--template: no such file ${file}`);
  return out;
}

/** A -p value is a pipeline file when it names a YAML file; otherwise a built-in pipeline. */
function isPipelineFile(p: string): boolean {
  return /\.ya?ml$/i.test(p) || p.includes('/') || p.includes('\\');
}

export async function convertCommand(argv: string[], term: Terminal): Promise<number> {
  const { values, positionals } = parseCommandArgs('convert', argv, {
      target: { type: 'string', short: 't', multiple: true },
      pipeline: { type: 'string', short: 'p', multiple: true },
      format: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      'skip-unsupported': { type: 'boolean', short: 's' },
      help: { type: 'boolean', short: 'h' },
      placeholders: { type: 'string' },
      exclusions: { type: 'string', short: 'x', multiple: true },
      // sigma-cli's name for Sigma filter documents: the same mechanism.
      filter: { type: 'string', multiple: true },
      'no-exclusions': { type: 'boolean' },
      compact: { type: 'boolean' },
      template: { type: 'string', multiple: true },
      jobs: { type: 'string', short: 'j' },
      cache: { type: 'string' },
    });
  if (values.help) {
    write(term.out, convertHelp);
    return 0;
  }
  const targets = [...new Set(values.target ?? [])];
  if (targets.length === 0) throw new UsageError(`convert needs a target: -t ${listTargets().map((t) => t.name).join('|')}`);
  for (const t of targets) if (!getTarget(t)) throw new UsageError(`unknown target '${t}'; known targets: ${listTargets().map((x) => x.name).join(', ')}`);
  if (positionals.length === 0) throw new UsageError('convert needs at least one rule file, folder or glob');
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    jobs = Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 0) throw new UsageError(`--jobs needs a whole number of worker threads (0 or 1: none), not '${values.jobs}'`);
  }

  // --cache: the files options name are hashed before they are read (src/cli/cache.ts says why).
  const cache = values.cache === undefined ? undefined : new ConversionCache(values.cache, [...(values.pipeline ?? []).flatMap((p) => [p, p.replace(/^[a-z]+:/, '')]), ...(values.exclusions ?? []), ...(values.filter ?? [])], (m) => write(term.err, m));

  // Pipelines and formats per target, checked before any rule is read (a pipeline file is read
  // here once; worker threads, when asked for, load it again).
  const pipelineNames = scoped(values.pipeline ?? [], targets);
  const formatNames = scoped(values.format ?? [], targets);
  const pipelines: Record<string, (string | { file: string })[]> = {};
  const formats: Record<string, string> = {};
  const checked = new Map<string, Pipeline>();
  for (const t of targets) {
    const target = getTarget(t)!;
    pipelines[t] = pipelineNames.get(t)!.map((p) => {
      if (!isPipelineFile(p)) {
        if (!target.pipelines.includes(p)) throw new UsageError(`unknown pipeline '${p}' for target ${t}; pipelines: ${target.pipelines.join(', ')} or a pipeline file (.yml)`);
        return p;
      }
      if (!checked.has(p)) checked.set(p, loadPipeline(readTextFile(p, resolve(p)).text, p));
      return { file: p };
    });
    const f = formatNames.get(t)!;
    if (f.length > 1) throw new UsageError(`several formats for target ${t}: ${f.join(', ')}`);
    const format = f[0] ?? 'default';
    if (!target.formats.includes(format)) throw new UsageError(`target ${t} has no output format '${format}'; formats: ${target.formats.join(', ')}`);
    formats[t] = format;
    // A format the pipelines cannot serve (a Sentinel rule without tables) fails the run at once.
    const given = pipelines[t]!.map((p) => (typeof p === 'string' ? p : checked.get(p.file)!));
    let facts;
    try {
      const { pipelines: resolved, bare } = resolvePipelines(t, formatFor(t, format).defaultPipeline ?? target.defaultPipeline, given);
      facts = pipelineFacts(resolved, bare);
    } catch (err) {
      if (isRulecastError(err)) throw new UsageError(err.message);
      throw err;
    }
    const unfit = formatFor(t, format).needs?.(facts);
    if (unfit) throw new UsageError(`-t ${t} -f ${format}: ${unfit}`);
  }
  const templates = userTemplates(values.template ?? [], targets, formats);
  const placeholders = values.placeholders ? readPlaceholders(values.placeholders) : undefined;
  const exclusionFiles = [...(values.exclusions ?? []), ...(values.filter ?? [])];
  const untuned = values['no-exclusions'] === true;
  if (untuned && exclusionFiles.length > 0) throw new UsageError('--no-exclusions converts the untuned detection; it cannot be combined with --exclusions or --filter');
  const exclusionsRead = readOptionExclusions(exclusionFiles, term);
  const inputs = expandInputs(positionals);
  const skip = values['skip-unsupported'] === true;
  const settings: RunSettings = { targets, pipelines, formats, placeholders, exclusionFiles, untuned, compact: values.compact === true, templates, color: term.color };

  const progress = !values.json && term.err.isTTY === true && inputs.length >= 20 ? progressBar(term.err, inputs.length, term.color) : undefined;
  const preloaded = { pipelines: checked, exclusions: new Map(exclusionFiles.map((p, i) => [p, exclusionsRead[i]!])) };
  const outcomes = await convertFiles(inputs, settings, { workers: jobs, onProgress: (done) => progress?.update(done), preloaded, cache });
  progress?.done();
  const results = outcomes.flatMap((o) => o.results);
  const exclusionFilesSkipped = outcomes.filter((o) => o.exclusionsFile).length;
  if (results.length === 0) throw new UsageError(`no rules found: the ${inputs.length} file(s) searched in ${positionals.map((p) => `'${p}'`).join(', ')} hold exclusions only`);
  const correlated = outcomes.reduce((n, o) => n + (o.correlated ?? 0), 0);

  const written = values.output ? writeOutputs(values.output, results, inputs, formats) : 0;

  const count = (status: RunResult['status'], target?: string) => results.filter((r) => r.status === status && (!target || r.target === target)).length;
  const converted = count('converted');
  const unsupported = count('unsupported');
  const invalid = count('invalid');
  if (values.json) {
    const json = {
      results: results.map((r) => ({
        path: r.path,
        title: r.title,
        id: r.id,
        query: r.query,
        error: r.error ? { code: r.error.code, message: r.error.message, line: r.error.line, column: r.error.column, path: r.error.path } : null,
        target: r.target,
        status: r.status,
        warnings: r.warnings.map(({ formatted: _formatted, ...w }) => w),
      })),
      summary: {
        converted,
        failed: unsupported + invalid,
        unsupported,
        invalid,
        targets: Object.fromEntries(targets.map((t) => [t, { converted: count('converted', t), unsupported: count('unsupported', t), invalid: count('invalid', t) }])),
        exclusionFiles: exclusionFilesSkipped,
        ...(values.output ? { written } : {}),
        correlated,
      },
    };
    write(term.out, JSON.stringify(json, null, 2));
  } else {
    if (!values.output) {
      const outputs = results.filter((r) => r.query !== null).map((r) => streamed(r, formats));
      if (outputs.length) write(term.out, joinOutputs(outputs));
    }
    // An invalid rule is reported once, whatever the number of targets; so is a warning.
    const reported = new Set<string>();
    for (const r of results) {
      for (const w of r.warnings) {
        const key = `${r.path}#${r.index}#${w.code}#${w.path}:${w.line}:${w.column}#${w.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        write(term.err, w.formatted);
      }
      if (!r.error || (skip && r.status === 'unsupported')) continue;
      const key = r.status === 'invalid' ? `${r.path}#${r.index}` : `${r.path}#${r.index}#${r.target}`;
      if (reported.has(key)) continue;
      reported.add(key);
      write(term.err, r.error.formatted + (r.status === 'unsupported' && targets.length > 1 ? `\n  = note: target ${r.target}` : ''));
    }
    write(term.err, summaryTable(targets.map((t) => ({ target: t, converted: count('converted', t), unsupported: count('unsupported', t), invalid: count('invalid', t) })), skip, term.color));
    if (correlated > 0) write(term.err, `${correlated} rule${correlated === 1 ? ' is' : 's are'} used by correlations and not converted on ${correlated === 1 ? 'its' : 'their'} own ('generate: true' on the correlation converts them)`);
    if (values.output) write(term.err, `wrote ${written} file${written === 1 ? '' : 's'} to ${values.output}`);
  }
  return invalid > 0 || (unsupported > 0 && !skip) ? 1 : 0;
}

/** Where -o puts each converted result: into one file (all queries in it, separated by comments
 *  naming rule and target), or into a folder (an existing one, or a path ending with /). */
function writeOutputs(output: string, results: readonly RunResult[], inputs: readonly InputFile[], formats: Readonly<Record<string, string>>): number {
  const ok = results.filter((r) => r.query !== null);
  if (!isDirectory(output) && !/[\\/]$/.test(output)) {
    if (inputs.some((i) => resolve(i.absolute) === resolve(output))) throw new UsageError(`-o ${output} is one of the input files; rulecast never writes over a rule`);
    writeFileAtomic(output, ok.length ? `${joinOutputs(ok.map((r) => streamed(r, formats)))}\n` : '');
    return ok.length ? 1 : 0;
  }
  const planned = outputPaths(output, ok, inputs, formats);
  const foldersMade = new Set<string>();
  ok.forEach((r, i) => writeFileAtomic(planned[i]!, `${r.query!.replace(/\n+$/, '')}\n`, foldersMade));
  return planned.length;
}

function streamed(r: RunResult, formats: Readonly<Record<string, string>>): StreamedOutput {
  return { target: r.target, format: formats[r.target] ?? 'default', title: r.title, path: r.path, text: r.query! };
}

/**
 * One file per converted rule document and target, mirroring the input tree: `<folder>/<path of
 * the rule file below its input folder, extension replaced by the format's>`, with `.<n>` before
 * the extension for the n-th document (0-based) of a file holding several. Outputs that would get
 * the same name keep their rule file's extension too (`x.yml.kql`, `x.yaml.kql`); when even that
 * is not enough (files of the same name given from different folders), or an output would land on
 * an input file, nothing is written and the run stops (exit 2) naming them. Decided for all
 * outputs before any is written.
 */
export function outputPaths(output: string, results: readonly RunResult[], inputs: readonly InputFile[], formats: Readonly<Record<string, string>>): string[] {
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  const docsPerFile = new Map<string, number>();
  for (const r of results) docsPerFile.set(r.path, Math.max(docsPerFile.get(r.path) ?? 0, r.index + 1));
  const named = results.map((r) => {
    const input = byPath.get(r.path);
    const rel = input ? relative(input.base, input.absolute) : basename(r.path);
    const sourceExt = extname(rel);
    const suffix = (docsPerFile.get(r.path) ?? 1) > 1 ? `.${r.index}` : '';
    const ext = formatStyle(r.target, formats[r.target] ?? 'default').extension;
    const stem = join(output, dirname(rel), basename(rel, sourceExt));
    return { r, short: `${stem}${suffix}${ext}`, long: `${stem}${sourceExt}${suffix}${ext}` };
  });
  const count = (paths: readonly string[]) => paths.reduce((m, p) => m.set(p, (m.get(p) ?? 0) + 1), new Map<string, number>());
  const shortCounts = count(named.map((n) => n.short));
  const paths = named.map((n) => (shortCounts.get(n.short)! > 1 ? n.long : n.short));
  const finalCounts = count(paths);
  const clashes = [...finalCounts].filter(([, n]) => n > 1).map(([p]) => p);
  if (clashes.length) {
    const sources = (p: string) => [...new Set(named.filter((_, i) => paths[i] === p).map((n) => n.r.path))].join(' and ');
    throw new UsageError(
      `-o ${output}: ${clashes.length} output file(s) would be written more than once, e.g. ${clashes[0]} from ${sources(clashes[0]!)}; nothing was written. Convert a folder that holds both (the output then mirrors it), or convert them separately`,
    );
  }
  const inputFiles = new Set(inputs.map((i) => resolve(i.absolute)));
  const overwrite = paths.find((p) => inputFiles.has(resolve(p)));
  if (overwrite) throw new UsageError(`-o ${output}: the output ${overwrite} is an input file; rulecast never writes over a rule (choose another output folder)`);
  return paths;
}
