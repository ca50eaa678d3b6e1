// Semantics: random IR expressions are rendered as KQL, the KQL text is parsed by Microsoft's
// parser and evaluated on rows by a small evaluator of Kusto's documented semantics (kql-support.ts),
// and the result must equal the IR evaluator's on the same event. This checks the whole chain:
// operator choice, case, anchoring, escaping, precedence, list folding and the null guards.
//
// Decision (docs/kql.md): a KQL string column cannot be null, a missing string reads as "". The
// generated events therefore never hold an empty string (an empty and a missing value are one row
// in Kusto); the `F: ''` predicate, which Sigma and Kusto read differently for a missing field, is
// checked separately below.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { renderKql } from '../../src/backends/kql/plan.js';
import { and, not, or, pred, stringPred } from '../../src/ir/build.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { dumpIr } from '../../src/ir/dump.js';
import { predicates } from '../../src/ir/passes.js';
import { pattern } from '../../src/ir/pattern.js';
import type { RuleQuery } from '../../src/ir/query.js';
import { ONE, STAR, type Expr, type PatternPart, type Pred } from '../../src/ir/types.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { loadPipeline } from '../../src/pipelines/load.js';
import { condition, evalKql, type Row } from './kql-support.js';

const pipeline = loadPipeline(
  `name: semantics
target: kql
sources:
  - logsource: {category: test}
    source: T
layout:
  time: Timestamp
  tables:
    T:
      columns: {A: string, B: string, C: string, N: long, IP: string, D: datetime}
`,
  'semantics.yml',
);

function query(expr: Expr): RuleQuery {
  return { expr, logsources: [{ category: 'test' }], meta: { title: 't', tags: [], references: [], falsepositives: [] }, fields: [] };
}

function render(expr: Expr, bare: boolean): string {
  const mapped = applyPipelines(query(expr), bare ? [] : [pipeline]);
  return renderKql(mapped.branches[0]!.expr, mapped, bare ? null : 'T', bare, true);
}

// Values chosen so that matches, near misses, case variants, wildcard characters, regex
// metacharacters, quotes, backslashes, newlines and non-BMP characters all occur.
const texts = ['a', 'ab', 'AB', 'ba', 'b*', 'a*b', 'x\\y', 'x\\\\y', 'q"u', "it's", 'a\nb', 'é', 'É', '😀', '1', '10', '05', 'a.b', 'a?b', '(a)'];
const text = fc.constantFrom(...texts);
const stringField = fc.constantFrom('A', 'B', 'C');
const anyField = fc.constantFrom('A', 'B', 'C', 'N', 'IP', 'D');
const cased = fc.boolean();

const wildcardPart: fc.Arbitrary<PatternPart> = fc.oneof(fc.constantFrom('a', 'b', 'A', '\\', '.', '*x', 'é', '😀', '\n'), fc.constant(STAR), fc.constant(ONE));
const regexes = ['a', '^a', 'b$', 'A', '.*', '^$', 'a|^', '\\\\', 'a.b', '(?i)É', '^\\d+$', 'a\\nb', '"', "'"];
const networks = ['10.0.0.0/8', '192.168.1.0/24', '1.2.3.4', 'fe80::/10', '::1/128', '2001:db8::/32'];

const predicate: fc.Arbitrary<Pred> = fc.oneof(
  fc.tuple(stringField, text, cased).map(([field, value, c]) => pred({ op: 'eq', field, value, cased: c })),
  fc.tuple(fc.constantFrom('contains', 'startswith', 'endswith') as fc.Arbitrary<'contains' | 'startswith' | 'endswith'>, stringField, fc.oneof(text, fc.constant('')), cased).map(
    ([op, field, value, c]) => pred({ op, field, value, cased: c }),
  ),
  fc.tuple(stringField, text, cased).map(([field, value, c]) => pred({ op: 'has', field, value, cased: c })),
  fc.tuple(stringField, fc.array(wildcardPart, { minLength: 1, maxLength: 5 }), cased).map(([field, parts, c]) => stringPred(field, pattern(parts), c)),
  fc.tuple(stringField, fc.constantFrom(...regexes), cased, fc.boolean(), fc.boolean()).map(([field, p, c, m, s]) =>
    pred({ op: 're', field, value: { pattern: p, flags: { m, s } }, cased: c }),
  ),
  fc.tuple(fc.constantFrom(...networks)).map(([network]) => pred({ op: 'cidr', field: 'IP', value: { network, family: network.includes(':') ? 6 : 4 } })),
  fc.tuple(fc.integer({ min: -1, max: 12 })).map(([value]) => pred({ op: 'eq', field: 'N', value })),
  fc.tuple(fc.constantFrom('5', '05', '10', 'x')).map(([value]) => pred({ op: 'eq', field: 'N', value })),
  fc.tuple(fc.constantFrom('1', '0')).map(([value]) => pred({ op: 'contains', field: 'N', value })),
  fc.tuple(fc.constantFrom('lt', 'lte', 'gt', 'gte') as fc.Arbitrary<'lt' | 'lte' | 'gt' | 'gte'>, fc.integer({ min: -1, max: 12 })).map(([op, value]) => pred({ op, field: 'N', value })),
  fc.tuple(fc.constantFrom('exists', 'null') as fc.Arbitrary<'exists' | 'null'>, anyField).map(([op, field]) => pred({ op, field })),
  fc.tuple(stringField, stringField, fc.constantFrom('eq', 'contains', 'startswith', 'endswith') as fc.Arbitrary<'eq' | 'contains' | 'startswith' | 'endswith'>, cased).map(
    ([field, other, match, c]) => pred({ op: 'fieldref', field, value: { field: other, match }, cased: c }),
  ),
  fc.tuple(text, cased).map(([value, c]) => pred({ op: 'contains', field: null, value, cased: c })),
  fc.tuple(fc.array(wildcardPart, { minLength: 1, maxLength: 4 })).map(([parts]) => stringPred(null, pattern([STAR, ...parts, STAR]), false)),
  fc.tuple(fc.integer({ min: 0, max: 23 })).map(([value]) => pred({ op: 'eq', field: 'D', value, timePart: 'hour' })),
);

