// The public Sigma corpus (../shared/corpus/sigma, read in place): every rule must load and lower,
// and the evaluator must find, for every regression test, at least match_count matching events.
import { strict as assert } from 'node:assert';
import { evaluate, formatDiagnostic } from '../src/index.js';
import { corpus, regressionTests } from './support/corpus.js';

describe('Sigma corpus', () => {
  it('loads and lowers every rule (no rule of the public corpus violates the specification)', () => {
    const docs = corpus();
    assert.ok(docs.length >= 3000, `expected the full corpus, found ${docs.length} documents`);
    const failed = docs.filter((d) => !d.query);
    const report = failed.slice(0, 10).map((d) => d.diagnostics.filter((x) => x.severity === 'error').map((x) => formatDiagnostic(x)).join('\n'));
    assert.equal(failed.length, 0, `${failed.length} rules failed:\n${report.join('\n\n')}`);
  });

  it('every regression test finds at least match_count matching events', () => {
    const byId = new Map(corpus().filter((d) => d.id).map((d) => [d.id!, d]));
    let checked = 0;
    const failures: string[] = [];
    for (const test of regressionTests()) {
      const rule = byId.get(test.ruleId);
      assert.ok(rule?.query, `no rule with id ${test.ruleId} for ${test.info}`);
      const matched = test.events.filter((e) => evaluate(rule.query!.expr, e)).length;
      if (matched < test.matchCount) failures.push(`${rule.path}: ${matched} of ${test.events.length} events match, expected ${test.matchCount}`);
      checked++;
    }
    assert.ok(checked >= 190, `expected the regression data, checked ${checked}`);
    assert.deepEqual(failures, []);
  });
});
