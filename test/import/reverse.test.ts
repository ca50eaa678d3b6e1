// The inverse of a forward pipeline (Defender columns → Sigma fields per table), checked on a small
// fixture pipeline: exact renames only, one rule for a union when the names agree, one per table
// when they do not, refusals otherwise, and the forward pipeline gives the imported query back.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/diagnostics/source.js';
import { dumpIr } from '../../src/ir/dump.js';
import { loadPipeline } from '../../src/pipelines/load.js';
import { importKql } from '../../src/import/kql.js';
import { invertPipeline } from '../../src/import/reverse.js';
import { sigmaViews } from '../../src/app/kql-import.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { testData } from '../support/paths.js';

const fixture = loadPipeline(readFileSync(testData('import', 'fixtures', 'defender-fixture.yml'), 'utf8'), 'test/import/fixtures/defender-fixture.yml');

function views(query: string) {
  const [imported] = importKql(new SourceFile('<test>.kql', query), 'kql');
  assert.ok(imported?.query, imported?.error?.message);
  return sigmaViews(imported, imported.query, fixture);
}

function refusal(query: string): string {
  try {
    views(query);
  } catch (err) {
    if (isRulecastError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return assert.fail('expected a refusal');
}

describe('KQL import: Defender columns back to Sigma fields', () => {
  it('inverts exact renames per table, skipping transforms and sources with added conditions', () => {
    const inv = invertPipeline(fixture);
    assert.deepEqual([...inv.keys()], ['DeviceProcessEvents', 'DeviceFileEvents']);
    const proc = inv.get('DeviceProcessEvents')!.parts[0]!;
    assert.deepEqual(proc.logsource, { category: 'process_creation', product: 'windows' });
    assert.deepEqual(proc.columns.get('FolderPath'), ['Image', 'process.executable']);
    assert.equal(proc.columns.get('InitiatingProcessFileName'), undefined, 'a basename transform has no exact inverse');
    assert.deepEqual(proc.columns.get('SHA1'), ['sha1']);
  });

  it('maps a query on one table', () => {
    const [v] = views('DeviceProcessEvents | where Timestamp > ago(1d) | where FolderPath endswith @"\\nbtscan.exe" and ProcessCommandLine has "-r" | project FolderPath, DeviceName, Timestamp');
    assert.deepEqual(v!.query.logsources, [{ category: 'process_creation', product: 'windows' }]);
    assert.deepEqual(v!.query.fields, ['Image', 'DeviceName']);
    assert.deepEqual(v!.query.lookback, { count: 1, unit: 'd' });
    assert.equal(
      dumpIr(v!.query.expr),
      dumpIr(views('DeviceProcessEvents | where FolderPath endswith @"\\nbtscan.exe" and ProcessCommandLine has "-r"')[0]!.query.expr),
    );
    assert.match(dumpIr(v!.query.expr), /"field": "Image"[\s\S]*"field": "CommandLine"/);
  });

  it('one rule for a union when every column has one Sigma name in all tables', () => {
    const vs = views('union DeviceProcessEvents, DeviceFileEvents | where SHA1 in ("a", "b") or DeviceName == "x" | project FileName');
    assert.equal(vs.length, 1);
    assert.deepEqual(vs[0]!.query.logsources.map((l) => l.category), ['process_creation', 'file_event']);
    // FileName is process.name in one table and file.name in the other: left out of the fields.
    assert.deepEqual(vs[0]!.query.fields, []);
    assert.deepEqual(vs[0]!.warnings.map((w) => w.code), ['kql-field-dropped']);
  });

  it('one rule per table when a column means different Sigma fields', () => {
    const vs = views('union DeviceProcessEvents, DeviceFileEvents | where FileName =~ "nbtscan.exe"');
    assert.equal(vs.length, 2);
    assert.match(dumpIr(vs[0]!.query.expr), /"field": "process.name"/);
    assert.match(dumpIr(vs[1]!.query.expr), /"field": "file.name"/);
  });

  it('one namespace per query: ECS where every column has an ECS name, else Sigma, else both with a warning', () => {
    // FolderPath is Image and process.executable; FileName only process.name: ECS.
    const [ecs] = views('DeviceProcessEvents | where FolderPath endswith "x.exe" and FileName =~ "x.exe" | project FolderPath');
    assert.match(dumpIr(ecs!.query.expr), /"field": "process.executable"[\s\S]*"field": "process.name"/);
    assert.deepEqual(ecs!.query.fields, ['process.executable']);
    assert.deepEqual(ecs!.warnings, []);
    // Both namespaces cover FolderPath alone (Image, process.executable): ECS first.
    assert.match(dumpIr(views('DeviceProcessEvents | where FolderPath endswith "x.exe"')[0]!.query.expr), /"field": "process.executable"/);
    // ProcessCommandLine has only a Sigma name (CommandLine): Sigma for all, Image included.
    const [sigma] = views('DeviceProcessEvents | where FolderPath endswith "x.exe" and ProcessCommandLine has "-r"');
    assert.match(dumpIr(sigma!.query.expr), /"field": "Image"[\s\S]*"field": "CommandLine"/);
    // FileName has only process.name, ProcessCommandLine only CommandLine: both, said in a warning.
    const [mixed] = views('DeviceProcessEvents | where FileName =~ "x.exe" and ProcessCommandLine has "-r"');
    assert.match(dumpIr(mixed!.query.expr), /"field": "process.name"[\s\S]*"field": "CommandLine"/);
    assert.deepEqual(mixed!.warnings.map((w) => [w.code, w.message]), [['kql-mixed-names', "the rule names columns in ECS where pipeline defender-fixture has ECS names and in Sigma's taxonomy where it has only those: ProcessCommandLine (CommandLine)"]]);
  });

  it('guard: one rule for a union whose tables name a column differently, each table told apart by a field the pipeline maps to a constant', () => {
    const guarded = loadPipeline(
      readFileSync(testData('import', 'fixtures', 'defender-fixture.yml'), 'utf8')
        .replace('  process:\n', "  process:\n    event.category: {field: event.category, transform: {constant: process}}\n    file.name: {field: '~absent', transform: absent}\n")
        .replace('  file:\n', '  file:\n    event.category: {field: event.category, transform: {constant: file}}\n'),
      'guarded.yml',
    );
    const [imported] = importKql(new SourceFile('<test>.kql', 'union DeviceProcessEvents, DeviceFileEvents | where FileName =~ "nbtscan.exe"'), 'kql');
    // Without a field that tells the tables apart, one rule per table.
    assert.equal(sigmaViews(imported!, imported!.query!, fixture, { guard: true }).length, 2);
    const vs = sigmaViews(imported!, imported!.query!, guarded, { guard: true });
    assert.equal(vs.length, 1);
    assert.deepEqual(vs[0]!.tables, ['DeviceProcessEvents', 'DeviceFileEvents']);
    assert.deepEqual(vs[0]!.query.logsources.map((l) => l.category), ['process_creation', 'file_event']);
    // process.name would also hold in file events (the acting process there): guarded; file.name
    // is absent from process events: no guard needed.
    const expr = vs[0]!.query.expr;
    assert.equal(expr.kind, 'or');
    assert.match(dumpIr((expr as { args: readonly unknown[] }).args[0] as never), /"field": "event.category"[\s\S]*"value": "process"[\s\S]*"field": "process.name"/);
    assert.doesNotMatch(dumpIr((expr as { args: readonly unknown[] }).args[1] as never), /event\.category/);
    // Without guard (SPL, EQL), one rule per table as before.
    assert.equal(sigmaViews(imported!, imported!.query!, guarded).length, 2);
  });

  it('splits a table by ActionType when its log sources cover its documented values exactly', () => {
    const split = loadPipeline(
      `name: split
target: kql
sources:
  - logsource: {category: file_event}
    source: DeviceFileEvents
    fieldmaps: [file]
    conditions: {ActionType: [FileCreated, FileModified]}
  - logsource: {category: file_delete}
    source: DeviceFileEvents
    fieldmaps: [file]
    conditions: {ActionType: FileDeleted}
  - logsource: {category: file_rename}
    source: DeviceFileEvents
    fieldmaps: [file]
    conditions: {ActionType: FileRenamed}
  - logsource: {category: registry_set}
    source: DeviceRegistryEvents
    fieldmaps: [file]
    conditions: {ActionType: RegistryValueSet}
fieldmaps:
  file:
    TargetFilename: FolderPath
`,
      'split.yml',
    );
    const inv = invertPipeline(split);
    assert.deepEqual(inv.get('DeviceFileEvents')!.parts.map((p) => p.logsource.category), ['file_event', 'file_delete', 'file_rename']);
    // RegistryValueSet is not all of DeviceRegistryEvents.
    assert.equal(inv.get('DeviceRegistryEvents'), undefined);
    const [imported] = importKql(new SourceFile('<test>.kql', 'DeviceFileEvents | where FolderPath endswith ".eml"'), 'kql');
    const [v] = sigmaViews(imported!, imported!.query!, split);
    assert.deepEqual(v!.query.logsources.map((l) => l.category), ['file_event', 'file_delete', 'file_rename']);
    // A log source whose ActionType condition contradicts the query is left out.
    const [deleted] = importKql(new SourceFile('<test>.kql', 'DeviceFileEvents | where ActionType == "FileDeleted" and FolderPath endswith ".eml"'), 'kql');
    const [d] = sigmaViews(deleted!, deleted!.query!, split, true);
    assert.deepEqual(d!.query.logsources.map((l) => l.category), ['file_delete']);
    // Without the rename log source the values are not all covered.
    const partial = loadPipeline(readFileSync(testData('import', 'fixtures', 'defender-fixture.yml'), 'utf8').replace(/ {2}- logsource: \{category: file_event, product: windows\}\n {4}source: DeviceFileEvents\n {4}fieldmaps: \[file\]\n/, ''), 'partial.yml');
    assert.equal(invertPipeline(partial).get('DeviceFileEvents'), undefined);
  });

  it('keeps a column under its own name only for a Sigma rule, where the pipeline keeps unknown fields', () => {
    const [imported] = importKql(new SourceFile('<test>.kql', 'DeviceProcessEvents | where InitiatingProcessAccountName == "x"'), 'kql');
    assert.throws(() => sigmaViews(imported!, imported!.query!, fixture), /column InitiatingProcessAccountName of DeviceProcessEvents has no exact Sigma field/);
    const [v] = sigmaViews(imported!, imported!.query!, fixture, true);
    assert.match(dumpIr(v!.query.expr), /"field": "InitiatingProcessAccountName"/);
    assert.deepEqual(v!.warnings.map((w) => w.code), ['kql-column-kept']);
    // A name a field map claims for another column cannot stand for itself.
    const [claimed] = importKql(new SourceFile('<test>.kql', 'DeviceProcessEvents | where Image == "x"'), 'kql');
    assert.throws(() => sigmaViews(claimed!, claimed!.query!, fixture, true), /column Image of DeviceProcessEvents has no exact Sigma field/);
  });

  it('refuses tables and columns without an exact inverse', () => {
    assert.equal(refusal('DeviceRegistryEvents | where RegistryKey == "x"'), 'unmapped-table: table DeviceRegistryEvents has no Sigma log source that covers all its rows in pipeline defender-fixture (its log sources add conditions: {product: windows, category: registry_set})');
    assert.equal(refusal('DeviceNetworkEvents | where RemotePort == 4444'), 'unmapped-table: table DeviceNetworkEvents has no Sigma log source in pipeline defender-fixture');
    assert.equal(refusal('DeviceProcessEvents | where InitiatingProcessFileName =~ "cmd.exe"'), 'unmapped-column: column InitiatingProcessFileName of DeviceProcessEvents has no exact Sigma field in pipeline defender-fixture');
    assert.equal(refusal('union DeviceProcessEvents, DeviceFileEvents | where ProcessCommandLine has "x"'), 'unmapped-column: column ProcessCommandLine of DeviceFileEvents has no exact Sigma field in pipeline defender-fixture');
  });
});
