// -f kql:sentinel-rule: a Microsoft Sentinel scheduled analytics rule (YAML). A scheduled rule runs
// every queryFrequency over the last queryPeriod; with the period equal to the frequency each
// event is read by one run only, so it alerts once. The rule's lookback (a hunting window) is
// therefore not the query period, and not part of the rule's query (docs/output-formats.md).
import { severityOf } from '../severity.js';
import type { KqlPlan } from '../../backends/kql/plan.js';
import type { Format } from './types.js';
import { needsTables, sentinelContext, type SentinelHuntingContext } from './kql-sentinel-hunting.js';

/** How often the rule runs, and the period each run reads. */
export const sentinelSchedule = { frequency: '1h', period: '1h' } as const;

export interface SentinelRuleContext extends SentinelHuntingContext {
  readonly severity: string;
  readonly queryFrequency: string;
  readonly queryPeriod: string;
}

export const kqlSentinelRule: Format<KqlPlan> = {
  target: 'kql',
  name: 'sentinel-rule',
  description: 'Microsoft Sentinel scheduled analytics rule (YAML): runs hourly over the last hour',
  style: { extension: '.yaml', comment: 'hash', separator: '---' },
  scheduled: true,
  needs: needsTables('sentinel-rule'),
  adjust: (plan) => ({ ...plan, lookback: null }),
  context: (input): SentinelRuleContext => ({
    ...sentinelContext(input),
    severity: severityOf(input.rule.meta.level).sentinel,
    queryFrequency: sentinelSchedule.frequency,
    queryPeriod: sentinelSchedule.period,
  }),
};
