// rulecast convert with KQL inputs: detection by extension and content, the same JSON shape and exit
// codes as for Sigma rules, located errors, outputs written per query.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulecast, tempRules } from '../support/cli.js';
import { seedDocument } from '../support/paths.js';

const seed = seedDocument;

describe('CLI: KQL inputs', () => {
  it('converts the seed for every target with the usual JSON shape', () => {
    const r = rulecast(['convert', seed, '-t', 'kql', '-t', 'sigma', '-t', 'spl', '-t', 'eql', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(json), ['results', 'summary']);
    assert.deepEqual(
      json.results.map((x: { target: string; status: string }) => [x.target, x.status]),
      [
        ['kql', 'converted'],
        ['sigma', 'converted'],
        ['spl', 'converted'],
        ['eql', 'converted'],
      ],
    );
    assert.deepEqual(Object.keys(json.results[0]), ['path', 'title', 'id', 'query', 'error', 'target', 'status', 'warnings']);
    assert.equal(json.results[0].title, 'detect-nbtscan-activity');
    assert.match(json.results[0].query, /^union DeviceProcessEvents, DeviceFileEvents\n\| where Timestamp > ago\(7d\)/);
    // Renamed files (part of DeviceFileEvents) are Elastic Defend's rename events in ECS.
    assert.match(json.results[3].query, /event\.action : "rename"/);
    assert.deepEqual(json.summary.targets.kql, { converted: 1, unsupported: 0, invalid: 0 });
  });

  it('finds .kql files and Sentinel YAML in a folder beside Sigma rules; -o writes one file per query', () => {
    const dir = tempRules({
      'a.kql': 'DeviceProcessEvents\n| where FileName =~ "nbtscan.exe"\n',
      'b.yaml': 'name: B\nquery: |\n  DeviceProcessEvents\n  | where ProcessCommandLine has "whoami"\n',
      'c.yml': "title: C\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    Image|endswith: '\\\\x.exe'\n  condition: sel\n",
      'notes.md': '# not a query\n',
    });
    const out = tempRules({});
    const r = rulecast(['convert', dir, '-t', 'kql', '-t', 'sigma', '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['a.kql', 'a.yml', 'b.kql', 'b.yml', 'c.kql', 'c.yml']) assert.ok(existsSync(join(out, f)), f);
    assert.equal(readFileSync(join(out, 'b.kql'), 'utf8'), 'DeviceProcessEvents\n| where ProcessCommandLine has "whoami"\n');
    assert.match(readFileSync(join(out, 'a.yml'), 'utf8'), /process\.name: 'nbtscan\.exe'/);
  });

  it('refuses what it cannot import with the located, formatted error and exit status 1', () => {
    const dir = tempRules({ 'q.md': '# Q\n\n```kusto\nDeviceProcessEvents\n| summarize count() by DeviceName\n```\n' });
    const r = rulecast(['convert', join(dir, 'q.md'), '-t', 'spl']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error\[kql-unsupported\]: the 'summarize' operator is not supported/);
    assert.match(r.stderr, /q\.md:5:3/);
    const skipped = rulecast(['convert', join(dir, 'q.md'), '-t', 'spl', '--skip-unsupported']);
    assert.equal(skipped.status, 0);
  });

  it('a KQL syntax error is an invalid input', () => {
    const dir = tempRules({ 'bad.kql': 'DeviceProcessEvents | where FolderPath startswith "C:\\Windows"\n' });
    const r = rulecast(['convert', join(dir, 'bad.kql'), '-t', 'kql', '--json']);
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).results[0].status, 'invalid');
  });
});
