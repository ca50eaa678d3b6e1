// -f kql:sentinel-hunting: a Microsoft Sentinel hunting query (the YAML of Sentinel's content
// repository). A hunting query is run by an analyst over the period they choose; the rule's
// lookback stays in its query.
import { attackFromTags } from '../attack.js';
import { descriptionYaml, ruleId } from '../rule.js';
import { yamlDoubleQuoted } from '../yaml.js';
import type { KqlPlan } from '../../backends/kql/plan.js';
import type { Format, FormatInput } from './types.js';

export interface SentinelHuntingContext {
  readonly id: string;
  /** The rule's title as a YAML scalar. */
  readonly name: string;
  readonly description: string;
  readonly connectors: KqlPlan['connectors'];
  /** Sentinel's tactic names. */
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
  readonly query: string;
}

/** Sentinel needs tables (its connectors, its query): not the bare condition of `-p none`. */
export function needsTables(format: string): (p: { bare: boolean }) => string | undefined {
  return (p) => (p.bare ? `the ${format} format needs a query over tables, and '-p none' gives only the condition; use a KQL pipeline (defender-xdr, sentinel-asim)` : undefined);
}

export function sentinelContext({ plan, query, rule }: FormatInput<KqlPlan>): SentinelHuntingContext {
  const attack = attackFromTags(rule.meta.tags);
  return {
    id: ruleId(rule.meta),
    name: yamlDoubleQuoted(rule.meta.title),
    description: descriptionYaml(rule.meta),
    connectors: plan.connectors,
    tactics: attack.sentinelTactics,
    techniques: attack.techniques.map((t) => t.id),
    query,
  };
}

export const kqlSentinelHunting: Format<KqlPlan> = {
  target: 'kql',
  name: 'sentinel-hunting',
  description: 'Microsoft Sentinel hunting query (YAML)',
  style: { extension: '.yaml', comment: 'hash', separator: '---' },
  scheduled: false,
  needs: needsTables('sentinel-hunting'),
  context: sentinelContext,
};
