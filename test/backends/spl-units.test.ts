// Table-driven tests of the SPL backend: precedence read back through the grammar (the tree the
// parser builds under Splunk's precedence must be the rule's tree), the hoisting pass, escaping.
import { strict as assert } from 'node:assert';
import { renderSearch, renderWhere } from '../../src/backends/spl/dialects.js';
import { searchForm } from '../../src/backends/spl/predicates.js';
import { renderSpl } from '../support/render.js';
import { hoistPipes } from '../../src/backends/spl/hoist.js';
import { pred } from '../../src/ir/build.js';
import { parseSigmaString } from '../../src/ir/pattern.js';
import { stringPred } from '../../src/ir/build.js';
import { parseSpl, parseSplEval, parseSplSearch } from '../checkers/spl.js';
import { showCommand, showEval, showSearch } from '../support/spl-show.js';
import { lowerDetection } from '../support/rules.js';

const abc = 'a:\n  A: 1\nb:\n  B: 2\nc:\n  C: 3\nd:\n  D: 4\n';

describe('spl backend: precedence read back by the grammar', () => {
  // [condition, search text, tree under search precedence (NOT > OR > AND)]
  const rows: [string, string, string][] = [
    // `a b OR c` would be a AND (b OR c) in a search: the AND must be grouped.
    ['a and b or c', '(A=1 B=2) OR C=3', '(OR (AND A=1 B=2) C=3)'],
    ['a and (b or c)', 'A=1 (B=2 OR C=3)', '(AND A=1 (OR B=2 C=3))'],
    ['(a or b) and (c or d)', '(A=1 OR B=2) (C=3 OR D=4)', '(AND (OR A=1 B=2) (OR C=3 D=4))'],
    ['a or b and c or d', 'A=1 OR (B=2 C=3) OR D=4', '(OR A=1 (AND B=2 C=3) D=4)'],
    ['not a and b', 'NOT A=1 B=2', '(AND (NOT A=1) B=2)'],
    ['not (a and b) or c', 'NOT (A=1 B=2) OR C=3', '(OR (NOT (AND A=1 B=2)) C=3)'],
    ['not (a or not (b and not c))', 'NOT (A=1 OR NOT (B=2 NOT C=3))', '(NOT (OR A=1 (NOT (AND B=2 (NOT C=3)))))'],
  ];
  for (const [condition, text, tree] of rows) {
    it(`search: ${condition}`, () => {
      const spl = renderSearch(lowerDetection(`${abc}condition: ${condition}`));
      assert.equal(spl, text);
      assert.equal(showSearch(parseSplSearch(spl)), tree);
    });
  }

  // The same shapes in a where clause (AND > OR): the text must parse to the same tree.
  const whereRows: [string, string][] = [
    ['a and b or c', '(OR (AND (== A 1) (== B 2)) (== C 3))'],
    ['a and (b or c)', '(AND (== A 1) (OR (== B 2) (== C 3)))'],
    ['not (a or b) and c', '(AND (NOT (OR (AND isnotnull(A) (== A 1)) (AND isnotnull(B) (== B 2)))) (== C 3))'],
  ];
  for (const [condition, tree] of whereRows) {
    it(`where: ${condition}`, () => {
      const where = renderWhere(lowerDetection(`${abc}condition: ${condition}`));
      assert.equal(showEval(parseSplEval(where)), tree);
    });
  }
});

