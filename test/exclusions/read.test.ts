import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { and, not, pred } from '../../src/ir/build.js';
import { dumpIr } from '../../src/ir/dump.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { printExclusion } from '../../src/ir/print.js';
import { readExclusions, type Exclusion, type ExclusionFile } from '../../src/exclusions/read.js';
import { expectGolden } from '../support/golden.js';
import { seedDocument, testData } from '../support/paths.js';

const files = (name: string) => testData('exclusions', 'files', name);

function read(path: string, label = path): ExclusionFile {
  return readExclusions(readFileSync(path, 'utf8'), label);
}

function errors(file: ExclusionFile) {
  return [...file.diagnostics, ...file.exclusions.flatMap((e) => e.diagnostics)].filter((d) => d.severity === 'error');
}

function line(e: Exclusion): number {
  return e.span.source.position(e.span.start).line;
}

describe('exclusion files: the seed document (text form)', () => {
  const file = read(seedDocument, 'detect-nbtscan-activity.txt');

  it('gives its five scenarios with names and descriptions, and no error', () => {
    assert.equal(file.format, 'text');
    assert.deepEqual(errors(file), []);
    assert.deepEqual(
      file.exclusions.map((e) => [e.name, e.description]),
      [
        ['Scheduled NBTScan Job for Network Inventory', 'A system administrator runs a scheduled NBTScan job to inventory network devices and check for active NetBIOS services.'],
        ['Legitimate Network Discovery Tool Usage', 'A security team uses the nbtscan tool as part of a routine network discovery and vulnerability assessment.'],
        ['Admin Task to Check NetBIOS Services', 'An admin uses nbtscan to verify NetBIOS service status on internal servers during routine maintenance.'],
        [
          'Automated Patch Management Tool Scanning',
          'A patch management tool (e.g., Microsoft System Center Configuration Manager) performs a network scan using nbtscan to identify hosts for updates.',
        ],
        ['Internal Security Tool for Active Directory Enumeration', 'A security tool (e.g., ADInsight or LDP) uses nbtscan as part of Active Directory enumeration to find NetBIOS-enabled hosts.'],
      ],
    );
    assert.deepEqual(file.exclusions.map(line), [37, 40, 43, 46, 49]);
  });

  it('reads each Filter/Exclusion line verbatim, with the golden IR of its case', () => {
    const goldenRoot = testData('exclusions', 'golden');
    const seedCases = readdirSync(goldenRoot).filter((c) => c.startsWith('seed-')).sort();
    assert.equal(seedCases.length, 5);
    file.exclusions.forEach((e, i) => {
      assert.equal(`${e.filter}\n`, readFileSync(join(goldenRoot, seedCases[i]!, 'filter.txt'), 'utf8'));
      assert.equal(dumpIr(e.expr!), readFileSync(join(goldenRoot, seedCases[i]!, 'ir.json'), 'utf8'));
    });
  });

  it('reports the parse warnings of each filter at its place in the document', () => {
    assert.deepEqual(
      file.exclusions.map((e) => e.diagnostics.map((d) => d.code)),
      [[], ['mixed-and-or', 'value-shorthand'], ['mixed-and-or', 'value-shorthand'], ['mixed-and-or'], ['mixed-and-or', 'value-shorthand']],
    );
    const shorthand = file.exclusions[1]!.diagnostics[1]!;
    assert.equal(
      formatDiagnostic(shorthand),
      [
        `warning[value-shorthand]: 'process.args contains "scan" OR "discovery"' applies 'contains' to any of the values: it reads as (process.args contains "scan" OR process.args contains "discovery")`,
        '  --> detect-nbtscan-activity.txt:42:49',
        '   |',
        '42 | Filter/Exclusion: process.name == "nbtscan" AND process.args contains "scan" OR "discovery"',
        '   |                                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
        '   = note: write it that way, or with parentheses: process.args contains ("scan" OR "discovery")',
      ].join('\n'),
    );
  });
});

