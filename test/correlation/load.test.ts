// Loading and validating correlation rules (issue 13 item 6, issue 16 item 1): every finding has a
// code and points at the key or value it is about (line:column in the rule file).
import { strict as assert } from 'node:assert';
import { compileSigma, convertAll, convertSigma, resolveCorrelations, type CompiledDocument } from '../../src/index.js';

const base = `title: Failed logon
id: 5638f7c0-ac70-491d-8465-2a65075e0d86
name: failed_logon
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4625
  condition: selection
`;

const success = `title: Successful logon
name: successful_logon
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4624
  condition: selection
`;

/** A correlation document (the given `correlation:` body, indented by the caller) then the base rules. */
function file(correlation: string, ...rules: string[]): string {
  return [`title: Brute force\ncorrelation:\n${correlation}`, ...rules].join('---\n');
}

/** Findings of a file after loading and resolving: E:code@line:column (W: for warnings). */
function findings(text: string, path = 'c.yml'): string[] {
  return resolveCorrelations(compileSigma(text, path)).flatMap((d) =>
    d.diagnostics.map((x) => {
      const at = x.span ? x.span.source.position(x.span.start) : { line: 0, column: 0 };
      return `${x.severity === 'error' ? 'E' : 'W'}:${x.code}@${at.line}:${at.column}`;
    }),
  );
}

function messages(text: string): string[] {
  return resolveCorrelations(compileSigma(text, 'c.yml')).flatMap((d) => d.diagnostics.map((x) => x.message));
}

const eventCount = `  type: event_count
  rules:
    - failed_logon
  group-by:
    - TargetUserName
  timespan: 10m
  condition:
    gte: 10
`;

