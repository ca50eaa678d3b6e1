import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { analyzeExclusion, lintExclusion, type ExclusionAnalysis, type Verdict } from '../../src/analysis/exclusion.js';
import { readExclusions } from '../../src/exclusions/read.js';
import { evaluate } from '../../src/ir/evaluate.js';
import type { Expr } from '../../src/ir/types.js';
import { compileExclusion } from '../../src/lower/exclusion.js';
import { compileSigma } from '../../src/index.js';
import { seedDocument } from '../support/paths.js';

const x = (text: string): Expr => compileExclusion(text).expr;

/** Analyses and checks every witness with the evaluator: a removed event is matched by the
 *  detection and the exclusion, a kept one by the detection and not the exclusion. */
function analyze(detection: Expr, exclusion: Expr, options = {}): ExclusionAnalysis {
  const r = analyzeExclusion(detection, exclusion, options);
  if (r.witnesses.removed) {
    assert.equal(evaluate(detection, r.witnesses.removed), true, 'removed witness: detection');
    assert.equal(evaluate(exclusion, r.witnesses.removed), true, 'removed witness: exclusion');
  }
  if (r.witnesses.kept) {
    assert.equal(evaluate(detection, r.witnesses.kept), true, 'kept witness: detection');
    assert.equal(evaluate(exclusion, r.witnesses.kept), false, 'kept witness: exclusion');
  }
  // The witnesses a verdict promises are there.
  if (r.verdict === 'partial') assert.ok(r.witnesses.removed && r.witnesses.kept);
  if (r.verdict === 'dead') assert.equal(r.witnesses.removed, undefined);
  if (r.verdict === 'total') assert.equal(r.witnesses.kept, undefined);
  return r;
}

describe('analyzeExclusion: the seed scenarios', () => {
  const seed = readExclusions(readFileSync(seedDocument, 'utf8'), 'seed.txt');
  const filters = seed.exclusions.map((e) => e.expr!);
  // The seed's KQL query (FileName =~ "nbtscan.exe" or SHA1 in (…)) in the exclusions' ECS names.
  const byName = x('process.name == "nbtscan.exe"');
  const byNameOrHash = x('process.name == "nbtscan.exe" OR process.hash.sha1 in ("9af0cb61580dba0e380cddfe9ca43a3e128ed2f8", "90da10004c8f6fafdaa2cf18922670a745564f45")');

  const expected: [string, Verdict, Verdict][] = [
    // [scenario, against process.name == "nbtscan.exe", against name OR hash]
    // 1. `process.name != "nbtscan"` holds for every nbtscan.exe: it removes every detection by
    //    name; only a hash match renamed exactly "nbtscan" survives.
    ['Scheduled NBTScan Job for Network Inventory', 'total', 'partial'],
    // 2./3. `process.name == "nbtscan"` never equals "nbtscan.exe": dead for the name; a hash
    //    match named "nbtscan" can still be removed.
    ['Legitimate Network Discovery Tool Usage', 'dead', 'partial'],
    ['Admin Task to Check NetBIOS Services', 'dead', 'partial'],
    // 4./5. the OR branch on process.args alone removes some nbtscan.exe runs.
    ['Automated Patch Management Tool Scanning', 'partial', 'partial'],
    ['Internal Security Tool for Active Directory Enumeration', 'partial', 'partial'],
  ];
  expected.forEach(([name, againstName, againstBoth], i) => {
    it(`${i + 1}. ${name}: ${againstName} / ${againstBoth}`, () => {
      assert.equal(seed.exclusions[i]!.name, name);
      assert.equal(analyze(byName, filters[i]!).verdict, againstName);
      assert.equal(analyze(byNameOrHash, filters[i]!).verdict, againstBoth);
    });
  });

  it('explains scenario 2 as dead with the contradicting values', () => {
    const r = analyze(byName, filters[1]!);
    assert.equal(r.reason, 'the exclusion can never remove a detection: no event matches both (process.name == "nbtscan.exe" contradicts process.name == "nbtscan")');
    assert.deepEqual(r.witnesses, { removed: undefined, kept: { 'process.name': 'nbtscan.exe' } });
  });

  it('explains scenario 1 as total', () => {
    const r = analyze(byName, filters[0]!);
    assert.equal(
      r.reason,
      'the exclusion removes every detection: every event the detection matches also matches the exclusion (process.name == "nbtscan.exe" contradicts process.name == "nbtscan")',
    );
  });

  it('gives scenario 5 its witnesses: args containing "AD" removed, others kept', () => {
    const r = analyze(byName, filters[4]!);
    assert.deepEqual(r.witnesses, { removed: { 'process.name': 'nbtscan.exe', 'process.args': '_ad_' }, kept: { 'process.name': 'nbtscan.exe' } });
  });

  it('warns about the seed filters: parenthesisation, shorthand, short and generic values, the missing extension', () => {
    const codes = seed.exclusions.map((e) => analyze(byName, e.expr!, { diagnostics: e.diagnostics }).warnings.map((w) => w.code));
    assert.deepEqual(codes, [
      ['missing-extension'],
      ['mixed-and-or', 'value-shorthand', 'missing-extension', 'generic-contains'],
      ['mixed-and-or', 'value-shorthand', 'missing-extension', 'generic-contains', 'generic-contains'],
      ['mixed-and-or', 'missing-extension'],
      ['mixed-and-or', 'value-shorthand', 'missing-extension', 'short-contains'],
    ]);
    const r = analyze(byName, seed.exclusions[4]!.expr!);
    assert.deepEqual(
      r.warnings.map((w) => w.message),
      [
        'process.name == "nbtscan" lacks the file extension of the detection\'s process.name == "nbtscan.exe": "nbtscan" is not "nbtscan.exe"; did you mean "nbtscan.exe"?',
        'process.args contains "AD" is very short (2 characters): it also matches values such as "load", "add", "read"; compare a longer, more specific value',
      ],
    );
  });
});

