import { strict as assert } from 'node:assert';
import { satisfiable, type SatResult } from '../../src/analysis/satisfiable.js';
import { and, not, or, pred } from '../../src/ir/build.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import type { Expr } from '../../src/ir/types.js';
import { compileExclusion } from '../../src/lower/exclusion.js';
import { dumpIr } from '../../src/ir/dump.js';

const printExpr = (e: Expr) => JSON.stringify(JSON.parse(dumpIr(e)));

/** The exclusion language is a convenient way to write any expression of the fragment. */
const x = (text: string): Expr => compileExclusion(text).expr;

/** Every `sat` claim must come with a witness the evaluator accepts. */
function decide(expr: Expr, options = {}): SatResult {
  const r = satisfiable(expr, options);
  if (r.status === 'sat') assert.ok(evaluate(expr, r.witness), `witness ${JSON.stringify(r.witness)} must satisfy the expression`);
  return r;
}

describe('satisfiable: one field, the exact fragment (known answers)', () => {
  const table: [string, 'sat' | 'unsat'][] = [
    // prefixes and suffixes
    ['f startswith "ab" AND f endswith "b"', 'sat'], // "ab" itself, or "ab_b"
    ['f startswith "ab" AND f startswith "a"', 'sat'],
    ['f startswith "ab" AND f startswith "ac"', 'unsat'],
    ['f endswith "bc" AND f endswith "ac"', 'unsat'],
    ['f startswith "a" AND f startswith "ba"', 'unsat'], // the shorter one first
    ['f endswith "b" AND f endswith "aa"', 'unsat'],
    ['f startswith "a" AND NOT f startswith "ab"', 'sat'],
    ['f startswith "ab" AND NOT f startswith "a"', 'unsat'],
    ['f endswith "bc" AND NOT f endswith "c"', 'unsat'],
    ['f endswith "c" AND NOT f endswith "bc"', 'sat'],
    ['f startswith "abc" AND f endswith "cde" AND NOT f contains "abcde"', 'sat'], // "abc_cde"
    // contains
    ['f contains "x" AND NOT f contains "xy"', 'sat'],
    ['f contains "xy" AND NOT f contains "x"', 'unsat'],
    ['f contains "abc" AND NOT f contains "b"', 'unsat'],
    ['f startswith "ab" AND f contains "cd" AND NOT f contains "bc"', 'sat'], // a value need not join them
    ['f startswith "ab" AND NOT f contains "b"', 'unsat'],
    ['f endswith "ab" AND NOT f contains "a"', 'unsat'],
    ['f startswith "a" AND NOT f contains ""', 'unsat'], // every value contains ""
    ['f startswith "a" AND NOT f startswith ""', 'unsat'],
    ['f startswith "a" AND NOT f endswith ""', 'unsat'],
    ['NOT f contains ""', 'sat'], // a missing field
    ['f exists AND NOT f contains ""', 'sat'], // a field present with null
    // equality
    ['f == "ab" AND f startswith "abc"', 'unsat'],
    ['f == "abc" AND f startswith "ab" AND f endswith "bc" AND f contains "b"', 'sat'],
    ['f == "a" AND f == "A"', 'sat'], // case-insensitive
    ['f == "nbtscan.exe" AND f == "nbtscan"', 'unsat'],
    ['f in ("a", "b") AND f != "a" AND f != "b"', 'unsat'],
    ['f in ("a", "b", "c") AND f != "a" AND f != "b"', 'sat'],
    ['f != "a" AND f != "b" AND f exists', 'sat'],
    ['f == "a.exe" AND NOT f contains "A"', 'unsat'],
    ['f == "a*" AND f endswith "*"', 'sat'], // a star is a literal
    // presence
    ['NOT f exists AND f != "x"', 'sat'],
    ['NOT f exists AND f == "x"', 'unsat'],
    ['NOT f exists AND f exists', 'unsat'],
    ['NOT f exists AND NOT f contains "x"', 'sat'],
    // case-sensitive
    ['f ==_cs "a" AND f ==_cs "A"', 'unsat'],
    ['f contains_cs "A" AND NOT f contains_cs "a"', 'sat'],
    ['f startswith_cs "Ab" AND f startswith_cs "AB"', 'unsat'],
    ['f ==_cs "Ab" AND f == "aB"', 'sat'],
    ['f ==_cs "Ab" AND f != "ab"', 'unsat'],
    ['f == "nbtscan.exe" AND f !=_cs "nbtscan.exe"', 'sat'], // "Nbtscan.exe"
    ['f contains "scan" AND NOT f contains_cs "scan"', 'sat'], // "_SCAN_"
    // numbers: == compares numbers (the event's text is read as a number)
    ['n == 5 AND n == 6', 'unsat'],
    ['n == 5 AND n == 5.0', 'sat'],
    ['n == 5 AND n != 5', 'unsat'],
    ['n == 5 AND n != "5"', 'sat'], // " 5", "5.0"…
    ['n == 5 AND n == "05"', 'sat'],
    ['n == 5 AND n == "6"', 'unsat'],
    ['n != 5 AND n exists', 'sat'],
  ];
  for (const [text, expected] of table) {
    it(`${text} → ${expected}`, () => {
      assert.equal(decide(x(text)).status, expected);
    });
  }

  it('gives readable witnesses built from the values (σ = "_")', () => {
    const r = decide(x('f startswith "ab" AND f contains "cd" AND f endswith "ef"'));
    assert.deepEqual(r, { status: 'sat', witness: { f: 'ab_cd_ef' } });
    const absent = decide(x('f != "a"'));
    assert.deepEqual(absent, { status: 'sat', witness: {} });
  });

  it('picks a separator that occurs in no value of the field', () => {
    const r = decide(x('f startswith "a_" AND f contains "~b" AND NOT f contains "a_~"'));
    assert.equal(r.status, 'sat');
    assert.equal((r as { witness: Event }).witness.f, 'a_#~b#');
  });

  it('explains a contradiction with the literals involved', () => {
    const r = decide(x('process.name == "nbtscan.exe" AND process.name != "nbtscan.exe"'));
    assert.deepEqual(r, { status: 'unsat', conflicts: ['process.name == "nbtscan.exe" contradicts process.name != "nbtscan.exe"'] });
    const e = decide(x('f startswith "a" AND NOT f contains ""'));
    assert.deepEqual(e, { status: 'unsat', conflicts: ['NOT f contains "" never holds on a present value, and f startswith "a" needs one'] });
  });
});

