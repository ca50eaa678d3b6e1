// The `sigma` target's plan: the rule's detection as Sigma selections and a condition (the tuned
// query's exclusions composed into it, in the rule's own names), with its metadata, log sources
// and lookback. The output stage writes it as YAML (src/output/formats/sigma-default.ts) that
// rulecast (and other Sigma tools, for the constructs the specification has) reads back to the
// same detection.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { andOf, not } from '../../ir/build.js';
import { irKey } from '../../ir/dump.js';
import { simplify } from '../../ir/passes.js';
import { describeLogsource, durationText, type QueryLogsource, type QueryMeta, type RuleQuery } from '../../ir/query.js';
import type { Expr } from '../../ir/types.js';
import { exclusionsInRuleNamespace } from '../../pipelines/namespace.js';
import type { MappedQuery } from '../../pipelines/types.js';
import type { Backend, PlanOptions } from '../contract.js';
import { toSigmaDetection, type SigmaDetection } from './detection.js';

export interface SigmaPlan {
  readonly meta: QueryMeta;
  readonly logsource: QueryLogsource;
  /** Further log sources (rulecast.logsources). */
  readonly more: readonly QueryLogsource[];
  readonly detection: SigmaDetection;
  readonly fields: readonly string[];
  readonly lookback: string | null;
  /** Names of the exclusions composed into the detection, for its comment. */
  readonly exclusions: readonly string[];
}

/** A tuned query's exclusions in the rule's own names (the namespace step), for its one
 *  detection: they must say the same in every log source of the rule (a Sigma rule has one
 *  detection for all of them), or the rule is refused. */
function exclusionsInRuleNames(query: RuleQuery): Expr[] {
  const [first, ...more] = query.logsources;
  if (!first || !query.exclusions?.length) return [];
  const mapped = exclusionsInRuleNamespace(query, first);
  for (const ls of more) {
    exclusionsInRuleNamespace(query, ls).forEach((e, i) => {
      if (irKey(e.expr) !== irKey(mapped[i]!.expr)) {
        throw new RulecastError('sigma-exclusion-logsources', `exclusion '${e.name}' means different conditions in logsource ${describeLogsource(first)} and ${describeLogsource(ls)}; a Sigma rule has one detection for all its log sources`, query.exclusions![i]!.span);
      }
    });
  }
  return mapped.map((e) => e.expr);
}

export function sigmaPlan(mapped: MappedQuery, _options: PlanOptions): SigmaPlan {
  const query = mapped.query;
  const exclusions = query.exclusions ?? [];
  const excluded = exclusionsInRuleNames(query);
  const detection = toSigmaDetection(exclusions.length ? simplify(andOf([query.expr, ...excluded.map((e) => not(e))])) : query.expr);
  const [first, ...more] = query.logsources;
  if (!first) throw new RulecastError('sigma-logsource', 'the query has no log source; a Sigma rule needs one', query.span);
  return {
    meta: query.meta,
    logsource: first,
    more,
    detection,
    fields: query.fields,
    lookback: query.lookback ? durationText(query.lookback) : null,
    exclusions: exclusions.map((e) => e.name),
  };
}

export const sigmaBackend: Backend<SigmaPlan> = {
  name: 'sigma',
  description: 'Sigma rule (YAML), with rulecast keys for several log sources and a lookback',
  defaultPipeline: 'none',
  takesPipelines: false,
  plan: sigmaPlan,
};
