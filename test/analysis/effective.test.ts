// A partial exclusion looked at more closely: the detection alternatives it removes whole, and
// whether the detections it keeps are an artefact of a near-miss value (effectively total).
import { strict as assert } from 'node:assert';
import { analyzeExclusion } from '../../src/analysis/exclusion.js';
import type { Expr } from '../../src/ir/types.js';
import { compileExclusion } from '../../src/lower/exclusion.js';

const x = (text: string): Expr => compileExclusion(text).expr;
const codes = (detection: Expr, exclusion: Expr) => analyzeExclusion(detection, exclusion).warnings.map((w) => w.code);
const warning = (detection: Expr, exclusion: Expr, code: string) => analyzeExclusion(detection, exclusion).warnings.find((w) => w.code === code);

describe('exclusion analysis: partial exclusions looked at closely', () => {
  const byNameOrHash = x('process.name == "nbtscan.exe" OR process.hash.sha1 in ("9af0cb61580dba0e380cddfe9ca43a3e128ed2f8", "90da10004c8f6fafdaa2cf18922670a745564f45")');

  it('the first seed scenario is partial, effectively total: it removes every name-based detection and keeps only a hash match named exactly "nbtscan"', () => {
    const first = x('process.name != "nbtscan" OR process.parent.name == "task scheduler" OR process.args contains "inventory"');
    const r = analyzeExclusion(byNameOrHash, first);
    assert.equal(r.verdict, 'partial');
    const w = r.warnings.find((x) => x.code === 'effectively-total');
    assert.ok(w, 'effectively-total');
    assert.match(w.message, /removes every detection of process\.name == "nbtscan\.exe"/);
    assert.match(w.message, /every detection it keeps has process\.name == "nbtscan" \(a near miss of the detection's process\.name == "nbtscan\.exe"\)/);
    assert.ok(!codes(byNameOrHash, first).includes('removes-alternative'), 'effectively-total says it already');
  });

  it('the near miss may sit on another field than the detection value it misses (the process that wrote the detected file)', () => {
    const fileEvent = x('file.name == "nbtscan.exe"');
    const r = analyzeExclusion(fileEvent, x('process.name != "nbtscan"'));
    assert.equal(r.verdict, 'partial');
    assert.ok(r.warnings.some((w) => w.code === 'effectively-total'));
  });

  it('an exclusion that removes one alternative whole and keeps real detections of another says removes-alternative', () => {
    const w = warning(byNameOrHash, x('process.name == "nbtscan.exe"'), 'removes-alternative');
    assert.ok(w);
    assert.match(w.message, /removes every detection of process\.name == "nbtscan\.exe"; it keeps detections of the others/);
  });

  it('value lists stay one alternative: removing one hash of two is not reported as removing an alternative', () => {
    const r = analyzeExclusion(byNameOrHash, x('process.hash.sha1 == "9af0cb61580dba0e380cddfe9ca43a3e128ed2f8"'));
    assert.equal(r.verdict, 'partial');
    assert.deepEqual(r.warnings.map((w) => w.code), []);
  });

  it('a partial exclusion whose kept detections avoid the near-miss value is not effectively total', () => {
    // Kept detections: any nbtscan.exe run not from "cmd" (whatever the near miss).
    const r = analyzeExclusion(x('process.name == "nbtscan.exe" OR process.name == "cmd.exe"'), x('process.parent.name == "cmd"'));
    assert.equal(r.verdict, 'partial');
    assert.ok(!r.warnings.some((w) => w.code === 'effectively-total'));
  });

  it('alternatives are the conjunctions of the detection (and distributed over or)', () => {
    const detection = x('event.category == "process" AND (process.name == "a.exe" OR process.name == "b.exe")');
    // A list on one field is one alternative; here the or is over one field, so nothing is split.
    assert.ok(!codes(detection, x('process.name == "a.exe"')).includes('removes-alternative'));
    const twoFields = x('event.category == "process" AND (process.name == "a.exe" OR process.executable endswith "\\\\b.exe")');
    const w = warning(twoFields, x('process.name == "a.exe"'), 'removes-alternative');
    assert.ok(w);
    assert.match(w.message, /event\.category == "process" AND process\.name == "a\.exe"/);
  });
});
