// Property tests (fast-check): random strings as values and field names render to SPL that parses,
// and what the parser decodes is exactly the original (no value can leave its literal, no field
// name its quoting); where a value must be matched by regex, the query keeps exactly that value.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { pred, stringPred } from '../../src/ir/build.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { pattern } from '../../src/ir/pattern.js';
import { ONE, STAR } from '../../src/ir/types.js';
import type { Pred } from '../../src/ir/types.js';
import { evalField, quote, searchField } from '../../src/backends/spl/literals.js';
import { renderSpl } from '../support/render.js';
import { decodeSplString, parseSpl, parseSplEval, parseSplSearch, type SearchNode } from '../checkers/spl.js';
import { evaluateSpl } from '../support/spl-evaluator.js';

/** Strings rich in what breaks quoting: quotes, backslashes, wildcards, breakers, control
 *  characters, plus any Unicode. */
const tricky = fc
  .array(
    fc.oneof(
      fc.constantFrom('\\', '"', "'", '*', '?', '=', '|', '[', ']', '(', ')', ' ', '\n', '\t', '%', '_', '$', '`', ',', '!', '<', '>', 'AND', 'OR', 'NOT', 'IN', '\\"', '\\\\'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const fieldName = tricky.filter((s) => s !== '' && !/[\u0000-\u001f\u007f]/.test(s));

function firstCompare(node: SearchNode): Extract<SearchNode, { type: 'compare' }> | undefined {
  switch (node.type) {
    case 'compare':
      return node;
    case 'and':
    case 'or':
      return node.args.map(firstCompare).find((x) => x !== undefined);
    case 'not':
      return firstCompare(node.arg);
    case 'group':
      return firstCompare(node.expr);
    default:
      return undefined;
  }
}

const runs = { numRuns: 400 };

describe('spl backend: literals (property)', () => {
  it('a double-quoted literal decodes to the original string', () => {
    fc.assert(fc.property(tricky, (s) => decodeSplString(quote(s)) === s), runs);
  });

  it('a field name in a search parses back to itself (or has no search form)', () => {
    fc.assert(
      fc.property(fieldName, tricky, (name, value) => {
        const f = searchField(name);
        if (f === undefined) return name.includes('*');
        const node = firstCompare(parseSplSearch(`${f}=${quote(value.replace(/\*/g, ''))}`));
        return node !== undefined && node.field.name === name && node.value.value === value.replace(/\*/g, '');
      }),
      runs,
    );
  });

  it('a field name in an eval expression parses back to itself', () => {
    fc.assert(
      fc.property(fieldName, (name) => {
        const node = parseSplEval(`${evalField(name)}=="x"`);
        return node.type === 'compare' && node.left.type === 'field' && node.left.field.name === name;
      }),
      runs,
    );
  });

  it('F = value renders to SPL that parses, whose literal is the value, and that keeps exactly that value', () => {
    fc.assert(
      fc.property(fieldName, tricky, fc.boolean(), (field, value, cased) => {
        const p = pred({ op: 'eq', field, value, cased }) as Pred;
        const spl = renderSpl(p);
        const query = parseSpl(spl);
        const search = query.commands[0]!;
        if (query.commands.length === 1 && search.type === 'search' && search.expr) {
          // In the search: the decoded literal is the value itself.
          const node = firstCompare(search.expr);
          assert.ok(node, spl);
          assert.equal(node.field.name, field);
          assert.equal(node.value.value, value);
        }
        // Whatever the form, the query keeps the value and drops a different one.
        assert.equal(evaluateSpl(query, { [field]: value }), true, spl);
        assert.equal(evaluateSpl(query, { [field]: `${value}x` }), false, spl);
        assert.equal(evaluateSpl(query, {}), false, spl);
        return true;
      }),
      runs,
    );
  });

  /** The SPL oracle and the IR evaluator agree on the given values of the field. */
  function agree(p: Pred, values: readonly string[]): boolean {
    const spl = renderSpl(p);
    const query = parseSpl(spl);
    for (const v of values) {
      const event = { [p.field!]: v };
      assert.equal(evaluateSpl(query, event), evaluate(p, event), `${spl} on ${JSON.stringify(event)}`);
    }
    assert.equal(evaluateSpl(query, {}), evaluate(p, {}), spl);
    return true;
  }
  const swap = (s: string) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

  it('contains / startswith / endswith agree with the IR evaluator on the value, its case and its neighbours', () => {
    fc.assert(
      fc.property(fieldName, tricky, fc.constantFrom('contains', 'startswith', 'endswith'), fc.boolean(), (field, value, op, cased) => {
        const p = pred({ op: op as 'contains', field, value, cased });
        return agree(p, [value, `<${value}>`, `${value}>`, `<${value}`, swap(`<${value}>`), value.slice(1), value.slice(0, -1), '']);
      }),
      runs,
    );
  });

  it('letters JavaScript lowers unusually (İ, the Kelvin sign, final sigma, ϴ, ẞ) agree with the IR evaluator', () => {
    const letters = ['\u0130', 'i\u0307', 'i', 'I', '\u212a', 'k', 'K', 'σ', 'ς', 'Σ', 'ΑΣ', 'θ', 'ϴ', 'ß', 'ẞ', 'é', 'É'];
    const values = [...letters, ...letters.map((l) => `x${l}`), ...letters.map((l) => `${l}x`), 'ας', 'ασ'];
    for (const letter of letters) {
      for (const parts of [[letter], [STAR, letter, STAR], [letter, STAR], [STAR, letter], [ONE, letter], [letter, ONE]]) {
        for (const cased of [false, true]) agree(stringPred('F', pattern(parts), cased), values);
      }
    }
  });

  it('wildcard patterns (* and ? anywhere, literal * and ?) agree with the IR evaluator', () => {
    const part = fc.oneof(tricky, fc.constant(STAR), fc.constant(ONE));
    fc.assert(
      fc.property(fieldName, fc.array(part, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.array(tricky, { maxLength: 3 }), (field, parts, cased, fillers) => {
        const p = stringPred(field, pattern(parts), cased);
        const fill = (star: string, one: string) => parts.map((x) => (typeof x === 'string' ? x : x === STAR ? star : one)).join('');
        // A `?` stands for one character of the BMP here: for Splunk's PCRE (UTF-8) `.` is one code
        // point, as for rulecast, but the oracle runs JavaScript regexes, where `.` is one UTF-16
        // unit, so an astral character in a `?` position would test the oracle, not the query.
        const bmp = (s: string) => s.replace(/[\u{10000}-\u{10FFFF}]/gu, 'é');
        return agree(p, [fill('', 'a'), fill(fillers.join(''), '?'), fill('*', '\n'), swap(fill('x', 'Y')), fill('', ''), fill('', 'é'), ...fillers.map(bmp)]);
      }),
      runs,
    );
  });
});
