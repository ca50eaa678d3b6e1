// The sliding-window evaluator against a brute-force reference written from the definition: for
// each event of a group, the window is every earlier-or-equal event of the group (in time, then file
// order) at most `timespan` before it, measured from scratch. Random streams with ties, exact edges,
// missing and differently cased group values, events matching both rules, lists and fractions.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileSigma, evaluateCorrelation, resolveCorrelations, type Event } from '../../src/index.js';

const types = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median'] as const;
type Type = (typeof types)[number];
const ops = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

interface Params {
  readonly type: Type;
  readonly rules: readonly ('a' | 'b')[];
  readonly groupBy: boolean;
  /** Rule b reads the group from `login` instead of `user`. */
  readonly alias: boolean;
  readonly seconds: number;
  readonly comparisons: readonly { op: (typeof ops)[number]; value: number }[];
  readonly percentile: number;
}

const rule = (name: string) => `title: Rule ${name}\nname: ${name}\nlogsource:\n  product: test\ndetection:\n  selection:\n    kind: [${name}, ab]\n  condition: selection\n`;

function yaml(p: Params): string {
  const lines = [`title: C`, 'correlation:', `  type: ${p.type}`, `  rules: [${p.rules.join(', ')}]`];
  if (p.groupBy) lines.push('  group-by: [user]');
  if (p.groupBy && p.alias && p.rules.includes('b')) lines.push('  aliases:', '    user:', '      b: login');
  lines.push(`  timespan: ${p.seconds}s`);
  if (p.type === 'temporal_ordered') lines.push('  condition:', `    gte: ${p.rules.length}`);
  else {
    lines.push('  condition:');
    if (p.type.startsWith('value_')) lines.push('    field: n');
    if (p.type === 'value_percentile') lines.push(`    percentile: ${p.percentile}`);
    for (const c of p.comparisons) lines.push(`    ${c.op}: ${c.value}`);
  }
  return [lines.join('\n') + '\n', rule('a'), rule('b')].join('---\n');
}

const holds = (op: (typeof ops)[number], x: number, v: number) => ({ gt: x > v, gte: x >= v, lt: x < v, lte: x <= v, eq: x === v, neq: x !== v })[op];