describe('spl backend: hoisting to | regex and | where', () => {
  const q = (detection: string) => parseSpl(renderSpl(lowerDetection(detection))).commands.map(showCommand);
  it('a top-level regex conjunct becomes | regex, a negated one | regex !=', () => {
    assert.deepEqual(q("s:\n  Image|endswith: '.exe'\n  CommandLine|re: 'a+b'\nf:\n  User|re: '^x'\ncondition: s and not f"), [
      'Image="*.exe"',
      'regex CommandLine="a+b"',
      'regex User!="^x"',
    ]);
  });
  it('a regex under OR moves with its whole disjunction into one | where; nothing is re-associated', () => {
    assert.deepEqual(q("s:\n  Image|endswith: '.exe'\nr:\n  - CommandLine|re: 'a+b'\n  - User: bob\ncondition: s and r"), [
      'Image="*.exe"',
      'where (OR match(CommandLine, "a+b") (== lower(User) "bob"))',
    ]);
  });
  it('not (a or b): De Morgan keeps the search part in the search', () => {
    assert.deepEqual(q("s:\n  Image|endswith: '.exe'\nf:\n  - ParentImage|endswith: '\\x.exe'\n  - User|cased: Bob\ncondition: s and not f"), [
      '(AND Image="*.exe" (NOT ParentImage="*\\\\x.exe"))',
      'where (NOT (AND isnotnull(User) (== User "Bob")))',
    ]);
  });
  it('nothing searchable: the search is * (every event)', () => {
    assert.deepEqual(q("s:\n  CommandLine|re: 'x'\ncondition: s"), ['*', 'regex CommandLine="x"']);
  });
  it('a regex on a field | regex cannot name goes to | where', () => {
    assert.deepEqual(q("s:\n  'Command Line|re': 'x'\ncondition: s"), ['*', "where match('Command Line', \"x\")"]);
  });
  it('the plan keeps every predicate exactly once', () => {
    const plan = hoistPipes(lowerDetection("a:\n  A|re: x\nb:\n  B: 2\nc:\n  C|cased: y\ncondition: a and b and c"));
    assert.equal(plan.pipes.length, 2);
    assert.ok(plan.search);
  });
});

describe('spl backend: search terms', () => {
  const rows: [string, string | undefined][] = [
    ['C:\\Windows\\\\*', 'F="C:\\\\Windows\\\\*"'], // Sigma `\\*`: a backslash, then a wildcard
    ['C:\\Windows\\*', undefined], // Sigma `\*`: a literal star
    ['*\\cmd.exe', 'F="*\\\\cmd.exe"'],
    ['say "hi"', 'F="say \\"hi\\""'],
    ['a|b=c [d] (e)', 'F="a|b=c [d] (e)"'],
    ['prog?.exe', undefined], // ? is literal in a search: needs where
    ['literal \\* star', undefined], // a literal * cannot be escaped in a search
    ['4688', undefined], // a search would also match 4688.0
    ['10.0.0.0/8', undefined], // a search would read it as a network
    ['', 'F=""'],
    ['*', 'F="*"'], // any value, present
  ];
  for (const [sigma, expected] of rows) {
    it(`F: '${sigma}' → ${expected ?? 'no search form'}`, () => {
      assert.equal(searchForm(stringPred('F', parseSigmaString(sigma), false)), expected);
    });
  }
  it('null, exists, numbers and networks', () => {
    assert.equal(searchForm(pred({ op: 'null', field: 'F' })), 'NOT F=*');
    assert.equal(searchForm(pred({ op: 'exists', field: 'F' })), 'F=*');
    assert.equal(searchForm(pred({ op: 'gte', field: 'F', value: -5 })), 'F>=-5');
    assert.equal(searchForm(pred({ op: 'cidr', field: 'F', value: { network: '10.0.0.1', family: 4 } })), 'F="10.0.0.1/32"');
    assert.equal(searchForm(pred({ op: 'cidr', field: 'F', value: { network: 'fe80::/10', family: 6 } })), 'F="fe80::/10"');
    assert.equal(searchForm(pred({ op: 'eq', field: 'cs-uri-query', value: 'x' })), '"cs-uri-query"="x"');
    assert.equal(searchForm(pred({ op: 'eq', field: 'OR', value: 'x' })), '"OR"="x"');
  });
  it('keywords: a * pattern, or no search form', () => {
    assert.equal(searchForm(pred({ op: 'contains', field: null, value: 'mimikatz' })), '"*mimikatz*"');
    assert.equal(searchForm(pred({ op: 'eq', field: null, value: 'mimikatz' })), undefined);
    assert.equal(searchForm(pred({ op: 'contains', field: null, value: 'x', cased: true })), undefined);
  });
});