describe('analyzeExclusion: one field, different operators', () => {
  const table: [string, string, Verdict][] = [
    // [detection, exclusion, verdict]
    ['f startswith "ab"', 'f startswith "a"', 'total'],
    ['f startswith "a"', 'f startswith "ab"', 'partial'],
    ['f startswith "ab"', 'f startswith "ac"', 'dead'],
    ['f startswith "ab"', 'f endswith "b"', 'partial'], // "ab" is removed, "ab_" kept
    ['f startswith "ab" AND f endswith "b"', 'f == "ab"', 'partial'],
    ['f endswith ".exe"', 'f endswith ".dll"', 'dead'],
    ['f endswith "\\\\nbtscan.exe"', 'f endswith "nbtscan.exe"', 'total'],
    ['f endswith "nbtscan.exe"', 'f endswith "\\\\nbtscan.exe"', 'partial'],
    ['f == "a.exe"', 'f endswith ".EXE"', 'total'], // case-insensitive by default
    ['f == "a.exe"', 'f endswith_cs ".EXE"', 'partial'], // "a.EXE" is removed, "a.exe" kept
    ['f ==_cs "a.exe"', 'f endswith_cs ".EXE"', 'dead'],
    ['f ==_cs "NBTSCAN.EXE"', 'f == "nbtscan.exe"', 'total'],
    ['f == "nbtscan.exe"', 'f ==_cs "nbtscan.exe"', 'partial'], // "Nbtscan.exe" is kept
    ['f == "nbtscan.exe"', 'f contains "scan"', 'total'],
    ['f contains "scan"', 'f == "nbtscan.exe"', 'partial'],
    ['f contains "x"', 'f contains "xy"', 'partial'],
    ['f contains "xy"', 'f contains "x"', 'total'],
    ['f == "a"', 'f != "a"', 'dead'],
    ['f == "a"', 'f != "b"', 'total'],
    ['f in ("a", "b")', 'f != "a"', 'partial'],
    ['f in ("a", "b")', 'NOT f in ("a", "b")', 'dead'],
    ['f == "a"', 'f matches "^a$" OR f == "a"', 'total'], // decided by the eq alone
    ['event.code == 4688', 'event.code == 4688', 'total'],
    ['event.code == 4688', 'event.code in (1, 2)', 'dead'],
    ['event.code == 4688', 'event.code != 4688', 'dead'],
  ];
  for (const [detection, exclusion, verdict] of table) {
    it(`${detection} | ${exclusion} → ${verdict}`, () => {
      assert.equal(analyze(x(detection), x(exclusion)).verdict, verdict);
    });
  }

  it('reads numbers as the evaluator does: "0x1250" is 4688, without a "46"', () => {
    const r = analyze(x('event.code == 4688'), x('event.code contains "46"'));
    assert.equal(r.verdict, 'partial');
    assert.deepEqual(r.witnesses.kept, { 'event.code': '0x1250' });
  });
});