describe('exclusion files: text form details', () => {
  const file = read(files('seed-like.txt'), 'seed-like.txt');

  it('accepts labels in any case and indented, skips other text, names a filter without a scenario after its line', () => {
    assert.equal(file.format, 'text');
    assert.deepEqual(
      file.exclusions.map((e) => [e.name, e.description ?? null, e.expr ? printExclusion(e.expr) : null]),
      [
        ['Inventory job', 'The weekly inventory job.', 'process.parent.name == "taskeng.exe"'],
        ['Lower-case labels and indentation', null, 'user.name ==_cs "svc_inventory"'],
        ['line 10', null, 'process.args contains "-v"'],
        ['Inventory job', null, 'host.name startswith "INV-"'],
      ],
    );
    assert.deepEqual(
      file.exclusions.map((e) => e.diagnostics.map((d) => `${d.severity}:${d.code}`)),
      [[], [], ['warning:unnamed-exclusion'], ['warning:duplicate-name']],
    );
  });

  it('reads text that happens to be a valid YAML mapping as text', () => {
    const f = read(files('valid-yaml-text.txt'));
    assert.equal(f.format, 'text');
    assert.equal(printExclusion(f.exclusions[0]!.expr!), 'user.name exists');
  });

  it('points into the file for an error on a filter line', () => {
    const f = readExclusions('Scenario: x\nFilter/Exclusion:   a == "b" OR c = "d"\n', 'x.txt');
    const d = f.exclusions[0]!.diagnostics[0]!;
    assert.equal(d.code, 'unknown-operator');
    assert.equal(f.exclusions[0]!.expr, undefined);
    assert.match(formatDiagnostic(d), / --> x\.txt:2:35\n/);
  });
});

describe('exclusion files: rulecast YAML', () => {
  const file = read(files('nbtscan.exclusions.yml'), 'nbtscan.exclusions.yml');

  it('gives each exclusion with its name, description and filter', () => {
    assert.equal(file.format, 'yaml');
    assert.deepEqual(errors(file), []);
    assert.deepEqual(
      file.exclusions.map((e) => [e.name, e.description ?? null, printExclusion(e.expr!)]),
      [
        ['Scheduled inventory job', 'The weekly inventory job runs nbtscan from the task scheduler.', '(process.name == "nbtscan.exe" AND process.parent.name == "taskeng.exe")'],
        ['Security team scans', null, '((user.name == "svc_scanner" OR user.name == "svc_audit") AND (process.args contains "-r" OR process.args contains "-v"))'],
        [
          'Quoted filter',
          'A filter in single quotes: the YAML quotes are not part of it.',
          '(process.executable startswith "C:\\\\Tools\\\\" AND NOT host.name endswith "-dc01")',
        ],
      ],
    );
    assert.deepEqual(file.exclusions.map(line), [3, 6, 10]);
  });

  it('places warnings of a folded filter on the right line and column of the YAML file', () => {
    const d = file.exclusions[1]!.diagnostics.find((x) => x.code === 'value-shorthand')!;
    assert.match(formatDiagnostic(d), / --> nbtscan\.exclusions\.yml:9:11\n {2}\|\n9 \| {7}AND process\.args contains "-r" OR "-v"\n {2}\| {11}\^{34}\n/);
  });

  it('refuses a duplicate name, an empty list and unknown keys', () => {
    const dup = readExclusions('exclusions:\n  - name: a\n    filter: x exists\n  - name: A\n    filter: y exists\n', 'd.yml');
    assert.deepEqual(dup.exclusions.map((e) => e.diagnostics.map((d) => d.code)), [[], ['duplicate-name']]);
    assert.ok(dup.exclusions[0]!.expr);
    assert.equal(dup.exclusions[1]!.expr, undefined);

    const empty = readExclusions('exclusions: []\n', 'e.yml');
    assert.deepEqual(empty.diagnostics.map((d) => d.code), ['no-exclusions']);

    const extra = readExclusions('exclusions:\n  - name: a\n    filter: x exists\nrules: [x]\n', 'k.yml');
    assert.deepEqual(extra.diagnostics.map((d) => d.code), ['unknown-key']);

    const notList = readExclusions('exclusions: x exists\n', 'n.yml');
    assert.deepEqual(notList.diagnostics.map((d) => d.code), ['invalid-type']);
  });
});

