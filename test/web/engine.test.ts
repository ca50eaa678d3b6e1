// The web page's engine (src/web/engine/, what the page's worker runs) against the command line
// run in-process on the same files: every query, status, error and warning for every target,
// pipeline and format of the registry, tuned and untuned; the diagnostics as the CLI prints them;
// the analysis and the matches. The page must never show a query the CLI would not write.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';
import { defaultRuleName, PageSession, registry } from '../../src/web/engine/session.js';
import type { PageInput, TargetChoice, WebDiagnostic } from '../../src/web/engine/protocol.js';
import { tempRules } from '../support/cli.js';
import { projectRoot, seedDocument, testData } from '../support/paths.js';
import { join } from 'node:path';

const seedRule = readFileSync(join(projectRoot, 'rules/windows/proc_creation_win_nbtscan.yml'), 'utf8');
const seedExclusions = readFileSync(join(projectRoot, 'rules/windows/proc_creation_win_nbtscan.exclusions.yml'), 'utf8');
const sigmaNamesRule = readFileSync(testData('exclusions', 'files', 'proc_creation_win_encode_sigma_names.yml'), 'utf8');

/** The CLI in-process, in a folder holding the given files (so paths are as a user in that folder sees them). */
async function cli(files: Record<string, string>, argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const dir = tempRules(files);
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, cb) => (append(String(chunk)), cb()) });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const status = await run(argv, { out: sink((s) => (out += s)), err: sink((s) => (err += s)), color: false });
    return { status, out, err };
  } finally {
    process.chdir(cwd);
  }
}

interface CliResult {
  index?: number;
  target: string;
  query: string | null;
  status: string;
  error: { code: string; message: string; line: number | null; column: number | null; path?: string | null } | null;
  warnings: { code: string; message: string; line: number | null; column: number | null; path?: string | null }[];
}

function json(d: WebDiagnostic | null) {
  return d && { code: d.code, message: d.message, line: d.line, column: d.column, path: d.path };
}

function input(rule: { name: string; text: string }, exclusions: { name: string; text: string }, targets: readonly TargetChoice[], extra: Partial<PageInput> = {}): PageInput {
  return { rule, exclusions, targets, analysis: { target: 'kql', pipeline: null }, events: { name: 'events.jsonl', text: '' }, ...extra };
}

/** Target choices covering every pipeline (and no -p) and every format of each target, several
 *  targets per run, as few runs as the longest list needs. */
function sweeps(): TargetChoice[][] {
  const perTarget = registry().targets.map((t) => [null, ...t.pipelines.map((p) => p.name)].flatMap((pipeline) => t.formats.map((format) => ({ name: t.name, pipeline, format }))));
  const longest = Math.max(...perTarget.map((c) => c.length));
  return Array.from({ length: longest }, (_, i) => perTarget.map((c) => c[i % c.length]!));
}

function argvOf(targets: readonly TargetChoice[]): string[] {
  return targets.flatMap((t) => ['-t', t.name, ...(t.pipeline ? ['-p', `${t.name}:${t.pipeline}`] : []), '-f', `${t.name}:${t.format}`]);
}

/** The page's queries (tuned and untuned) equal `convert --json` and `convert --no-exclusions --json`. */
async function assertSameAsCli(files: Record<string, string>, page: (targets: readonly TargetChoice[]) => PageInput, ruleFile: string, exclusionArgs: string[]) {
  for (const all of sweeps()) {
    // A format its pipelines cannot serve: the CLI refuses the run (exit 2), the page that target
    // (format-needs), for the same reason. The other targets are compared without it.
    const targets: TargetChoice[] = [];
    for (const t of all) {
      const alone = await cli(files, ['convert', ruleFile, ...argvOf([t]), '--json']);
      if (alone.status !== 2) {
        targets.push(t);
        continue;
      }
      const shown = new PageSession(page([t])).convert().documents.flatMap((d) => d.targets.map((x) => x.tuned.error));
      // (An imported query's SPL names the pipeline it maps with, the CLI the one asked for; a tuned
      // imported query with -p none is refused for its exclusions first.)
      assert.ok(alone.err.includes(`the ${t.format} format `), alone.err);
      assert.ok(shown.length > 0 && shown.every((e) => e !== null && (e.code === 'format-needs' ? e.message.startsWith(`the ${t.format} format `) : e.code === 'kql-exclusions')), `${JSON.stringify(t)}: ${JSON.stringify(shown)}`);
    }
    const view = new PageSession(page(targets)).convert();
    const tuned = JSON.parse((await cli(files, ['convert', ruleFile, ...argvOf(targets), ...exclusionArgs, '--json'])).out) as { results: CliResult[] };
    const shown = view.documents.flatMap((d) => d.targets.map((t) => ({ target: t.target, query: t.tuned.query, status: t.tuned.status, error: json(t.tuned.error) })));
    assert.deepEqual(shown, tuned.results.map((r) => ({ target: r.target, query: r.query, status: r.status, error: r.error })), `tuned, ${JSON.stringify(targets)}`);
    const untuned = JSON.parse((await cli(files, ['convert', ruleFile, ...argvOf(targets), '--no-exclusions', '--json'])).out) as { results: CliResult[] };
    const plain = view.documents.flatMap((d) => d.targets.map((t) => ({ target: t.target, query: t.untuned?.query, status: t.untuned?.status })));
    assert.deepEqual(plain, untuned.results.map((r) => ({ target: r.target, query: r.query, status: r.status })), `untuned, ${JSON.stringify(targets)}`);
    // Every warning the CLI reports is on the page, at the same place.
    const warnings = new Set(view.diagnostics.map((d) => JSON.stringify(json(d))));
    for (const r of tuned.results) for (const w of r.warnings) assert.ok(warnings.has(JSON.stringify({ code: w.code, message: w.message, line: w.line, column: w.column, path: w.path })), `warning ${w.code} at ${w.line}:${w.column}`);
  }
}

