// Property tests of the EQL backend's escaping: no value, field name or regex literal can break out
// of its literal, and what Elasticsearch would decode is exactly what the rule says.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { evaluate } from '../../src/index.js';
import { pred, stringPred } from '../../src/ir/build.js';
import { pattern as makePattern } from '../../src/ir/pattern.js';
import { ONE, STAR, type PatternPart, type Pred } from '../../src/ir/types.js';
import { renderEqlExpression } from '../support/render.js';
import { eqlField, eqlString } from '../../src/backends/eql/strings.js';
import { luceneLiteral } from '../../src/backends/eql/regex.js';
import { decodeEqlString, parseEql, type EqlExpr } from '../checkers/eql.js';
import { evaluateEql } from '../support/eql-evaluator.js';
import { luceneRegexToRe2 } from '../support/lucene-regex.js';

/** Any text: full Unicode, with the characters every layer treats specially over-represented. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: fc.constantFrom('\\', '"', '*', '?', '\n', '\r', '\t', '\u0001', '`', ' ', 'a', 'Ä', '.', '(', '[', '#', '@', '~', '<', '$', '^', '|'), maxLength: 16 }),
);

const field = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.string({ unit: fc.constantFrom('a', '.', '-', ' ', '`', '1', '_', '@', 'é'), minLength: 1, maxLength: 10 }));

const runs = { numRuns: 400 };

/** The canonical predicate of a pattern (eq, contains, startswith, endswith or wildcard). */
function stringPredOf(parts: PatternPart[], cased: boolean): Pred {
  return stringPred('f', makePattern(parts), cased);
}

function firstMatch(e: EqlExpr): EqlExpr {
  return e.type === 'group' ? firstMatch(e.expr) : e;
}

describe('EQL escaping properties', () => {
  it('a string literal decodes to the original text', () => {
    fc.assert(
      fc.property(text, (s) => {
        assert.equal(decodeEqlString(eqlString(s)), s);
      }),
      runs,
    );
  });

  it('a field name parses back to the same field', () => {
    fc.assert(
      fc.property(field, (name) => {
        const q = parseEql(`any where ${eqlField(name)} == 1`);
        const cmp = firstMatch(q.condition);
        assert.equal(cmp.type, 'compare');
        const left = (cmp as Extract<EqlExpr, { type: 'compare' }>).left;
        assert.equal(left.type, 'field');
        assert.equal((left as Extract<EqlExpr, { type: 'field' }>).path, name);
      }),
      runs,
    );
  });

  it('an exact value (case-insensitive or cased) selects exactly the events Sigma selects', () => {
    fc.assert(
      fc.property(text, fc.boolean(), text, (value, cased, other) => {
        const p = pred({ op: 'eq', field: 'f', value, cased });
        const q = parseEql(`any where ${renderEqlExpression(p)}`);
        for (const v of [value, value.toUpperCase(), value.toLowerCase(), other, `${value}x`]) {
          const event = { f: v };
          assert.equal(evaluateEql(q, event, { logic: 'kleene' }), evaluate(p, event), `${JSON.stringify(v)}`);
        }
      }),
      runs,
    );
  });

  it('patterns with wildcards and literal * ? select exactly the events Sigma selects', () => {
    const part: fc.Arbitrary<PatternPart> = fc.oneof(text, fc.constant(STAR), fc.constant(ONE));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.array(text, { maxLength: 3 }), (parts, cased, samples) => {
        const pat = makePattern(parts);
        const p: Pred = pred({ op: 'wildcard', field: 'f', value: pat, cased });
        const q = parseEql(`any where ${renderEqlExpression(p)}`);
        // A value the pattern matches (wildcards filled in), its case variants, and other texts.
        const filled = pat.parts.map((x) => (typeof x === 'string' ? x : x === STAR ? 'zz' : 'q')).join('');
        for (const v of [filled, filled.toUpperCase(), filled.toLowerCase(), `${filled}\n`, ...samples]) {
          const event = { f: v };
          assert.equal(evaluateEql(q, event, { logic: 'kleene' }), evaluate(p, event), `${JSON.stringify(v)} against ${renderEqlExpression(p)}`);
        }
      }),
      runs,
    );
  });

  it('letters JavaScript lowers unusually (İ, the Kelvin sign, final sigma, ϴ, ẞ) select what the evaluator selects', () => {
    // Random texts rarely hold these; each is checked as pattern and as value, with every operator.
    const letters = ['\u0130', 'i\u0307', 'i', 'I', '\u212a', 'k', 'K', 'σ', 'ς', 'Σ', 'ΑΣ', 'θ', 'ϴ', 'ß', 'ẞ', 'é', 'É'];
    const values = [...letters, ...letters.map((l) => `x${l}`), ...letters.map((l) => `${l}x`), 'ας', 'ασ', ''];
    for (const letter of letters) {
      for (const parts of [[letter], [STAR, letter, STAR], [letter, STAR], [STAR, letter], [ONE, letter], [letter, ONE]]) {
        for (const cased of [false, true]) {
          const p = stringPredOf(parts, cased);
          const q = parseEql(`any where ${renderEqlExpression(p)}`);
          for (const v of values) {
            const event = { f: v };
            assert.equal(evaluateEql(q, event, { logic: 'kleene' }), evaluate(p, event), `${JSON.stringify(v)} against ${renderEqlExpression(p)}`);
          }
        }
      }
    }
  });

  it('a literal in a Lucene regular expression matches exactly that text', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, ci) => {
        const regex = luceneLiteral(s, ci);
        // Through an EQL string and back, then read the way Lucene reads it.
        const decoded = decodeEqlString(eqlString(regex));
        assert.equal(decoded, regex);
        const re = RE2JS.compile(`^(?:${luceneRegexToRe2(decoded, ci)})$`, RE2JS.DOTALL);
        assert.ok(re.matches(s), `${JSON.stringify(s)} as ${JSON.stringify(regex)}`);
        assert.ok(!re.matches(`${s}x`));
      }),
      runs,
    );
  });

  it('a Sigma regex written as an escaped literal selects exactly what Sigma selects', () => {
    const escape = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'B', '.', '*', '\\', '"', '(', ')', '[', ']', '{', '}', '|', '^', '$', ' ', 'é', '#', '~'), minLength: 1, maxLength: 12 }), fc.boolean(), (s, cased) => {
        const p: Pred = pred({ op: 're', field: 'f', value: { pattern: escape(s), flags: { m: false, s: false } }, cased });
        const q = parseEql(`any where ${renderEqlExpression(p)}`);
        for (const v of [s, `x${s}y`, s.toUpperCase(), s.slice(1), `${s}\n${s}`]) {
          const event = { f: v };
          assert.equal(evaluateEql(q, event, { logic: 'kleene' }), evaluate(p, event), `${JSON.stringify(v)} against ${renderEqlExpression(p)}`);
        }
      }),
      runs,
    );
  });
});
