// The command line, spawned as a process: JSON shapes and exit codes are interfaces other tools use.
import { strict as assert } from 'node:assert';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulecast, tempRules } from './support/cli.js';

const good = `title: Good
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\\nbtscan.exe'
  condition: selection
`;
const bad = good.replace('condition: selection', 'condition: selection and not filter');

describe('CLI', () => {
  it('--help and per-command help exit 0', () => {
    const r = rulecast(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Usage: rulecast <command>/);
    for (const c of ['convert', 'check', 'match']) assert.match(rulecast([c, '--help']).stdout, new RegExp(`Usage: rulecast ${c}`));
  });

  it('usage errors exit 2 without a stack trace', () => {
    for (const args of [['frobnicate'], ['convert', 'x.yml'], ['convert', '-t', 'nope', 'x.yml'], ['convert', '-t', 'kql', 'no-such-file.yml'], ['convert', '--bogus']]) {
      const r = rulecast(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
    }
  });

  it('convert --json: one result per rule document, errors with line and column', () => {
    const dir = tempRules({ 'a/good.yml': good, 'b/bad.yml': bad, 'multi.yml': `${good}---\n${bad}` });
    const r = rulecast(['convert', dir, '-t', 'kql', '--json']);
    const out = JSON.parse(r.stdout) as { results: Record<string, unknown>[]; summary: { converted: number; failed: number } };
    assert.equal(out.results.length, 4);
    for (const res of out.results) {
      for (const key of ['path', 'title', 'id', 'query', 'error']) assert.ok(key in res, key);
    }
    const badResult = out.results.find((x) => (x.path as string).endsWith('bad.yml'))!;
    // The error's own file (the rule's, here; an exclusions file for an exclusion's error).
    assert.deepEqual(badResult.error, { code: 'unknown-identifier', message: "condition refers to 'filter', which no selection defines", line: 9, column: 32, path: join(dir, 'b', 'bad.yml') });
    assert.equal(out.summary.converted + out.summary.failed, 4);
    assert.equal(r.status, out.summary.failed > 0 ? 1 : 0);
  });

  it('check: exit 0 for valid rules, 1 with the error located', () => {
    const dir = tempRules({ 'good.yml': good, 'bad.yml': bad });
    assert.equal(rulecast(['check', join(dir, 'good.yml')]).status, 0);
    const r = rulecast(['check', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.yml:9:32/);
    assert.match(r.stderr, /2 rules checked: 1 valid, 1 invalid/);
    const json = JSON.parse(rulecast(['check', dir, '--json']).stdout) as { summary: { invalid: number } };
    assert.equal(json.summary.invalid, 1);
  });

  it('a binary file with a .yml name is reported, the other rules still load', () => {
    const dir = tempRules({ 'good.yml': good });
    writeFileSync(join(dir, 'binary.yml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff]));
    const r = rulecast(['check', dir, '--json']);
    const json = JSON.parse(r.stdout) as { results: { path: string; valid: boolean; errors: { code: string }[] }[] };
    assert.deepEqual(json.results.map((x) => [x.path.endsWith('binary.yml'), x.valid, x.errors[0]?.code ?? null]).sort(), [[false, true, null], [true, false, 'not-text']]);
  });

  it('match --json lists the 0-based indices of matching events', () => {
    const dir = tempRules({ 'rule.yml': good });
    const events = [{ Image: 'C:\\tools\\NBTSCAN.EXE' }, { Image: 'C:\\Windows\\cmd.exe' }, { Image: 'D:\\x\\nbtscan.exe' }];
    writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    const r = rulecast(['match', join(dir, 'rule.yml'), '--events', join(dir, 'events.jsonl'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).matches, [0, 2]);
  });

  it('match reads the event-log JSON of the regression data', () => {
    const dir = tempRules({ 'rule.yml': good.replace("Image|endswith: '\\nbtscan.exe'", 'TargetFilename|endswith: .dll') });
    writeFileSync(join(dir, 'ev.json'), JSON.stringify({ Event: { System: { EventID: 11 }, EventData: { TargetFilename: 'C:\\tdh.dll' } } }, null, 2));
    const r = rulecast(['match', join(dir, 'rule.yml'), '-e', join(dir, 'ev.json'), '--json']);
    assert.deepEqual(JSON.parse(r.stdout).matches, [0]);
  });

  it('--placeholders gives values to |expand', () => {
    const rule = good.replace("Image|endswith: '\\nbtscan.exe'", "User|expand: '%Admins%'");
    const dir = tempRules({ 'rule.yml': rule, 'ph.yml': "Admins: [root, 'adm_*']\n" });
    writeFileSync(join(dir, 'ev.jsonl'), '{"User":"root"}\n{"User":"adm_x"}\n{"User":"bob"}\n');
    assert.equal(rulecast(['match', join(dir, 'rule.yml'), '-e', join(dir, 'ev.jsonl')]).status, 1);
    const r = rulecast(['match', join(dir, 'rule.yml'), '-e', join(dir, 'ev.jsonl'), '--placeholders', join(dir, 'ph.yml'), '--json']);
    assert.deepEqual(JSON.parse(r.stdout).matches, [0, 1]);
    assert.equal(rulecast(['check', join(dir, 'rule.yml'), '--placeholders', join(dir, 'missing.yml')]).status, 2);
  });

  it('-o writes the output file atomically', () => {
    const dir = tempRules({ 'good.yml': good });
    rulecast(['convert', join(dir, 'good.yml'), '-t', 'kql', '-o', join(dir, 'out.txt')]);
    // Until a backend exists the file holds no query but is written whole.
    assert.equal(typeof readFileSync(join(dir, 'out.txt'), 'utf8'), 'string');
  });
});
