// Correlations on the command line: check, convert (in-process and on worker threads) and match,
// with references across the files of a run.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { rulecast, tempRules } from '../support/cli.js';

const failed = `title: Failed logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
name: failed_logon
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4625
  condition: selection
`;
const other = failed.replace('Failed logon', 'Process').replace('5638f7c0-ac70-491d-8465-2a65075e0d86', '929a690e-bef0-4204-a928-ef5e620d6fcc').replace('name: failed_logon', 'name: process').replace('EventID: 4625', 'EventID: 4688');
const brute = (ref = 'failed_logon') => `title: Brute force
correlation:
  type: event_count
  rules:
    - ${ref}
  group-by:
    - TargetUserName
  timespan: 10m
  condition:
    gte: 2
`;

type Convert = { results: { path: string; title: string; status: string; error: { code: string; line: number; column: number } | null }[]; summary: { correlated: number; unsupported: number; converted: number } };

describe('correlations on the command line', () => {
  it('regression (issue 13): convert does not emit the failed-logon rule of a brute-force correlation', () => {
    const dir = tempRules({ 'mr_brute.yml': `${brute()}---\n${failed}` });
    // Before: `SecurityEvent | where EventID == 4625`, which deployed alerts on every failed logon.
    const r = rulecast(['convert', join(dir, 'mr_brute.yml'), '-t', 'kql', '-p', 'sentinel-asim']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stdout + r.stderr, /4625/);
    assert.match(r.stderr, /error\[unsupported-correlation\]: correlation rules are not converted yet: 'Brute force' is an event_count correlation/);
    assert.match(r.stderr, /mr_brute\.yml:2:1/);
    assert.match(r.stderr, /1 rule is used by correlations and not converted on its own/);
  });

  it('check accepts a valid correlation and rejects an invalid one, located', () => {
    const dir = tempRules({ 'good.yml': `${brute()}---\n${failed}`, 'bad.yml': `${brute().replace('10m', '10')}---\n${failed}` });
    assert.equal(rulecast(['check', join(dir, 'good.yml')]).status, 0);
    const r = rulecast(['check', join(dir, 'bad.yml')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error\[invalid-timespan\][^\n]*\n --> [^\n]*bad\.yml:8:13/);
  });

  it('references across files: check resolves them over every file checked, and reports unknown ones', () => {
    const dir = tempRules({ 'correlations/mr_brute.yml': brute(), 'rules/failed.yml': failed, 'rules/process.yml': other, 'correlations/mr_typo.yml': brute('failed_logn') });
    const json = JSON.parse(rulecast(['check', dir, '--json']).stdout) as { results: { path: string; valid: boolean; errors: { code: string; line: number; column: number }[] }[] };
    const byFile = Object.fromEntries(json.results.map((r) => [r.path.split('/').slice(-2).join('/'), [r.valid, r.errors.map((e) => `${e.code}@${e.line}:${e.column}`)]]));
    assert.deepEqual(byFile, {
      'correlations/mr_brute.yml': [true, []],
      'correlations/mr_typo.yml': [false, ['unknown-rule-reference@5:7']],
      'rules/failed.yml': [true, []],
      'rules/process.yml': [true, []],
    });
    // Checked alone, the correlation's rule is missing.
    assert.equal(rulecast(['check', join(dir, 'correlations', 'mr_brute.yml')]).status, 1);
  });

  for (const jobs of [[], ['--jobs', '2']]) {
    it(`convert ${jobs.join(' ') || 'in-process'}: a correlation in one file keeps a rule of another file out; summary.correlated counts it`, () => {
      const dir = tempRules({ 'correlations/mr_brute.yml': brute(), 'rules/failed.yml': failed, 'rules/process.yml': other, 'correlations/mr_typo.yml': brute('failed_logn') });
      const r = rulecast(['convert', dir, '-t', 'kql', '-t', 'spl', '-p', 'none', '--json', ...jobs]);
      const out = JSON.parse(r.stdout) as Convert;
      const rows = out.results.map((x) => [x.path.split('/').slice(-2).join('/'), x.status, x.error?.code ?? null]);
      assert.deepEqual(rows, [
        ['correlations/mr_brute.yml', 'unsupported', 'unsupported-correlation'],
        ['correlations/mr_brute.yml', 'unsupported', 'unsupported-correlation'],
        ['correlations/mr_typo.yml', 'invalid', 'unknown-rule-reference'],
        ['correlations/mr_typo.yml', 'invalid', 'unknown-rule-reference'],
        ['rules/process.yml', 'converted', null],
        ['rules/process.yml', 'converted', null],
      ]);
      assert.equal(out.summary.correlated, 1);
      assert.equal(r.status, 1);
    });
  }

  it('match prints the alerts of the file\'s correlations and not the base rule on its own', () => {
    const dir = tempRules({
      'mr_brute.yml': `${brute()}---\n${failed}`,
      'events.jsonl': [
        '{"@timestamp": "2024-05-01T10:00:00Z", "EventID": 4625, "TargetUserName": "alice"}',
        '{"@timestamp": "2024-05-01T10:04:00Z", "EventID": 4625, "TargetUserName": "alice"}',
        '{"@timestamp": "2024-05-01T10:05:00Z", "EventID": 4625, "TargetUserName": "bob"}',
      ].join('\n'),
    });
    const r = rulecast(['match', join(dir, 'mr_brute.yml'), '-e', join(dir, 'events.jsonl')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'Brute force (event_count): 1 alert\n  TargetUserName="alice": 2024-05-01T10:00:00.000Z to 2024-05-01T10:04:00.000Z, count 2 (events 0, 1)\n');
    const json = JSON.parse(rulecast(['match', join(dir, 'mr_brute.yml'), '-e', join(dir, 'events.jsonl'), '--json']).stdout) as Record<string, unknown>;
    assert.deepEqual(json, {
      matches: [],
      rules: [],
      correlations: [{ title: 'Brute force', id: null, type: 'event_count', alerts: [{ group: { TargetUserName: 'alice' }, start: '2024-05-01T10:00:00.000Z', end: '2024-05-01T10:04:00.000Z', count: 2, events: [0, 1] }] }],
    });
  });

  it('match resolves a correlation\'s rules across the files given', () => {
    const dir = tempRules({
      'mr_brute.yml': brute(),
      'failed.yml': failed,
      'process.yml': other,
      'events.jsonl': '{"@timestamp": 0, "EventID": 4625, "TargetUserName": "a"}\n{"@timestamp": 1000, "EventID": 4625, "TargetUserName": "a"}\n{"@timestamp": 2000, "EventID": 4688}\n',
    });
    const r = rulecast(['match', join(dir, 'mr_brute.yml'), join(dir, 'failed.yml'), join(dir, 'process.yml'), '-e', join(dir, 'events.jsonl'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { matches: number[]; rules: { title: string; matches: number[] }[]; correlations: { alerts: { events: number[] }[] }[] };
    assert.deepEqual(json.matches, [2]);
    assert.deepEqual(json.rules.map((x) => [x.title, x.matches]), [['Process', [2]]]);
    assert.deepEqual(json.correlations.map((c) => c.alerts.map((a) => a.events)), [[[0, 1]]]);
    // Alone, the correlation's rule is missing: a located error, exit 1.
    const alone = rulecast(['match', join(dir, 'mr_brute.yml'), '-e', join(dir, 'events.jsonl')]);
    assert.equal(alone.status, 1);
    assert.match(alone.stderr, /error\[unknown-rule-reference\][^\n]*\n --> [^\n]*mr_brute\.yml:5:7/);
  });

  it('match: --time-field, and an event without a readable time is an error (exit 1)', () => {
    const dir = tempRules({ 'mr_brute.yml': `${brute()}---\n${failed}`, 'events.jsonl': '{"when": 1714557600000, "EventID": 4625, "TargetUserName": "a"}\n{"when": 1714557601000, "EventID": 4625, "TargetUserName": "a"}\n' });
    const ok = rulecast(['match', join(dir, 'mr_brute.yml'), '-e', join(dir, 'events.jsonl'), '--time-field', 'when']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /1 alert/);
    const bad = rulecast(['match', join(dir, 'mr_brute.yml'), '-e', join(dir, 'events.jsonl')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /error\[invalid-event-time\]: event 0 is used by correlation 'Brute force' but has no '@timestamp'/);
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/);
  });
});
