// Hostile and random input: the KQL reader answers with a RulecastError (located in the file) or a
// query, never a crash, a hang or a stack overflow.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { SourceFile } from '../../src/diagnostics/source.js';
import { importKql } from '../../src/import/kql.js';

function check(text: string, path = 'fuzz.kql'): void {
  const results = importKql(new SourceFile(path, text));
  for (const r of results) {
    assert.ok(r.query || r.error, 'neither a query nor an error');
    // At the end of the input the span is the one character past it (the code frame shows a caret there).
    if (r.error?.span) assert.ok(r.error.span.start <= text.length && r.error.span.end <= text.length + 1, r.error.message);
  }
}

const tokens = ['DeviceProcessEvents', 'union', 'T', ',', '|', 'where', 'project', 'summarize', 'let', 'x', '=', ';', '(', ')', '[', ']', '{', '}', '"a"', "'b'", '@"c\\"', '```d```', '"\\', '==', '=~', '!in~', 'has_any', 'and', 'or', 'not', 'ago', '7d', '1.5', '-', '//c\n', '\n', ' ', 'dynamic', 'in', 'between', '..', 'matches regex', '"(a"', 'isnull', '\u202f', '\u200b'];

describe('KQL import: hostile input', () => {
  it('random token soups give a query or a located error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 30 }), (parts) => check(parts.join(' '))),
      { numRuns: 1500 },
    );
  });

  it('random text, markdown and YAML give a query or a located error', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => check(text)), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => check(`# T\n\n\`\`\`kusto\n${text}\n\`\`\`\n`, 'fuzz.md')), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => check(`name: x\nquery: ${JSON.stringify(text)}\n`, 'fuzz.yaml')), { numRuns: 300 });
  });

  it('refuses brackets nested too deep for the recursive parser', () => {
    const [r] = importKql(new SourceFile('deep.kql', `T | where ${'('.repeat(5000)}F == "x"${')'.repeat(5000)}`));
    assert.equal(r?.error?.code, 'kql-too-deep');
    const [ok] = importKql(new SourceFile('ok.kql', `T | where ${'('.repeat(30)}F == "x"${')'.repeat(30)}`));
    assert.ok(ok?.query, ok?.error?.message);
  });

  it('reads long queries (a 20,000-value list, 20,000 conditions)', () => {
    const list = Array.from({ length: 20_000 }, (_, i) => `"v${i}"`).join(', ');
    const [a] = importKql(new SourceFile('big.kql', `T | where F in (${list})`));
    assert.ok(a?.query);
    const conditions = Array.from({ length: 20_000 }, (_, i) => `F${i % 7} contains "x${i}"`).join(' or ');
    const [b] = importKql(new SourceFile('long.kql', `T | where ${conditions}`));
    assert.ok(b?.query);
  });
});
