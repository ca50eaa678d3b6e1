// Semantics over strings: the SPL a rule renders to, run by the SPL oracle (Splunk's documented
// semantics, test/support/spl-evaluator.ts) on events built from the rule's own predicates, must
// keep exactly the events rulecast's IR evaluator accepts. Run on the golden cases, on a sample of
// the corpus (every rule whose query needs | regex or | where, and every 6th other rule), with the
// corpus' regression events where a rule has them.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fg from 'fast-glob';
import { load } from 'js-yaml';
import { convertQuery, evaluate, isRulecastError, readEvents, type Expr, type RuleQuery } from '../../src/index.js';
import { parseSpl, type SplQuery } from '../../src/verify/spl.js';
import { evaluateSpl } from '../support/spl-evaluator.js';
import { goldenCases } from '../support/golden.js';
import { sharedRoot } from '../support/paths.js';
import { corpus } from '../corpus.test.js';
import { generateEvents } from './spl-events.js';
import { goldenQuery } from './spl.test.js';

interface Outcome {
  readonly events: number;
  readonly mismatches: string[];
  /** Why the rule could not be compared (an evaluator refused a feature), or undefined. */
  readonly skipped?: string;
}

/** Compares the two evaluators on every event. */
export function compare(label: string, expr: Expr, spl: string, events: readonly Record<string, unknown>[]): Outcome {
  let parsed: SplQuery;
  parsed = parseSpl(spl, label);
  const mismatches: string[] = [];
  for (const event of events) {
    let expected: boolean;
    try {
      expected = evaluate(expr, event);
    } catch (err) {
      if (isRulecastError(err)) return { events: 0, mismatches: [], skipped: `IR evaluator: ${err.message}` };
      throw err;
    }
    let actual: boolean;
    try {
      actual = evaluateSpl(parsed, event);
    } catch (err) {
      if (isRulecastError(err) && err.code === 'spl-evaluate') return { events: 0, mismatches: [], skipped: `SPL oracle: ${err.message}` };
      throw err;
    }
    if (actual !== expected) mismatches.push(`${label}: IR says ${expected}, SPL says ${actual} on ${JSON.stringify(event)}\n${spl}`);
  }
  return { events: events.length, mismatches };
}

function regressionEvents(): Map<string, Record<string, unknown>[]> {
  const dir = join(sharedRoot, 'corpus', 'sigma', 'regression_data');
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const info of fg.sync('**/info.yml', { cwd: dir, absolute: true }).sort()) {
    const meta = load(readFileSync(info, 'utf8')) as { rule_metadata: { id: string }[]; regression_tests_info?: { path: string }[] };
    for (const t of meta.regression_tests_info ?? []) {
      const path = join(dirname(info), `${basename(t.path).replace(/\.[^.]+$/, '')}.json`);
      if (!existsSync(path)) continue;
      const id = meta.rule_metadata[0]!.id;
      byId.set(id, [...(byId.get(id) ?? []), ...(readEvents(readFileSync(path, 'utf8'), path) as Record<string, unknown>[])]);
    }
  }
  return byId;
}

function convertNone(query: RuleQuery): string | undefined {
  try {
    return convertQuery(query, 'spl', { pipelines: ['none'] });
  } catch (err) {
    if (isRulecastError(err)) return undefined;
    throw err;
  }
}

describe('spl backend: the SPL oracle agrees with the IR evaluator', () => {
  it('on the golden cases', () => {
    let events = 0;
    const mismatches: string[] = [];
    const skipped: string[] = [];
    for (const name of goldenCases()) {
      const q = goldenQuery(name);
      const spl = convertNone(q);
      if (spl === undefined) continue;
      const outcome = compare(name, q.expr, spl, generateEvents(q.expr, name.length * 7919, 40));
      if (outcome.skipped) skipped.push(name);
      events += outcome.events;
      mismatches.push(...outcome.mismatches);
    }
    assert.deepEqual(mismatches.slice(0, 5), [], `${mismatches.length} mismatches`);
    // The only case no evaluator can run: its regex uses a lookahead, which RE2 (the IR evaluator's
    // engine) does not have. Any other refusal is a failure.
    assert.deepEqual(skipped, ['eql-regex-lookaround']);
    assert.ok(events > 300, `only ${events} events`);
  });

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
