// Imported KQL queries tuned by exclusions (ECS names), on the fixture hunting document
// test/import/fixtures/remote-admin-tools.txt: a query over DeviceProcessEvents and DeviceFileEvents
// with a 3-day lookback and two Scenario blocks. Every target's tuned output, evaluated on rows of
// both tables (KQL with Microsoft's parser and the test evaluator, SPL and EQL with theirs, Sigma
// read back), keeps exactly the rows the IR evaluator keeps: the imported detection on the row,
// minus the exclusions evaluated on the row's ECS reading (written out below from Microsoft's
// column descriptions, independently of the pipelines).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/diagnostics/source.js';
import { compileSigma, formatDiagnostic, isRulecastError } from '../../src/index.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { predicates } from '../../src/ir/passes.js';
import type { QueryExclusion } from '../../src/ir/query.js';
import { importKql, type ImportedKql } from '../../src/import/kql.js';
import { importedExclusions, renderImported } from '../../src/app/kql-import.js';
import { isEcsName } from '../../src/import/reverse.js';
import { readExclusions } from '../../src/exclusions/read.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';
import { parseSpl } from '../checkers/spl.js';
import { parseEql } from '../checkers/eql.js';
import { evaluateSpl } from '../support/spl-evaluator.js';
import { evaluateEql } from '../support/eql-evaluator.js';
import { testData } from '../support/paths.js';
import { evalKql, kindName, nodes, parse, type Row } from '../backends/kql-support.js';
import { kustoSyntaxErrors } from './kusto.js';

const fixturePath = testData('import', 'fixtures', 'remote-admin-tools.txt');
const fixtureText = readFileSync(fixturePath, 'utf8');
const [fixture] = importKql(new SourceFile('remote-admin-tools.txt', fixtureText));
const scenarios = readExclusions(fixtureText, 'remote-admin-tools.txt');

function tuning(doc: ImportedKql = fixture!): QueryExclusion[] {
  return importedExclusions([scenarios], doc).exclusions;
}

interface TableRow {
  readonly table: 'DeviceProcessEvents' | 'DeviceFileEvents';
  readonly row: Readonly<Record<string, string>>;
}

/** Rows of both tables around the fixture's values (each DeviceFileEvents ActionType). */
function rows(): TableRow[] {
  const out: TableRow[] = [];
  const pick = <T>(values: readonly T[], f: (v: T) => void) => values.forEach(f);
  const set = (r: Record<string, string>, k: string, v: string | undefined) => (v === undefined ? r : { ...r, [k]: v });
  pick(['psexesvc.exe', 'PAEXEC.EXE', 'cmd.exe', undefined], (name) =>
    pick(['078163d5c16f64caa5a14784323fd51451b8c831c73396b967b4e35e6879937b', '078163D5C16F64CAA5A14784323FD51451B8C831C73396B967B4E35E6879937B', undefined], (sha) =>
      pick(['ccmexec.exe', 'BackupAgent.exe', undefined], (initiating) =>
        pick(['svc.exe -deploy pkg', 'svc.exe run', undefined], (cmd) =>
          pick(['D:\\Backup\\svc.exe', 'C:\\Windows\\svc.exe'], (folder) => {
            let base: Record<string, string> = { FolderPath: folder, DeviceName: 'host1' };
            base = set(set(set(base, 'FileName', name), 'SHA256', sha), 'InitiatingProcessFileName', initiating);
            out.push({ table: 'DeviceProcessEvents', row: set({ ...base, ActionType: 'ProcessCreated' }, 'ProcessCommandLine', cmd) });
            pick(['ccmexec.exe', undefined], (parent) => {
              for (const action of ['FileCreated', 'FileModified', 'FileDeleted', 'FileRenamed']) {
                out.push({ table: 'DeviceFileEvents', row: set(set({ ...base, ActionType: action }, 'InitiatingProcessCommandLine', cmd), 'InitiatingProcessParentFileName', parent) });
              }
            });
          }),
        ),
      ),
    ),
  );
  return out;
}

