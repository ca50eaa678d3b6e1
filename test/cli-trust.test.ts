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
