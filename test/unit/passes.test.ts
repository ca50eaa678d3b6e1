import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { and, FALSE, not, or, pred, stringPred, TRUE, withField } from '../../src/ir/build.js';
import { dumpIr, irKey, samePred } from '../../src/ir/dump.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { simplify } from '../../src/ir/passes.js';
import { parseSigmaString } from '../../src/ir/pattern.js';
import type { Expr, Pred } from '../../src/ir/types.js';

const eq = (field: string, value: string | number, cased = false): Pred => pred({ op: 'eq', field, value, cased });

describe('simplify', () => {
  it('flattens, folds constants, removes double negation and unwraps single operands', () => {
    const a = eq('A', 'a');
    const b = eq('B', 'b');
    assert.deepEqual(simplify(and(a, and(b, TRUE))), and(a, b));
    assert.equal(simplify(or(a, and(b, FALSE))), a);
    assert.equal(simplify(and(a, FALSE)), FALSE);
    assert.equal(simplify(or(a, TRUE)), TRUE);
    assert.equal(simplify(not(not(a))), a);
    assert.equal(simplify(not(TRUE)), FALSE);
  });

  it('keeps a node that is already simple (identity), and is idempotent', () => {
    const e = and(eq('A', 'a'), or(eq('B', 'b'), not(eq('C', 'c'))));
    assert.equal(simplify(e), e);
    const messy = or(and(eq('A', 'a'), TRUE), or(eq('A', 'a'), eq('B', 'b')));
    const once = simplify(messy);
    assert.equal(simplify(once), once);
  });

  it('removes duplicate predicates by value, in short groups and in long (indexed) lists alike', () => {
    for (const length of [3, 16, 17, 40, 300]) {
      const values = Array.from({ length }, (_, i) => `v${i}`);
      // Every value twice, the copy made separately (equal, not identical), after the threshold too.
      const args = [...values.map((v) => eq('F', v)), ...values.map((v) => eq('F', v))];
      const s = simplify(or(...args));
      assert.equal(s.kind === 'or' ? s.args.length : 1, length, `list of ${length}`);
      assert.deepEqual(s.kind === 'or' ? s.args.map((x) => (x as Extract<Pred, { op: 'eq' }>).value) : [], length > 1 ? values : []);
    }
  });

  it('never merges predicates that differ only in operator, field, case, value type or time part', () => {
    const distinct: Pred[] = [
      eq('F', '1'),
      eq('F', 1),
      eq('F', '1', true),
      eq('G', '1'),
      pred({ op: 'contains', field: 'F', value: '1' }),
      pred({ op: 'startswith', field: 'F', value: '1' }),
      pred({ op: 'eq', field: 'F', value: 1, timePart: 'hour' }),
      pred({ op: 'gt', field: 'F', value: 1 }),
      pred({ op: 'exists', field: 'F' }),
      pred({ op: 'null', field: 'F' }),
      pred({ op: 'contains', field: null, value: '1' }),
      stringPred('F', parseSigmaString('1*2?'), false),
      stringPred('F', parseSigmaString('1?2*'), false),
      pred({ op: 're', field: 'F', value: { pattern: '1', flags: { m: false, s: false } } }),
      pred({ op: 're', field: 'F', value: { pattern: '1', flags: { m: true, s: false } } }),
      pred({ op: 'cidr', field: 'F', value: { network: '10.0.0.0/8', family: 4 } }),
      pred({ op: 'fieldref', field: 'F', value: { field: 'G', match: 'eq' } }),
      pred({ op: 'fieldref', field: 'F', value: { field: 'G', match: 'contains' } }),
    ];
    // Short group, and the same padded past the indexing threshold.
    const padding = Array.from({ length: 20 }, (_, i) => eq('P', `p${i}`));
    for (const args of [distinct, [...padding, ...distinct]]) {
      const s = simplify(or(...args, ...args.map((p) => withField(p, `${p.field}-X`)), ...args));
      assert.equal(s.kind === 'or' ? s.args.length : 0, args.length * 2);
    }
    for (const a of distinct) for (const b of distinct) assert.equal(samePred(a, b), a === b || irKey(a) === irKey(b), `${irKey(a)} vs ${irKey(b)}`);
  });

  it('means what the expression meant, on random expressions and events', () => {
    const fields = ['A', 'B'];
    const values = ['x', 'y', 'X'];
    const leaf: fc.Arbitrary<Expr> = fc.oneof(
      fc.constantFrom(TRUE, FALSE),
      fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...values), fc.boolean()).map(([f, v, c]) => eq(f, v, c)),
      fc.tuple(fc.constantFrom(...fields), fc.constantFrom(...values)).map(([f, v]) => pred({ op: 'contains', field: f, value: v })),
      fc.constantFrom(...fields).map((f) => pred({ op: 'null', field: f })),
    );
    const expr = fc.letrec<{ e: Expr }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('e').map((e) => not(e)),
        fc.array(tie('e'), { minLength: 2, maxLength: 4 }).map((xs) => and(...xs)),
        fc.array(tie('e'), { minLength: 2, maxLength: 4 }).map((xs) => or(...xs)),
      ),
    })).e;
    const event = fc.record({ A: fc.option(fc.constantFrom(...values, 'xy'), { nil: undefined }), B: fc.option(fc.constantFrom(...values), { nil: undefined }) });
    fc.assert(
      fc.property(expr, fc.array(event, { minLength: 1, maxLength: 8 }), (e, events) => {
        const s = simplify(e);
        for (const ev of events) {
          const clean = Object.fromEntries(Object.entries(ev).filter(([, v]) => v !== undefined));
          assert.equal(evaluate(s, clean), evaluate(e, clean), `${dumpIr(e)} on ${JSON.stringify(clean)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
