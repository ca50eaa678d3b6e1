// The command line on a KQL hunting document with its own Scenario blocks (the fixture
// test/import/fixtures/remote-admin-tools.txt), as a user runs it: convert tuned by the document's
// own scenarios for every target, check and analyze reading the document as convert does.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { rulecast, tempRules } from '../support/cli.js';
import { testData } from '../support/paths.js';
import { kustoSyntaxErrors } from './kusto.js';

const fixture = testData('import', 'fixtures', 'remote-admin-tools.txt');

describe('CLI: KQL documents tuned, checked and analysed', () => {
  it('kql-exclusions (convert refused -x for an imported query): `convert doc -x doc` tunes it for kql, spl, eql and sigma', () => {
    const r = rulecast(['convert', fixture, '-t', 'kql', '-t', 'spl', '-t', 'eql', '-t', 'sigma', '-x', fixture, '--json', '--compact']);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(r.stdout).results as { target: string; status: string; query: string; id: string }[];
    assert.deepEqual(results.map((x) => [x.target, x.status]), [
      ['kql', 'converted'],
      ['spl', 'converted'],
      ['eql', 'converted'],
      ['sigma', 'converted'],
    ]);
    const [kql, spl, eql, sigma] = results.map((x) => x.query);
    assert.deepEqual(kustoSyntaxErrors(kql!), []);
    assert.match(kql!, /^\/\/ tuned: the detection without the events of 2 exclusion\(s\):\n\/\/ {3}- Software deployment\n\/\/ {3}- Backup agent staging\n/);
    // process.name is the new process in DeviceProcessEvents and the acting one in DeviceFileEvents.
    assert.match(kql!, /\(DeviceProcessEvents\n {4}\| where .*not\(InitiatingProcessFileName =~ "ccmexec\.exe" or ProcessCommandLine contains "deploy"\)\)/);
    assert.match(kql!, /\(DeviceFileEvents\n {4}\| where .*not\(InitiatingProcessParentFileName =~ "ccmexec\.exe" or InitiatingProcessCommandLine contains "deploy"\) and not\(FolderPath startswith @"D:\\Backup\\" and InitiatingProcessFileName =~ "backupagent\.exe"\)\)/);
    assert.equal(spl!.match(/```tuned: excludes Software deployment```/g)?.length, 2, 'each table’s search names the exclusions');
    assert.equal(eql!.match(/^\/\/ {3}- Backup agent staging$/gm)?.length, 2);
    assert.match(sigma!, /^# {3}- Software deployment$/m);
    assert.ok(results.every((x) => x.id === '5d0c3f7e-2a41-4c8e-9b6d-3f1e8a2c7b90'));
  });

  it('the document without -x converts untuned: its scenarios are proposals, applied only when -x names them', () => {
    const r = rulecast(['convert', fixture, '-t', 'kql']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /tuned/);
  });

  it('yaml-syntax (check read a KQL document as a Sigma rule): check imports it and checks its scenarios', () => {
    const ok = rulecast(['check', fixture, '--json']);
    assert.equal(ok.status, 0, ok.stderr);
    const json = JSON.parse(ok.stdout);
    assert.deepEqual(json.results.map((x: { title: string; id: string; valid: boolean }) => [x.title, x.id, x.valid]), [['remote-admin-tools', '5d0c3f7e-2a41-4c8e-9b6d-3f1e8a2c7b90', true]]);
    assert.deepEqual(json.summary, { rules: 1, valid: 1, invalid: 0, warnings: 0 });
    const dir = tempRules({
      'broken.txt': 'About it.\nKQL Query\nDeviceProcessEvents\n| where FileName =~ "a.exe" and\nid: 5d0c3f7e-2a41-4c8e-9b6d-3f1e8a2c7b91\n',
      'bad-scenario.txt': 'About it.\nKQL Query\nDeviceProcessEvents\n| where FileName =~ "a.exe"\nname: q\nScenario: S\nDescription: D\nFilter/Exclusion: process.name = "x"\n',
    });
    const broken = rulecast(['check', join(dir, 'broken.txt')]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /error\[kql-syntax\]/);
    assert.match(broken.stderr, /broken\.txt:4:\d+/);
    assert.doesNotMatch(broken.stderr, /yaml-syntax/);
    const scenario = rulecast(['check', join(dir, 'bad-scenario.txt')]);
    assert.equal(scenario.status, 1);
    assert.match(scenario.stderr, /bad-scenario\.txt:8:\d+/);
  });

  it('yaml-syntax (analyze read a KQL document as a Sigma rule): analyze gives a verdict per scenario, its own or those of -x', () => {
    const own = rulecast(['analyze', fixture, '--json']);
    assert.equal(own.status, 0, own.stderr);
    const rows = JSON.parse(own.stdout).exclusions as { name: string; verdict: string; rule: { title: string } }[];
    assert.deepEqual(rows.map((x) => [x.name, x.verdict, x.rule.title]), [
      ['Software deployment', 'partial', 'remote-admin-tools'],
      ['Backup agent staging', 'partial', 'remote-admin-tools'],
    ]);
    assert.deepEqual(JSON.parse(rulecast(['analyze', fixture, '-x', fixture, '--json']).stdout).exclusions, JSON.parse(own.stdout).exclusions);
    // A file that is neither a tool by name nor by hash is nothing the query detects (and file.* is
    // absent from process events): dead.
    const dir = tempRules({ 'x.yml': 'exclusions:\n  - name: other tool\n    filter: file.name == "other.exe" AND file.hash.sha256 == "00"\n' });
    const other = rulecast(['analyze', fixture, '-x', join(dir, 'x.yml')]);
    assert.equal(other.status, 0, other.stderr);
    assert.match(other.stdout, /remote-admin-tools — 1 exclusion\(s\), fields as the query's tables name them\n {2}dead {5}other tool/);
  });
});