describe('correlation rules: loading and validation', () => {
  it('a valid event_count correlation has no findings and keeps every part', () => {
    const docs = resolveCorrelations(compileSigma(file(eventCount, base), 'c.yml'));
    assert.deepEqual(docs.flatMap((d) => d.diagnostics), []);
    const c = docs[0]!.document!;
    assert.equal(c.kind, 'correlation');
    if (c.kind !== 'correlation') return;
    assert.equal(c.correlationType, 'event_count');
    assert.deepEqual(c.rules, ['failed_logon']);
    assert.deepEqual(c.groupBy.map((g) => g.value), ['TargetUserName']);
    assert.deepEqual(c.timespan.duration, { count: 10, unit: 'm' });
    assert.deepEqual(c.condition.comparisons.map(({ op, value }) => [op, value]), [['gte', 10]]);
    assert.equal(c.generate, false);
    const q = docs[0]!.correlation!;
    assert.equal(q.inputs.length, 1);
    assert.equal(q.inputs[0]!.kind, 'rule');
    assert.deepEqual(q.groupBy, [{ name: 'TargetUserName', fields: ['TargetUserName'] }]);
    assert.equal(docs[1]!.correlated, true);
  });

  it('every type of the specification (and value_median) loads', () => {
    const value = (type: string, extra = '') => `  type: ${type}\n  rules: [failed_logon]\n  group-by: [Host]\n  timespan: 1h\n  condition:\n    field: Bytes\n    gt: 100\n${extra}`;
    for (const body of [
      value('value_count'),
      value('value_sum'),
      value('value_avg'),
      value('value_median'),
      value('value_percentile', '    percentile: 95\n'),
      '  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n',
      '  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 1\n',
      '  type: temporal_ordered\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 2\n',
    ]) {
      assert.deepEqual(findings(file(body, base, success)), [], body);
    }
  });

  it('ranges AND their comparisons; neq is an operator (Sigma 2.1)', () => {
    const docs = resolveCorrelations(compileSigma(file(eventCount.replace('    gte: 10\n', '    gt: 100\n    lte: 200\n    neq: 150\n'), base), 'c.yml'));
    assert.deepEqual(docs[0]!.correlation!.comparisons, [{ op: 'gt', value: 100 }, { op: 'lte', value: 200 }, { op: 'neq', value: 150 }]);
  });

  it('a temporal correlation without a condition needs all its rules', () => {
    const docs = resolveCorrelations(compileSigma(file('  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n', base, success), 'c.yml'));
    assert.deepEqual(docs[0]!.correlation!.comparisons, [{ op: 'gte', value: 2 }]);
  });

  it('unknown-correlation-type, with a did-you-mean, at the value', () => {
    assert.deepEqual(findings(file(eventCount.replace('event_count', 'event-count'), base)), ['E:unknown-correlation-type@3:9']);
    assert.match(messages(file(eventCount.replace('event_count', 'event-count'), base))[0]!, /did you mean 'event_count'/);
  });

  it('invalid-timespan: a positive whole number and a lowercase unit; months and years refused', () => {
    // (A quoted scalar's position is its text's, after the quote.)
    for (const [ts, col] of [['10', 13], ["'10 m'", 14], ['0m', 13], ['10min', 13], ['1M', 13], ['1y', 13], ['10M', 13], ['[10m]', 13]] as const) {
      assert.deepEqual(findings(file(eventCount.replace('timespan: 10m', `timespan: ${ts}`), base)), [`E:invalid-timespan@8:${col}`], ts);
    }
    assert.match(messages(file(eventCount.replace('timespan: 10m', 'timespan: 1M'), base))[0]!, /no fixed length/);
    assert.deepEqual(findings(file(eventCount.replace('timespan: 10m', 'timespan: 2w'), base)), []);
  });

  it('unknown-condition-operator, with a did-you-mean, at the key', () => {
    const text = file(eventCount.replace('gte: 10', 'gtee: 10'), base);
    assert.deepEqual(findings(text), ['E:unknown-condition-operator@10:5']);
    assert.match(messages(text)[0]!, /unknown condition operator 'gtee'; did you mean 'gte'\?/);
  });

  it('missing-correlation-field: value types need condition.field', () => {
    for (const type of ['value_count', 'value_sum', 'value_avg', 'value_median']) {
      assert.deepEqual(findings(file(eventCount.replace('event_count', type), base)), ['E:missing-correlation-field@10:5'], type);
    }
  });

  it('missing-percentile: value_percentile needs condition.percentile', () => {
    const text = file(eventCount.replace('event_count', 'value_percentile').replace('    gte: 10\n', '    field: Bytes\n    gte: 10\n'), base);
    assert.deepEqual(findings(text), ['E:missing-percentile@10:5']);
  });

  it('invalid-correlation-condition: thresholds are numbers; field, percentile and order where they mean something', () => {
    const cases: [string, string][] = [
      [eventCount.replace('gte: 10', "gte: 'ten'"), 'E:invalid-correlation-condition@10:11'],
      [eventCount.replace('gte: 10', 'gte: true'), 'E:invalid-correlation-condition@10:10'],
      [eventCount.replace('    gte: 10\n', '    gte: 10\n    field: User\n'), 'E:invalid-correlation-condition@11:5'],
      [eventCount.replace('  condition:\n    gte: 10\n', '  condition: failed_logon and not successful_logon\n'), 'E:invalid-correlation-condition@9:14'],
      [eventCount.replace('  condition:\n    gte: 10\n', '  condition: 10\n'), 'E:invalid-correlation-condition@9:14'],
      [eventCount.replace('    gte: 10\n', '    {}\n'), 'E:invalid-correlation-condition@10:5'],
      [eventCount.replace('event_count', 'value_percentile').replace('    gte: 10\n', '    field: B\n    percentile: 101\n    gte: 1\n'), 'E:invalid-correlation-condition@11:17'],
      [eventCount.replace('    gte: 10\n', '    percentile: 50\n    gte: 1\n'), 'E:invalid-correlation-condition@10:5'],
      ['  type: temporal_ordered\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 1\n', 'E:invalid-correlation-condition@8:5'],
      ['  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [User]\n  timespan: 5m\n  condition: failed_logon and not successful_logon\n', 'E:invalid-correlation-condition@7:14'],
    ];
    for (const [body, expected] of cases) {
      const found = findings(file(body, base, success));
      assert.ok(found.includes(expected), `${body}\n→ ${found.join(', ')}`);
    }
  });

  it('invalid-correlation: the section and its required keys', () => {
    assert.deepEqual(findings('title: C\ncorrelation: [a]\n'), ['E:invalid-correlation@2:14']);
    assert.deepEqual(findings(file(eventCount.replace('  type: event_count\n', ''), base)), ['E:invalid-correlation@2:1']);
    assert.deepEqual(findings(file(eventCount.replace('  timespan: 10m\n', ''), base)), ['E:invalid-correlation@2:1']);
    assert.deepEqual(findings(file(eventCount.replace('  condition:\n    gte: 10\n', ''), base)), ['E:invalid-correlation@2:1']);
    assert.deepEqual(findings(file(eventCount.replace('  rules:\n    - failed_logon\n', ''), base)), ['E:invalid-correlation@2:1']);
    assert.deepEqual(findings(file(eventCount.replace('  rules:\n    - failed_logon\n', '  rules: []\n'), base)), ['E:invalid-correlation@4:10']);
    assert.deepEqual(findings(file(eventCount.replace('    - TargetUserName\n', '    - TargetUserName\n    - TargetUserName\n'), base)), ['E:invalid-correlation@8:7']);
  });

  it('unknown-correlation-key: a misspelt key is an error (a lost group-by would merge every group)', () => {
    const text = file(eventCount.replace('group-by:', 'group_by:'), base);
    assert.deepEqual(findings(text), ['E:unknown-correlation-key@6:3', 'W:missing-group-by@2:1']);
    assert.match(messages(text)[0]!, /did you mean 'group-by'\?/);
  });

  it('missing-group-by is a warning: all events form one group', () => {
    const text = file(eventCount.replace('  group-by:\n    - TargetUserName\n', ''), base);
    assert.deepEqual(findings(text), ['W:missing-group-by@2:1']);
    assert.deepEqual(resolveCorrelations(compileSigma(text, 'c.yml'))[0]!.correlation!.groupBy, []);
  });

  it('generate: at the top level (specification) or in the correlation (pySigma), a boolean, not contradicting', () => {
    const top = resolveCorrelations(compileSigma(file(eventCount, base).replace('title: Brute force\n', 'title: Brute force\ngenerate: true\n'), 'c.yml'));
    assert.equal(top[0]!.correlation!.generate, true);
    assert.equal(top[1]!.correlated, false);
    const inner = resolveCorrelations(compileSigma(file(`${eventCount}  generate: true\n`, base), 'c.yml'));
    assert.equal(inner[0]!.correlation!.generate, true);
    assert.equal(inner[1]!.correlated, false);
    assert.deepEqual(findings(file(`${eventCount}  generate: 1\n`, base)), ['E:invalid-type@11:13']);
    assert.deepEqual(findings(file(`${eventCount}  generate: false\n`, base).replace('title: Brute force\n', 'title: Brute force\ngenerate: true\n')), ['E:invalid-correlation@12:13']);
  });

  it('duplicate-rule-reference: the same reference twice, or two references to one rule', () => {
    assert.deepEqual(findings(file(eventCount.replace('    - failed_logon\n', '    - failed_logon\n    - failed_logon\n'), base)), ['E:duplicate-rule-reference@6:7']);
    assert.deepEqual(findings(file(eventCount.replace('    - failed_logon\n', '    - failed_logon\n    - 5638f7c0-ac70-491d-8465-2a65075e0d86\n'), base)), ['E:duplicate-rule-reference@6:7']);
  });

  it('aliases: a mapping per alias; names rules of the correlation; unused ones are flagged', () => {
    const temporal = '  type: temporal\n  rules: [failed_logon, successful_logon]\n  group-by: [user]\n  timespan: 5m\n';
    const ok = file(`${temporal}  aliases:\n    user:\n      failed_logon: TargetUserName\n      successful_logon: SubjectUserName\n`, base, success);
    assert.deepEqual(findings(ok), []);
    assert.deepEqual(resolveCorrelations(compileSigma(ok, 'c.yml'))[0]!.correlation!.groupBy, [{ name: 'user', fields: ['TargetUserName', 'SubjectUserName'] }]);
    assert.deepEqual(findings(file(`${temporal}  aliases: [user]\n`, base, success)), ['E:invalid-alias@7:12']);
    assert.deepEqual(findings(file(`${temporal}  aliases:\n    user: TargetUserName\n`, base, success)), ['E:invalid-alias@8:11']);
    assert.deepEqual(findings(file(`${temporal}  aliases:\n    user:\n      other_rule: X\n`, base, success)), ['E:invalid-alias@9:7']);
    assert.deepEqual(findings(file(`${temporal}  aliases:\n    host:\n      failed_logon: Computer\n`, base, success)), ['W:unused-alias@8:5']);
  });
});

