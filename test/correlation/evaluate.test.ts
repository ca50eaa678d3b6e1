// The correlation evaluator's semantics (docs/correlation.md), case by case: window edges, groups,
// exact values, aliases, chains, order, the value aggregates and event times.
import { strict as assert } from 'node:assert';
import { compileSigma, evaluateCorrelation, isRulecastError, parseTime, resolveCorrelations, type CorrelationAlert, type CorrelationQuery, type Event } from '../../src/index.js';

const rule = (name: string, kind: string) => `title: Rule ${name}
name: ${name}
logsource:
  product: test
detection:
  selection:
    kind: ${kind}
  condition: selection
`;

/** The first correlation of a file of a correlation body (indented) and rules a, b (kind: a / b). */
function correlation(body: string, extra: string[] = []): CorrelationQuery {
  const docs = resolveCorrelations(compileSigma([`title: C\ncorrelation:\n${body}`, rule('a', 'a'), rule('b', 'b'), ...extra].join('---\n'), 'c.yml'));
  const errors = docs.flatMap((d) => d.diagnostics.filter((x) => x.severity === 'error'));
  assert.deepEqual(errors.map((e) => e.message), []);
  return docs[0]!.correlation!;
}

const at = (seconds: number) => new Date(Date.UTC(2024, 4, 1, 10, 0, 0) + seconds * 1000).toISOString();
const ev = (seconds: number, fields: Record<string, unknown>): Event => ({ '@timestamp': at(seconds), ...fields });

/** Alerts reduced to [group, count|value, events]. */
function run(c: CorrelationQuery, events: Event[]): unknown[] {
  return evaluateCorrelation(c, events).map((a: CorrelationAlert) => [a.group, a.count ?? a.value, a.events]);
}

const count = (n: number, extra = '', span = '10s', rules = '[a]') => `  type: event_count\n  rules: ${rules}\n  group-by: [user]\n  timespan: ${span}\n  condition:\n    gte: ${n}\n${extra}`;

