import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { and, not, or, pred, TRUE } from '../../src/ir/build.js';
import { dumpIr } from '../../src/ir/dump.js';
import { evaluate } from '../../src/ir/evaluate.js';
import type { Expr } from '../../src/ir/types.js';
import { compileExclusion } from '../../src/lower/exclusion.js';
import { printExclusion } from '../../src/ir/print.js';
import { expectGolden } from '../support/golden.js';
import { testData } from '../support/paths.js';

const goldenRoot = testData('exclusions', 'golden');
const cases = readdirSync(goldenRoot).sort();

describe('exclusion language: golden cases (filter.txt → ir.json, printed.txt, warnings.txt)', () => {
  for (const name of cases) {
    const dir = join(goldenRoot, name);
    it(name, () => {
      const text = readFileSync(join(dir, 'filter.txt'), 'utf8').replace(/\n$/, '');
      const lowered = compileExclusion(text, 'filter.txt');
      expectGolden(join(dir, 'ir.json'), dumpIr(lowered.expr));
      const printed = printExclusion(lowered.expr);
      expectGolden(join(dir, 'printed.txt'), `${printed}\n`);
      expectGolden(join(dir, 'warnings.txt'), lowered.diagnostics.map((d) => `${formatDiagnostic(d)}\n`).join('\n'));

      // Round trip: IR → text → IR gives the same tree, and printing is stable.
      const again = compileExclusion(printed, 'printed.txt');
      assert.equal(dumpIr(again.expr), dumpIr(lowered.expr));
      assert.equal(printExclusion(again.expr), printed);
      // The printed form is fully parenthesised: it never needs a precedence warning.
      assert.deepEqual(
        again.diagnostics.map((d) => d.code),
        [],
      );
    });
  }
});

describe('exclusion language: the seed filters fully parenthesised', () => {
  const expected: [string, string][] = [
    ['seed-1-scheduled-inventory', '(process.name != "nbtscan" OR process.parent.name == "task scheduler" OR process.args contains "inventory")'],
    ['seed-2-discovery-tool', '(process.name == "nbtscan" AND (process.args contains "scan" OR process.args contains "discovery"))'],
    ['seed-3-netbios-check', '(process.name == "nbtscan" AND process.parent.name == "cmd.exe" AND (process.args contains "check" OR process.args contains "status"))'],
    ['seed-4-patch-management', '((process.name == "nbtscan" AND process.parent.name contains "SCCM") OR process.args contains "patch")'],
    ['seed-5-ad-enumeration', '((process.name == "nbtscan" AND process.parent.name contains "ADInsight") OR (process.args contains "AD" OR process.args contains "domain"))'],
  ];
  for (const [name, printed] of expected) {
    it(name, () => {
      const text = readFileSync(join(goldenRoot, name, 'filter.txt'), 'utf8');
      assert.equal(printExclusion(compileExclusion(text).expr), printed);
    });
  }
});

/** IR as a compact S-expression for table tests: (and (eq f "x") (not (contains g "y"))). */
function sexpr(text: string): string {
  const show = (j: unknown): string => {
    const o = j as Record<string, unknown>;
    if ('and' in o) return `(and ${(o.and as unknown[]).map(show).join(' ')})`;
    if ('or' in o) return `(or ${(o.or as unknown[]).map(show).join(' ')})`;
    if ('not' in o) return `(not ${show(o.not)})`;
    const value = o.value === undefined ? '' : ` ${JSON.stringify(o.value)}`;
    return `(${o.op}${o.cased ? '_cs' : ''} ${o.field}${value})`;
  };
  return show(JSON.parse(dumpIr(compileExclusion(text).expr)));
}