/** The row as ECS names it: in a process event the process is the new process; in a file event
 *  the file is the file and the process the one that acted on it (Defender's InitiatingProcess*). */
function ecs({ table, row }: TableRow): Event {
  const e: Record<string, unknown> = {};
  const put = (k: string, v: string | undefined) => {
    if (v !== undefined) e[k] = v;
  };
  const args = (cmd: string | undefined) => (cmd === undefined ? undefined : cmd.split(' '));
  put('host.name', row.DeviceName);
  if (table === 'DeviceProcessEvents') {
    Object.assign(e, { 'event.category': 'process', 'event.type': 'start' });
    put('process.name', row.FileName);
    put('process.executable', row.FolderPath);
    put('process.hash.sha256', row.SHA256);
    put('process.parent.name', row.InitiatingProcessFileName);
    put('process.command_line', row.ProcessCommandLine);
    if (row.ProcessCommandLine !== undefined) e['process.args'] = args(row.ProcessCommandLine);
  } else {
    e['event.category'] = 'file';
    if (row.ActionType === 'FileDeleted') e['event.type'] = 'deletion';
    else if (row.ActionType === 'FileRenamed') e['event.action'] = 'rename';
    else e['event.type'] = 'creation';
    put('file.name', row.FileName);
    put('file.path', row.FolderPath);
    put('file.hash.sha256', row.SHA256);
    put('process.name', row.InitiatingProcessFileName);
    put('process.parent.name', row.InitiatingProcessParentFileName);
    put('process.command_line', row.InitiatingProcessCommandLine);
    if (row.InitiatingProcessCommandLine !== undefined) e['process.args'] = args(row.InitiatingProcessCommandLine);
  }
  return e;
}

/** The row as Kusto reads it: a string column without a value is "". */
function kustoRow({ row }: TableRow): Row {
  const columns = ['FileName', 'FolderPath', 'SHA256', 'DeviceName', 'ActionType', 'InitiatingProcessFileName', 'InitiatingProcessParentFileName', 'ProcessCommandLine', 'InitiatingProcessCommandLine'];
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? '']));
}

/** What the tuned query keeps, by the IR evaluator. */
function expected(r: TableRow, exclusions: readonly QueryExclusion[]): boolean {
  return evaluate(fixture!.query!.expr, r.row) && !exclusions.some((x) => evaluate(x.expr, ecs(r)));
}

