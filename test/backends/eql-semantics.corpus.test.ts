// The EQL semantics comparison (eql-semantics.ts) over the public corpus: SigmaHQ's regression
// events (real Windows event logs) and generated events for a sample of the rules.
import { strict as assert } from 'node:assert';
import { evaluate } from '../../src/index.js';
import { parseEql } from '../checkers/eql.js';
import { evaluateEql } from '../support/eql-evaluator.js';
import { corpus, regressionTests } from '../support/corpus.js';
import { bare, compare, mapped, seen, show, type Event } from './eql-semantics.js';

describe('EQL semantics: IR evaluator and EQL evaluator agree', () => {
  it("SigmaHQ's regression events (real Windows event logs), -p none", function () {
    this.timeout(600_000);
    const byId = new Map(corpus().filter((d) => d.id && d.query).map((d) => [d.id!, d]));
    let events = 0;
    let matched = 0;
    const failures: string[] = [];
    for (const test of regressionTests()) {
      const doc = byId.get(test.ruleId);
      const b = doc && bare(doc);
      if (!b) continue;
      const parsed = parseEql(b.query);
      for (const event of test.events) {
        const sigma = evaluate(b.expr, event);
        events++;
        if (sigma) matched++;
        for (const logic of ['kleene', 'lucene'] as const) {
          if (evaluateEql(parsed, event as Event, { logic }) !== sigma) failures.push(`${doc.path} (${logic}): Sigma says ${sigma}\n${b.query}`);
        }
      }
    }
    assert.ok(events >= 190 && matched >= 150, `${events} events, ${matched} matching`);
    assert.deepEqual(failures.slice(0, 5), []);
  });

  it('a sample of the corpus, -p none and the ECS pipelines', function () {
    this.timeout(600_000);
    const docs = corpus().filter((d) => d.query);
    // Every 7th rule: a few hundred rules across all log sources.
    const sample = docs.filter((_, i) => i % 7 === 0);
    let checked = 0;
    const failures: string[] = [];
    sample.forEach((doc, i) => {
      const b = bare(doc);
      const targets = [...(b ? [b] : []), ...mapped(doc)];
      for (const t of targets) {
        const d = compare(t.expr, t.query, i, 60);
        if (d) failures.push(`${doc.path}: ${show(d, t.query)}`);
        checked++;
      }
    });
    assert.ok(sample.length >= 300, `sample of ${sample.length} rules`);
    assert.ok(checked >= 500, `only ${checked} queries compared`);
    assert.deepEqual(failures.slice(0, 5), []);
    // The generator must reach both outcomes for most queries, or agreement would prove little.
    assert.ok(seen.withBoth >= 0.9 * seen.queries, `only ${seen.withBoth} of ${seen.queries} queries saw both matching and non-matching events`);
  });
});