describe('correlation rules: references across documents and files', () => {
  it('unknown-rule-reference, with a did-you-mean over the names of the run, at the reference', () => {
    const text = file(eventCount.replace('- failed_logon', '- failed_logn'), base);
    assert.deepEqual(findings(text), ['E:unknown-rule-reference@5:7']);
    assert.match(messages(text)[0]!, /'failed_logn' is neither the id nor the name of a rule of this run; did you mean 'failed_logon'\?/);
  });

  it('ambiguous-rule-reference: two rules of the file with the name', () => {
    assert.deepEqual(findings(file(eventCount, base, base.replace('5638f7c0-ac70-491d-8465-2a65075e0d86', '5638f7c0-ac70-491d-8465-2a65075e0d87'))), ['E:ambiguous-rule-reference@5:7']);
  });

  it('correlation-cycle: a correlation using itself, or correlations using each other', () => {
    const self = `title: Loop\nname: loop\ncorrelation:\n  type: event_count\n  rules: [loop]\n  group-by: [U]\n  timespan: 1m\n  condition:\n    gte: 1\n`;
    assert.deepEqual(findings(self), ['E:correlation-cycle@5:11']);
    const a = self.replace('Loop', 'A').replace('name: loop', 'name: a').replace('[loop]', '[b]');
    const b = self.replace('Loop', 'B').replace('name: loop', 'name: b').replace('[loop]', '[a]');
    assert.deepEqual(findings(`${a}---\n${b}`), ['E:correlation-cycle@5:11', 'E:correlation-cycle@15:11']);
  });

  it('invalid-rule-reference: a filter, a rule with errors, a correlation with errors', () => {
    const filter = 'title: F\nname: failed_logon\nlogsource:\n  product: windows\nfilter:\n  rules: [x]\n  sel:\n    User: adm\n  condition: not sel\n';
    // (A filter document is not converted on its own either: filter-document, as before.)
    assert.deepEqual(findings(file(eventCount, filter)), ['E:invalid-rule-reference@5:7', 'E:filter-document@12:1']);
    const broken = base.replace('condition: selection', 'condition: selection and not fliter');
    assert.deepEqual(findings(file(eventCount, broken)), ['E:invalid-rule-reference@5:7', 'E:unknown-identifier@21:32']);
    const outer = `title: Outer\ncorrelation:\n  type: temporal\n  rules: [brute]\n  group-by: [TargetUserName]\n  timespan: 1h\n`;
    const inner = file(eventCount.replace('- failed_logon', '- nothing'), base).replace('title: Brute force\n', 'title: Brute force\nname: brute\n');
    assert.deepEqual(findings(`${outer}---\n${inner}`), ['E:invalid-rule-reference@4:11', 'E:unknown-rule-reference@13:7']);
  });

  it('a reference is found in its own file first, then in the other files of the run', () => {
    // Two self-contained files using the same base-rule name: no ambiguity.
    const one = file(eventCount, base);
    const two = file(eventCount, base.replace('5638f7c0-ac70-491d-8465-2a65075e0d86', '5638f7c0-ac70-491d-8465-2a65075e0d87'));
    const docs = resolveCorrelations([...compileSigma(one, 'one.yml'), ...compileSigma(two, 'two.yml')]);
    assert.deepEqual(docs.flatMap((d) => d.diagnostics), []);
    assert.equal(docs[0]!.correlation!.inputs[0]!.kind === 'rule' && docs[0]!.correlation!.inputs[0]!.id, '5638f7c0-ac70-491d-8465-2a65075e0d86');
    assert.equal(docs[2]!.correlation!.inputs[0]!.kind === 'rule' && docs[2]!.correlation!.inputs[0]!.id, '5638f7c0-ac70-491d-8465-2a65075e0d87');
    // A correlation whose rule is in another file; a rule named twice in other files is ambiguous.
    const lone = `title: Brute force\ncorrelation:\n${eventCount}`;
    const across = resolveCorrelations([...compileSigma(lone, 'c.yml'), ...compileSigma(base, 'rules/failed.yml')]);
    assert.deepEqual(across.flatMap((d) => d.diagnostics), []);
    assert.equal(across[1]!.correlated, true);
    const twice = resolveCorrelations([...compileSigma(lone, 'c.yml'), ...compileSigma(base, 'a.yml'), ...compileSigma(base.replace('d86', 'd88'), 'b.yml')]);
    assert.deepEqual(twice[0]!.diagnostics.map((d) => d.code), ['ambiguous-rule-reference']);
    assert.deepEqual(twice[0]!.diagnostics[0]!.notes, ["candidate: a.yml (document 1, name 'failed_logon')", "candidate: b.yml (document 1, name 'failed_logon')"]);
  });
});

