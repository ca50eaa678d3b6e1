// KQL backend: golden outputs per case (test/golden/<case>/), one per pipeline — `out.kql` without
// a pipeline (-p none), `out.defender-xdr.kql` with the default pipeline, `out.sentinel-asim.kql` —
// or the full formatted error (`kql.error.txt`, `defender-xdr.error.txt`, `sentinel-asim.error.txt`)
// when the target must refuse. Every output is also parsed by Microsoft's parser. Then the output
// formats, the pipelines' schemas (compared with ../shared/schemas by the corpus suite), and the
// shipped rules.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { compileSigma, convertCompiled, formatDiagnostic, getTarget } from '../../src/index.js';
import { getBuiltinPipeline, loadPipeline } from '../../src/pipelines/load.js';
import { tableSchemas } from '../../src/pipelines/schema.js';
import { expectFile, goldenCases } from '../support/golden.js';
import { projectRoot, testData, updateGolden } from '../support/paths.js';
import { analyze, defenderSchema, globalsFor, parse } from './kql-support.js';

const pipelines = [
  { name: 'none', out: 'out.kql', error: 'kql.error.txt' },
  { name: 'defender-xdr', out: 'out.defender-xdr.kql', error: 'defender-xdr.error.txt' },
  { name: 'sentinel-asim', out: 'out.sentinel-asim.kql', error: 'sentinel-asim.error.txt' },
];

function compile(dir: string, path: string) {
  const docs = compileSigma(readFileSync(join(dir, 'rule.yml'), 'utf8'), path);
  assert.equal(docs.length, 1);
  return docs[0]!;
}

/** The query as a complete KQL statement (a bare expression is a where condition). */
export function statement(query: string, bare: boolean): string {
  return bare ? `T | where ${query}` : query;
}

const defenderGlobals = globalsFor(defenderSchema());

describe('kql backend: golden outputs', () => {
  for (const name of goldenCases()) {
    it(name, () => {
      const dir = testData('golden', name);
      const doc = compile(dir, `test/golden/${name}/rule.yml`);
      for (const p of pipelines) {
        const result = convertCompiled(doc, 'kql', { pipelines: [p.name] });
        const outPath = join(dir, p.out);
        const errorPath = join(dir, p.error);
        if (result.error) {
          if (updateGolden) rmSync(outPath, { force: true });
          assert.ok(!existsSync(outPath), `${p.name}: expected output ${p.out}, but the conversion failed: ${result.error.message}`);
          expectFile(errorPath, `${formatDiagnostic(result.error)}\n`);
        } else {
          if (updateGolden) rmSync(errorPath, { force: true });
          assert.ok(!existsSync(errorPath), `${p.name}: expected error ${p.error}, but the rule converted`);
          expectFile(outPath, `${result.query!}\n`);
          const { diagnostics } = parse(statement(result.query!, p.name === 'none'));
          assert.deepEqual(diagnostics, [], `${p.name}: syntax errors in\n${result.query}`);
          if (p.name === 'defender-xdr') assert.deepEqual(analyze(result.query!, defenderGlobals), [], `${p.name}: analyzer errors in\n${result.query}`);
        }
      }
    });
  }
});