describe('analyzeExclusion: missing fields', () => {
  const table: [string, string, Verdict][] = [
    // a negated comparison holds on a missing field, a positive one fails
    ['g == "1"', 'f != "x"', 'partial'], // removed when f is missing, kept when f is "x"
    ['g == "1" AND NOT f exists', 'f == "x"', 'dead'],
    ['g == "1" AND NOT f exists', 'f != "x"', 'total'],
    ['g == "1" AND NOT f exists', 'NOT f contains "x"', 'total'],
    ['g == "1"', 'f exists', 'partial'],
    ['f != "a"', 'f exists', 'partial'],
    ['f exists', 'NOT f contains "a"', 'partial'], // a present null contains nothing
    ['f exists AND f startswith "a"', 'NOT f contains ""', 'dead'],
  ];
  for (const [detection, exclusion, verdict] of table) {
    it(`${detection} | ${exclusion} → ${verdict}`, () => {
      assert.equal(analyze(x(detection), x(exclusion)).verdict, verdict);
    });
  }

  it('names the missing field in the witness by leaving it out', () => {
    const r = analyze(x('g == "1"'), x('f != "x"'));
    assert.deepEqual(r.witnesses, { removed: { g: '1' }, kept: { g: '1', f: 'x' } });
  });

  it('says when the detection itself matches nothing', () => {
    const r = analyze(x('f == "a" AND f == "b"'), x('g exists'));
    assert.equal(r.verdict, 'dead');
    assert.match(r.reason, /^the detection matches no event at all, so the exclusion has nothing to remove: f == "a" contradicts f == "b"/);
  });
});

describe('analyzeExclusion: unknown, with the reason', () => {
  it('a regular expression it cannot decide', () => {
    const r = analyze(x('f matches "^a+b$"'), x('f == "x"'));
    assert.equal(r.verdict, 'unknown');
    assert.equal(r.reason, 'cannot decide whether the exclusion removes or keeps detections: f matches "^a+b$" is outside the analysed fragment (a regular expression)');
  });

  it('a wildcard in a Sigma rule: removal proved by a witness, keeping undecided', () => {
    const [doc] = compileSigma(
      ['title: nbtscan', 'logsource:', '  category: process_creation', '  product: windows', 'detection:', '  selection:', "    Image: 'C:\\\\*\\nbtscan.exe'", '  condition: selection'].join('\n'),
      'rule.yml',
    );
    const r = analyze(doc!.query!.expr, x('Image endswith "\\\\nbtscan.exe"'));
    assert.equal(r.verdict, 'unknown');
    assert.deepEqual(r.witnesses.removed, { Image: 'C:\\\\nbtscan.exe' });
    assert.match(r.reason, /^the exclusion removes some detections, e\.g\. .*, but whether it keeps any cannot be decided: Image like 'C:\\\\\*\\\\nbtscan\.exe' \(Sigma wildcards\) is outside the analysed fragment \(a wildcard pattern\)$/);
  });

  it('is still exact when the undecidable predicate does not matter', () => {
    // the exclusion is about another value of the same field the regex-free part fixes
    assert.equal(analyze(x('f matches "scan" AND g == "1"'), x('g == "2"')).verdict, 'dead');
    assert.equal(analyze(x('f matches "scan" AND g == "1"'), x('NOT f exists')).verdict, 'dead');
    assert.equal(analyze(x('f matches "nbtscan" AND g == "1"'), x('g == "1"')).verdict, 'total');
  });

  it('case-sensitive and case-insensitive values it cannot combine', () => {
    const r = analyze(x('f contains "a"'), x('f contains_cs "a" OR f contains_cs "A"'));
    assert.equal(r.verdict, 'unknown');
    assert.match(r.reason, /f has both case-sensitive and case-insensitive comparisons that the analysis cannot combine exactly/);
  });

  it('a formula beyond the conjunct limit', () => {
    const detection = x(Array.from({ length: 12 }, (_, i) => `x${i} in ("a", "b")`).join(' AND '));
    const r = analyze(detection, x('g == "1" AND g == "2"'), { maxConjuncts: 100 });
    assert.equal(r.verdict, 'unknown');
    assert.match(r.reason, /^the exclusion keeps some detections, e\.g\. .*, but whether it removes any cannot be decided: the expression has more than 100 alternatives in disjunctive normal form/);
    assert.equal(analyze(detection, x('g == "1" AND g == "2"')).verdict, 'dead'); // 4096 conjuncts: within the default limit
  });
});

