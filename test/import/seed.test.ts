// The project's seed: the Defender hunting query detect-nbtscan-activity (a text document with a
// "KQL Query" section and Sentinel-style keys) imports, converts to KQL, SPL and Sigma, and the
// Sigma rule (one rule, ECS names), mapped forward again with defender-xdr, selects exactly the rows
// the seed selects in both of its tables (DeviceFileEvents rows carry one of the table's
// ActionType values). End-to-end CLI runs of the seed: seed-cli.corpus.test.ts.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/diagnostics/source.js';
import { compileSigma, convertQuery, formatDiagnostic } from '../../src/index.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { dumpIr } from '../../src/ir/dump.js';
import { importKql } from '../../src/import/kql.js';
import { renderImported } from '../../src/app/kql-import.js';
import { actionTypes } from '../../src/import/reverse.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';
import { seedDocument } from '../support/paths.js';
import { kustoSyntaxErrors } from './kusto.js';

const [seed] = importKql(new SourceFile('detect-nbtscan-activity.txt', readFileSync(seedDocument, 'utf8')));

/** Rows of both tables around the seed's values: names and hashes in several cases, other files. */
function rows(): { table: string; event: Event }[] {
  const names = ['nbtscan.exe', 'NBTSCAN.EXE', 'NbtScan.Exe', 'nbtscan.exe.bak', 'xnbtscan.exe', 'cmd.exe', '', undefined];
  const hashes = ['9af0cb61580dba0e380cddfe9ca43a3e128ed2f8', '90da10004c8f6fafdaa2cf18922670a745564f45', '9AF0CB61580DBA0E380CDDFE9CA43A3E128ED2F8', '0000000000000000000000000000000000000000', '', undefined];
  const out: { table: string; event: Event }[] = [];
  for (const name of names) {
    for (const sha1 of hashes) {
      const base: Record<string, unknown> = { FolderPath: `C:\\Tools\\${name ?? 'x'}`, DeviceName: 'host1' };
      if (name !== undefined) base.FileName = name;
      if (sha1 !== undefined) base.SHA1 = sha1;
      out.push({ table: 'DeviceProcessEvents', event: { ...base, ActionType: 'ProcessCreated' } });
      for (const action of actionTypes.DeviceFileEvents!) out.push({ table: 'DeviceFileEvents', event: { ...base, ActionType: action } });
    }
  }
  return out;
}

describe('the seed hunting query', () => {
  it('imports with its tables, lookback, projection and metadata', () => {
    assert.ok(seed?.query, seed?.error ? formatDiagnostic(seed.error) : '');
    assert.deepEqual(seed.query.tables.map((t) => t.name), ['DeviceProcessEvents', 'DeviceFileEvents']);
    assert.deepEqual(seed.query.lookback, { count: 7, unit: 'd' });
    assert.deepEqual(seed.meta.tactics, ['Discovery']);
    assert.equal(seed.meta.title, 'detect-nbtscan-activity');
    assert.equal(seed.meta.id, '28ebbb87-535b-4ba0-80f4-6fbf80b7c55a');
  });

  it('converts to KQL (which Kusto parses), SPL and Sigma', () => {
    const kql = renderImported(seed!, seed!.query!, 'kql').text;
    assert.deepEqual(kustoSyntaxErrors(kql), []);
    assert.match(renderImported(seed!, seed!.query!, 'spl').text, /nbtscan\.exe/);
    assert.match(renderImported(seed!, seed!.query!, 'sigma').text, /^title: /);
  });

  it('as a Sentinel hunting query (YAML), it imports again to the same query and metadata', () => {
    const yaml = renderImported(seed!, seed!.query!, 'kql', { format: 'sentinel-hunting' }).text;
    const [again] = importKql(new SourceFile('seed.yaml', yaml));
    assert.ok(again?.query, again?.error ? formatDiagnostic(again.error) : yaml);
    assert.equal(again.format, 'sentinel-yaml');
    assert.deepEqual(again.query.tables.map((t) => t.name), ['DeviceProcessEvents', 'DeviceFileEvents']);
    assert.deepEqual(again.query.lookback, seed!.query!.lookback);
    assert.deepEqual(again.query.fields, seed!.query!.fields);
    assert.equal(dumpIr(again.query.expr), dumpIr(seed!.query!.expr));
    assert.equal(again.meta.title, seed!.meta.title);
    assert.equal(again.meta.id, seed!.meta.id);
    assert.deepEqual(again.meta.tactics, ['Discovery']);
  });

  it('EQL reads it as process events and file events, renamed files included (ECS rename events)', () => {
    const eql = renderImported(seed!, seed!.query!, 'eql', { compact: true }).text;
    assert.match(eql, /^process where event\.type : "start" and \(process\.name : "nbtscan\.exe" or process\.hash\.sha1 in \(/m);
    // What the three file log sources share is written once (the pass common-conjuncts).
    assert.match(eql, /^file where \(event\.type : \("creation", "deletion"\) or event\.action : "rename"\) and \(file\.name : "nbtscan\.exe" or file\.hash\.sha1 in \(/m);
  });

  it('its Sigma rule, one rule with the id in ECS names, selects the same rows of both tables through defender-xdr', () => {
    const sigma = renderImported(seed!, seed!.query!, 'sigma').text;
    const docs = compileSigma(sigma, 'seed.sigma.yml');
    assert.equal(docs.length, 1, 'one rule: each table\'s detection under its event.category where FileName means another field');
    const [doc] = docs;
    assert.deepEqual(doc!.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(doc!.id, '28ebbb87-535b-4ba0-80f4-6fbf80b7c55a');
    const kql = convertQuery(doc!.query!, 'kql');
    assert.deepEqual(kustoSyntaxErrors(kql), [], kql);
    assert.match(kql, /\| where Timestamp > ago\(7d\)/);
    // The detection per table, as defender-xdr maps each log source of the rule.
    const mapped = applyPipelines(doc!.query!, [getBuiltinPipeline('defender-xdr')]);
    let positives = 0;
    let negatives = 0;
    for (const { table, event } of rows()) {
      const expected = evaluate(seed!.query!.expr, event);
      const branches = mapped.branches.filter((b) => b.source === table);
      assert.ok(branches.length > 0, table);
      assert.equal(branches.some((b) => evaluate(b.expr, event)), expected, `${table} ${JSON.stringify(event)}`);
      if (expected) positives++;
      else negatives++;
    }
    assert.ok(positives > 20 && negatives > 20, `${positives} positive and ${negatives} negative rows`);
  });
});