describe('kql backend: output formats', () => {
  const dir = testData('golden', 'kql-union-ecs');
  const doc = compile(dir, 'test/golden/kql-union-ecs/rule.yml');
  const formats = [
    { format: 'sentinel-hunting', out: 'out.sentinel-hunting.kql' },
    { format: 'sentinel-rule', out: 'out.sentinel-rule.kql' },
    { format: 'defender-rule', out: 'out.defender-rule.kql' },
  ];

  for (const f of formats) {
    it(`${f.format} (golden; YAML/JSON named .kql as every golden output of this target)`, () => {
      const result = convertCompiled(doc, 'kql', { format: f.format });
      assert.equal(result.error, null, result.error?.message);
      expectFile(join(dir, f.out), `${result.query!}\n`);
    });
  }

  it('sentinel-hunting is YAML with the seed shape and the default query', () => {
    const text = convertCompiled(doc, 'kql', { format: 'sentinel-hunting' }).query!;
    const y = load(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(y), ['id', 'name', 'description', 'requiredDataConnectors', 'tactics', 'relevantTechniques', 'query']);
    assert.equal(y.id, doc.id);
    assert.equal(y.name, doc.title);
    assert.equal(y.description, doc.query!.meta.description);
    assert.deepEqual(y.requiredDataConnectors, [{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceProcessEvents', 'DeviceFileEvents'] }]);
    assert.deepEqual(y.tactics, ['Discovery', 'Execution']);
    assert.deepEqual(y.relevantTechniques, ['T1046', 'T1059.001']);
    assert.equal(y.query, `${convertCompiled(doc, 'kql').query!}\n`);
  });

  it('sentinel-rule adds severity, schedule and trigger; it never alerts on one event again and again: its query period is its frequency, without the rule\'s lookback', () => {
    const y = load(convertCompiled(doc, 'kql', { format: 'sentinel-rule' }).query!) as Record<string, unknown>;
    assert.equal(y.severity, 'High');
    assert.equal(y.queryFrequency, '1h');
    assert.equal(y.queryPeriod, '1h');
    assert.doesNotMatch(y.query as string, /ago\(/);
    assert.equal(y.triggerOperator, 'gt');
    assert.equal(y.triggerThreshold, 0);
    assert.equal(y.kind, 'Scheduled');
    // The hunting format keeps the lookback in its query.
    const hunting = load(convertCompiled(doc, 'kql', { format: 'sentinel-hunting' }).query!) as Record<string, unknown>;
    assert.match(hunting.query as string, /\| where Timestamp > ago\(7d\)/);
  });

  it('sentinel-rule: a lookback longer than Sentinel can query is no obstacle, since a scheduled rule reads one period', () => {
    const long = compileSigma(readFileSync(join(dir, 'rule.yml'), 'utf8').replace('lookback: 7d', 'lookback: 30d'), 'x.yml')[0]!;
    const y = load(convertCompiled(long, 'kql', { format: 'sentinel-rule' }).query!) as Record<string, unknown>;
    assert.equal(y.queryPeriod, '1h');
  });

  it('defender-rule is the Graph detectionRule JSON; the projection keeps Timestamp, DeviceId and ReportId', () => {
    const json = JSON.parse(convertCompiled(doc, 'kql', { format: 'defender-rule' }).query!) as Record<string, any>;
    assert.equal(json.displayName, doc.title);
    // Hourly over the last hour (Graph's frequency and lookback; `period` is retired): one alert per event.
    assert.deepEqual(json.schedule, { frequency: 'PT1H', lookback: 'PT1H' });
    assert.equal(json.detectionAction.alertTemplate.severity, 'high');
    assert.equal(json.detectionAction.alertTemplate.category, 'Discovery');
    assert.deepEqual(json.detectionAction.alertTemplate.mitreTechniques, ['T1046', 'T1059.001']);
    const query = json.queryCondition.queryText as string;
    assert.doesNotMatch(query, /ago\(/);
    const projected = /\| project (.*)$/.exec(query)![1]!.split(', ');
    for (const c of ['Timestamp', 'DeviceId', 'ReportId']) assert.ok(projected.includes(c), c);
    assert.deepEqual(analyze(query, defenderGlobals), []);
  });

  it('defender-rule needs Defender XDR tables: refused with the reason, before rendering', () => {
    const result = convertCompiled(doc, 'kql', { format: 'defender-rule', pipelines: ['sentinel-asim'] });
    assert.equal(result.error?.code, 'format-needs');
    assert.match(result.error!.message, /needs Defender XDR tables \(with Timestamp, DeviceId, ReportId\), which pipeline sentinel-asim does not map to/);
  });

  it('titles and descriptions with YAML/JSON specials stay data', () => {
    const nasty = 'a: "b" # c\n- d \\ \u2028 {e} \u0007';
    const text = readFileSync(join(dir, 'rule.yml'), 'utf8').replace('title: Golden kql-union-ecs', `title: ${JSON.stringify(nasty)}`);
    const d = compileSigma(text, 'x.yml')[0]!;
    for (const format of ['sentinel-hunting', 'sentinel-rule']) {
      const y = load(convertCompiled(d, 'kql', { format }).query!) as Record<string, unknown>;
      assert.equal(y.name, nasty);
    }
    const json = JSON.parse(convertCompiled(d, 'kql', { format: 'defender-rule' }).query!) as Record<string, any>;
    assert.equal(json.displayName, nasty);
  });

  it('-p none with a Sentinel or Defender format is refused: the bare condition has no table', () => {
    for (const format of ['sentinel-hunting', 'sentinel-rule', 'defender-rule']) {
      const result = convertCompiled(doc, 'kql', { format, pipelines: ['none'] });
      assert.equal(result.error?.code, 'format-needs', format);
      assert.match(result.error!.message, /'-p none' gives only the condition/);
    }
  });

  it('lists its formats and pipelines', () => {
    const t = getTarget('kql')!;
    assert.deepEqual([...t.formats], ['default', 'defender-rule', 'sentinel-hunting', 'sentinel-rule']);
    assert.deepEqual([...t.pipelines], ['defender-xdr', 'sentinel-asim', 'none']);
    assert.equal(t.defaultPipeline, 'defender-xdr');
  });
});

describe('kql pipelines', () => {
  it('computed columns are valid KQL over their table (analyzer)', () => {
    const schemas = tableSchemas(getBuiltinPipeline('defender-xdr').layout);
    for (const [table, schema] of schemas) {
      for (const [name, c] of schema.computed) {
        assert.deepEqual(analyze(`${table} | where ${c.present ?? 'true'} | extend ${name} = ${c.kql} | where ${name} =~ "x"`, defenderGlobals), [], `${table}.${name}`);
      }
    }
  });

  it('every source of both pipelines has a table schema', () => {
    for (const name of ['defender-xdr', 'sentinel-asim']) {
      const p = getBuiltinPipeline(name);
      const schemas = tableSchemas(p.layout);
      for (const s of p.sources) assert.ok(s.source && schemas.has(s.source), `${name}: ${s.source}`);
    }
  });

  it('a user pipeline (-p file.yml) declares its own tables, types and computed columns', () => {
    const mine = loadPipeline(
      `name: mine
target: kql
sources:
  - logsource: {category: process_creation}
    source: ProcLog
    fieldmaps: [m]
fieldmaps:
  m:
    Image: path
    CommandLine: cmd
    User: who
layout:
  time: ts
  tables:
    ProcLog:
      columns: {ts: datetime, path: string, cmd: string, user: string, domain: string}
      computed:
        who: {type: string, kql: 'strcat(domain, "/", user)', present: 'isnotempty(user)'}
`,
      'mine.yml',
    );
    const doc = compile(testData('golden', 'basic-selection'), 'r.yml');
    assert.equal(
      convertCompiled(doc, 'kql', { pipelines: [mine] }).query,
      'ProcLog\n| where path endswith @"\\nbtscan.exe" and (cmd contains " -r " or cmd contains " -v ")',
    );
    const user = compileSigma(readFileSync(testData('golden', 'neq', 'rule.yml'), 'utf8'), 'neq.yml')[0]!;
    assert.equal(
      convertCompiled(user, 'kql', { pipelines: [mine] }).query,
      'ProcLog\n| extend who = strcat(domain, "/", user)\n| where path endswith @"\\rundll32.exe" and who !in~ ("SYSTEM", "LOCAL SERVICE")',
    );
    const bad = compileSigma(readFileSync(testData('golden', 'null-and-exists', 'rule.yml'), 'utf8'), 'n.yml')[0]!;
    const error = convertCompiled(bad, 'kql', { pipelines: [mine] }).error;
    assert.equal(error?.code, 'unknown-column');
    assert.match(error!.message, /field 'ParentImage' is neither mapped \(pipeline mine\) nor a column of ProcLog/);
  });
});

describe('the rules rulecast ships', () => {
  it('nbtscan: the seed hunting query, as a union over process and file events', () => {
    const path = join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.yml');
    const doc = compileSigma(readFileSync(path, 'utf8'), 'rules/windows/proc_creation_win_nbtscan.yml')[0]!;
    const result = convertCompiled(doc, 'kql');
    assert.equal(result.error, null, result.error?.message);
    // The expected outputs live beside the golden cases, in a folder without rule.yml.
    const expected = join(projectRoot, 'test', 'golden', 'kql-nbtscan-rule');
    expectFile(join(expected, 'out.defender-xdr.kql'), `${result.query!}\n`);
    assert.deepEqual(analyze(result.query!, defenderGlobals), []);
    for (const format of ['sentinel-hunting', 'sentinel-rule', 'defender-rule']) {
      const r = convertCompiled(doc, 'kql', { format });
      assert.equal(r.error, null, r.error?.message);
      expectFile(join(expected, `out.${format}.kql`), `${r.query!}\n`);
    }
    const asim = convertCompiled(doc, 'kql', { pipelines: ['sentinel-asim'] });
    assert.equal(asim.error, null, asim.error?.message);
    expectFile(join(expected, 'out.sentinel-asim.kql'), `${asim.query!}\n`);
  });
});

describe('kql value transforms (exact or refused)', () => {
  function convert(category: string, detection: string, pipeline = 'defender-xdr') {
    const rule = `title: t\nlogsource:\n  category: ${category}\n  product: windows\ndetection:\n${detection
      .trim()
      .split('\n')
      .map((l) => `  ${l}`)
      .join('\n')}\nlevel: low\n`;
    const doc = compileSigma(rule, 't.yml')[0]!;
    assert.ok(doc.query, doc.diagnostics.map((d) => d.message).join('; '));
    const r = convertCompiled(doc, 'kql', { pipelines: [pipeline], compact: true });
    return r.error ? `${r.error.code}: ${r.error.message}` : r.query!.split('\n').pop()!;
  }

  it('sysmon-hashes: one column per algorithm; what cannot be read per column is refused', () => {
    assert.equal(convert('process_creation', "sel:\n  Hashes|contains: 'SHA256=AB'\ncondition: sel"), '| where SHA256 startswith "AB"');
    assert.equal(convert('process_creation', "sel:\n  Hashes: 'MD5=0123456789abcdef0123456789abcdef'\ncondition: sel"), '| where MD5 =~ "0123456789abcdef0123456789abcdef"');
    assert.match(convert('process_creation', "sel:\n  Hashes|contains: '0123456789abcdef0123456789abcdef01234567'\ncondition: sel"), /^lossy-mapping: .*not one ALGORITHM=hex pair/);
    assert.match(convert('process_creation', "sel:\n  Hashes|contains: 'MD5=01,SHA1=02'\ncondition: sel"), /^lossy-mapping/);
    assert.match(convert('process_creation', "sel:\n  Hashes|endswith: 'SHA1=0123'\ncondition: sel"), /^lossy-mapping: .*'endswith' cannot be read per column/);
    assert.match(convert('process_creation', "sel:\n  Hashes: 'SHA1=0123'\ncondition: sel"), /^lossy-mapping: .*not a whole hash/);
    assert.match(convert('process_creation', "sel:\n  Hashes|contains: 'CRC32=0123'\ncondition: sel"), /^lossy-mapping: .*no column for the hash algorithm 'CRC32'/);
    assert.equal(convert('process_creation', 'sel:\n  Hashes|exists: true\ncondition: sel'), '| where isnotempty(SHA1) or isnotempty(MD5) or isnotempty(SHA256)');
  });

  it('registry-hive and sysmon-registry-data', () => {
    assert.equal(
      convert('registry_add', "sel:\n  TargetObject: 'HKU\\S-1-5-21\\Software\\x'\ncondition: sel"),
      '| where ActionType =~ "RegistryKeyCreated" and RegistryPath =~ @"HKEY_CURRENT_USER\\S-1-5-21\\Software\\x"',
    );
    assert.equal(
      convert('registry_add', "sel:\n  TargetObject: 'HKU\\S-1-5-21\\Software\\x'\ncondition: sel", 'sentinel-asim'),
      '| where EventType =~ "RegistryKeyCreated" and RegistryPath =~ @"HKEY_USERS\\S-1-5-21\\Software\\x"',
    );
    assert.equal(convert('registry_set', "sel:\n  Details: 'QWORD (0x00000001-0x00000000)'\ncondition: sel"), '| where ActionType =~ "RegistryValueSet" and RegistryValueType =~ "Qword" and RegistryValueData =~ "4294967296"');
    assert.match(convert('registry_set', "sel:\n  Details|startswith: 'DWORD (0x0000'\ncondition: sel"), /^lossy-mapping: .*DWORD/);
    assert.match(convert('registry_set', "sel:\n  Details: 'Binary Data'\ncondition: sel"), /^lossy-mapping/);
    assert.match(convert('registry_set', "sel:\n  Details|re: 'DWORD \\(0x0+1\\)'\ncondition: sel"), /^lossy-mapping/);
  });

  it('hex-number, args-in-commandline, basename', () => {
    assert.match(convert('process_creation', "sel:\n  LogonId|contains: '0x3e'\ncondition: sel"), /^lossy-mapping: .*only equality with a number/);
    assert.equal(convert('process_creation', "sel:\n  process.args|contains: 'inventory'\ncondition: sel"), '| where ProcessCommandLine contains "inventory"');
    assert.match(convert('process_creation', "sel:\n  process.args: 'inventory'\ncondition: sel"), /^lossy-mapping: .*only 'contains'/);
    assert.match(convert('process_creation', "sel:\n  process.args|contains: 'a b'\ncondition: sel"), /^lossy-mapping/);
    assert.equal(convert('file_event', "sel:\n  ParentImage|endswith: '\\explorer.exe'\ncondition: sel"), '| where ActionType in~ ("FileCreated", "FileModified") and InitiatingProcessParentFileName =~ "explorer.exe"');
    assert.match(convert('file_event', "sel:\n  ParentImage|startswith: 'C:\\Windows\\'\ncondition: sel"), /^lossy-mapping: .*holds only a file name/);
  });

  it('constant and absent: ECS fields decided per source', () => {
    assert.equal(convert('process_creation', "sel:\n  event.category: process\n  process.name: x.exe\ncondition: sel"), '| where FileName =~ "x.exe"');
    assert.equal(convert('process_creation', "sel:\n  event.category: file\nother:\n  process.name: y.exe\ncondition: sel or other"), '| where FileName =~ "y.exe"');
    assert.equal(convert('process_creation', "sel:\n  file.name: x.exe\nother:\n  process.name: y.exe\ncondition: other and not sel"), '| where FileName =~ "y.exe"');
    assert.equal(convert('process_creation', "sel:\n  file.name: null\n  process.name: y.exe\ncondition: sel"), '| where FileName =~ "y.exe"');
  });
});