describe('correlation rules in conversion (issue 13 item 6)', () => {
  const found = (docs: CompiledDocument[]) => docs.map((d) => [d.title, d.correlated ?? false]);

  it('regression: a brute-force correlation does not yield its failed-logon rule as a standalone query', () => {
    const results = convertSigma(file(eventCount, base), 'brute.yml', 'kql');
    assert.deepEqual(results.map((r) => [r.title, r.status, r.error?.code]), [['Brute force', 'unsupported', 'unsupported-correlation']]);
    const at = results[0]!.error!.span!;
    assert.deepEqual(at.source.position(at.start), { line: 2, column: 1 });
  });

  it('generate: true converts the referenced rules as well', () => {
    const results = convertSigma(file(`${eventCount}  generate: true\n`, base), 'brute.yml', 'kql', { pipelines: ['none'] });
    assert.deepEqual(results.map((r) => [r.title, r.status]), [['Brute force', 'unsupported'], ['Failed logon', 'converted']]);
    assert.equal(results[1]!.query, 'EventID == 4625');
  });

  it('a rule stays out when one of the correlations using it lacks generate (pySigma\'s rule)', () => {
    const withGenerate = `title: Other\ngenerate: true\ncorrelation:\n${eventCount}`;
    const docs = resolveCorrelations(compileSigma([file(eventCount, base), withGenerate].join('---\n'), 'c.yml'));
    assert.deepEqual(found(docs), [['Brute force', false], ['Failed logon', true], ['Other', false]]);
  });

  it('an invalid correlation still keeps the rules it names from being output', () => {
    const results = convertSigma(file(eventCount.replace('timespan: 10m', 'timespan: 10'), base), 'brute.yml', 'kql');
    assert.deepEqual(results.map((r) => [r.title, r.status, r.error?.code]), [['Brute force', 'invalid', 'invalid-timespan']]);
  });

  it('convertAll: references across files and batches; a broken reference makes the correlation invalid', () => {
    const lone = `title: Brute force\ncorrelation:\n${eventCount}`;
    const files = [{ path: 'c.yml', text: lone }, ...Array.from({ length: 130 }, (_, i) => ({ path: `r${i}.yml`, text: success.replace('name: successful_logon', `name: s${i}`) })), { path: 'z.yml', text: base }];
    const results = convertAll(files, { targets: ['kql'], pipelines: { kql: ['none'] } });
    assert.equal(results.length, 131);
    assert.deepEqual([results[0]!.status, results[0]!.error?.code], ['unsupported', 'unsupported-correlation']);
    assert.ok(!results.some((r) => r.path === 'z.yml'));
    const broken = convertAll([{ path: 'c.yml', text: lone.replace('- failed_logon', '- failed_logn') }, { path: 'z.yml', text: base }], { targets: ['kql'], pipelines: { kql: ['none'] } });
    assert.deepEqual(broken.map((r) => [r.path, r.status, r.error?.code ?? null]), [['c.yml', 'invalid', 'unknown-rule-reference'], ['z.yml', 'converted', null]]);
  });
});
