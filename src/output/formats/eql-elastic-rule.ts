// -f eql:elastic-rule: an Elastic Security detection rule, the NDJSON line Kibana's rule import
// reads (type eql). It runs every `interval` over `from` (the pipelines' values, default every 5m
// over the last 6m: a minute of overlap for late events, and Elastic deduplicates alerts per
// source event), so each event alerts once; the rule's lookback is not its time range.
import { warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { attackFromTags, attackVersion, techniquesUnder, techniquesWithoutTactic } from '../attack.js';
import { severityOf } from '../severity.js';
import type { EqlPlan } from '../../backends/eql/plan.js';
import type { Format } from './types.js';

export interface ElasticRuleContext {
  readonly rule: { readonly id: string | null; readonly title: string; readonly description: string; readonly author: string | null; readonly references: readonly string[]; readonly falsepositives: readonly string[]; readonly tags: readonly string[] };
  readonly query: string;
  readonly index: readonly string[];
  readonly riskScore: number;
  readonly severity: string;
  readonly threat: unknown[];
  readonly from: string;
  readonly interval: string;
}

/** Elastic's `threat` array from the rule's ATT&CK tags: one entry per tactic, each with the rule's
 *  techniques that ATT&CK lists under that tactic (src/output/attack.ts: Sigma tags do not pair
 *  them, so T1027 goes under Stealth, never under a Command and Control the rule also names). A
 *  technique paired with none of the rule's tactics cannot be listed, since every entry needs a
 *  tactic: it is left out, and `warn` says so. The technique name is its id: rulecast carries no
 *  ATT&CK technique catalogue. */
export function elasticThreat(tags: readonly string[], warn?: (warning: Diagnostic) => void): unknown[] {
  const attack = attackFromTags(tags);
  if (warn) {
    for (const t of techniquesWithoutTactic(attack)) {
      const why = t.tactics.length
        ? `ATT&CK ${attackVersion} lists it under ${t.tactics.map((x) => x.name).join(', ')}, which the rule's tags do not name`
        : `the ATT&CK ${attackVersion} table rulecast carries does not know it`;
      const tactics = attack.tactics.length ? `the rule's tactics: ${attack.tactics.map((x) => x.name).join(', ')}` : 'the rule names no tactic';
      warn(warning('attack-technique-without-tactic', `technique ${t.id} is left out of the Elastic rule's threat array, which lists a technique only under a tactic: ${why} (${tactics})`));
    }
  }
  return attack.tactics.map((tactic) => {
    const techniques = new Map<string, string[]>();
    for (const t of techniquesUnder(attack, tactic)) {
      const subs = techniques.get(t.technique) ?? [];
      if (t.subtechnique && !subs.includes(t.subtechnique)) subs.push(t.subtechnique);
      techniques.set(t.technique, subs);
    }
    return {
      framework: 'MITRE ATT&CK',
      tactic: { id: tactic.id, name: tactic.name, reference: `https://attack.mitre.org/tactics/${tactic.id}/` },
      technique: [...techniques].map(([id, subs]) => ({
        id,
        name: id,
        reference: `https://attack.mitre.org/techniques/${id}/`,
        ...(subs.length
          ? { subtechnique: subs.map((s) => ({ id: s, name: s, reference: `https://attack.mitre.org/techniques/${s.replace('.', '/')}/` })) }
          : {}),
      })),
    };
  });
}

export const eqlElasticRule: Format<EqlPlan> = {
  target: 'eql',
  name: 'elastic-rule',
  description: 'Elastic Security detection rule (NDJSON for Kibana import): runs every 5 minutes over the last 6',
  style: { extension: '.ndjson' },
  scheduled: true,
  // The rule's query carries the exclusions' comments even with '-p none', never the lookback.
  adjust: (plan) => ({ ...plan, bare: false, lookback: null }),
  context: ({ plan, query, rule, warn }): ElasticRuleContext => {
    const m = rule.meta;
    const level = severityOf(m.level).elastic;
    return {
      rule: { id: m.id ?? null, title: m.title, description: m.description || m.title, author: m.author ?? null, references: m.references, falsepositives: m.falsepositives, tags: m.tags },
      query,
      index: plan.index,
      riskScore: level.risk,
      severity: level.severity,
      threat: elasticThreat(m.tags, warn),
      from: plan.from,
      interval: plan.interval,
    };
  },
};