describe('lintExclusion', () => {
  const codes = (d: string, e: string) => lintExclusion(x(d), x(e)).map((w) => w.code);

  it('short and generic contains values', () => {
    assert.deepEqual(codes('f exists', 'f contains "AD"'), ['short-contains']);
    assert.deepEqual(codes('f exists', 'f contains " -r "'), ['short-contains']); // 2 characters once trimmed
    assert.deepEqual(codes('f exists', 'f contains "SYSTEM"'), ['generic-contains']);
    assert.deepEqual(codes('f exists', 'f contains "ADInsight"'), []);
    assert.deepEqual(codes('f exists', 'f == "AD"'), []); // equality is not a substring test
  });

  it('values differing from the detection only by case, when that matters', () => {
    assert.deepEqual(codes('f == "NBTSCAN.EXE"', 'f ==_cs "nbtscan.exe"'), ['case-mismatch']);
    assert.deepEqual(codes('f ==_cs "NBTSCAN.EXE"', 'f endswith "nbtscan.exe"'), ['case-mismatch']);
    assert.deepEqual(codes('f == "NBTSCAN.EXE"', 'f == "nbtscan.exe"'), []); // both case-insensitive: the same match
    assert.deepEqual(codes('g ==_cs "NBTSCAN.EXE"', 'f ==_cs "nbtscan.exe"'), []); // another field
  });

  it('a missing file extension', () => {
    assert.deepEqual(codes('process.name == "nbtscan.exe"', 'process.name == "nbtscan"'), ['missing-extension']);
    assert.deepEqual(codes('Image endswith "\\\\nbtscan.exe"', 'Image endswith "nbtscan"'), ['missing-extension']);
    assert.deepEqual(codes('process.name == "nbtscan.exe"', 'process.name startswith "nbtscan"'), []); // still matches
    assert.deepEqual(codes('process.name == "nbtscan.exe"', 'process.name == "nbtscan.exe"'), []);
    const [w] = lintExclusion(x('Image endswith "\\\\nbtscan.exe"'), x('Image == "NBTSCAN"'));
    assert.equal(w!.message, 'Image == "NBTSCAN" lacks the file extension of the detection\'s Image endswith "\\\\nbtscan.exe": "NBTSCAN" is not "nbtscan.exe"; did you mean "nbtscan.exe"?');
  });

  it('keeps the position of the predicate it warns about', () => {
    const [w] = lintExclusion(x('f exists'), compileExclusion('g == "1" AND f contains "AD"', 'x.txt').expr);
    assert.equal(w!.span!.start, 13);
    assert.equal(w!.span!.source.path, 'x.txt');
  });
});

describe('library API (src/index.ts)', () => {
  it('reads an exclusions file, analyses each exclusion against a Sigma rule and prints it back', async () => {
    const api = await import('../../src/index.js');
    const [rule] = api.compileSigma(
      ['title: nbtscan', 'logsource:', '  category: process_creation', '  product: windows', 'detection:', '  selection:', "    Image|endswith: '\\nbtscan.exe'", '  condition: selection'].join('\n'),
      'rule.yml',
    );
    const file = api.readExclusions('exclusions:\n  - name: cmd parent\n    filter: ParentImage endswith "\\\\cmd.exe"\n  - name: other tool\n    filter: Image endswith "\\\\other.exe"\n', 'x.yml');
    const results = file.exclusions.map((e) => [e.name, api.analyzeExclusion(rule!.query!.expr, e.expr!).verdict, api.printExclusion(e.expr!)]);
    assert.deepEqual(results, [
      ['cmd parent', 'partial', 'ParentImage endswith "\\\\cmd.exe"'],
      ['other tool', 'dead', 'Image endswith "\\\\other.exe"'],
    ]);
    assert.equal(api.satisfiable(api.compileExclusion('a == "1" AND a == "2"').expr).status, 'unsat');
  });
});