/** The parts of an SPL or EQL output, one per table, each with its label line. */
function partsByTable(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of text.trimEnd().split('\n\n')) {
    const table = /^(?:```|\/\/ )(Device\w+): log sources? \{/.exec(part)?.[1];
    assert.ok(table, `a part without a table label:\n${part}`);
    parts.set(table, part);
  }
  return parts;
}

describe('imported KQL queries tuned by exclusions (fixture)', () => {
  const exclusions = tuning();
  const all = rows();

  it('the fixture imports, with its own two scenarios', () => {
    assert.ok(fixture?.query, fixture?.error ? formatDiagnostic(fixture.error) : '');
    assert.deepEqual(fixture.query.tables.map((t) => t.name), ['DeviceProcessEvents', 'DeviceFileEvents']);
    assert.deepEqual(fixture.query.lookback, { count: 3, unit: 'd' });
    assert.deepEqual(exclusions.map((e) => e.name), ['Software deployment', 'Backup agent staging']);
    const kept = all.filter((r) => expected(r, exclusions)).length;
    const detected = all.filter((r) => evaluate(fixture.query!.expr, r.row)).length;
    assert.ok(kept > 50 && detected - kept > 50, `${detected} detected, ${kept} kept`);
  });

  it('kql-exclusions (refused before): -t kql maps each exclusion to each table’s columns and keeps exactly the rows the IR keeps', () => {
    const union = renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, exclusions).text;
    assert.deepEqual(kustoSyntaxErrors(union), []);
    assert.match(union, /^\/\/ tuned: the detection without the events of 2 exclusion\(s\):/);
    assert.match(union, /\| where Timestamp > ago\(3d\)/);
    for (const table of ['DeviceProcessEvents', 'DeviceFileEvents'] as const) {
      // Each table alone renders `T | where <lookback> | where <tuned condition>`, the condition its
      // part of the union has.
      const single = { ...fixture!.query!, tables: fixture!.query!.tables.filter((t) => t.name === table) };
      const text = renderImported(fixture!, single, 'kql', { compact: true }, undefined, exclusions).text;
      const { syntax, diagnostics } = parse(text);
      assert.deepEqual(diagnostics, [], text);
      const wheres = [...nodes(syntax)].filter((n) => kindName(n) === 'FilterOperator');
      const condition = wheres[wheres.length - 1].Condition;
      assert.ok(union.includes(text.slice(condition.TextStart, condition.TextStart + condition.Width)), `${table}'s condition is its part of the union`);
      for (const r of all.filter((x) => x.table === table)) {
        assert.equal(evalKql(condition, kustoRow(r)) === true, expected(r, exclusions), `${table} ${JSON.stringify(r.row)}\n${text}`);
      }
    }
  });

  it('kql-exclusions: -t spl (ECS names, one labelled search per table, earliest=-3d) keeps exactly the rows the IR keeps', () => {
    const parts = partsByTable(renderImported(fixture!, fixture!.query!, 'spl', { compact: true }, undefined, exclusions).text);
    assert.deepEqual([...parts.keys()], ['DeviceProcessEvents', 'DeviceFileEvents']);
    for (const [table, part] of parts) {
      const lines = part.split('\n').filter((l) => !l.startsWith('```'));
      assert.match(lines[0]!, /^earliest=-3d /, `${table}: the lookback in the search`);
      const query = parseSpl([lines[0]!.replace(/^earliest=-3d /, ''), ...lines.slice(1)].join('\n'));
      for (const r of all.filter((x) => x.table === table)) assert.equal(evaluateSpl(query, ecs(r)), expected(r, exclusions), `${table} ${JSON.stringify(r.row)}\n${part}`);
    }
  });

  it('kql-exclusions: -t eql (ecs-windows, one labelled query per table with the lookback comment) keeps exactly the rows the IR keeps', () => {
    const parts = partsByTable(renderImported(fixture!, fixture!.query!, 'eql', { compact: true }, undefined, exclusions).text);
    for (const [table, part] of parts) {
      assert.match(part, /^\/\/ lookback 3d: EQL has no time filter; run this query over the last 3d$/m, table);
      const query = parseEql(part);
      for (const r of all.filter((x) => x.table === table)) assert.equal(evaluateEql(query, ecs(r)), expected(r, exclusions), `${table} ${JSON.stringify(r.row)}\n${part}`);
    }
  });

  it('kql-exclusions: -t sigma writes one tuned rule, ECS names only, with the query’s id; read back and mapped forward it keeps exactly the rows the IR keeps', () => {
    const text = renderImported(fixture!, fixture!.query!, 'sigma', { compact: true }, undefined, exclusions).text;
    const docs = compileSigma(text, 'tuned.yml');
    assert.equal(docs.length, 1, text);
    const [doc] = docs;
    assert.deepEqual(doc!.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(doc!.id, '5d0c3f7e-2a41-4c8e-9b6d-3f1e8a2c7b90');
    assert.match(text, /^# tuned: the detection without the events of 2 exclusion\(s\):\n# {3}- Software deployment\n# {3}- Backup agent staging\ndetection:/m);
    const names = [...predicates(doc!.query!.expr).map((p) => p.field!), ...doc!.query!.fields];
    assert.deepEqual(names.filter((n) => !isEcsName(n)), [], 'one namespace: ECS');
    assert.deepEqual(doc!.query!.logsources.map((l) => l.category), ['process_creation', 'file_event', 'file_delete', 'file_rename']);
    assert.deepEqual(doc!.query!.lookback, { count: 3, unit: 'd' });
    const mapped = applyPipelines(doc!.query!, [getBuiltinPipeline('defender-xdr')]);
    for (const r of all) {
      assert.equal(evaluate(doc!.query!.expr, ecs(r)), expected(r, exclusions), `ECS ${JSON.stringify(ecs(r))}`);
      assert.equal(mapped.branches.filter((b) => b.source === r.table).some((b) => evaluate(b.expr, r.row)), expected(r, exclusions), `${r.table} ${JSON.stringify(r.row)}`);
    }
  });

  it('an exclusion field a table has no column or name for is a located error naming the exclusion', () => {
    const bad = readExclusions('exclusions:\n  - name: typo\n    filter: process.nmae == "x"\n', 'bad.yml');
    const { exclusions: typo } = importedExclusions([bad], fixture!);
    assert.throws(
      () => renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, typo),
      (err: unknown) => isRulecastError(err) && err.code === 'unmapped-field' && /^exclusion 'typo': field 'process\.nmae' has no mapping in DeviceProcessEvents/.test(err.message) && err.diagnostic.span?.source.path === 'bad.yml',
    );
  });

  it('process.args keeps the exactness rules of Sigma rules (args-in-commandline): an argument with a space is refused', () => {
    const spaced = readExclusions('exclusions:\n  - name: spaced\n    filter: process.args == "-deploy pkg"\n', 'spaced.yml');
    const { exclusions: x } = importedExclusions([spaced], fixture!);
    assert.throws(() => renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, x), (err: unknown) => isRulecastError(err) && err.code === 'lossy-mapping' && /args-in-commandline/.test(err.message));
  });

  it("a Sysmon name the table's log sources map differently (User: Windows vs Linux/macOS) is refused, not guessed", () => {
    const user = readExclusions('exclusions:\n  - name: user\n    filter: User == "CONTOSO\\\\svc"\n', 'user.yml');
    const { exclusions: x } = importedExclusions([user], fixture!);
    assert.throws(() => renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, x), (err: unknown) => isRulecastError(err) && err.code === 'unsupported-field' && /maps it differently for the log sources of DeviceProcessEvents/.test(err.message));
  });

  it('a name that is both a column and a Sysmon field mapped otherwise (LogonId, hexadecimal text in Sysmon) is refused as ambiguous', () => {
    const logon = readExclusions('exclusions:\n  - name: logon\n    filter: LogonId == "0x3e7"\n', 'logon.yml');
    const { exclusions: x } = importedExclusions([logon], fixture!);
    assert.throws(() => renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, x), (err: unknown) => isRulecastError(err) && err.code === 'unsupported-field' && /both a column of DeviceProcessEvents and a Sigma field/.test(err.message));
    // A column named directly means the column (the same in both tables: one where for the union).
    const direct = readExclusions('exclusions:\n  - name: direct\n    filter: InitiatingProcessParentFileName == "ccmexec.exe"\n', 'direct.yml');
    const text = renderImported(fixture!, fixture!.query!, 'kql', { compact: true }, undefined, importedExclusions([direct], fixture!).exclusions).text;
    assert.match(text, /^union DeviceProcessEvents, DeviceFileEvents\n\| where Timestamp > ago\(3d\)\n\| where \(FileName in~ .*\) and InitiatingProcessParentFileName !~ "ccmexec\.exe"\n/m);
  });

  it("'-p none' with exclusions is refused: the bare condition would compare ECS names with columns", () => {
    assert.throws(() => renderImported(fixture!, fixture!.query!, 'kql', { pipelines: ['none'] }, undefined, exclusions), (err: unknown) => isRulecastError(err) && err.code === 'kql-exclusions');
  });

  it('a Sigma filter scoped to a log source is refused for an imported query; one without a log source applies by id', () => {
    const scoped = readExclusions(
      'title: f\nlogsource:\n  category: process_creation\n  product: windows\nfilter:\n  rules: [5d0c3f7e-2a41-4c8e-9b6d-3f1e8a2c7b90]\n  selection:\n    process.name: x.exe\n  condition: not selection\n',
      'scoped.yml',
    );
    assert.equal(scoped.diagnostics.filter((d) => d.severity === 'error').length, 0, JSON.stringify(scoped.diagnostics));
    assert.throws(() => importedExclusions([scoped], fixture!), (err: unknown) => isRulecastError(err) && err.code === 'kql-exclusions');
  });
});
