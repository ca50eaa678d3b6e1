// Hostile input: every case ends with a clear, located error (or a correct result) in bounded
// time and memory, and never takes the other rules of a run down with it.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, evaluate } from '../src/index.js';
import { readExclusions } from '../src/exclusions/read.js';
import { rulecast, tempRules } from './support/cli.js';

const rule = (detection: string) => `title: T\nlogsource:\n  product: windows\ndetection:\n${detection}\n`;
const good = rule("  sel:\n    Image|endswith: '\\\\a.exe'\n  condition: sel");

function firstCode(text: string): string | undefined {
  return compileSigma(text, 'x.yml')[0]?.diagnostics.find((d) => d.severity === 'error')?.code;
}

describe('hostile input', () => {
  it('a YAML alias bomb is refused before anything expands it', () => {
    let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    assert.equal(firstCode(bomb + rule('  sel:\n    A: *a11\n  condition: sel')), 'yaml-limit');
  });

  it('deeply nested YAML is refused', () => {
    assert.equal(firstCode(`title: deep\nx: ${'['.repeat(100000)}${']'.repeat(100000)}\n`), 'yaml-limit');
    assert.equal(firstCode(`title: deep\nx:\n${Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`), 'yaml-limit');
  });

  it('deeply nested conditions are refused, long flat ones work', () => {
    assert.equal(firstCode(rule(`  sel:\n    A: 1\n  condition: ${'('.repeat(5000)}sel${')'.repeat(5000)}`)), 'condition-too-deep');
    assert.equal(firstCode(rule(`  sel:\n    A: 1\n  condition: ${'not '.repeat(100000)}sel`)), 'condition-too-deep');
    assert.equal(firstCode(rule(`  sel:\n    A: 1\n  condition: ${Array(50000).fill('sel').join(' or ')}`)), undefined);
  });

  it('deeply nested exclusion filters are refused; parentheses inside strings do not count', () => {
    const deep = readExclusions(`exclusions:\n  - name: x\n    filter: '${'('.repeat(20000)}a == "b"${')'.repeat(20000)}'\n`, 'd.yml');
    assert.deepEqual(deep.exclusions[0]!.diagnostics.map((d) => d.code), ['filter-too-deep']);
    const fine = readExclusions(`exclusions:\n  - name: x\n    filter: 'a == "${'('.repeat(500)}"'\n`, 'ok.yml');
    assert.ok(fine.exclusions[0]!.expr);
  });

  it('a multi-megabyte rule (a huge value list) loads and evaluates', () => {
    const values = Array.from({ length: 120000 }, (_, i) => `      - 'value-${i}-${'x'.repeat(20)}'`).join('\n');
    const text = rule(`  sel:\n    CommandLine|contains:\n${values}\n  condition: sel`);
    assert.ok(text.length > 5_000_000);
    const [doc] = compileSigma(text, 'big.yml');
    assert.ok(doc!.query);
    assert.equal(evaluate(doc!.query!.expr, { CommandLine: `run value-119999-${'x'.repeat(20)} now` }), true);
  });

  it('pathological regular expressions evaluate in linear time (RE2)', () => {
    const [doc] = compileSigma(rule("  sel:\n    CommandLine|re: '^(a+)+$'\n  other:\n    CommandLine|re: '(x+x+)+y'\n  condition: sel or other"), 're.yml');
    assert.equal(evaluate(doc!.query!.expr, { CommandLine: `${'a'.repeat(50000)}!` }), false);
    assert.equal(evaluate(doc!.query!.expr, { CommandLine: 'x'.repeat(50000) }), false);
  });

  it('a regex RE2 cannot run is a clear error, not a wrong answer', () => {
    const [doc] = compileSigma(rule("  sel:\n    CommandLine|re: '(?<=a)b'\n  condition: sel"), 'look.yml');
    assert.throws(() => evaluate(doc!.query!.expr, { CommandLine: 'ab' }), /cannot be evaluated/);
  });

  it('in a folder, broken, binary, huge and bomb files are reported and the good rules still load', () => {
    const dir = tempRules({ 'good.yml': good, 'broken.yml': 'title: [unclosed\n', 'bomb.yml': `a: &a [x, x]\nb: &b [*a, *a]\n${Array.from({ length: 30 }, (_, i) => `c${i}: &c${i} [${i ? `*c${i - 1}, *c${i - 1}` : '*b, *b'}]`).join('\n')}\n` });
    writeFileSync(join(dir, 'binary.yml'), Buffer.from([0, 1, 2, 3, 255]));
    writeFileSync(join(dir, 'huge.yml'), 'x'.repeat(11 * 1024 * 1024));
    const r = rulecast(['check', dir, '--json']);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { results: { path: string; valid: boolean; errors: { code: string }[] }[] };
    const byName = Object.fromEntries(out.results.map((x) => [x.path.split('/').pop()!, x.valid ? 'valid' : x.errors[0]!.code]));
    assert.deepEqual(byName, { 'binary.yml': 'not-text', 'bomb.yml': 'yaml-limit', 'broken.yml': 'yaml-syntax', 'good.yml': 'valid', 'huge.yml': 'file-too-large' });
  });
});
