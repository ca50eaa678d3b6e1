// Property tests: no value and no field name can leave its KQL literal or its quoting. Random
// strings (full Unicode, quotes, backslashes, control and invisible characters) are rendered,
// the query is parsed by Microsoft's parser, and the literal (or column name) in the syntax tree
// must be exactly the original.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { load } from 'js-yaml';
import { yamlBlock } from '../../src/output/yaml.js';
import { kqlName, kqlRegexLiteral, kqlString } from '../../src/backends/kql/literal.js';
import { compileSigma, convertCompiled } from '../../src/index.js';
import { yamlDoubleQuoted as yamlString } from '../../src/output/yaml.js';
import { Kusto, kindName, literalValue, nodes, parse, whereCondition } from './kql-support.js';

const nasty = fc.constantFrom('"', "'", '\\', '@', '`', '\n', '\r', '\t', '\0', '\u0001', '\u001f', '\u007f', '\u0085', '\u00ad', '\u200b', '\u2028', '\u2029', '\u202e', '\ufeff', 'a', 'Z', ' ', '|', ';', '$', '(', ')', '😀', 'é');
/** Any Unicode text (no unpaired surrogates: a KQL string is UTF-8) with the characters that break
 *  literals over-represented. */
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: nasty, maxLength: 40 }), fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 40 }));

function onlyLiteral(query: string): unknown {
  const { syntax, diagnostics } = parse(query);
  assert.deepEqual(diagnostics, [], `${query}`);
  const literals = [...nodes(syntax)].filter((n) => kindName(n) === 'StringLiteralExpression');
  assert.equal(literals.length, 1, `${query}: expected one string literal`);
  return literalValue(literals[0]);
}

describe('kql literals: property tests with the Kusto parser', () => {
  it('kqlString(s) parses back to exactly s', () => {
    fc.assert(
      fc.property(text, (s) => {
        assert.equal(onlyLiteral(`print x = ${kqlString(s)}`), s);
      }),
      { numRuns: 1500 },
    );
  });

  it('kqlRegexLiteral(p) parses back to exactly p (verbatim when possible)', () => {
    fc.assert(
      fc.property(text, (s) => {
        const lit = kqlRegexLiteral(s);
        assert.equal(onlyLiteral(`T | where A matches regex ${lit}`), s);
        if (/^[\u0020-\u007e]*$/.test(s)) assert.ok(lit.startsWith('@"'), lit);
      }),
      { numRuns: 1000 },
    );
  });

  it('kqlName(n) is a column reference to exactly n, never a literal or a keyword', () => {
    const keywordish = fc.constantFrom('where', 'and', 'or', 'not', 'true', 'false', 'null', 'let', 'in', 'has', 'contains', 'matches', 'between', 'project', 'by', 'on', 'typeof', 'datetime', 'string', '__id', 'Type', 'Timestamp', '_x', 'a1');
    fc.assert(
      fc.property(fc.oneof(keywordish, text.filter((s) => s.length > 0)), (name) => {
        const rendered = kqlName(name);
        const { syntax, diagnostics } = parse(`T | where ${rendered} == 1`);
        assert.deepEqual(diagnostics, [], `${rendered}`);
        const left = whereCondition(syntax).GetChild(0);
        assert.equal(kindName(left), 'NameReference', `${rendered} is not a column reference`);
        assert.equal(left.SimpleName, name);
        // Kusto's own rule: where it would bracket a name, so do we.
        if (Kusto.Language.KustoFacts.BracketNameIfNecessary(name) !== name) assert.ok(rendered.startsWith('['), rendered);
      }),
      { numRuns: 1500 },
    );
  });

  it('a rule value reaches the query as exactly that string (Sigma → IR → KQL)', () => {
    // The Sigma text escapes the wildcard characters so the value is literal; YAML-safe code points.
    const value = text.filter((s) => s.length > 0 && !/[\ufffe\uffff]/.test(s));
    fc.assert(
      fc.property(value, fc.constantFrom('', '|contains', '|startswith', '|endswith', '|cased'), (v, modifier) => {
        const sigma = v.replace(/[\\*?]/g, (c) => `\\${c}`);
        const rule = `title: t\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    CommandLine${modifier}: ${yamlString(sigma)}\n  condition: sel\n`;
        const doc = compileSigma(rule, 'p.yml')[0]!;
        assert.ok(doc.query, doc.diagnostics.map((d) => d.message).join('; '));
        for (const pipelines of [['none'], ['defender-xdr']]) {
          const result = convertCompiled(doc, 'kql', { pipelines });
          assert.equal(result.error, null, result.error?.message);
          const query = pipelines[0] === 'none' ? `T | where ${result.query}` : result.query!;
          assert.equal(onlyLiteral(query), v, query);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a field name reaches the query as exactly that column (-p none)', () => {
    const name = text.filter((s) => s.length > 0 && !/[|\ufffe\uffff]/.test(s) && s.trim() === s && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s));
    fc.assert(
      fc.property(name, (n) => {
        const rule = `title: t\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    ${yamlString(n)}: 'x'\n  condition: sel\n`;
        const doc = compileSigma(rule, 'p.yml')[0]!;
        if (!doc.query) return; // a name the Sigma loader refuses is not the backend's concern
        const result = convertCompiled(doc, 'kql', { pipelines: ['none'] });
        assert.equal(result.error, null, result.error?.message);
        const { syntax, diagnostics } = parse(`T | where ${result.query}`);
        assert.deepEqual(diagnostics, [], result.query!);
        const left = whereCondition(syntax).GetChild(0);
        assert.equal(left.SimpleName, n, result.query!);
      }),
      { numRuns: 500 },
    );
  });
});

describe('kql formats: property tests', () => {
  it('yamlBlock(t), when it applies, reads back as exactly t', () => {
    const lines = fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '#', ':', '-', '"', "'", '\\', 'é', '😀', '|', '>'), maxLength: 12 }), { maxLength: 5 }).map((ls) => ls.join('\n'));
    fc.assert(
      fc.property(fc.oneof(lines, fc.string({ unit: 'binary', maxLength: 30 })), fc.constantFrom('', '\n', '\n\n'), (body, tail) => {
        const t = body + tail;
        const block = yamlBlock(t);
        if (block === undefined) return;
        const y = load(`d: ${block}\nnext: 1\n`) as { d: string; next: number };
        assert.equal(y.d, t, block);
        assert.equal(y.next, 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('any title and description survive the Sentinel YAML and the Defender JSON', () => {
    const s = fc.string({ unit: fc.oneof(nasty, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 30 }).filter((x) => x.trim() === x && x.length > 0 && !/[\ufffe\uffff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\r]/.test(x));
    fc.assert(
      fc.property(s, s, (title, description) => {
        const rule = `title: ${yamlString(title)}\ndescription: ${yamlString(description)}\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  sel:\n    CommandLine: x\n  condition: sel\nlevel: low\n`;
        const doc = compileSigma(rule, 'p.yml')[0]!;
        if (!doc.query) return;
        for (const format of ['sentinel-hunting', 'sentinel-rule']) {
          const y = load(convertCompiled(doc, 'kql', { format }).query!) as Record<string, unknown>;
          assert.equal(y.name, doc.title);
          assert.equal(y.description, doc.query.meta.description);
        }
        const json = JSON.parse(convertCompiled(doc, 'kql', { format: 'defender-rule' }).query!) as Record<string, any>;
        assert.equal(json.displayName, doc.title);
        assert.equal(json.detectionAction.alertTemplate.description, doc.query.meta.description);
      }),
      { numRuns: 300 },
    );
  });
});
