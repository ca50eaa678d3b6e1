// Which events a (tuned) rule matches, and what each of its exclusions removes: what `rulecast
// match` and the web page report.
import { evaluate, type Event } from '../ir/evaluate.js';
import type { RuleQuery } from '../ir/query.js';

export interface RuleMatches {
  /** Events the tuned query matches (0-based). */
  readonly matches: number[];
  /** Per exclusion, the detections it removes (an event may be removed by several). */
  readonly exclusions: { readonly name: string; readonly removed: number[] }[];
}

export function matchesOf(query: RuleQuery, events: readonly Event[]): RuleMatches {
  const exclusions = (query.exclusions ?? []).map((e) => ({ name: e.name, expr: e.expr, removed: [] as number[] }));
  const matches: number[] = [];
  events.forEach((event, i) => {
    if (!evaluate(query.expr, event)) return;
    let kept = true;
    for (const e of exclusions) {
      if (evaluate(e.expr, event)) {
        e.removed.push(i);
        kept = false;
      }
    }
    if (kept) matches.push(i);
  });
  return { matches, exclusions: exclusions.map(({ name, removed }) => ({ name, removed })) };
}