describe('exclusion language: precedence and the value shorthand', () => {
  const table: [string, string, string[]][] = [
    // [filter, IR, warning codes]
    ['A == "a" AND f contains "x" OR "y"', '(and (eq A "a") (or (contains f "x") (contains f "y")))', ['mixed-and-or', 'value-shorthand']],
    ['f contains "x" OR "y" AND A == "a"', '(and (or (contains f "x") (contains f "y")) (eq A "a"))', ['mixed-and-or', 'value-shorthand']],
    ['A == "a" OR B == "b" AND C == "c"', '(or (eq A "a") (and (eq B "b") (eq C "c")))', ['mixed-and-or']],
    ['A == "a" AND B == "b" OR C == "c"', '(or (and (eq A "a") (eq B "b")) (eq C "c"))', ['mixed-and-or']],
    ['NOT A == "a" AND B == "b"', '(and (not (eq A "a")) (eq B "b"))', []],
    ['NOT (A == "a" AND B == "b")', '(not (and (eq A "a") (eq B "b")))', []],
    ['NOT NOT A exists', '(not (not (exists A)))', []],
    ['f contains "a" AND "b"', '(and (contains f "a") (contains f "b"))', ['value-shorthand']],
    ['f contains ("a" OR "b")', '(or (contains f "a") (contains f "b"))', []],
    ['f contains ("a" AND "b")', '(and (contains f "a") (contains f "b"))', []],
    ['f contains "a" AND "b" OR "c"', '(or (and (contains f "a") (contains f "b")) (contains f "c"))', ['mixed-and-or', 'value-shorthand']],
    ['f contains "a" OR "b" OR "c"', '(or (contains f "a") (contains f "b") (contains f "c"))', ['value-shorthand']],
    ['f == "a" OR "b"', '(or (eq f "a") (eq f "b"))', ['value-shorthand']],
    ['NOT f contains "a" OR "b"', '(not (or (contains f "a") (contains f "b")))', ['value-shorthand']],
    ['A == "a" OR f contains "x" AND "y"', '(or (eq A "a") (and (contains f "x") (contains f "y")))', ['mixed-and-or', 'value-shorthand']],
    ['f contains "x" OR g contains "y"', '(or (contains f "x") (contains g "y"))', []],
    ['(A == "a" OR B == "b") AND C == "c"', '(and (or (eq A "a") (eq B "b")) (eq C "c"))', []],
    ['A == "a" AND (f contains "x" OR "y")', '(and (eq A "a") (or (contains f "x") (contains f "y")))', ['value-shorthand']],
    ['a == "1" and b == "2" Or c == "3"', '(or (and (eq a "1") (eq b "2")) (eq c "3"))', ['mixed-and-or']],
    ['f in ("a", "b")', '(or (eq f "a") (eq f "b"))', []],
    ['f in ("a")', '(eq f "a")', []],
    ['f in_cs ("a", 1)', '(or (eq_cs f "a") (eq_cs f 1))', []],
    ['f != "a"', '(not (eq f "a"))', []],
    ['f !=_cs "a"', '(not (eq_cs f "a"))', []],
    ['f == 5', '(eq f 5)', []],
    ['f contains 5', '(contains f "5")', []],
    ['f == "5"', '(eq f "5")', []],
    ['f == "a*"', '(eq f "a*")', []],
    ['f CONTAINS "a"', '(contains f "a")', []],
    ['f Contains_CS "a"', '(contains_cs f "a")', []],
    ['user.name exists', '(exists user.name)', []],
    ['NOT user.name exists', '(not (exists user.name))', []],
    ['f matches "a.*b"', '(re f {"pattern":"a.*b","flags":""})', []],
    ['f matches_cs "a.*b"', '(re_cs f {"pattern":"a.*b","flags":""})', []],
    ['ANDroid == "x" AND ORacle == "y" AND NOTes == "z"', '(and (eq ANDroid "x") (eq ORacle "y") (eq NOTes "z"))', []],
    ['process.parent.name endswith "\\\\cmd.exe"', '(endswith process.parent.name "\\\\cmd.exe")', []],
  ];
  for (const [filter, ir, codes] of table) {
    it(filter, () => {
      assert.equal(sexpr(filter), ir);
      assert.deepEqual(
        compileExclusion(filter).diagnostics.map((d) => d.code),
        codes,
      );
    });
  }

  it('the mixed-and-or warning shows the filter fully parenthesised', () => {
    const d = compileExclusion('A == "a" AND f contains "x" OR "y"').diagnostics[0]!;
    assert.equal(d.code, 'mixed-and-or');
    assert.match(d.message, /reads as: \(A == "a" AND \(f contains "x" OR f contains "y"\)\)$/);
  });

  it('spans run from the field to each predicate\'s own value, in the enclosing file', () => {
    const text = 'process.args contains "scan" OR "discovery"';
    const expr = compileExclusion(text, 'x.txt').expr;
    assert.equal(expr.kind, 'or');
    const [a, b] = (expr as unknown as { args: { span: { start: number; end: number } }[] }).args;
    assert.equal(text.slice(a!.span.start, a!.span.end), 'process.args contains "scan"');
    assert.equal(text.slice(b!.span.start, b!.span.end), 'process.args contains "scan" OR "discovery"');
  });
});

describe('exclusion language: errors with code frames', () => {
  const errorRoot = testData('exclusions', 'errors');
  for (const name of readdirSync(errorRoot).sort()) {
    const dir = join(errorRoot, name);
    it(name, () => {
      const code = name.split('--')[0]!;
      const text = readFileSync(join(dir, 'filter.txt'), 'utf8').replace(/\n$/, '');
      let thrown: unknown;
      try {
        compileExclusion(text, 'filter.txt');
      } catch (err) {
        thrown = err;
      }
      assert.ok(isRulecastError(thrown), 'the filter must be refused');
      assert.equal(thrown.code, code);
      const formatted = [formatDiagnostic(thrown.diagnostic)];
      expectGolden(join(dir, 'error.txt'), `${formatted.join('\n\n')}\n`);
    });
  }
});

