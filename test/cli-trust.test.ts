// Command-line regressions of the trust issue: what a person sees must say what the output does.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rulecast, tempRules } from './support/cli.js';

const nbtscan = join('rules', 'windows', 'proc_creation_win_nbtscan.yml');

const rule = (extra = '') => `title: Encoded certutil
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    process.name: 'certutil.exe'
  condition: selection
${extra}`;

interface JsonResult {
  status: string;
  query: string | null;
  warnings: { code: string; message: string; line: number | null; column: number | null; path?: string | null }[];
}

describe('CLI: tuned queries that cannot fire are never written silently', () => {
  it('convert of the bundled nbtscan rule says that its first scenario removes every name-based detection', () => {
    const r = rulecast(['convert', nbtscan, '-t', 'kql']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning\[exclusion-effectively-total\]: exclusion 'Scheduled NBTScan Job for Network Inventory' is partial, effectively total: it removes every detection of event\.category == "process" AND process\.name == "nbtscan\.exe"/);
    assert.match(r.stderr, /--> rules\/windows\/proc_creation_win_nbtscan\.exclusions\.yml:5:5/);
    const json = JSON.parse(rulecast(['convert', nbtscan, '-t', 'kql', '--json']).stdout) as { results: JsonResult[] };
    const w = json.results[0]!.warnings.find((x) => x.code === 'exclusion-effectively-total');
    assert.ok(w);
    assert.deepEqual([w.path, w.line, w.column], [join('rules', 'windows', 'proc_creation_win_nbtscan.exclusions.yml'), 5, 5]);
  });

  it('an exclusion that removes every detection, and one that removes none, are warnings naming the exclusion', () => {
    const dir = tempRules({
      'r.yml': rule(),
      'x.yml': `exclusions:
  - name: everything
    filter: process.name == "certutil.exe"
  - name: nothing
    filter: process.name == "notepad.exe"
`,
    });
    const r = rulecast(['convert', join(dir, 'r.yml'), '-t', 'spl', '-x', join(dir, 'x.yml'), '--json']);
    const warnings = (JSON.parse(r.stdout) as { results: JsonResult[] }).results[0]!.warnings;
    const total = warnings.find((w) => w.code === 'exclusion-total');
    const dead = warnings.find((w) => w.code === 'exclusion-dead');
    assert.match(total?.message ?? '', /exclusion 'everything' removes every detection of the rule, so the tuned query never fires/);
    assert.equal(total?.line, 2);
    assert.match(dead?.message ?? '', /exclusion 'nothing' removes nothing/);
    assert.equal(dead?.line, 4);
  });

  it('--no-exclusions converts the untuned detection, even for a rule that names its own exclusions', () => {
    const tuned = rulecast(['convert', nbtscan, '-t', 'kql']);
    const untuned = rulecast(['convert', nbtscan, '-t', 'kql', '--no-exclusions']);
    assert.equal(untuned.status, 0, untuned.stderr);
    assert.match(tuned.stdout, /tuned: the detection without the events of 5 exclusion/);
    assert.doesNotMatch(untuned.stdout, /tuned|nbtscan" or|InitiatingProcessFileName =~ "task scheduler"/);
    assert.doesNotMatch(untuned.stderr, /warning/);
    const both = rulecast(['convert', nbtscan, '-t', 'kql', '--no-exclusions', '-x', join('rules', 'windows', 'proc_creation_win_nbtscan.exclusions.yml')]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--no-exclusions .* cannot be combined with --exclusions/);
  });
});

describe('CLI: what a person sees', () => {
  it('rule warnings are printed in text mode too (a dropped timeframe)', () => {
    const dir = tempRules({ 'r.yml': rule().replace('  condition: selection\n', '  timeframe: 5m\n  condition: selection\n') });
    const r = rulecast(['convert', join(dir, 'r.yml'), '-t', 'kql']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning\[timeframe\]: 'timeframe' belongs to the Sigma 1 aggregation syntax and is ignored/);
    assert.match(r.stderr, /r\.yml:9:3/);
  });

  it('an unknown option or command suggests the closest one', () => {
    const option = rulecast(['convert', nbtscan, '-t', 'kql', '--exclusion', 'x.yml']);
    assert.equal(option.status, 2);
    assert.match(option.stderr, /convert has no option '--exclusion'; did you mean '--exclusions'\?/);
    const command = rulecast(['convrt', nbtscan]);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /unknown command 'convrt'; did you mean 'convert'\?/);
  });

  it('an input with no rules is an error naming what was searched', () => {
    const empty = tempRules({ 'notes.txt': 'nothing here' });
    for (const command of ['convert', 'check', 'analyze']) {
      const r = rulecast(command === 'convert' ? [command, empty, '-t', 'kql'] : [command, empty]);
      assert.equal(r.status, 2, `${command}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`no rule files found: searched '${empty}' for .yml, .yaml and .kql files`), r.stderr);
    }
    const onlyExclusions = tempRules({ 'x.yml': 'exclusions:\n  - name: a\n    filter: process.name == "a"\n' });
    const r = rulecast(['convert', onlyExclusions, '-t', 'kql']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no rules found: the 1 file\(s\) searched in .* hold exclusions only/);
  });

  it('match accepts folders and applies the rule\'s own exclusions and -x, reporting what each removes', () => {
    const dir = tempRules({
      'rules/r.yml': rule('rulecast:\n  exclusions: own.yml\n'),
      'rules/own.yml': 'exclusions:\n  - name: from cmd\n    filter: process.parent.name == "cmd.exe"\n',
      'more.yml': 'exclusions:\n  - name: patching\n    filter: process.args contains "patch"\n',
      'events.jsonl': [
        { 'process.name': 'certutil.exe', 'process.parent.name': 'explorer.exe' },
        { 'process.name': 'certutil.exe', 'process.parent.name': 'cmd.exe' },
        { 'process.name': 'certutil.exe', 'process.args': '-patch' },
        { 'process.name': 'notepad.exe' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    });
    const r = rulecast(['match', join(dir, 'rules'), '-e', join(dir, 'events.jsonl'), '-x', join(dir, 'more.yml'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { matches: number[]; rules: { matches: number[]; exclusions: { name: string; removed: number[] }[] }[] };
    assert.deepEqual(out.matches, [0]);
    assert.deepEqual(out.rules[0]!.exclusions, [
      { name: 'patching', removed: [2] },
      { name: 'from cmd', removed: [1] },
    ]);
    const untuned = JSON.parse(rulecast(['match', join(dir, 'rules'), '-e', join(dir, 'events.jsonl'), '--no-exclusions', '--json']).stdout) as { matches: number[] };
    assert.deepEqual(untuned.matches, [0, 1, 2]);
  });
});

describe('CLI: nothing is lost or overwritten silently', () => {
  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();

  it('x.yml beside x.yaml and a file of two documents get distinct, deterministic names; the summary counts the files written', () => {
    const dir = tempRules({ 'in/x.yml': rule(), 'in/x.yaml': rule(), 'in/two.yml': `${rule()}---\n${rule()}` });
    const out = join(dir, 'out');
    const r = rulecast(['convert', join(dir, 'in'), '-t', 'kql', '-t', 'sigma', '-o', `${out}/`, '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(out), ['two.0.kql', 'two.0.yml', 'two.1.kql', 'two.1.yml', 'x.yaml.kql', 'x.yaml.yml', 'x.yml.kql', 'x.yml.yml']);
    const summary = (JSON.parse(r.stdout) as { summary: { converted: number; written: number } }).summary;
    assert.equal(summary.converted, 8);
    assert.equal(summary.written, 8);
  });

  it('two inputs that map to the same output file are refused before anything is written (exit 2)', () => {
    const dir = tempRules({ 'a/x.yml': rule(), 'b/x.yml': rule() });
    const out = join(dir, 'out');
    const r = rulecast(['convert', join(dir, 'a', 'x.yml'), join(dir, 'b', 'x.yml'), '-t', 'kql', '-o', `${out}/`]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /would be written more than once, e\.g\. .*x\.yml\.kql from .*a\/x\.yml and .*b\/x\.yml; nothing was written/);
    assert.equal(existsSync(out), false);
  });

  it('an output never replaces an input rule', () => {
    const dir = tempRules({ 'x.yml': rule() });
    const before = readFileSync(join(dir, 'x.yml'), 'utf8');
    assert.equal(rulecast(['convert', dir, '-t', 'sigma', '-o', dir]).status, 2);
    assert.equal(rulecast(['convert', join(dir, 'x.yml'), '-t', 'kql', '-o', join(dir, 'x.yml')]).status, 2);
    assert.equal(readFileSync(join(dir, 'x.yml'), 'utf8'), before);
  });

  it('rule formats are written with their own extension (a Sentinel rule is YAML, not .kql)', () => {
    const dir = tempRules({ 'in/x.yml': rule() });
    const out = join(dir, 'out');
    const r = rulecast(['convert', join(dir, 'in'), '-t', 'kql', '-t', 'eql', '-t', 'spl', '-f', 'kql:sentinel-rule', '-f', 'eql:elastic-rule', '-f', 'spl:savedsearches', '-p', 'spl:splunk-windows', '-o', `${out}/`]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(files(out), ['x.conf', 'x.ndjson', 'x.yaml']);
  });

  it('several outputs in one stream are separated by a comment naming rule and target, YAML documents by ---', () => {
    const dir = tempRules({ 'a.yml': rule(), 'b.yml': rule().replace('Encoded certutil', 'Second rule') });
    const r = rulecast(['convert', dir, '-t', 'kql', '-t', 'sigma']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\/\/ rule: Encoded certutil \(.*a\.yml\), target kql\n/);
    assert.match(r.stdout, /\n---\n# rule: Second rule \(.*b\.yml\), target sigma\ntitle: 'Second rule'/);
    const one = rulecast(['convert', join(dir, 'a.yml'), '-t', 'kql']);
    assert.doesNotMatch(one.stdout, /rule:/, 'a single output is written as it is');
    const file = join(dir, 'all.spl');
    assert.equal(rulecast(['convert', dir, '-t', 'spl', '-o', file]).status, 0);
    assert.match(readFileSync(file, 'utf8'), /^``` rule: Encoded certutil \(.*\), target spl ```\nprocess\.name="certutil\.exe"\n\n``` rule: Second rule/);
  });
});

describe('CLI: formats a SIEM cannot run are refused before anything is converted', () => {
  for (const [args, reason] of [
    [['-t', 'kql', '-p', 'none', '-f', 'sentinel-rule'], /the sentinel-rule format needs a query over tables, and '-p none' gives only the condition/],
    [['-t', 'kql', '-p', 'none', '-f', 'sentinel-hunting'], /the sentinel-hunting format needs a query over tables/],
    [['-t', 'kql', '-p', 'sentinel-asim', '-f', 'defender-rule'], /the defender-rule format needs Defender XDR tables \(with Timestamp, DeviceId, ReportId\), which pipeline sentinel-asim does not map to/],
    [['-t', 'spl', '-f', 'data-model'], /the data-model format searches CIM data models, which '-p none' does not map to; use -p splunk-cim/],
    [['-t', 'spl', '-p', 'splunk-windows', '-f', 'data-model'], /which pipeline splunk-windows does not map to/],
  ] as const) {
    it(`${args.join(' ')}: exit 2 with the reason`, () => {
      const r = rulecast(['convert', nbtscan, ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, reason);
      assert.equal(r.stdout, '');
    });
  }

  it('scheduled formats read one period each run, so an event alerts once: the rule\'s 7-day lookback stays in hunting formats', () => {
    const rule = rulecast(['convert', nbtscan, '-t', 'kql', '-f', 'sentinel-rule', '--no-exclusions']);
    assert.match(rule.stdout, /queryFrequency: 1h\nqueryPeriod: 1h\n/);
    assert.doesNotMatch(rule.stdout, /ago\(7d\)/);
    const defender = JSON.parse(rulecast(['convert', nbtscan, '-t', 'kql', '-f', 'defender-rule', '--no-exclusions']).stdout) as { schedule: unknown; queryCondition: { queryText: string } };
    assert.deepEqual(defender.schedule, { frequency: 'PT1H', lookback: 'PT1H' });
    assert.doesNotMatch(defender.queryCondition.queryText, /ago\(/);
    const saved = rulecast(['convert', nbtscan, '-t', 'spl', '-p', 'splunk-windows', '-f', 'savedsearches', '--no-exclusions']);
    assert.match(saved.stdout, /cron_schedule = \*\/15 \* \* \* \*\ndispatch\.earliest_time = -15m\n/);
    const elastic = JSON.parse(rulecast(['convert', nbtscan, '-t', 'eql', '-f', 'elastic-rule', '--no-exclusions']).stdout) as { from: string; interval: string };
    assert.deepEqual([elastic.from, elastic.interval], ['now-6m', '5m']);
    assert.match(rulecast(['convert', nbtscan, '-t', 'kql', '-f', 'sentinel-hunting', '--no-exclusions']).stdout, /\| where Timestamp > ago\(7d\)/);
  });
});

describe('CLI: templates and pipelines of the user\'s own', () => {
  it('--template replaces a format\'s template (scoped) or any template by name; a name its context lacks is located in the template', () => {
    const dir = tempRules({
      'rule.hbs': 'RULE {{comment name "line"}}\n{{> query}}\n',
      'query.hbs': '{{#each parts}}[{{sourceText}}] {{body}}\n{{/each}}',
      'bad.hbs': 'id: {{id}}\nq: {{nope}}\n',
    });
    const scoped = rulecast(['convert', nbtscan, '-t', 'kql', '-f', 'sentinel-rule', '--no-exclusions', '--template', `kql:${join(dir, 'rule.hbs')}`]);
    assert.equal(scoped.status, 0, scoped.stderr);
    assert.match(scoped.stdout, /^RULE "NBTScan Network Discovery"\nunion\n/);
    const named = rulecast(['convert', nbtscan, '-t', 'kql', '--compact', '--no-exclusions', '--template', `kql/query=${join(dir, 'query.hbs')}`]);
    assert.match(named.stdout, /^\[DeviceProcessEvents\] FileName =~ "nbtscan\.exe" or SHA1 in~ \(.*\)\n\[DeviceFileEvents\] ActionType in~/);
    const bad = rulecast(['convert', nbtscan, '-t', 'kql', '-f', 'sentinel-rule', '--no-exclusions', '--template', `kql:${join(dir, 'bad.hbs')}`]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /error\[template-error\]: your template for kql\/sentinel-rule uses 'nope', which its context does not have/);
    assert.match(bad.stderr, /bad\.hbs:2:6/);
    assert.equal(rulecast(['convert', nbtscan, '-t', 'kql', '-t', 'spl', '--template', join(dir, 'rule.hbs')]).status, 2, 'unscoped with two targets');
    assert.equal(rulecast(['convert', nbtscan, '-t', 'kql', '--template', `kql/nope=${join(dir, 'rule.hbs')}`]).status, 2);
  });

  it('list pipelines --show prints a built-in pipeline to start one from; it loads back as it is', () => {
    const r = rulecast(['list', 'pipelines', '--show', 'ecs-windows']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# .*\n/);
    const dir = tempRules({ 'mine.yml': r.stdout.replace('name: ecs-windows', 'name: mine') });
    const converted = rulecast(['convert', nbtscan, '-t', 'eql', '-p', join(dir, 'mine.yml'), '--no-exclusions']);
    assert.equal(converted.status, 0, converted.stderr);
    assert.equal(converted.stdout, rulecast(['convert', nbtscan, '-t', 'eql', '--no-exclusions']).stdout);
    const typo = rulecast(['list', 'pipelines', '--show', 'ecs-windos']);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /did you mean 'ecs-windows'/);
  });

  it('a layout key the target does not read is a located error of the pipeline file', () => {
    const dir = tempRules({
      'p.yml': 'name: mine\ntarget: kql\nlayout:\n  tims: Timestamp\n',
      'q.yml': 'name: mine\ntarget: spl\nsources:\n  - logsource: {category: process_creation}\n    layout: {tags: process}\n',
    });
    const unknown = rulecast(['convert', nbtscan, '-t', 'kql', '-p', join(dir, 'p.yml')]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /error\[invalid-pipeline\]: unknown layout key 'tims'; did you mean 'time'\? \(target kql reads time, connectors, tables\)\n --> .*p\.yml:4:3/);
    const wrong = rulecast(['convert', nbtscan, '-t', 'spl', '-p', join(dir, 'q.yml')]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /layout key 'tags' \(the tags of the data model's events, which the default format searches\) must be a list of strings\n --> .*q\.yml:5:20/);
  });
});
