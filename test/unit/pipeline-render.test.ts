import { strict as assert } from 'node:assert';
import { renderExpr, type Dialect } from '../../src/backends/render.js';
import { guardNegatedNullables } from '../../src/passes/null-guards.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { loadPipeline } from '../../src/pipelines/load.js';
import { pred } from '../../src/ir/build.js';
import { patternToSigma } from '../../src/ir/pattern.js';
import type { Pred } from '../../src/ir/types.js';
import { compileOne, ruleWith } from '../support/rules.js';

/** A small dialect for the tests: SQL-like, NOT > AND > OR. */
const sqlish: Dialect = {
  precedence: { or: 1, and: 2, not: 3 },
  tokens: { and: ' AND ', or: ' OR ' },
  not: { form: 'prefix', token: 'NOT ' },
  constant: (v) => (v ? 'TRUE' : 'FALSE'),
  pred: (p: Pred) => {
    const v = 'value' in p ? (typeof p.value === 'object' ? JSON.stringify(p.op === 'wildcard' ? patternToSigma(p.value) : p.value) : JSON.stringify(p.value)) : '';
    return `${p.field ?? '*'} ${p.op}${v ? ` ${v}` : ''}`;
  },
  list: (preds) => `${preds[0]!.field} IN (${preds.map((p) => JSON.stringify(p.value)).join(', ')})`,
};

function query(detection: string, extra = '') {
  const doc = compileOne(ruleWith(detection, extra));
  assert.ok(doc.query, doc.diagnostics.map((d) => d.message).join('; '));
  return doc.query!;
}

describe('generic renderer', () => {
  it('parenthesises only where precedence needs it', () => {
    const q = query('a:\n  A: 1\nb:\n  B: 2\nc:\n  C: 3\ncondition: (a or b) and not (b or c) or a and b');
    assert.equal(renderExpr(q.expr, sqlish), '(A eq 1 OR B eq 2) AND NOT (B eq 2 OR C eq 3) OR A eq 1 AND B eq 2');
  });

  it('with OR binding tighter than AND, the same tree needs other parentheses', () => {
    const splSearch: Dialect = { ...sqlish, precedence: { or: 2, and: 1, not: 3 }, tokens: { and: ' ', or: ' OR ' } };
    const q = query('a:\n  A: 1\nb:\n  B: 2\nc:\n  C: 3\ncondition: a and b or c');
    assert.equal(renderExpr(q.expr, splSearch), '(A eq 1 B eq 2) OR C eq 3');
    assert.equal(renderExpr(q.expr, { ...splSearch, groupMixed: true }), '(A eq 1 B eq 2) OR C eq 3');
    const q2 = query('a:\n  A: 1\nb:\n  B: 2\nc:\n  C: 3\ncondition: a and (b or c)');
    assert.equal(renderExpr(q2.expr, splSearch), 'A eq 1 B eq 2 OR C eq 3');
    assert.equal(renderExpr(q2.expr, { ...splSearch, groupMixed: true }), 'A eq 1 (B eq 2 OR C eq 3)');
  });

  it('function-style not and list folding', () => {
    const kqlish: Dialect = { ...sqlish, not: { form: 'function', token: 'not' } };
    const q = query("sel:\n  A: [x, y, z]\n  B|contains: q\nfilter:\n  C: [1, 2]\ncondition: sel and not filter");
    assert.equal(renderExpr(q.expr, kqlish), 'A IN ("x", "y", "z") AND B contains "q" AND not(C IN (1, 2))');
  });

  it('guards nullable predicates only under an odd number of negations', () => {
    const q = query('a:\n  N|gt: 5\nb:\n  M|gt: 1\nc:\n  K|gt: 3\ncondition: a and not b and not not c');
    const guarded = guardNegatedNullables(q.expr, (p) => (p.op === 'gt' ? pred({ op: 'exists', field: p.field }) : undefined));
    assert.equal(renderExpr(guarded, sqlish), 'N gt 5 AND NOT (M exists AND M gt 1) AND K gt 3');
  });
});