/** The reference: quadratic, everything measured afresh. Returns alerts as the evaluator prints them. */
function bruteForce(p: Params, events: readonly Record<string, unknown>[]): unknown[] {
  const span = p.seconds * 1000;
  const inputsOf = (e: Record<string, unknown>) => p.rules.flatMap((r, i) => (e.kind === r || e.kind === 'ab' ? [i] : []));
  const groupOf = (e: Record<string, unknown>, input: number): string | undefined | null => {
    if (!p.groupBy) return null;
    const field = p.alias && p.rules[input] === 'b' ? 'login' : 'user';
    const v = e[field];
    return v === undefined || v === null || v === '' ? undefined : (v as string);
  };
  type Occ = { t: number; i: number; inputs: number[] };
  const groups = new Map<string, { value: string | null; occ: Occ[] }>();
  events.forEach((e, i) => {
    const byGroup = new Map<string, Occ>();
    for (const input of inputsOf(e)) {
      const g = groupOf(e, input);
      if (g === undefined) continue;
      const key = JSON.stringify(g);
      const o = byGroup.get(key) ?? { t: e['@timestamp'] as number, i, inputs: [] };
      o.inputs.push(input);
      byGroup.set(key, o);
      if (!groups.has(key)) groups.set(key, { value: g, occ: [] });
    }
    for (const [key, o] of byGroup) groups.get(key)!.occ.push(o);
  });
  const alerts: { end: number; i: number; key: string; alert: unknown }[] = [];
  const scalars = (i: number) => {
    const n = events[i]!.n;
    return (Array.isArray(n) ? n : [n]).filter((v) => v !== undefined && v !== null && v !== '' && typeof v !== 'object');
  };
  const numbers = (w: Occ[]) => w.flatMap((o) => scalars(o.i).filter((v): v is number => typeof v === 'number'));
  for (const [key, { value, occ }] of groups) {
    occ.sort((x, y) => x.t - y.t || x.i - y.i || x.inputs[0]! - y.inputs[0]!);
    occ.forEach((last, j) => {
      const w = occ.slice(0, j + 1).filter((o) => o.t >= last.t - span);
      let measure: { count?: number; value?: number; values?: unknown[] } | undefined;
      const distinctInputs = new Set(w.flatMap((o) => o.inputs)).size;
      if (p.type === 'event_count') measure = { count: w.length };
      else if (p.type === 'value_count') {
        const seen = new Map<string, unknown>();
        for (const o of w) for (const v of scalars(o.i)) if (!seen.has(`${typeof v}:${String(v)}`)) seen.set(`${typeof v}:${String(v)}`, v);
        measure = { count: seen.size, values: [...seen.values()] };
      } else if (p.type === 'temporal') measure = { count: distinctInputs };
      else if (p.type === 'temporal_ordered') {
        const inOrder = (from: number, r: number): boolean => r === p.rules.length || w.some((o, k) => k >= from && o.inputs.includes(r) && inOrder(k + 1, r + 1));
        measure = inOrder(0, 0) ? { count: distinctInputs } : undefined;
      } else {
        const ns = numbers(w);
        if (ns.length > 0) {
          const sorted = [...ns].sort((x, y) => x - y);
          const sum = ns.reduce((x, y) => x + y, 0);
          const v =
            p.type === 'value_sum' ? sum
            : p.type === 'value_avg' ? sum / ns.length
            : p.type === 'value_median' ? (ns.length % 2 ? sorted[(ns.length - 1) / 2]! : (sorted[ns.length / 2 - 1]! + sorted[ns.length / 2]!) / 2)
            : sorted[Math.max(1, Math.ceil((p.percentile * ns.length) / 100)) - 1]!;
          measure = { value: v, values: ns };
        }
      }
      if (!measure) return;
      const tested = measure.value ?? measure.count!;
      const conds = p.type === 'temporal_ordered' ? [] : p.comparisons.length ? p.comparisons : [{ op: 'gte' as const, value: p.rules.length }];
      if (!conds.every((c) => holds(c.op, tested, c.value))) return;
      const ids = [...new Set(w.map((o) => o.i))].sort((x, y) => x - y);
      alerts.push({
        end: last.t,
        i: last.i,
        key,
        alert: { group: p.groupBy ? { user: value } : {}, start: new Date(w[0]!.t).toISOString(), end: new Date(last.t).toISOString(), ...measure, events: ids },
      });
    });
  }
  alerts.sort((x, y) => x.end - y.end || x.i - y.i || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return alerts.map((a) => a.alert);
}

const comparison = fc.record({ op: fc.constantFrom(...ops), value: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom(0.5, 2.5, 10.25)) });
const params: fc.Arbitrary<Params> = fc.record({
  type: fc.constantFrom(...types),
  rules: fc.constantFrom<('a' | 'b')[]>(['a'], ['b'], ['a', 'b'], ['b', 'a']),
  groupBy: fc.boolean(),
  alias: fc.boolean(),
  seconds: fc.integer({ min: 1, max: 4 }),
  comparisons: fc.uniqueArray(comparison, { minLength: 1, maxLength: 2, selector: (c) => c.op }),
  percentile: fc.constantFrom(0, 1, 25, 50, 90, 100),
});
const value = fc.oneof(fc.constantFrom(undefined, null, '', 'u', 'U', 'v'));
const number = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(0.1, 0.2, 1.5, 'x', undefined), fc.array(fc.constantFrom(1, 2, 'u', 0.3), { maxLength: 2 }));
// Times on a half-second grid over a few seconds: many ties and windows ending exactly at an edge.
const event = fc.record({ '@timestamp': fc.integer({ min: 0, max: 16 }).map((h) => Date.UTC(2024, 0, 1) + h * 500), kind: fc.constantFrom('a', 'b', 'ab', 'c'), user: value, login: value, n: number });

describe('correlation evaluator: sliding windows against a brute-force reference', () => {
  it('gives the same alerts on random streams', () => {
    fc.assert(
      fc.property(params, fc.array(event, { maxLength: 30 }), (p, raw) => {
        const events = raw.map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
        const docs = resolveCorrelations(compileSigma(yaml(p), 'c.yml'));
        const errors = docs.flatMap((d) => d.diagnostics.filter((x) => x.severity === 'error'));
        assert.deepEqual(errors.map((e) => e.message), [], yaml(p));
        const actual = evaluateCorrelation(docs[0]!.correlation!, events as Event[]);
        assert.deepEqual(JSON.parse(JSON.stringify(actual)), JSON.parse(JSON.stringify(bruteForce(p, events))), yaml(p));
      }),
      { numRuns: 400 },
    );
  });
});
