import { strict as assert } from 'node:assert';
import { parseSigmaString, patternToSigma } from '../../src/ir/pattern.js';
import { stringPred } from '../../src/ir/build.js';
import { predToJson } from '../../src/ir/dump.js';
import type { Pattern } from '../../src/ir/types.js';

/** Pattern as a readable list: literals quoted, wildcards bare. */
function show(p: Pattern): string {
  return p.parts.map((x) => (typeof x === 'string' ? JSON.stringify(x) : x.wildcard)).join(' ');
}

describe('Sigma string escaping (specification vectors)', () => {
  // [value as written in YAML (after YAML unquoting), parts]
  const vectors: [string, string][] = [
    ['plain', '"plain"'],
    ['C:\\Windows\\System32', '"C:\\\\Windows\\\\System32"'], // a backslash before a normal character stays
    ['foo*bar', '"foo" * "bar"'],
    ['prog?.exe', '"prog" ? ".exe"'],
    ['\\*', '"*"'], // \* is a literal star
    ['\\?', '"?"'],
    ['\\\\*', '"\\\\" *'], // \\* is a backslash and a wildcard
    ['\\\\\\*', '"\\\\*"'], // \\\* is a backslash and a literal star
    ['\\\\\\\\', '"\\\\\\\\"'], // four backslashes are two
    ['\\\\\\', '"\\\\\\\\"'], // three backslashes are handled as two
    ['value\\', '"value\\\\"'], // a trailing backslash is literal
    ['\\\\\\*.dll', '"\\\\*.dll"'],
    ['\\\\\\\\\\?\\\\GLOBALROOT', '"\\\\\\\\?\\\\GLOBALROOT"'],
    [' /\\?', '" /?"'],
    ['select \\*', '"select *"'],
    ['\\\\WindowsPowerShell\\\\Modules\\\\*\\.ps', '"\\\\WindowsPowerShell\\\\Modules\\\\" * "\\\\.ps"'],
    ['\\\\\\\\*\\\\*$', '"\\\\\\\\" * "\\\\" * "$"'],
    ['**', '*'], // runs of * collapse
    ['??', '? ?'], // ? never collapses
    ['', ''],
  ];
  for (const [input, expected] of vectors) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(show(parseSigmaString(input)), expected);
    });
  }

  it('patternToSigma writes back an equivalent Sigma string', () => {
    for (const [input] of vectors) {
      const p = parseSigmaString(input);
      assert.deepEqual(parseSigmaString(patternToSigma(p)), p, input);
    }
  });
});

describe('canonical string predicates', () => {
  const cases: [string, string, unknown][] = [
    ['abc', 'eq', 'abc'],
    ['*abc*', 'contains', 'abc'],
    ['abc*', 'startswith', 'abc'],
    ['*abc', 'endswith', 'abc'],
    ['*', 'contains', ''],
    ['a*b', 'wildcard', 'a*b'],
    ['*a*b*', 'wildcard', '*a*b*'],
    ['a?', 'wildcard', 'a?'],
    ['?a', 'wildcard', '?a'],
    ['*a?*', 'wildcard', '*a?*'],
    ['*\\*', 'endswith', '*'],
    ['\\*abc\\?', 'eq', '*abc?'],
  ];
  for (const [input, op, value] of cases) {
    it(`${input} → ${op}`, () => {
      const j = predToJson(stringPred('F', parseSigmaString(input), false) as never);
      assert.equal(j.op, op);
      assert.deepEqual(j.value, value);
    });
  }
});
