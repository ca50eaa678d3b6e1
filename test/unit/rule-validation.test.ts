import { strict as assert } from 'node:assert';
import { loadSigma } from '../../src/index.js';

const detection = `logsource:
  category: process_creation
  product: windows
detection:
  sel:
    Image: x
  condition: sel
`;

/** Codes of the diagnostics for a rule text, errors as E:code, warnings as W:code. */
function codes(text: string): string[] {
  return loadSigma(text, 't.yml').flatMap((d) => d.diagnostics.map((x) => `${x.severity === 'error' ? 'E' : 'W'}:${x.code}`));
}

describe('rule metadata validation', () => {
  it('a minimal rule is valid', () => {
    assert.deepEqual(codes(`title: T\n${detection}`), []);
  });
  it('title is required, a string, at most 256 characters', () => {
    assert.deepEqual(codes(detection), ['E:missing-title']);
    assert.deepEqual(codes(`title: [a]\n${detection}`), ['E:invalid-type']);
    assert.deepEqual(codes(`title: ${'x'.repeat(257)}\n${detection}`), ['E:invalid-title']);
  });
  it('id must be a UUID', () => {
    assert.deepEqual(codes(`title: T\nid: 929a690e-bef0-4204-a928-ef5e620d6fcc\n${detection}`), []);
    assert.deepEqual(codes(`title: T\nid: 929a690e\n${detection}`), ['E:invalid-id']);
  });
  it('status and level are enums (case-insensitive, with a warning)', () => {
    assert.deepEqual(codes(`title: T\nstatus: experimental\nlevel: high\n${detection}`), []);
    assert.deepEqual(codes(`title: T\nstatus: Stable\n${detection}`), ['W:status-case']);
    assert.deepEqual(codes(`title: T\nstatus: beta\n${detection}`), ['E:invalid-status']);
    assert.deepEqual(codes(`title: T\nlevel: severe\n${detection}`), ['E:invalid-level']);
  });
  it('dates are YYYY-MM-DD (slashes accepted with a warning, as pySigma does)', () => {
    assert.deepEqual(codes(`title: T\ndate: 2024-02-29\nmodified: '2024-03-01'\n${detection}`), []);
    assert.deepEqual(codes(`title: T\ndate: 2024/02/29\n${detection}`), ['W:date-format']);
    assert.deepEqual(codes(`title: T\ndate: 2023-02-29\n${detection}`), ['E:invalid-date']);
    assert.deepEqual(codes(`title: T\ndate: yesterday\n${detection}`), ['E:invalid-date']);
  });
  it('tags follow namespace.name', () => {
    assert.deepEqual(codes(`title: T\ntags:\n  - attack.discovery\n  - attack.t1046\n  - cve.2021-44228\n${detection}`), []);
    assert.deepEqual(codes(`title: T\ntags:\n  - Attack.Discovery\n  - discovery\n  - attack.t1046\n  - attack.t1046\n${detection}`), ['W:tag-format', 'W:tag-format', 'W:duplicate-tag']);
  });
  it('lists of strings; a single string is read as a list with a warning', () => {
    assert.deepEqual(codes(`title: T\nfalsepositives: Unknown\nreferences:\n  - https://x\n${detection}`), ['W:not-a-list']);
    assert.deepEqual(codes(`title: T\nfields: {a: b}\n${detection}`), ['E:invalid-type']);
  });
  it('related entries need a UUID and a known type', () => {
    assert.deepEqual(codes(`title: T\nrelated:\n  - id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n    type: derived\n${detection}`), []);
    assert.deepEqual(codes(`title: T\nrelated:\n  - id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n    type: cousin\n${detection}`), ['E:invalid-related']);
  });
  it('logsource and detection are required and well-formed', () => {
    assert.deepEqual(codes('title: T\ndetection:\n  sel:\n    A: 1\n  condition: sel\n'), ['E:missing-logsource']);
    assert.deepEqual(codes('title: T\nlogsource:\n  definition: x\ndetection:\n  sel:\n    A: 1\n  condition: sel\n'), ['E:invalid-logsource']);
    assert.deepEqual(codes('title: T\nlogsource:\n  product: windows\n'), ['E:missing-detection']);
    assert.deepEqual(codes('title: T\nlogsource:\n  product: windows\ndetection:\n  condition: sel\n'), ['E:missing-selection']);
  });
  it('near-misses of known keys are flagged; other custom keys are kept', () => {
    const docs = loadSigma(`title: T\ndescripton: oops\nregression_tests_path: x/y\n${detection}`, 't.yml');
    assert.deepEqual(docs[0]!.diagnostics.map((d) => d.message), ["unknown key 'descripton'; did you mean 'description'?"]);
    assert.deepEqual(docs[0]!.document!.custom, { descripton: 'oops', regression_tests_path: 'x/y' });
  });
  it('every diagnostic has a file position', () => {
    const [doc] = loadSigma(`title: T\nstatus: beta\n${detection}`, 't.yml');
    const d = doc!.diagnostics[0]!;
    assert.equal(d.span!.source.path, 't.yml');
    assert.deepEqual(d.span!.source.position(d.span!.start), { line: 2, column: 9 });
  });
});

describe('documents and collections', () => {
  it('several rules in one file, each with its own result', () => {
    const docs = loadSigma(`title: A\n${detection}---\ntitle: B\n${detection}---\nstatus: test\n${detection}`, 't.yml');
    assert.deepEqual(docs.map((d) => [d.title, !!d.document]), [['A', true], ['B', true], [null, false]]);
  });
  it('action: global / reset / repeat (Sigma 1 collections) merge documents', () => {
    const text = `action: global\ntitle: Shared\nlogsource:\n  product: windows\ndetection:\n  condition: sel\n---\nlogsource:\n  category: process_creation\ndetection:\n  sel:\n    A: 1\n---\naction: repeat\ndetection:\n  sel:\n    A: 2\n`;
    const docs = loadSigma(text, 't.yml');
    assert.equal(docs.length, 2);
    assert.ok(docs.every((d) => d.document?.kind === 'rule'));
    assert.equal(docs[0]!.document!.logsource.product, 'windows');
    assert.equal(docs[0]!.document!.logsource.category, 'process_creation');
    assert.equal(docs[1]!.document!.logsource.category, 'process_creation');
  });
  it('filters and correlations are recognised', () => {
    const filter = loadSigma('title: F\nlogsource:\n  product: windows\nfilter:\n  rules:\n    - 929a690e-bef0-4204-a928-ef5e620d6fcc\n  sel:\n    User|startswith: adm_\n  condition: not sel\n', 'f.yml')[0]!;
    assert.equal(filter.document?.kind, 'filter');
    const corr = loadSigma('title: C\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 3\n', 'c.yml')[0]!;
    assert.equal(corr.document?.kind, 'correlation');
  });
  it('a non-mapping document is an error, empty documents are skipped', () => {
    assert.deepEqual(loadSigma('---\n---\n- a\n', 't.yml').map((d) => d.diagnostics[0]?.code), ['not-a-rule']);
  });
});