describe('satisfiable: null, booleans and several fields', () => {
  const f = (op: 'exists' | 'null') => pred({ op, field: 'f' });
  const eq = (value: string | number | boolean, cased = false) => pred({ op: 'eq', field: 'f', value, cased });
  const cases: [string, Expr, 'sat' | 'unsat'][] = [
    ['null AND == "x"', and(f('null'), eq('x')), 'unsat'],
    ['null AND exists (present null)', and(f('null'), f('exists')), 'sat'],
    ['NOT null AND NOT contains ""', and(not(f('null')), not(pred({ op: 'contains', field: 'f', value: '' }))), 'unsat'],
    ['NOT null AND NOT exists', and(not(f('null')), not(f('exists'))), 'unsat'],
    ['== true AND == "TRUE"', and(eq(true), eq('TRUE')), 'sat'],
    ['== true AND == false', and(eq(true), eq(false)), 'unsat'],
    ['== true AND != "true"', and(eq(true), not(eq('true'))), 'unsat'],
    ['== true AND == 1', and(eq(true), eq(1)), 'unsat'],
    ['== true AND NOT contains_cs "t"', and(eq(true), not(pred({ op: 'contains', field: 'f', value: 't', cased: true }))), 'sat'],
  ];
  for (const [name, expr, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(decide(expr).status, expected);
    });
  }

  it('treats fields independently, and a keyword-free conjunct per field', () => {
    assert.equal(decide(x('a == "1" AND b == "2" AND a != "2" AND b != "1"')).status, 'sat');
    assert.equal(decide(x('(a == "1" OR b == "1") AND a != "1" AND b != "1"')).status, 'unsat');
    assert.equal(decide(x('(a == "1" OR b == "1") AND a != "1"')).status, 'sat');
  });
});