const expression: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((args) => and(...args)),
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((args) => or(...args)),
    tie('expr').map((e) => not(e)),
  ),
})).expr;

const ips = ['10.1.2.3', '192.168.1.7', '192.168.2.7', '1.2.3.4', 'fe80::1', '::1', '0:0:0:0:0:0:0:1', '2001:db8::5', 'not-an-ip'];
const dates = ['2024-01-02T03:04:05Z', '2024-06-30T23:59:59Z', '2023-12-31T00:00:00Z'];

const event: fc.Arbitrary<Event> = fc.record(
  {
    A: text,
    B: text,
    C: text,
    N: fc.integer({ min: -1, max: 12 }),
    IP: fc.constantFrom(...ips),
    D: fc.constantFrom(...dates),
  },
  { requiredKeys: [] },
);

/** The Kusto row for an event: a missing string column reads as "", other types as null. */
function row(e: Event): Row {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return { A: s('A'), B: s('B'), C: s('C'), IP: s('IP'), N: typeof e.N === 'number' ? e.N : null, D: typeof e.D === 'string' ? e.D : null };
}

function agree(expr: Expr, events: readonly Event[], bare: boolean): void {
  const kql = render(expr, bare);
  const cond = condition(`T | where ${kql}`);
  for (const e of events) {
    const expected = evaluate(expr, e);
    const actual = evalKql(cond, row(e)) === true;
    if (expected !== actual) {
      assert.fail(`IR and KQL disagree\nIR:    ${dumpIr(expr).replace(/\s+/g, ' ')}\nKQL:   ${kql}\nevent: ${JSON.stringify(e)}\nIR says ${expected}, KQL says ${actual}`);
    }
  }
}

describe('kql semantics: the rendered KQL selects exactly the events the IR selects', () => {
  it('typed columns (a pipeline with a table schema): random expressions × random events', () => {
    fc.assert(
      fc.property(expression, fc.array(event, { minLength: 12, maxLength: 12 }), (expr, events) => agree(expr, events, false)),
      { numRuns: 600 },
    );
  });

  it('without a pipeline (-p none): string fields and numeric comparisons', () => {
    // Without a schema rulecast cannot know N is numeric: only numeric predicates use it here.
    const numericOnly = (p: Pred) => p.field !== 'N' || (p.op === 'eq' && typeof p.value === 'number') || ['lt', 'lte', 'gt', 'gte', 'exists', 'null'].includes(p.op);
    const untyped = expression.filter((e) => predicates(e).every(numericOnly));
    fc.assert(
      fc.property(untyped, fc.array(event, { minLength: 12, maxLength: 12 }), (expr, events) => agree(expr, events, true)),
      { numRuns: 300 },
    );
  });

  it("F: '' is isempty(F): an empty and a missing string are one value in Kusto (documented divergence)", () => {
    const kql = render(pred({ op: 'eq', field: 'A', value: '' }), false);
    assert.equal(kql, 'isempty(A)');
    const cond = condition(`T | where ${kql}`);
    // Sigma: '' matches the empty string, not a missing field; Kusto cannot tell them apart.
    assert.equal(evaluate(pred({ op: 'eq', field: 'A', value: '' }), { A: '' }), true);
    assert.equal(evalKql(cond, row({ A: '' })), true);
    assert.equal(evaluate(pred({ op: 'eq', field: 'A', value: '' }), {}), false);
    assert.equal(evalKql(cond, row({})), true);
  });

  it('the null guard is what keeps a negated comparison on a missing value (not(null) drops the row)', () => {
    const expr = not(pred({ op: 'gt', field: 'N', value: 5 }));
    const kql = render(expr, false);
    assert.equal(kql, 'not(isnotnull(N) and N > 5)');
    assert.equal(evalKql(condition(`T | where ${kql}`), row({})), true);
    assert.equal(evaluate(expr, {}), true);
    // Without the guard Kusto would drop the event Sigma keeps:
    assert.equal(evalKql(condition('T | where not(N > 5)'), row({})), null);
    const cidr = not(pred({ op: 'cidr', field: 'IP', value: { network: '10.0.0.0/8', family: 4 } }));
    const cidrKql = render(cidr, false);
    assert.equal(cidrKql, 'not(isnotnull(ipv4_is_in_range(IP, "10.0.0.0/8")) and ipv4_is_in_range(IP, "10.0.0.0/8"))');
    for (const ip of ['fe80::1', 'not-an-ip', undefined]) {
      const e = ip === undefined ? {} : { IP: ip };
      assert.equal(evalKql(condition(`T | where ${cidrKql}`), row(e)) === true, evaluate(cidr, e), `IP ${ip}`);
    }
  });
});
