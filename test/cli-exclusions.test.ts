// The command line, spawned, with exclusions written in ECS names for a rule written in Sigma
// taxonomy names: a misspelt field fails on every target with a did-you-mean at the field, and
// `-t sigma` writes the exclusions into the rule, which reads back to the tuned query.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSigma, formatDiagnostic } from '../src/index.js';
import { evaluate } from '../src/ir/evaluate.js';
import { compileExclusion } from '../src/lower/exclusion.js';
import { rulecast } from './support/cli.js';
import { projectRoot, testData } from './support/paths.js';
import { ecsEvent, sysmonEvents } from './support/tuned-namespace.js';

const rule = testData('exclusions', 'files', 'proc_creation_win_encode_sigma_names.yml');
const seedExclusions = join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.exclusions.yml');

function exclusionsFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rulecast-')), 'ex.yml');
  writeFileSync(path, text);
  return path;
}

describe('CLI: exclusions in the rule namespace', () => {
  it('unknown exclusion field (proces.nme) was accepted by SPL and EQL: now an error with a did-you-mean on every target', () => {
    const bad = exclusionsFile('exclusions:\n  - name: Typo\n    filter: proces.nme == "nbtscan"\n');
    const json = rulecast(['convert', rule, '-t', 'kql', '-t', 'spl', '-t', 'eql', '-t', 'sigma', '-x', bad, '--json']);
    assert.equal(json.status, 1, json.stderr);
    const results = (JSON.parse(json.stdout) as { results: { target: string; status: string; error: { code: string; message: string; line: number; column: number } }[] }).results;
    assert.deepEqual(results.map((r) => r.target), ['kql', 'spl', 'eql', 'sigma']);
    for (const r of results) {
      assert.equal(r.status, 'invalid');
      assert.deepEqual([r.error.code, r.error.line, r.error.column], ['unknown-exclusion-field', 3, 13]);
      assert.equal(r.error.message, "exclusion 'Typo': unknown field 'proces.nme' for logsource {product: windows, category: process_creation}; did you mean 'process.name'?");
    }
    const text = rulecast(['convert', rule, '-t', 'spl', '-x', bad]);
    assert.equal(text.status, 1);
    assert.match(text.stderr, /error\[unknown-exclusion-field\]: .*did you mean 'process\.name'\?\n --> .*ex\.yml:3:13\n {2}\|\n3 \| {5}filter: proces\.nme == "nbtscan"\n {2}\| {13}\^{10}\n/);
  });

  it('an ECS field the rule names do not have is refused, not rendered under its ECS name', () => {
    const unmapped = exclusionsFile('exclusions:\n  - name: By hash\n    filter: process.hash.sha1 == "0a1b"\n');
    const r = rulecast(['convert', rule, '-t', 'spl', '-x', unmapped]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /error\[exclusion-field-unmapped\]: exclusion 'By hash': ECS field 'process\.hash\.sha1' has no exact counterpart in logsource \{product: windows, category: process_creation\}/);
  });

  it("convert's exclusion analysis compared ECS exclusions with the Sigma names of the detection: a total or dead exclusion went unnoticed", () => {
    const cert = join(mkdtempSync(join(tmpdir(), 'rulecast-')), 'cert.yml');
    writeFileSync(cert, "title: certutil\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    Image|endswith: '\\certutil.exe'\n  condition: sel\n");
    const ex = exclusionsFile('exclusions:\n  - name: Not this tool\n    filter: process.name == "nbtscan.exe"\n  - name: All of them\n    filter: process.name endswith ".exe"\n');
    const r = rulecast(['convert', cert, '-t', 'spl', '-x', ex]);
    assert.match(r.stderr, /warning\[exclusion-dead\]: exclusion 'Not this tool' removes nothing/);
    assert.match(r.stderr, /warning\[exclusion-total\]: exclusion 'All of them' removes every detection/);
    assert.equal(r.stdout.trim(), 'Image="*\\\\certutil.exe" NOT (Image="nbtscan.exe" OR Image="*\\\\nbtscan.exe") NOT Image="*.exe"');
  });

  it('-t sigma wrote the exclusions in ECS names next to a Sigma-taxonomy detection: now in the rule names, and the rule reads back to the tuned query', () => {
    const r = rulecast(['convert', rule, '-t', 'sigma', '-x', seedExclusions]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\n# {3}- Scheduled NBTScan Job for Network Inventory\n/);
    assert.doesNotMatch(r.stdout, /process\./, 'the exclusions are written in the rule names');
    const [doc] = compileSigma(r.stdout, 'out.yml');
    assert.ok(doc?.query, doc?.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error'), []);
    // The rule as written, and the seed's exclusions as written (ECS names, on the ECS event).
    const [original] = compileSigma(readFileSync(rule, 'utf8'), rule);
    const exclusions = [
      'process.name != "nbtscan" OR process.parent.name == "task scheduler" OR process.args contains "inventory"',
      'process.name == "nbtscan" AND process.args contains "scan" OR "discovery"',
      'process.name == "nbtscan" AND process.parent.name == "cmd.exe" AND process.args contains "check" OR "status"',
      'process.name == "nbtscan" AND process.parent.name contains "SCCM" OR process.args contains "patch"',
      'process.name == "nbtscan" AND process.parent.name contains "ADInsight" OR process.args contains "AD" OR "domain"',
    ].map((f) => compileExclusion(f).expr);
    let kept = 0;
    let removed = 0;
    for (const e of sysmonEvents()) {
      const detects = evaluate(original!.query!.expr, e);
      const expected = detects && !exclusions.some((x) => evaluate(x, ecsEvent(e)));
      assert.equal(evaluate(doc.query.expr, e), expected, JSON.stringify(e));
      if (expected) kept++;
      else if (detects) removed++;
    }
    assert.ok(kept > 0 && removed > 0, `${kept} kept, ${removed} removed`);
  });
});