describe('satisfiable: outside the fragment', () => {
  it('is unknown for a regular expression it cannot decide, and says so', () => {
    const r = decide(x('f matches "^a+b$" AND f != "ab"'));
    assert.equal(r.status, 'unknown');
    assert.deepEqual((r as unknown as { reasons: string[] }).reasons, ['f matches "^a+b$" is outside the analysed fragment (a regular expression)']);
  });

  it('decides when the analysable part is already contradictory', () => {
    assert.equal(decide(x('f matches "x" AND g == "1" AND g == "2"')).status, 'unsat');
    // a positive predicate of any kind needs the field present
    assert.equal(decide(x('f matches "x" AND NOT f exists')).status, 'unsat');
  });

  it('decides when a candidate value passes the evaluator', () => {
    assert.deepEqual(decide(x('f matches "nbtscan" AND f contains "scan"')), { status: 'sat', witness: { f: 'nbtscan' } });
    // negated: a missing field satisfies it
    assert.deepEqual(decide(x('NOT f matches "x" AND g == "1"')), { status: 'sat', witness: { g: '1' } });
    const w = pred({ op: 'wildcard', field: 'Image', value: { parts: ['C:\\', { wildcard: '*' }, '\\nbtscan.exe'] } });
    assert.deepEqual(decide(and(w, pred({ op: 'endswith', field: 'Image', value: '\\nbtscan.exe' }))), { status: 'sat', witness: { Image: 'C:\\\\nbtscan.exe' } });
    assert.equal(decide(pred({ op: 'gt', field: 'n', value: 3 })).status, 'sat');
    assert.equal(decide(pred({ op: 'cidr', field: 'ip', value: { network: '10.0.0.0/8', family: 4 } })).status, 'sat');
  });

  it('is unknown for a number with text comparisons it cannot spell, rightly: a solution exists', () => {
    // asNumber("4.99999999999999999") is 5, and that text has no "5": satisfiable, but not by
    // any spelling the analysis tries, so it must not answer unsat.
    const expr = x('n == 5 AND NOT n contains "5"');
    assert.equal(decide(expr).status, 'unknown');
    assert.equal(evaluate(expr, { n: '4.99999999999999999' }), true);
  });

  it('is unknown for case-sensitive and case-insensitive values it cannot combine, rightly: Unicode case is not one-to-one', () => {
    const expr = x('f == "θ" AND f !=_cs "θ" AND f !=_cs "Θ"');
    assert.equal(decide(expr).status, 'unknown');
    assert.equal(evaluate(expr, { f: 'ϴ' }), true); // GREEK CAPITAL THETA SYMBOL folds to θ too
  });

  it('keywords (a value searched in every field): satisfiable through a witness field, else unknown', () => {
    const kw = (value: string) => pred({ op: 'contains', field: null, value });
    assert.deepEqual(decide(and(kw('evil'), x('f == "1"'))), { status: 'sat', witness: { f: '1', keywords: '_evil_' } });
    const r = decide(and(kw('ab'), not(kw('b'))));
    assert.equal(r.status, 'unknown');
    assert.match((r as unknown as { reasons: string[] }).reasons[0]!, /^keyword contains "ab" is outside the analysed fragment \(a keyword, searched in every field\)$/);
  });

  it('stops at the conjunct limit with unknown, and decides below it', () => {
    const choices = Array.from({ length: 12 }, (_, i) => x(`x${i} in ("a", "b")`));
    const contradictory = and(...choices, x('g == "1"'), x('g == "2"'));
    assert.equal(decide(contradictory).status, 'unsat'); // 4096 conjuncts, all explored
    const limited = decide(contradictory, { maxConjuncts: 100 });
    assert.equal(limited.status, 'unknown');
    assert.match((limited as unknown as { reasons: string[] }).reasons[0]!, /more than 100 alternatives in disjunctive normal form/);
    // a satisfiable one is found at once, whatever its size
    assert.equal(decide(and(...choices), { maxConjuncts: 2 }).status, 'sat');
  });

  it('handles constants', () => {
    assert.equal(decide(or(and(x('a == "1"'), pred({ op: 'eq', field: 'a', value: '2' })), not(x('b exists')))).status, 'sat');
    assert.equal(satisfiable({ kind: 'const', value: false }).status, 'unsat');
    assert.equal(satisfiable(not({ kind: 'const', value: false })).status, 'sat');
  });
});