describe('web engine: the page shows what the CLI gives', () => {
  const kqlOnly = [{ name: 'kql', pipeline: null, format: 'default' }];

  it('the seed rule, tuned by the file it names: every target, pipeline and format equals convert --json', async () => {
    const files = { 'proc_creation_win_nbtscan.yml': seedRule, 'proc_creation_win_nbtscan.exclusions.yml': seedExclusions };
    await assertSameAsCli(files, (targets) => input({ name: 'proc_creation_win_nbtscan.yml', text: seedRule }, { name: '', text: seedExclusions }, targets), 'proc_creation_win_nbtscan.yml', []);
  });

  it('a rule in Sigma taxonomy names with the exclusions editor as -x: equals convert -x', async () => {
    const files = { 'encode.yml': sigmaNamesRule, 'fps.yml': seedExclusions };
    await assertSameAsCli(files, (targets) => input({ name: 'encode.yml', text: sigmaNamesRule }, { name: 'fps.yml', text: seedExclusions }, targets), 'encode.yml', ['-x', 'fps.yml']);
  });

  it("the seed's KQL document tuned by its own scenarios: equals convert seed.txt -x seed.txt", async () => {
    const seed = readFileSync(seedDocument, 'utf8');
    const files = { 'seed.txt': seed };
    await assertSameAsCli(files, (targets) => input({ name: 'seed.txt', text: seed }, { name: 'seed.txt', text: seed }, targets), 'seed.txt', ['-x', 'seed.txt']);
  });

  it('the diagnostics are the code frames the CLI prints, in its order', async () => {
    const rule = seedRule.replace('condition: process_event and (process_name', 'condition: process_event and (proces_name');
    const files = { 'nbtscan.yml': rule, 'proc_creation_win_nbtscan.exclusions.yml': seedExclusions };
    const targets = [{ name: 'kql', pipeline: null, format: 'default' }, { name: 'spl', pipeline: null, format: 'default' }];
    const view = new PageSession(input({ name: 'nbtscan.yml', text: rule }, { name: '', text: seedExclusions }, targets)).convert();
    const printed = await cli(files, ['convert', 'nbtscan.yml', '-t', 'kql', '-t', 'spl']);
    assert.equal(printed.status, 1);
    assert.ok(view.diagnostics.length > 0);
    assert.ok(printed.err.startsWith(`${view.diagnostics.map((d) => d.formatted).join('\n')}\n`), printed.err);
    const error = view.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(error.code, 'unknown-identifier');
    assert.equal(error.editor, 'rule');
    assert.equal(rule.slice(error.from!, error.to!), 'proces_name');
  });

  it('an exclusions file with an error given as -x stops every tuned query, as the CLI stops the run', async () => {
    const bad = 'exclusions:\n  - name: Typo\n    filter: process.name = "nbtscan"\n';
    const files = { 'encode.yml': sigmaNamesRule, 'bad.yml': bad };
    const view = new PageSession(input({ name: 'encode.yml', text: sigmaNamesRule }, { name: 'bad.yml', text: bad }, kqlOnly)).convert();
    const printed = await cli(files, ['convert', 'encode.yml', '-t', 'kql', '-x', 'bad.yml']);
    assert.equal(printed.status, 2);
    assert.equal(view.documents[0]!.targets[0]!.tuned.query, null);
    assert.ok(view.documents[0]!.targets[0]!.untuned!.query);
    assert.ok(printed.err.startsWith(`${view.diagnostics.map((d) => d.formatted).join('\n')}\n`), printed.err);
    assert.equal(view.diagnostics[0]!.editor, 'exclusions');
  });

  it('a rule naming its exclusions file with the editor blank: missing-exclusions at the rulecast key, never an untuned query as if tuned', () => {
    const view = new PageSession(input({ name: 'nbtscan.yml', text: seedRule }, { name: '', text: '' }, kqlOnly)).convert();
    const tuned = view.documents[0]!.targets[0]!.tuned;
    assert.equal(tuned.query, null);
    assert.equal(tuned.error?.code, 'missing-exclusions');
    assert.equal(tuned.error?.editor, 'rule');
    assert.equal(view.exclusions.role, 'rule-file');
    assert.ok(view.documents[0]!.targets[0]!.untuned?.query);
  });

  it('analysis: the verdicts, reasons, warnings and example events of rulecast analyze --json, in each target\'s names', async () => {
    const files = { 'proc_creation_win_nbtscan.yml': seedRule, 'proc_creation_win_nbtscan.exclusions.yml': seedExclusions };
    for (const [target, pipeline] of [['kql', null], ['kql', 'sentinel-asim'], ['eql', null], ['spl', 'splunk-cim'], ['spl', 'none']] as const) {
      const analysis = new PageSession(input({ name: 'proc_creation_win_nbtscan.yml', text: seedRule }, { name: '', text: seedExclusions }, kqlOnly, { analysis: { target, pipeline } })).analyse()!;
      const printed = await cli(files, ['analyze', 'proc_creation_win_nbtscan.yml', '-t', target, ...(pipeline ? ['-p', pipeline] : []), '--json']);
      const expected = (JSON.parse(printed.out) as { exclusions: { name: string; verdict: string; reason: string; warnings: unknown[]; witnesses: unknown }[] }).exclusions;
      assert.equal(expected.length, 5);
      assert.deepEqual(
        analysis.exclusions.map((r) => ({ name: r.name, verdict: r.verdict, reason: r.reason, warnings: r.warnings.map((w) => ({ code: w.code, message: w.message, line: w.line, column: w.column })), witnesses: r.witnesses })),
        expected.map((r) => ({ name: r.name, verdict: r.verdict, reason: r.reason, warnings: r.warnings, witnesses: r.witnesses })),
        `${target} ${pipeline}`,
      );
    }
  });

  it('analysis of a KQL document uses its own scenarios when the editor is blank, as analyze does', async () => {
    const seed = readFileSync(seedDocument, 'utf8');
    const analysis = new PageSession(input({ name: 'seed.txt', text: seed }, { name: '', text: '' }, kqlOnly)).analyse()!;
    const printed = await cli({ 'seed.txt': seed }, ['analyze', 'seed.txt', '--json']);
    const expected = (JSON.parse(printed.out) as { exclusions: { name: string; verdict: string; reason: string }[] }).exclusions;
    assert.equal(expected.length, 5);
    assert.deepEqual(analysis.exclusions.map((r) => [r.name, r.verdict, r.reason]), expected.map((r) => [r.name, r.verdict, r.reason]));
  });

  it('match: the matches and the events each exclusion removes equal rulecast match --json', async () => {
    const events = [
      { event: { category: 'process' }, process: { name: 'nbtscan.exe', args: ['-r', '10.0.0.0/24'], parent: { name: 'cmd.exe' } } },
      { event: { category: 'process' }, process: { name: 'nbtscan.exe', args: ['inventory'], parent: { name: 'task scheduler' } } },
      { event: { category: 'file' }, file: { name: 'nbtscan.exe' }, process: { name: 'explorer.exe' } },
      { event: { category: 'process' }, process: { name: 'notepad.exe' } },
    ];
    const text = events.map((e) => JSON.stringify(e)).join('\n');
    const files = { 'proc_creation_win_nbtscan.yml': seedRule, 'proc_creation_win_nbtscan.exclusions.yml': seedExclusions, 'events.jsonl': text };
    const match = new PageSession(input({ name: 'proc_creation_win_nbtscan.yml', text: seedRule }, { name: '', text: seedExclusions }, kqlOnly, { events: { name: 'events.jsonl', text } })).match()!;
    const printed = JSON.parse((await cli(files, ['match', 'proc_creation_win_nbtscan.yml', '-e', 'events.jsonl', '--json'])).out) as { matches: number[]; rules: { matches: number[]; exclusions: unknown[] }[] };
    assert.deepEqual(match.matches, printed.matches);
    assert.deepEqual(match.rules.map((r) => ({ matches: r.matches, exclusions: r.exclusions })), printed.rules.map((r) => ({ matches: r.matches, exclusions: r.exclusions })));
    assert.equal(match.events, 4);
  });

  it('typed text is named by its kind, so it is read as the CLI reads such a file', () => {
    assert.equal(defaultRuleName(seedRule), 'rule.yml');
    assert.equal(defaultRuleName('DeviceProcessEvents\n| where FileName =~ "nbtscan.exe"'), 'query.kql');
    assert.equal(defaultRuleName(readFileSync(seedDocument, 'utf8')), 'document.txt');
    assert.equal(defaultRuleName('# Hunt\n\n```kusto\nDeviceProcessEvents | take 1\n```\n'), 'document.md');
    const view = new PageSession(input({ name: '', text: 'DeviceProcessEvents\n| where FileName =~ "nbtscan.exe"' }, { name: '', text: '' }, kqlOnly)).convert();
    assert.equal(view.kind, 'kql');
    assert.equal(view.names.rule, 'query.kql');
    assert.equal(view.documents[0]!.targets[0]!.tuned.status, 'converted');
  });

  it('an exclusions file in the rule editor is not converted (the CLI skips it)', () => {
    const view = new PageSession(input({ name: '', text: seedExclusions }, { name: '', text: '' }, kqlOnly)).convert();
    assert.equal(view.kind, 'exclusions');
    assert.deepEqual(view.documents, []);
  });
});
