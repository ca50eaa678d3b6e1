import { strict as assert } from 'node:assert';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseYaml, type YMap, type YScalar } from '../../src/parse/yaml.js';
import { RulecastError } from '../../src/diagnostics/diagnostic.js';

function doc(text: string): YMap {
  const d = parseYaml(new SourceFile('t.yml', text))[0]!;
  return d.root as YMap;
}

function value(text: string, key: string): YScalar {
  const e = doc(text).entries.find((x) => (x.key as YScalar).text === key)!;
  return e.value as YScalar;
}

describe('YAML with positions', () => {
  it('gives every key and scalar a 1-based line and column', () => {
    const source = new SourceFile('t.yml', 'title: x\ndetection:\n  sel:\n    Image|endswith: foo\n');
    const root = parseYaml(source)[0]!.root as YMap;
    const det = root.entries[1]!.value as YMap;
    const sel = det.entries[0]!.value as YMap;
    const key = sel.entries[0]!.key as YScalar;
    const val = sel.entries[0]!.value as YScalar;
    assert.deepEqual(source.position(key.start), { line: 4, column: 5 });
    assert.deepEqual(source.position(val.start), { line: 4, column: 21 });
    assert.equal(val.value, 'foo');
  });

  it('reads scalars as YAML 1.1 / PyYAML does', () => {
    const text = 'a: yes\nb: no\nc: on\nd: 010\ne: "010"\nf: 0x17\ng: ~\nh: 1.5\ni: 2019-10-23\nj: true\nk: 1_000\n';
    assert.equal(value(text, 'a').value, true);
    assert.equal(value(text, 'b').value, false);
    assert.equal(value(text, 'c').value, true);
    assert.equal(value(text, 'd').value, 8); // octal in YAML 1.1
    assert.equal(value(text, 'd').text, '010'); // the text is kept for string use
    assert.equal(value(text, 'e').value, '010');
    assert.equal(value(text, 'f').value, 23);
    assert.equal(value(text, 'g').value, null);
    assert.equal(value(text, 'h').value, 1.5);
    assert.ok(value(text, 'i').value instanceof Date);
    assert.equal(value(text, 'j').value, true);
    assert.equal(value(text, 'k').value, 1000);
  });

  it('keeps y and n as strings, as PyYAML does', () => {
    assert.equal(value('a: y\n', 'a').value, 'y');
    assert.equal(value('a: N\n', 'a').value, 'N');
    assert.equal((doc('y: 1\nn: 2\n').entries[0]!.key as YScalar).value, 'y');
  });

  it('decodes quoted scalars and keeps their style', () => {
    const v = value("a: 'it''s \\n'\n", 'a');
    assert.equal(v.value, "it's \\n");
    assert.equal(v.style, 'single');
    assert.equal(value('a: "tab\\there"\n', 'a').value, 'tab\there');
  });

  it('reads several documents', () => {
    const docs = parseYaml(new SourceFile('t.yml', 'a: 1\n---\nb: 2\n---\n'));
    assert.equal(docs.length, 3);
    assert.equal(docs[2]!.root?.kind, 'scalar');
  });

  it('resolves aliases and merge keys', () => {
    const root = doc('base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n');
    const other = root.entries[1]!.value as YMap;
    assert.deepEqual(other.entries.map((e) => `${(e.key as YScalar).text}=${(e.value as YScalar).text}`), ['y=3', 'x=1']);
  });

  it('refuses duplicate keys, alias bombs, deep nesting and custom tags', () => {
    const code = (text: string) => {
      try {
        parseYaml(new SourceFile('t.yml', text));
      } catch (err) {
        return (err as RulecastError).code;
      }
      return 'no error';
    };
    assert.equal(code('a: 1\na: 2\n'), 'yaml-duplicate-key');
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 8; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    assert.equal(code(bomb), 'yaml-limit');
    assert.equal(code(`${'['.repeat(200)}${']'.repeat(200)}`), 'yaml-limit');
    assert.equal(code('a: !!python/object:os.system x\n'), 'yaml-tag');
    assert.equal(code('a: [1, 2\n'), 'yaml-syntax');
  });
});
