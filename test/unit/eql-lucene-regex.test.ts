import { strict as assert } from 'node:assert';
import { RE2JS } from 're2js';
import { LuceneRegexError, luceneRegexToRe2 } from '../support/lucene-regex.js';

function matches(pattern: string, input: string, caseInsensitive = false): boolean {
  return RE2JS.compile(luceneRegexToRe2(pattern, caseInsensitive), RE2JS.DOTALL).matches(input);
}

describe('Lucene regular expressions (Elasticsearch regexp query) run with RE2', () => {
  // [pattern, case-insensitive, input, matches]
  const vectors: [string, boolean, string, boolean][] = [
    // always anchored: the whole value must match
    ['abc', false, 'abc', true],
    ['b', false, 'abc', false],
    ['.*b.*', false, 'abc', true],
    ['ab|cd', false, 'abd', false],
    ['ab|cd', false, 'cd', true],
    // ^ and $ are ordinary characters
    ['^abc$', false, 'abc', false],
    ['^abc$', false, '^abc$', true],
    // . is any code point, line breaks included
    ['a.c', false, 'a\nc', true],
    ['.', false, '💩', true],
    ['..', false, '💩', false],
    // classes
    ['\\d+', false, '0123456789', true],
    ['\\d+', false, '12a', false],
    ['\\D', false, 'a', true],
    ['\\s', false, '\t', true],
    ['\\s', false, '\f', false], // Lucene's \s is [ \t\n\r]; RE2's would match \f
    ['\\S', false, '\f', true],
    ['\\w+', false, 'a_Z9', true],
    ['\\w', false, 'é', false],
    ['\\W', false, '-', true],
    ['[a-c]+', false, 'abcab', true],
    ['[^a-c]', false, 'd', true],
    ['[^a-c]', false, 'b', false],
    ['[\\d.]+', false, '1.5', true],
    ['[\\]]', false, ']', true],
    ['[a\\-z]', false, '-', true],
    ['[a\\-z]', false, 'b', false],
    // escapes and literal forms
    ['\\.', false, '.', true],
    ['\\.', false, 'x', false],
    ['\\\\d', false, '\\d', true], // \\ is a backslash
    ['"a.b"', false, 'a.b', true],
    ['"a.b"', false, 'axb', false],
    ['a()b', false, 'ab', true],
    ['*a', false, '*a', true], // a reserved character where no operator can be is literal
    ['*a', false, 'a', false],
    [')', false, ')', true],
    ['a|)', false, ')', true],
    ['\\@', false, '@', true],
    // repetition
    ['a{2,3}', false, 'aaa', true],
    ['a{2,3}', false, 'aaaa', false],
    ['a{2}', false, 'aa', true],
    ['a{2,}', false, 'aaaaa', true],
    ['a{3,1}', false, 'aa', false], // min > max is the empty language
    ['a**', false, 'aaa', true],
    ['(ab)+c?', false, 'ababc', true],
    // optional operators enabled by default in Elasticsearch
    ['@', false, 'anything at all', true],
    ['user@example\\.com', false, 'user-at-example.com', true], // @ is "any string", not an at sign
    ['#', false, '', false],
    ['a|#', false, 'a', true],
    // regex~: ASCII letters of single characters and strings fold, ranges do not
    ['abc', true, 'AbC', true],
    ['"abc"', true, 'ABC', true],
    ['[abc]+', true, 'CAB', true],
    ['[a-c]+', true, 'ABC', false],
    ['[a-cA-C]+', true, 'AbC', true],
    ['[^a]', true, 'A', false],
    ['[^a]', true, 'b', true],
    ['é', true, 'É', false], // only ASCII folds
    ['k', true, '\u212a', false], // not even to the Kelvin sign, which Unicode folding would match
    ['\\w+', true, 'ABC', true],
    ['abc', false, 'ABC', false],
  ];
  for (const [pattern, ci, input, expected] of vectors) {
    it(`${pattern}${ci ? ' (regex~)' : ''} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(input)}`, () => {
      assert.equal(matches(pattern, input, ci), expected);
    });
  }

  // Patterns Lucene refuses, so Elasticsearch fails the query.
  const invalid: [string, string][] = [
    ['a|', 'unexpected end-of-string'],
    ['(a', "expected ')'"],
    ['a)', 'end-of-string expected at position 1'],
    ['[a', "expected ']'"],
    ['[]', "expected ']'"],
    ['[z-a]', 'invalid range'],
    ['a{', 'integer expected'],
    ['a{,2}', 'integer expected'],
    ['a{2', "expected '}'"],
    ['"abc', "expected '\"'"],
    ['\\n', 'invalid character class \\n'], // no \n escape in Lucene
    ['\\q', 'invalid character class \\q'],
    ['a<1-2', "expected '>'"],
  ];
  for (const [pattern, message] of invalid) {
    it(`refuses ${pattern}`, () => {
      assert.throws(() => luceneRegexToRe2(pattern), (err: unknown) => err instanceof LuceneRegexError && err.kind === 'invalid' && err.message.includes(message));
    });
  }

  // Valid Lucene without an RE2 equivalent: an error, never a silently different regex.
  const unsupported: [string, string][] = [
    ['a&b', 'intersection'],
    ['~a', 'complement'],
    ['<1-10>', 'numeric interval'],
    ['<name>', 'named automaton'],
    ['a{1001}', 'above 1000'],
  ];
  for (const [pattern, message] of unsupported) {
    it(`cannot run ${pattern}`, () => {
      assert.throws(() => luceneRegexToRe2(pattern), (err: unknown) => err instanceof LuceneRegexError && err.kind === 'unsupported' && err.message.includes(message));
    });
  }

  it('the empty pattern matches only the empty string', () => {
    assert.equal(matches('', ''), true);
    assert.equal(matches('', 'a'), false);
  });
});