describe('exclusion files: Sigma filter documents', () => {
  const file = read(files('domain-controllers.filter.yml'), 'domain-controllers.filter.yml');

  it('reads each filter as not(condition), keeping the rules and log source it applies to', () => {
    assert.equal(file.format, 'sigma-filter');
    assert.deepEqual(errors(file), []);
    const [dc, ws] = file.exclusions;
    assert.equal(dc!.name, 'filter_domain_controllers');
    assert.equal(dc!.description, 'Domain controllers legitimately enumerate NetBIOS names.');
    assert.deepEqual(dc!.scope, {
      rules: ['28ebbb87-535b-4ba0-80f4-6fbf80b7c55a', 'proc_creation_win_hktl_nbtscan'],
      logsource: { product: 'windows', custom: {} },
      id: '4f0c8e5a-2b7d-4c1e-9a3f-6d5e8b7c1a20',
    });
    // condition `not selection` → the exclusion is the selection itself.
    assert.equal(dumpIr(dc!.expr!), dumpIr(pred({ op: 'startswith', field: 'ComputerName', value: 'DC-' })));

    assert.equal(ws!.name, 'Keep only workstations');
    assert.equal(ws!.scope!.rules, 'any');
    assert.deepEqual(ws!.scope!.logsource, { product: 'windows', category: 'process_creation', custom: {} });
    // condition `workstation and not admin` → exclusion not(workstation and not admin).
    const expected = not(and(pred({ op: 'startswith', field: 'ComputerName', value: 'WS-' }), not(pred({ op: 'endswith', field: 'User', value: '\\admin' }))));
    assert.equal(dumpIr(ws!.expr!), dumpIr(expected));
  });

  it('removes exactly the events pySigma drops (rule AND C keeps what rule AND NOT exclusion keeps)', () => {
    const ws = file.exclusions[1]!.expr!;
    const keeps = (event: Record<string, string>) => !evaluate(ws, event);
    assert.equal(keeps({ ComputerName: 'WS-042', User: 'CORP\\alice' }), true);
    assert.equal(keeps({ ComputerName: 'WS-042', User: 'CORP\\admin' }), false);
    assert.equal(keeps({ ComputerName: 'SRV-01', User: 'CORP\\alice' }), false);
    assert.equal(keeps({ User: 'CORP\\alice' }), false);
  });

  it('refuses a Sigma rule given as an exclusions file', () => {
    const f = readExclusions('title: t\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n', 'rule.yml');
    assert.equal(f.format, null);
    assert.deepEqual(f.diagnostics.map((d) => d.code), ['no-exclusions']);
    assert.match(f.diagnostics[0]!.message, /it is a Sigma rule/);
  });

  it('reports a filter whose condition names an unknown selection on that filter', () => {
    const f = readExclusions('title: t\nlogsource:\n  product: windows\nfilter:\n  rules: any\n  sel:\n    a: b\n  condition: not sell\n', 'f.yml');
    assert.equal(f.format, 'sigma-filter');
    assert.deepEqual(f.exclusions[0]!.diagnostics.map((d) => d.code), ['unknown-identifier']);
    assert.equal(f.exclusions[0]!.expr, undefined);
  });
});

describe('exclusion files: errors with code frames', () => {
  const root = testData('exclusions', 'file-errors');
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    it(name, () => {
      const code = name.split('--')[0]!;
      const input = readdirSync(dir).find((f) => f.startsWith('exclusions.'))!;
      const result = readExclusions(readFileSync(join(dir, input), 'utf8'), input);
      const found = errors(result);
      assert.ok(found.length > 0, 'the file must have an error');
      assert.equal(found[0]!.code, code);
      expectGolden(join(dir, 'error.txt'), `${found.map((d) => formatDiagnostic(d)).join('\n\n')}\n`);
    });
  }
});