describe('satisfiable: cross-check against brute force over small events', () => {
  // A deterministic generator of random expressions over one or two fields and a small alphabet.
  let seed = 20240611;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const values = ['', 'a', 'b', 'ab', 'ba', 'aa', 'A', 'aB', 'bab'];
  const atom = (fields: readonly string[], casedAllowed: boolean): Expr => {
    const field = pick(fields);
    const kind = rand(10);
    if (kind === 0) return pred({ op: 'exists', field });
    if (kind === 1) return pred({ op: 'null', field });
    if (kind === 2) return pred({ op: 'eq', field, value: pick([1, 2]) });
    const op = pick(['eq', 'contains', 'startswith', 'endswith'] as const);
    return pred({ op, field, value: pick(values), cased: casedAllowed && rand(3) === 0 });
  };
  const literal = (fields: readonly string[], casedAllowed: boolean): Expr => (rand(3) === 0 ? not(atom(fields, casedAllowed)) : atom(fields, casedAllowed));
  /** A conjunction of 2 to 5 parts, each a literal or a small and/or (possibly negated) of literals:
   *  the shape of `detection AND NOT exclusion`, with satisfiable and contradictory cases alike. */
  const gen = (fields: readonly string[], casedAllowed: boolean): Expr => {
    const parts = Array.from({ length: 2 + rand(4) }, () => {
      if (rand(3) > 0) return literal(fields, casedAllowed);
      const inner = Array.from({ length: 2 + rand(2) }, () => literal(fields, casedAllowed));
      const node = rand(2) === 0 ? and(...inner) : or(...inner);
      return rand(3) === 0 ? not(node) : node;
    });
    return and(...parts);
  };
  // Every string over {a, b, A, B, _} up to length 4, numbers' spellings, and absent / null.
  const pool: (string | null | undefined)[] = [undefined, null, '1', '01', '1.0', '2', '3'];
  const grow = (prefix: string, n: number) => {
    pool.push(prefix);
    if (n > 0) for (const c of ['a', 'b', 'A', 'B', '_']) grow(prefix + c, n - 1);
  };
  grow('', 4);
  const smallPool = pool.filter((v) => typeof v !== 'string' || v.length <= 2);
  const events = (fields: readonly string[], values: readonly (string | null | undefined)[]): Event[] => {
    let out: Record<string, unknown>[] = [{}];
    for (const f of fields) out = out.flatMap((e) => values.map((v) => (v === undefined ? e : { ...e, [f]: v })));
    return out;
  };
  const oneField = events(['f'], pool);
  const twoFields = events(['f', 'g'], smallPool);

  const run = (count: number, fields: readonly string[], casedAllowed: boolean, space: Event[]) => {
    const tally = { sat: 0, unsat: 0, unknown: 0 };
    for (let i = 0; i < count; i++) {
      const expr = gen(fields, casedAllowed);
      const r = decide(expr);
      tally[r.status]++;
      if (r.status === 'unsat') {
        const counter = space.find((e) => evaluate(expr, e));
        assert.equal(counter, undefined, `claimed unsatisfiable, but ${JSON.stringify(counter)} satisfies it`);
      }
      // Inside the fragment the only unknowns: numbers with text comparisons (the spellings of a
      // number are not enumerated) and mixed case-sensitivity.
      if (r.status === 'unknown' && !r.reasons.every((m) => / together with text comparisons of /.test(m))) {
        assert.ok(casedAllowed, `without mixed case-sensitivity the fragment is always decided: ${printExpr(expr)} → ${JSON.stringify(r)}`);
      }
    }
    return tally;
  };

  it('1500 one-field expressions, case-insensitive: decided (numbers with text aside), never wrong', () => {
    const t = run(1500, ['f'], false, oneField);
    assert.ok(t.unknown < 50, JSON.stringify(t));
    assert.ok(t.sat > 100 && t.unsat > 100, JSON.stringify(t));
  });

  it('1500 one-field expressions with case-sensitive literals: never wrong', () => {
    const t = run(1500, ['f'], true, oneField);
    assert.ok(t.sat > 100 && t.unsat > 100, JSON.stringify(t));
  });

  it('3000 conjunctions of string literals on one field: always decided, never wrong', () => {
    const tally = { sat: 0, unsat: 0, unknown: 0 };
    for (let i = 0; i < 3000; i++) {
      const lits = Array.from({ length: 2 + rand(3) }, () => {
        const p = pred({ op: pick(['eq', 'contains', 'startswith', 'endswith'] as const), field: 'f', value: pick(values) });
        return rand(3) === 0 ? not(p) : p;
      });
      const expr = and(...lits);
      const r = decide(expr);
      tally[r.status]++;
      assert.notEqual(r.status, 'unknown', printExpr(expr));
      if (r.status === 'unsat') {
        const counter = oneField.find((e) => evaluate(expr, e));
        assert.equal(counter, undefined, `claimed unsatisfiable, but ${JSON.stringify(counter)} satisfies ${printExpr(expr)}`);
      }
    }
    assert.ok(tally.sat > 300 && tally.unsat > 300, JSON.stringify(tally));
  });

  it('300 two-field expressions: never wrong', () => {
    const t = run(300, ['f', 'g'], true, twoFields);
    assert.ok(t.sat > 20 && t.unsat > 20, JSON.stringify(t));
  });
});