describe('pipelines', () => {
  const pipeline = loadPipeline(
    `name: test
description: a test pipeline
strict: true
layout: {index: main}
sources:
  - logsource: {category: process_creation}
    source: Processes
    fieldmaps: [process]
  - logsource: {category: file_event}
    source: Files
    fieldmaps: [file]
    conditions:
      Action: created
fieldmaps:
  process:
    Image: path
    ParentImage: {field: parent_name, transform: basename}
    Imphash: {unsupported: "the table has no imphash"}
    EventType: {field: action, transform: {map: {SetValue: [ValueSet, ValueChanged]}}}
    Hashes: {any: [sha1, md5]}
  file:
    Image: initiating_path
    TargetFilename: path
  common:
    User: user
fields: [common]
`,
    'test.yml',
  );

  it('maps log sources to sources and fields per source, adding the source conditions', () => {
    const q = query("sel:\n  Image|endswith: '\\cmd.exe'\n  User: bob\ncondition: sel", 'rulecast:\n  logsources:\n    - category: file_event\n');
    const mapped = applyPipelines(q, [pipeline]);
    assert.deepEqual(mapped.branches.map((b) => [b.source, renderExpr(b.expr, sqlish)]), [
      ['Processes', 'path endswith "\\\\cmd.exe" AND user eq "bob"'],
      ['Files', 'Action eq "created" AND initiating_path endswith "\\\\cmd.exe" AND user eq "bob"'],
    ]);
    assert.deepEqual(mapped.layout, { index: 'main' });
  });

  it('basename keeps exactly what it can and refuses the rest', () => {
    const ok = applyPipelines(query("sel:\n  ParentImage|endswith: '\\explorer.exe'\ncondition: sel"), [pipeline]);
    assert.equal(renderExpr(ok.branches[0]!.expr, sqlish), 'parent_name eq "explorer.exe"');
    const pattern = applyPipelines(query("sel:\n  ParentImage: '*\\explor?r.exe'\ncondition: sel"), [pipeline]);
    assert.equal(renderExpr(pattern.branches[0]!.expr, sqlish), 'parent_name wildcard "explor?r.exe"');
    assert.throws(() => applyPipelines(query("sel:\n  ParentImage|startswith: 'C:\\Windows\\'\ncondition: sel"), [pipeline]), /lossy|file name/);
    assert.throws(() => applyPipelines(query("sel:\n  ParentImage: 'C:\\Windows\\explorer.exe'\ncondition: sel"), [pipeline]), /not the full path/);
  });

  it('value maps, several targets, unsupported and unknown fields', () => {
    assert.equal(renderExpr(applyPipelines(query('sel:\n  EventType: SetValue\ncondition: sel'), [pipeline]).branches[0]!.expr, sqlish), 'action IN ("ValueSet", "ValueChanged")');
    assert.equal(renderExpr(applyPipelines(query('sel:\n  Hashes: abc\ncondition: sel'), [pipeline]).branches[0]!.expr, sqlish), 'sha1 eq "abc" OR md5 eq "abc"');
    assert.throws(() => applyPipelines(query('sel:\n  Imphash: abc\ncondition: sel'), [pipeline]), /field 'Imphash' has no equivalent in Processes \(pipeline test\): the table has no imphash/);
    assert.throws(() => applyPipelines(query('sel:\n  Nope: abc\ncondition: sel'), [pipeline]), /field 'Nope' has no mapping in Processes/);
  });

  it('an unknown log source is an error naming it', () => {
    const q = compileOne(ruleWith('sel:\n  A: 1\ncondition: sel').replace('process_creation', 'dns_query')).query!;
    assert.throws(() => applyPipelines(q, [pipeline]), /pipeline test has no source for logsource \{product: windows, category: dns_query\}/);
  });

  it('bad pipeline files are located errors', () => {
    assert.throws(() => loadPipeline('name: x\nsources: {}\n', 'p.yml'), /'sources' must be a list/);
    assert.throws(() => loadPipeline('name: x\nfieldmaps:\n  m:\n    A: {field: b, transform: nope}\n', 'p.yml'), /unknown value transformation 'nope'/);
    assert.throws(() => loadPipeline('nme: x\n', 'p.yml'), /unknown pipeline key 'nme'/);
  });
});
