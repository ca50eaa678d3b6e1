// The sigma target: every golden rule → out.yml (the Sigma rule rulecast writes), which rulecast
// reads back to a detection that selects the same events; property tests over random IR (every
// construct), random strings (quoting, Sigma escapes) and Kusto's `has` as a regular expression.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { compileSigma, convertQuery, evaluate } from '../../src/index.js';
import { and, not, or, pred } from '../../src/ir/build.js';
import { pattern } from '../../src/ir/pattern.js';
import { ONE, STAR, type Expr } from '../../src/ir/types.js';
import type { QueryLogsource, RuleQuery } from '../../src/ir/query.js';
import type { Event } from '../../src/ir/evaluate.js';
import { hasRegex } from '../../src/backends/sigma/detection.js';
import { irKey } from '../../src/ir/dump.js';
import { expectFile, goldenCases } from '../support/golden.js';
import { testData } from '../support/paths.js';

/** A log source without its location (where it is written is not part of what it means). */
const withoutSpan = ({ span: _span, ...ls }: QueryLogsource): QueryLogsource => ls;

function readBack(yaml: string): RuleQuery {
  const docs = compileSigma(yaml, '<sigma out>');
  assert.equal(docs.length, 1);
  const errors = docs[0]!.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((e) => e.message), [], yaml);
  return docs[0]!.query!;
}

const alphabet = ['a', 'B', 'ab', 'x y', '*', '?', '\\', "'", '"', '\n', '\t', ':', '#', '|', '-', '\u2028', '\u0085', '\ufeff', 'é', 'K', '\u212A', 'ſ', '😀', '0', '%', '{', '[', '&', '!'];
const str = fc.array(fc.constantFrom(...alphabet), { maxLength: 5 }).map((a) => a.join(''));
const fields = ['A', 'B', 'C.d'];
const field = fc.constantFrom(...fields);

const predArb: fc.Arbitrary<Expr> = fc.oneof(
  fc.record({ field, value: str, cased: fc.boolean() }).map((r) => pred({ op: 'eq', ...r })),
  fc.record({ field, value: fc.integer({ min: -5, max: 5 }) }).map((r) => pred({ op: 'eq', ...r })),
  fc.record({ field, value: fc.boolean() }).map((r) => pred({ op: 'eq', ...r })),
  fc.record({ op: fc.constantFrom('contains', 'startswith', 'endswith', 'has'), field, value: str, cased: fc.boolean() }).map((r) => pred(r as never)),
  fc.record({ field, value: fc.array(fc.oneof(str, fc.constant(STAR), fc.constant(ONE)), { maxLength: 4 }), cased: fc.boolean() }).map((r) => pred({ op: 'wildcard', field: r.field, value: pattern(r.value), cased: r.cased })),
  fc.record({ field, value: fc.constantFrom('^a', 'b$', 'a.b', '(?i)x', '\\d+', 'é|K'), cased: fc.boolean(), m: fc.boolean(), s: fc.boolean() }).map((r) => pred({ op: 're', field: r.field, value: { pattern: r.value, flags: { m: r.m, s: r.s } }, cased: r.cased })),
  fc.record({ op: fc.constantFrom('lt', 'lte', 'gt', 'gte'), field, value: fc.integer({ min: -3, max: 3 }) }).map((r) => pred(r as never)),
  field.map((f) => pred({ op: 'exists', field: f })),
  field.map((f) => pred({ op: 'null', field: f })),
  fc.record({ field, other: field, match: fc.constantFrom('eq', 'contains', 'startswith', 'endswith'), cased: fc.boolean() }).map((r) => pred({ op: 'fieldref', field: r.field, value: { field: r.other, match: r.match as 'eq' }, cased: r.cased })),
  fc.constantFrom('10.0.0.0/8', 'fe80::/10').map((n) => pred({ op: 'cidr', field: 'A', value: { network: n, family: n.includes(':') ? 6 : 4 } })),
  str.filter((s) => s !== '').map((v) => pred({ op: 'contains', field: null, value: v })),
);

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => {
  const sub = tie('expr');
  return {
    expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, predArb, fc.array(sub, { minLength: 2, maxLength: 3 }).map((a) => and(...a)), fc.array(sub, { minLength: 2, maxLength: 3 }).map((a) => or(...a)), sub.map((e) => not(e))),
  };
}).expr;

const valueArb = fc.oneof(str, fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constant(null), fc.constantFrom('10.1.2.3', 'fe80::1', '8.8.8.8'));
const eventArb: fc.Arbitrary<Event> = fc.record({ A: valueArb, B: valueArb, 'C.d': valueArb }, { requiredKeys: [] });

function canonical(e: Expr): string {
  if (e.kind === 'and' || e.kind === 'or') return `${e.kind}(${e.args.map(canonical).sort().join(',')})`;
  if (e.kind === 'not') return `not(${canonical(e.arg)})`;
  return irKey(e);
}

function ruleQuery(expr: Expr): RuleQuery {
  return { expr, logsources: [{ category: 'process_creation', product: 'windows' }], meta: { title: 't', tags: [], references: [], falsepositives: [] }, fields: [] };
}