describe('correlation evaluator', () => {
  it('window edges: an event exactly timespan after another is in its window, one millisecond more is not', () => {
    const c = correlation(count(2));
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(10, { kind: 'a', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1]]]);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(10.001, { kind: 'a', user: 'u' })]), []);
  });

  it('each event closes a window; every window where the condition holds alerts', () => {
    const c = correlation(count(2));
    const events = [0, 3, 6, 20].map((s) => ev(s, { kind: 'a', user: 'u' }));
    assert.deepEqual(run(c, events), [
      [{ user: 'u' }, 2, [0, 1]],
      [{ user: 'u' }, 3, [0, 1, 2]],
    ]);
  });

  it('events at the same time enter in file order, so eq holds once a window reaches it', () => {
    const c = correlation(count(3).replace('gte: 3', 'eq: 3'));
    const events = [0, 0, 0, 0, 0].map((s) => ev(s, { kind: 'a', user: 'u' }));
    assert.deepEqual(run(c, events), [[{ user: 'u' }, 3, [0, 1, 2]]]);
  });

  it('upper bounds: lte holds on windows small enough (every window has at least one event)', () => {
    const c = correlation(count(1).replace('gte: 1', 'lte: 1'));
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(1, { kind: 'a', user: 'u' }), ev(30, { kind: 'a', user: 'u' })]), [
      [{ user: 'u' }, 1, [0]],
      [{ user: 'u' }, 1, [2]],
    ]);
  });

  it('missing group-by values: absent, null and empty text belong to no group (no null group)', () => {
    const c = correlation(count(2));
    const events = [ev(0, { kind: 'a' }), ev(1, { kind: 'a', user: null }), ev(2, { kind: 'a', user: '' }), ev(3, { kind: 'a' }), ev(4, { kind: 'a', user: 'u' })];
    assert.deepEqual(run(c, events), []);
  });

  it('case differences: group values compare exactly', () => {
    const c = correlation(count(2));
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'alice' }), ev(1, { kind: 'a', user: 'Alice' })]), []);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'alice' }), ev(1, { kind: 'a', user: 'alice' })]), [[{ user: 'alice' }, 2, [0, 1]]]);
    // Types too: the number 5 and the text "5" are different users.
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 5 }), ev(1, { kind: 'a', user: '5' })]), []);
  });

  it('several group-by fields are ANDed; dotted names reach nested objects', () => {
    const c = correlation(count(2).replace('[user]', '[user, host.name]'));
    const events = [ev(0, { kind: 'a', user: 'u', host: { name: 'h1' } }), ev(1, { kind: 'a', user: 'u', host: { name: 'h2' } }), ev(2, { kind: 'a', user: 'u', host: { name: 'h1' } })];
    assert.deepEqual(run(c, events), [[{ user: 'u', 'host.name': 'h1' }, 2, [0, 2]]]);
  });

  it('an event several rules match counts once for event_count', () => {
    const c = correlation(count(2, '', '10s', '[a, ab]'), [rule('ab', '[a, b]')]);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' })]), []);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(1, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1]]]);
  });

  it('no group-by: all events form one group', () => {
    const c = correlation(count(2).replace('  group-by: [user]\n', ''));
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'x' }), ev(1, { kind: 'a' })]), [[{}, 2, [0, 1]]]);
  });

  it('aliases: one group-by name for differently named fields of several base rules', () => {
    const c = correlation('  type: temporal\n  rules: [a, b]\n  group-by: [ip]\n  timespan: 10s\n  aliases:\n    ip:\n      a: source.ip\n      b: destination.ip\n');
    const events = [ev(0, { kind: 'a', source: { ip: '10.0.0.1' }, destination: { ip: '10.0.0.9' } }), ev(1, { kind: 'b', source: { ip: '10.0.0.9' }, destination: { ip: '10.0.0.1' } }), ev(2, { kind: 'b', destination: { ip: '10.0.0.2' } })];
    assert.deepEqual(run(c, events), [[{ ip: '10.0.0.1' }, 2, [0, 1]]]);
  });

  it('temporal: all rules within the timespan, in any order; a condition counts distinct rules', () => {
    const all = correlation('  type: temporal\n  rules: [a, b]\n  group-by: [user]\n  timespan: 10s\n');
    assert.deepEqual(run(all, [ev(0, { kind: 'b', user: 'u' }), ev(5, { kind: 'a', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1]]]);
    assert.deepEqual(run(all, [ev(0, { kind: 'b', user: 'u' }), ev(11, { kind: 'a', user: 'u' })]), []);
    const one = correlation('  type: temporal\n  rules: [a, b]\n  group-by: [user]\n  timespan: 10s\n  condition:\n    gte: 1\n');
    assert.deepEqual(run(one, [ev(0, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 1, [0]]]);
  });

  it('temporal_ordered: the rules in the listed order within one window; order violations do not alert', () => {
    const c = correlation('  type: temporal_ordered\n  rules: [a, b]\n  group-by: [user]\n  timespan: 10s\n');
    assert.deepEqual(run(c, [ev(0, { kind: 'b', user: 'u' }), ev(5, { kind: 'a', user: 'u' })]), []);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(5, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1]]]);
    // b, a, b: the window closed by the last b holds a then b.
    assert.deepEqual(run(c, [ev(0, { kind: 'b', user: 'u' }), ev(1, { kind: 'a', user: 'u' }), ev(2, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1, 2]]]);
    // At the same time, file order decides.
    assert.deepEqual(run(c, [ev(0, { kind: 'b', user: 'u' }), ev(0, { kind: 'a', user: 'u' })]), []);
    // Too far apart.
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(10.5, { kind: 'b', user: 'u' })]), []);
  });

  it('temporal_ordered: one event cannot take two places of the sequence', () => {
    const c = correlation('  type: temporal_ordered\n  rules: [a, ab]\n  group-by: [user]\n  timespan: 10s\n', [rule('ab', '[a, b]')]);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' })]), []);
    assert.deepEqual(run(c, [ev(0, { kind: 'a', user: 'u' }), ev(1, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1]]]);
  });

  it('correlation of correlations: an alert is one event of the outer correlation, carrying its group', () => {
    const many = 'title: Many failures\nname: many\ncorrelation:\n  type: event_count\n  rules: [a]\n  group-by: [user]\n  timespan: 1m\n  condition:\n    gte: 3\n';
    const c = correlation('  type: temporal_ordered\n  rules: [many, b]\n  group-by: [user]\n  timespan: 1m\n', [many]);
    const failures = [0, 1, 2].map((s) => ev(s, { kind: 'a', user: 'u' }));
    assert.deepEqual(run(c, [...failures, ev(30, { kind: 'b', user: 'u' })]), [[{ user: 'u' }, 2, [0, 1, 2, 3]]]);
    // Success before the third failure: the inner alert (at the third failure) comes after it.
    assert.deepEqual(run(c, [failures[0]!, failures[1]!, ev(1.5, { kind: 'b', user: 'u' }), failures[2]!]), []);
    assert.deepEqual(run(c, [...failures, ev(30, { kind: 'b', user: 'v' })]), []);
  });

  it('value_count: distinct values of the field, compared exactly; a list gives each element', () => {
    const c = correlation('  type: value_count\n  rules: [a]\n  group-by: [host]\n  timespan: 10s\n  condition:\n    field: user\n    gte: 3\n');
    const alerts = evaluateCorrelation(c, [ev(0, { kind: 'a', host: 'h', user: 'alice' }), ev(1, { kind: 'a', host: 'h', user: 'Alice' }), ev(2, { kind: 'a', host: 'h', user: 'alice' }), ev(3, { kind: 'a', host: 'h' }), ev(4, { kind: 'a', host: 'h', user: ['bob', 'alice'] })]);
    assert.deepEqual(alerts.map((a) => [a.count, a.values, a.events]), [[3, ['alice', 'Alice', 'bob'], [0, 1, 2, 3, 4]]]);
  });

  it('value_sum and value_avg: upper bounds matter; text that is no number is skipped', () => {
    const sum = correlation('  type: value_sum\n  rules: [a]\n  group-by: [user]\n  timespan: 10s\n  condition:\n    field: bytes\n    gt: 100\n    lte: 250\n');
    const events = [ev(0, { kind: 'a', user: 'u', bytes: 60 }), ev(1, { kind: 'a', user: 'u', bytes: '50' }), ev(2, { kind: 'a', user: 'u', bytes: 'n/a' }), ev(3, { kind: 'a', user: 'u', bytes: 200 })];
    // The windows closed by events 1 and 2 sum 110 (event 2 has no number); with 200 the sum is 310.
    assert.deepEqual(evaluateCorrelation(sum, events).map((a) => [a.value, a.values, a.events]), [
      [110, [60, 50], [0, 1]],
      [110, [60, 50], [0, 1, 2]],
    ]);
    const avg = correlation('  type: value_avg\n  rules: [a]\n  group-by: [user]\n  timespan: 10s\n  condition:\n    field: bytes\n    gte: 0.3\n');
    assert.deepEqual(evaluateCorrelation(avg, [ev(0, { kind: 'a', user: 'u', bytes: 0.1 }), ev(1, { kind: 'a', user: 'u', bytes: 0.2 }), ev(2, { kind: 'a', user: 'u', bytes: 0.6 })]).map((a) => a.value), [(0.1 + 0.2 + 0.6) / 3]);
    // A window without a number has no sum: the condition cannot hold, not even lt.
    const none = correlation('  type: value_sum\n  rules: [a]\n  group-by: [user]\n  timespan: 10s\n  condition:\n    field: bytes\n    lt: 1\n');
    assert.deepEqual(run(none, [ev(0, { kind: 'a', user: 'u' })]), []);
  });

  it('value_percentile (nearest rank, from condition.percentile) and value_median', () => {
    const p = (n: number) => correlation(`  type: value_percentile\n  rules: [a]\n  group-by: [user]\n  timespan: 1m\n  condition:\n    field: ms\n    percentile: ${n}\n    gte: 0\n`);
    const events = [15, 20, 35, 40, 50].map((ms, i) => ev(i, { kind: 'a', user: 'u', ms }));
    const last = (c: CorrelationQuery) => evaluateCorrelation(c, events).at(-1)!.value;
    assert.deepEqual([0, 5, 30, 40, 50, 100].map((n) => last(p(n))), [15, 15, 20, 20, 35, 50]);
    const median = correlation('  type: value_median\n  rules: [a]\n  group-by: [user]\n  timespan: 1m\n  condition:\n    field: ms\n    gte: 0\n');
    assert.deepEqual(evaluateCorrelation(median, events.slice(0, 4)).map((a) => a.value), [15, 17.5, 20, 27.5]);
  });

  it('times: ISO 8601 (UTC without an offset, offsets, microseconds) or epoch milliseconds', () => {
    assert.equal(parseTime('2024-05-01T10:00:00Z'), Date.UTC(2024, 4, 1, 10) * 1000);
    assert.equal(parseTime('2024-05-01T10:00:00'), Date.UTC(2024, 4, 1, 10) * 1000);
    assert.equal(parseTime('2024-05-01 12:00:00+02:00'), Date.UTC(2024, 4, 1, 10) * 1000);
    assert.equal(parseTime('2024-05-01T10:00:00.1234567Z'), Date.UTC(2024, 4, 1, 10) * 1000 + 123456);
    assert.equal(parseTime('2024-05-01'), Date.UTC(2024, 4, 1) * 1000);
    assert.equal(parseTime(1714557600000), Date.UTC(2024, 4, 1, 10) * 1000);
    for (const bad of ['2023-02-30T00:00:00Z', 'May 1 2024', '1714557600000', true, null, '2024-05-01T25:00:00Z']) assert.equal(parseTime(bad), undefined, String(bad));
  });

  it('an event a correlation uses needs a time (invalid-event-time); other events do not', () => {
    const c = correlation(count(1));
    assert.deepEqual(run(c, [{ kind: 'b' }, { kind: 'a' }, ev(0, { kind: 'a', user: 'u' })]), [[{ user: 'u' }, 1, [2]]]);
    assert.throws(
      () => evaluateCorrelation(c, [{ kind: 'a', user: 'u', '@timestamp': 'yesterday' }]),
      (err: unknown) => isRulecastError(err) && err.code === 'invalid-event-time' && /event 0 is used by correlation 'C' but has an unreadable \("yesterday"\) '@timestamp'/.test(err.message),
    );
    // --time-field names another field.
    assert.deepEqual(evaluateCorrelation(c, [{ kind: 'a', user: 'u', when: 1714557600000 }], { timeField: 'when' }).map((a) => a.start), ['2024-05-01T10:00:00.000Z']);
  });
});