describe('exclusion language: meaning on events (through the evaluator)', () => {
  const table: [string, Record<string, unknown>, boolean][] = [
    ['f != "a"', {}, true], // a missing field satisfies !=
    ['f != "a"', { f: 'A' }, false], // case-insensitive
    ['f !=_cs "a"', { f: 'A' }, true],
    ['f == "ABC"', { f: 'abc' }, true],
    ['f ==_cs "ABC"', { f: 'abc' }, false],
    ['f contains "a*"', { f: 'xa*y' }, true], // a star is literal
    ['f contains "a*"', { f: 'xaby' }, false],
    ['f startswith "C:\\\\Tools"', { f: 'c:\\tools\\nbtscan.exe' }, true],
    ['f endswith_cs ".EXE"', { f: 'a.exe' }, false],
    ['f matches "^nbt.*\\\\.exe$"', { f: 'NBTSCAN.EXE' }, true], // case-insensitive by default
    ['f matches_cs "^nbt"', { f: 'NBTSCAN.EXE' }, false],
    ['f in ("a", "b")', { f: 'B' }, true],
    ['f in_cs ("a", "b")', { f: 'B' }, false],
    ['f exists', { f: null }, true],
    ['NOT f exists', {}, true],
    ['n == 4688', { n: '4688' }, true],
    ['n == 4688', { n: 4688 }, true],
    ['n contains 46', { n: 4688 }, true],
    ['process.parent.name == "cmd.exe"', { process: { parent: { name: 'CMD.EXE' } } }, true], // nested ECS events
    ['process.args contains "scan" OR "discovery"', { 'process.args': '-r discovery' }, true],
    ['process.args contains "scan" AND "discovery"', { 'process.args': '-r discovery' }, false],
  ];
  for (const [filter, event, expected] of table) {
    it(`${filter} on ${JSON.stringify(event)} → ${expected}`, () => {
      assert.equal(evaluate(compileExclusion(filter).expr, event), expected);
    });
  }
});

describe('exclusion language: printing', () => {
  it('refuses what the language cannot say, naming it', () => {
    const cases: [Expr, RegExp][] = [
      [pred({ op: 'wildcard', field: 'f', value: { parts: ['a', { wildcard: '*' }, 'b'] } }), /a wildcard pattern cannot be written/],
      [pred({ op: 'contains', field: null, value: 'x' }), /a keyword \(a value searched in every field\) cannot be written/],
      [pred({ op: 'eq', field: 'Service Name', value: 'x' }), /the field name 'Service Name' cannot be written/],
      [pred({ op: 'eq', field: 'not', value: 'x' }), /the field name 'not' cannot be written/],
      [pred({ op: 're', field: 'f', value: { pattern: 'a', flags: { m: true, s: false } } }), /m or s flag/],
      [pred({ op: 'null', field: 'f' }), /a null test/],
      [pred({ op: 'eq', field: 'f', value: true }), /the boolean true/],
      [and(pred({ op: 'exists', field: 'f' }), TRUE), /the constant true/],
    ];
    for (const [expr, message] of cases) {
      assert.throws(() => printExclusion(expr), (err: unknown) => isRulecastError(err) && err.code === 'unprintable-exclusion' && message.test(err.message));
    }
  });

  it('round-trips 500 random expressions: IR → text → IR', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const chars = ['a', 'Z', ' ', '"', "'", '\\', '\n', '\t', '\r', '\u0001', '\u007f', 'é', '😀', '\ud800', '*', '?', '(', ')', ',', '\u2028', 'AND', 'or'];
    const str = () => Array.from({ length: rand(5) }, () => pick(chars)).join('');
    const fields = ['f', 'process.name', 'process.parent.name', 'user.name', 'Image', '_x-1.y_2', 'ANDroid', 'notes.a'];
    const leaf = (): Expr => {
      const field = pick(fields);
      const cased = rand(3) === 0;
      switch (rand(6)) {
        case 0:
          return pred({ op: 'eq', field, value: rand(2) ? str() : pick([0, -1, 2.5, 1e21, 1e-7, 4688, -0.001]), cased });
        case 1:
          return pred({ op: 'exists', field });
        case 2:
          return pred({ op: 're', field, value: { pattern: pick(['a.*b', '^x$', '\\d+', '(?i)q', 'a"b\\\\c']), flags: { m: false, s: false } }, cased });
        default:
          return pred({ op: pick(['contains', 'startswith', 'endswith'] as const), field, value: str(), cased });
      }
    };
    const gen = (depth: number): Expr => {
      if (depth === 0 || rand(3) === 0) return rand(4) === 0 ? not(leaf()) : leaf();
      const args = Array.from({ length: 2 + rand(3) }, () => gen(depth - 1));
      const node = rand(2) ? and(...args) : or(...args);
      return rand(4) === 0 ? not(node) : node;
    };
    for (let i = 0; i < 500; i++) {
      const expr = gen(4);
      const text = printExclusion(expr);
      const again = compileExclusion(text, 'printed.txt');
      assert.equal(dumpIr(again.expr), dumpIr(expr), text);
      assert.deepEqual(again.diagnostics, [], text);
    }
  });
});
