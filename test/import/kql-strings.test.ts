// KQL string literals decode exactly as Kusto's own parser decodes them: escapes, verbatim @"…"
// strings with doubled quotes, multi-line ``` strings, obfuscated h"…" strings, adjacent literals.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SourceFile } from '../../src/diagnostics/source.js';
import { embeddedAt } from '../../src/parse/embedded.js';
import { parseKql } from '../../src/parse/kql.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { kustoStringValue } from './kusto.js';

/** rulecast's decoding of a literal, or undefined when it refuses it. */
function ours(literal: string): string | undefined {
  const text = `T | where F == ${literal}`;
  try {
    const script = parseKql(embeddedAt(new SourceFile('<test>', text), text, 0));
    const st = script.statements[0]!;
    if (st.kind !== 'query') return undefined;
    const op = st.pipeline.ops[0]!;
    if (op.kind !== 'where' || op.expr.kind !== 'binary' || op.expr.right.kind !== 'string') return undefined;
    return op.expr.right.value;
  } catch (err) {
    if (isRulecastError(err)) return undefined;
    throw err;
  }
}

const vectors = [
  String.raw`"plain"`,
  String.raw`'single'`,
  String.raw`"C:\\Windows\\System32"`,
  String.raw`"quote \" inside"`,
  String.raw`'quote \' inside'`,
  String.raw`"tab\tnewline\nreturn\r"`,
  String.raw`"\x41\u00e9\101\7\0"`,
  String.raw`"\a\b\f\v"`,
  String.raw`"\uD83D\uDE00"`,
  String.raw`@"C:\Windows\"`,
  String.raw`@"say ""hi"""`,
  String.raw`@'it''s'`,
  String.raw`h"obfuscated"`,
  String.raw`H@"C:\x"`,
  '```multi\\line\nstring```',
  String.raw`"adjacent" 'literals' @"\joined"`,
  '"a" // comment\n "b"',
  // Not valid KQL: both refuse.
  String.raw`"\*"`,
  String.raw`"\x4"`,
  String.raw`"\u00"`,
  String.raw`"\8"`,
  String.raw`"\/"`,
  '"line\nbreak"',
];

describe('KQL string literals', () => {
  for (const v of vectors) {
    it(`decodes ${JSON.stringify(v)} as Kusto does`, () => {
      assert.equal(ours(v), kustoStringValue(v));
    });
  }

  it('decodes random escape sequences as Kusto does', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', 'Z', ' ', '"', "'", '\\', '\t', 'é', '😀', '0', '7', 'x', 'u'),
      fc.constantFrom('\\\\', '\\"', "\\'", '\\t', '\\n', '\\r', '\\a', '\\b', '\\f', '\\v', '\\0', '\\1', '\\12', '\\123', '\\1234', '\\x4', '\\x41', '\\u004', '\\u0041', '\\q', '\\ ', '\\8'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom('"', "'", '@"', "@'"), (pieces, quote) => {
        const body = pieces.join('');
        const literal = `${quote}${body}${quote.slice(-1)}`;
        assert.equal(ours(literal), kustoStringValue(literal), literal);
      }),
      { numRuns: 400 },
    );
  });
});
