// The SPL oracle against the IR evaluator on a sample of the public corpus: every rule whose query
// needs | regex or | where, and every 6th other rule, on generated events and the corpus'
// regression events where a rule has them.
import { strict as assert } from 'node:assert';
import { evaluate, type Event } from '../../src/index.js';
import { corpus, regressionTests } from '../support/corpus.js';
import { generateEvents } from './spl-events.js';
import { compare, convertNone } from './spl-support.js';

/** The regression events of each rule, by rule id. */
function regressionEvents(): Map<string, Event[]> {
  const byId = new Map<string, Event[]>();
  for (const t of regressionTests()) byId.set(t.ruleId, [...(byId.get(t.ruleId) ?? []), ...t.events]);
  return byId;
}

describe('spl backend: the SPL oracle agrees with the IR evaluator', () => {
  it('on a sample of the corpus (with its regression events)', () => {
    const regression = regressionEvents();
    let rules = 0;
    let events = 0;
    let matched = 0;
    const skipped: string[] = [];
    const mismatches: string[] = [];
    corpus().forEach((doc, i) => {
      if (!doc.query) return;
      const spl = convertNone(doc.query);
      if (spl === undefined) return;
      const real = doc.id ? (regression.get(doc.id) ?? []) : [];
      if (!spl.includes('\n|') && i % 6 !== 0 && real.length === 0) return;
      const generated = generateEvents(doc.query.expr, i + 1, 16);
      const outcome = compare(doc.path, doc.query.expr, spl, [...generated, ...real]);
      if (outcome.skipped) {
        skipped.push(`${doc.path}: ${outcome.skipped}`);
        return;
      }
      rules++;
      events += outcome.events;
      matched += [...generated, ...real].filter((e) => evaluate(doc.query!.expr, e)).length;
      mismatches.push(...outcome.mismatches);
    });
    console.log(`      compared ${rules} rules on ${events} events (${matched} matching); ${skipped.length} rules skipped (an evaluator refused a feature)`);
    for (const s of skipped) console.log(`        skipped ${s}`);
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
    assert.ok(rules >= 300, `only ${rules} rules compared`);
    assert.ok(skipped.length <= rules / 20, `${skipped.length} rules skipped`);
  });
});