describe('sigma target', () => {
  describe('golden: rule → out.yml, read back to the same detection', () => {
    for (const name of goldenCases()) {
      it(name, () => {
        const dir = testData('golden', name);
        const [doc] = compileSigma(readFileSync(join(dir, 'rule.yml'), 'utf8'), `test/golden/${name}/rule.yml`);
        const out = convertQuery(doc!.query!, 'sigma');
        expectFile(join(dir, 'out.yml'), out);
        const back = readBack(out);
        // The same tree up to the order of and/or operands (the writer groups by key).
        assert.equal(canonical(back.expr), canonical(doc!.query!.expr));
        assert.deepEqual(back.logsources.map(withoutSpan), doc!.query!.logsources.map(withoutSpan));
        assert.deepEqual(back.fields, doc!.query!.fields);
        assert.deepEqual(back.meta.tags, doc!.query!.meta.tags);
      });
    }
  });

  it('random detections read back to the same meaning on random events', () => {
    fc.assert(
      fc.property(exprArb, fc.array(eventArb, { minLength: 1, maxLength: 8 }), (expr, events) => {
        let yaml: string;
        try {
          yaml = convertQuery(ruleQuery(expr), 'sigma');
        } catch (err) {
          // Only constants (a detection that is always true or false) have no Sigma form.
          assert.match((err as Error).message, /always (true|false)/);
          return;
        }
        const back = readBack(yaml);
        for (const e of events) assert.equal(evaluate(back.expr, e), evaluate(expr, e), `${yaml}\n${JSON.stringify(e)}`);
      }),
      { numRuns: 400 },
    );
  });

  it('writes any field value and any title safely', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (value, title) => {
        const q = { ...ruleQuery(pred({ op: 'eq', field: 'A', value, cased: true })), meta: { title, description: `${title}\n${value}`, tags: [], references: [], falsepositives: [] } };
        const back = readBack(convertQuery(q, 'sigma'));
        assert.equal(back.expr.kind === 'pred' && back.expr.op === 'eq' ? back.expr.value : undefined, value);
        assert.equal(back.meta.title, title.trim() === '' ? 'Untitled' : title);
      }),
      { numRuns: 300 },
    );
  });

  it("Kusto's has as a regular expression selects what has selects", () => {
    const text = fc.array(fc.constantFrom('a', 'B', 'k', 'K', '\u212A', 's', 'ſ', 'İ', 'i', ' ', '.', '-', '0', 'é', 'É', '😀'), { maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, fc.boolean(), (haystack, needle, cased) => {
        const has = pred({ op: 'has', field: 'A', value: needle, cased });
        const re = pred({ op: 're', field: 'A', value: { pattern: hasRegex(needle, cased), flags: { m: false, s: false } }, cased: true });
        assert.equal(evaluate(re, { A: haystack }), evaluate(has, { A: haystack }), `${JSON.stringify(needle)} in ${JSON.stringify(haystack)} → ${hasRegex(needle, cased)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what Sigma cannot say, and pipelines', () => {
    assert.throws(() => convertQuery(ruleQuery(pred({ op: 'eq', field: null, value: 'x' })), 'sigma'), /keyword that must equal a whole value/);
    assert.throws(() => convertQuery(ruleQuery(pred({ op: 'eq', field: 'a|b', value: 'x' })), 'sigma'), /'\|' separates modifiers/);
    assert.throws(() => convertQuery(ruleQuery(pred({ op: 'eq', field: 'A', value: 'x' })), 'sigma', { pipelines: ['defender-xdr'] }), /takes no pipeline/);
  });

  it('writes several log sources and a lookback with rulecast keys', () => {
    const q: RuleQuery = { ...ruleQuery(pred({ op: 'eq', field: 'A', value: 'x' })), logsources: [{ category: 'process_creation', product: 'windows' }, { category: 'file_event', product: 'windows' }], lookback: { count: 7, unit: 'd' } };
    const out = convertQuery(q, 'sigma');
    assert.match(out, /rulecast:\n {2}logsources:\n {4}- category: 'file_event'\n {6}product: 'windows'\n {2}lookback: 7d$/);
    const back = readBack(out);
    assert.deepEqual(JSON.parse(JSON.stringify(back.logsources.map(withoutSpan))), q.logsources);
    assert.deepEqual(back.lookback, q.lookback);
  });

  it("a tuned query's exclusions were dropped: they are part of the detection, named in a comment that a name cannot break out of", () => {
    const detection = or(pred({ op: 'eq', field: 'A', value: 'x' }), pred({ op: 'eq', field: 'A', value: 'y' }));
    const exclusion = pred({ op: 'contains', field: 'B', value: 'z' });
    // Written in the rule's own names (A, B), as a Sigma filter is; ECS names would be mapped first.
    const q: RuleQuery = { ...ruleQuery(detection), exclusions: [{ name: 'benign\ndetection: {}', expr: exclusion, namespace: 'rule' }] };
    const out = convertQuery(q, 'sigma');
    assert.match(out, /^# tuned: the detection without the events of 1 exclusion\(s\):\n# {3}- benign detection: \{\}\ndetection:\n/m);
    const back = readBack(out);
    const tuned = and(detection, not(exclusion));
    for (const e of [{ A: 'x' }, { A: 'x', B: 'az' }, { A: 'y', B: 'q' }, { B: 'z' }, {}]) assert.equal(evaluate(back.expr, e), evaluate(tuned, e), JSON.stringify(e));
  });
});
