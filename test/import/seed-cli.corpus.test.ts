// Issue 13, item 3: the seed document (../shared/seed/detect-nbtscan-activity.txt) end to end as a
// user runs it: `rulecast convert seed.txt -t <target> -x seed.txt` (its own query tuned by its own
// five scenarios) for kql, spl, eql and sigma; `check` and `analyze` read it; the Sigma output is
// one rule in ECS names with the query's id that loads back and converts to KQL; SPL and EQL keep
// the 7-day lookback and label each table's search. Every test spawns the command line.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulecast, tempRules } from '../support/cli.js';
import { sharedRoot } from '../support/shared.js';
import { compileSigma } from '../../src/index.js';
import { predicates } from '../../src/ir/passes.js';
import { isEcsName } from '../../src/import/reverse.js';
import { kustoSyntaxErrors } from './kusto.js';

const seed = join(sharedRoot, 'seed', 'detect-nbtscan-activity.txt');
const scenarios = [
  'Scheduled NBTScan Job for Network Inventory',
  'Legitimate Network Discovery Tool Usage',
  'Admin Task to Check NetBIOS Services',
  'Automated Patch Management Tool Scanning',
  'Internal Security Tool for Active Directory Enumeration',
];

function tuned(target: string): string {
  const r = rulecast(['convert', seed, '-t', target, '-x', seed, '--compact']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the seed end to end (command line)', () => {
  it('kql-exclusions: `convert seed.txt -t kql -x seed.txt` is the seed tuned by its five scenarios, each table with its own columns', () => {
    const kql = tuned('kql');
    assert.deepEqual(kustoSyntaxErrors(kql), [], kql);
    for (const name of scenarios) assert.match(kql, new RegExp(`^// {3}- ${name}$`, 'm'));
    // The first scenario: process.name is FileName in process events, the acting process in file events.
    assert.match(kql, /\(DeviceProcessEvents\n {4}\| where \(FileName =~ "nbtscan\.exe" or SHA1 in \([^)]*\)\) and not\(FileName !~ "nbtscan" or InitiatingProcessFileName =~ "task scheduler" or ProcessCommandLine contains "inventory"\)/);
    assert.match(kql, /\(DeviceFileEvents\n {4}\| where \(FileName =~ "nbtscan\.exe" or SHA1 in \([^)]*\)\) and not\(InitiatingProcessFileName !~ "nbtscan" or InitiatingProcessParentFileName =~ "task scheduler" or InitiatingProcessCommandLine contains "inventory"\)/);
    assert.match(kql, /\n\| where Timestamp > ago\(7d\)\n\| project FolderPath, FileName, InitiatingProcessAccountName, InitiatingProcessFileName, ProcessCommandLine, Timestamp\n$/);
  });

  it('no lookback, no table label in SPL: each table’s search is labelled and starts with earliest=-7d (untuned and tuned)', () => {
    for (const out of [rulecast(['convert', seed, '-t', 'spl']).stdout, tuned('spl')]) {
      const parts = out.trimEnd().split('\n\n');
      assert.equal(parts.length, 2, out);
      assert.match(parts[0]!, /^```DeviceProcessEvents: log source \{product: windows, category: process_creation\}```\n/);
      assert.match(parts[1]!, /^```DeviceFileEvents: log sources \{product: windows, category: file_event\}, \{product: windows, category: file_delete\}, \{product: windows, category: file_rename\}```\n/);
      for (const p of parts) assert.match(p, /^earliest=-7d /m);
    }
  });

  it('no table label in EQL: each table’s query is labelled and says the 7-day lookback (untuned and tuned)', () => {
    for (const out of [rulecast(['convert', seed, '-t', 'eql']).stdout, tuned('eql')]) {
      const parts = out.trimEnd().split('\n\n');
      assert.equal(parts.length, 2, out);
      assert.match(parts[0]!, /^\/\/ DeviceProcessEvents: log source \{product: windows, category: process_creation\}\n\/\/ lookback 7d: /);
      assert.match(parts[1]!, /^\/\/ DeviceFileEvents: log sources \{product: windows, category: file_event\}/);
      for (const p of parts) assert.match(p, /^\/\/ lookback 7d: EQL has no time filter; run this query over the last 7d$/m);
    }
  });

  it('Sigma output mixed Sigma and ECS names and lost the id: now one rule, ECS only, with the id, that checks and converts back to KQL', () => {
    for (const out of [rulecast(['convert', seed, '-t', 'sigma']).stdout, tuned('sigma')]) {
      const docs = compileSigma(out, 'seed.yml');
      assert.equal(docs.length, 1, out);
      assert.equal(docs[0]!.id, '28ebbb87-535b-4ba0-80f4-6fbf80b7c55a');
      const names = [...predicates(docs[0]!.query!.expr).map((p) => p.field!), ...docs[0]!.query!.fields];
      assert.deepEqual(names.filter((n) => !isEcsName(n)), [], out);
      const dir = tempRules({});
      const file = join(dir, 'seed.yml');
      writeFileSync(file, out);
      const check = rulecast(['check', file]);
      assert.equal(check.status, 0, check.stderr);
      const back = rulecast(['convert', file, '-t', 'kql', '--compact']);
      assert.equal(back.status, 0, back.stderr);
      assert.deepEqual(kustoSyntaxErrors(back.stdout), [], back.stdout);
      // Each table gets the seed's detection back (DeviceFileEvents with its four ActionType values).
      const detection = 'FileName =~ "nbtscan\\.exe" or SHA1 in \\("9af0cb61580dba0e380cddfe9ca43a3e128ed2f8", "90da10004c8f6fafdaa2cf18922670a745564f45"\\)';
      assert.match(back.stdout, new RegExp(`^union\\n {4}\\(DeviceProcessEvents\\n {4}\\| where \\(?${detection}`));
      assert.match(back.stdout, new RegExp(`\\(DeviceFileEvents\\n {4}\\| where ActionType in~ \\("FileCreated", "FileModified", "FileDeleted", "FileRenamed"\\) and \\(\\(?${detection}`));
      assert.match(back.stdout, /\| where Timestamp > ago\(7d\)/);
    }
  });

  it('yaml-syntax: `check seed.txt` imports the query and checks its five scenarios (valid, with their warnings)', () => {
    const r = rulecast(['check', seed, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.results.length, 1);
    assert.equal(json.results[0].title, 'detect-nbtscan-activity');
    assert.equal(json.results[0].valid, true);
    assert.deepEqual([...new Set(json.results[0].warnings.map((w: { code: string }) => w.code))].sort(), ['mixed-and-or', 'value-shorthand']);
  });

  it('yaml-syntax: `analyze seed.txt -x seed.txt` (and without -x, its own scenarios) gives a verdict per scenario', () => {
    const withX = JSON.parse(rulecast(['analyze', seed, '-x', seed, '--json']).stdout);
    const own = rulecast(['analyze', seed, '--json']);
    assert.equal(own.status, 0, own.stderr);
    assert.deepEqual(JSON.parse(own.stdout), withX);
    const rows = withX.exclusions as { name: string; verdict: string; witnesses: { removed?: Record<string, unknown>; kept?: Record<string, unknown> } }[];
    assert.deepEqual(rows.map((x) => x.name), scenarios);
    assert.ok(rows.every((x) => x.verdict === 'partial'), JSON.stringify(rows.map((x) => x.verdict)));
    // The first scenario removes the name-based detections (process.name != "nbtscan" holds for
    // nbtscan.exe) and keeps only those by hash of a file named exactly "nbtscan".
    assert.equal(rows[0]!.witnesses.removed!.FileName, 'nbtscan.exe');
    assert.equal(rows[0]!.witnesses.kept!.FileName, 'nbtscan');
    assert.ok(rows[0]!.witnesses.kept!.SHA1);
  });
});
