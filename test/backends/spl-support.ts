// Helpers of the SPL tests, shared by the self-contained and the corpus suite.
import { strict as assert } from 'node:assert';
import { convertQuery, evaluate, isRulecastError, type Expr, type RuleQuery } from '../../src/index.js';
import { parseSpl, type SplQuery } from '../checkers/spl.js';
import { evaluateSpl } from '../support/spl-evaluator.js';

/** The query text of a savedsearches.conf stanza: `search = …` with its `\` continuations. */
export function confSearch(conf: string): string {
  const lines = conf.split('\n');
  const start = lines.findIndex((l) => l.startsWith('search = '));
  assert.ok(start >= 0, `no search in\n${conf}`);
  const out: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = i === start ? lines[i]!.slice('search = '.length) : lines[i]!;
    if (line.endsWith(' \\')) out.push(line.slice(0, -2));
    else {
      out.push(line);
      break;
    }
  }
  return out.join('\n');
}

export interface Outcome {
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

/** The rule's SPL with -p none, or undefined when the backend refuses it. */
export function convertNone(query: RuleQuery): string | undefined {
  try {
    return convertQuery(query, 'spl', { pipelines: ['none'] });
  } catch (err) {
    if (isRulecastError(err)) return undefined;
    throw err;
  }
}

