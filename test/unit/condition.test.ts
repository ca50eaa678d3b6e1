import { strict as assert } from 'node:assert';
import { compileOne, ir, lowerDetection, lowerError, ruleWith } from '../support/rules.js';

const selections = `sel1:
  A: 1
sel2:
  B: 2
sel3:
  C: 3
_filter:
  D: 4`;

/** The IR of a condition over sel1..sel3 (A=1, B=2, C=3) and _filter (D=4), written as letters. */
function cond(condition: string): string {
  const json = ir(lowerDetection(`${selections}\ncondition: ${condition}`));
  return json
    .replace(/\{"op":"eq","field":"([A-D])","value":\d\}/g, '$1')
    .replace(/"/g, '');
}

describe('condition grammar', () => {
  const cases: [string, string][] = [
    ['sel1', 'A'],
    ['sel1 and sel2', '{and:[A,B]}'],
    ['sel1 or sel2 and sel3', '{or:[A,{and:[B,C]}]}'], // and binds tighter than or
    ['sel1 and sel2 or sel3', '{or:[{and:[A,B]},C]}'],
    ['not sel1 and sel2', '{and:[{not:A},B]}'], // not binds tighter than and
    ['not (sel1 and sel2)', '{not:{and:[A,B]}}'],
    ['not not sel1', 'A'],
    ['(sel1 or sel2) and sel3', '{and:[{or:[A,B]},C]}'],
    ['1 of sel*', '{or:[A,B,C]}'],
    ['all of sel*', '{and:[A,B,C]}'],
    ['any of sel*', '{or:[A,B,C]}'],
    ['1 of them', '{or:[A,B,C]}'], // them skips _-prefixed names
    ['all of sel? and not _filter', '{and:[A,B,C,{not:D}]}'],
    ['1 of _f*', 'D'], // a pattern starting with _ reaches _-prefixed names
    ['1 of sel1', 'A'],
    ['sel1 and not 1 of sel2*', '{and:[A,{not:B}]}'],
    ['  sel1\tand\n sel2 ', '{and:[A,B]}'],
  ];
  for (const [condition, expected] of cases) {
    it(JSON.stringify(condition), () => assert.equal(cond(condition), expected));
  }

  it('a list of conditions is ORed', () => {
    assert.equal(cond('\n  - sel1\n  - sel2 and sel3'), '{or:[A,{and:[B,C]}]}');
  });

  it('keywords need word boundaries: identifiers may start with and/or/not', () => {
    const e = lowerDetection(`notes:\n  A: 1\norder:\n  B: 2\nandroid:\n  C: 3\ncondition: notes and order or android`);
    assert.equal(ir(e).replace(/"/g, ''), '{or:[{and:[{op:eq,field:A,value:1},{op:eq,field:B,value:2}]},{op:eq,field:C,value:3}]}');
  });

  it('identifiers may contain dashes and dots', () => {
    assert.equal(ir(lowerDetection(`sel-1.x:\n  A: 1\ncondition: sel-1.x`)), '{"op":"eq","field":"A","value":1}');
  });

  it('uppercase keywords are read, with a warning', () => {
    const doc = compileOne(ruleWith(`${selections}\ncondition: sel1 AND NOT sel2`));
    const warnings = doc.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
    assert.deepEqual(warnings.filter((w) => w === 'condition-keyword-case'), ['condition-keyword-case', 'condition-keyword-case']);
  });

  it('unused selections and all of them are reported as warnings', () => {
    const doc = compileOne(ruleWith(`${selections}\ncondition: sel1`));
    assert.deepEqual(
      doc.diagnostics.map((d) => `${d.code} ${d.message}`),
      ["unused-selection selection 'sel2' is not used by the condition", "unused-selection selection 'sel3' is not used by the condition", "unused-selection selection '_filter' is not used by the condition"],
    );
    const all = compileOne(ruleWith(`${selections}\ncondition: all of them and not _filter`));
    assert.deepEqual(all.diagnostics.map((d) => d.code), ['all-of-them']);
  });

  describe('errors', () => {
    const errors: [string, RegExp][] = [
      ['sel4', /^unknown-identifier: condition refers to 'sel4', which no selection defines; did you mean 'sel1'\?/],
      ['1 of foo*', /^unknown-identifier: 'foo\*' matches no selection/],
      ['sel1 and', /^condition-syntax: invalid condition: expected .* but found end of input/],
      ['sel1 sel2', /^condition-syntax: invalid condition: expected 'and', 'or' or end of condition but found 'sel2'/],
      ['(sel1 or sel2', /^condition-syntax: invalid condition: expected .*'\)'/],
      ['2 of sel*', /^condition-syntax/],
      ['sel1 | count() > 5', /^condition-syntax: invalid condition: the aggregation pipe/],
    ];
    for (const [condition, expected] of errors) {
      it(condition, () => assert.match(lowerError(`${selections}\ncondition: ${condition}`), expected));
    }
  });
});
