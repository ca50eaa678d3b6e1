// -f kql:defender-rule: a Microsoft Defender XDR custom detection rule (the JSON of Microsoft
// Graph's detectionRule, /beta/security/rules/detectionRules). Defender needs Timestamp, DeviceId
// and ReportId in the results (the impacted device and the event): with a projection they are
// added to it. The rule runs hourly and each run reads the last hour (schedule frequency and
// lookback PT1H), so each event alerts once; the rule's own lookback is not part of its query.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { attackFromTags } from '../attack.js';
import { severityOf } from '../severity.js';
import type { KqlPlan } from '../../backends/kql/plan.js';
import type { Format } from './types.js';

/** The columns Defender needs every result to have. */
export const defenderColumns = ['Timestamp', 'DeviceId', 'ReportId'] as const;

export interface DefenderRuleContext {
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly category: string;
  readonly techniques: readonly string[];
  readonly frequency: string;
  readonly lookback: string;
  readonly query: string;
}

function hasColumns(columns: ReadonlySet<string> | undefined): boolean {
  return columns !== undefined && defenderColumns.every((c) => columns.has(c));
}

export const kqlDefenderRule: Format<KqlPlan> = {
  target: 'kql',
  name: 'defender-rule',
  description: 'Microsoft Defender XDR custom detection rule (JSON for Microsoft Graph): runs hourly over the last hour',
  style: { extension: '.json' },
  scheduled: true,
  needs: (p) => {
    if (p.bare) return "the defender-rule format needs Defender XDR tables, and '-p none' gives only the condition; use -p defender-xdr";
    const tables = p.layout.tables as Record<string, { columns?: Record<string, unknown> }> | undefined;
    const ready = tables && Object.values(tables).some((t) => t.columns && defenderColumns.every((c) => c in t.columns!));
    return ready ? undefined : `the defender-rule format needs Defender XDR tables (with ${defenderColumns.join(', ')}), which pipeline ${p.names.join(', ')} does not map to; use -p defender-xdr`;
  },
  check: (plan, rule) => {
    const missing = plan.parts.filter((p) => !hasColumns(p.columns));
    if (missing.length) {
      throw new RulecastError(
        'defender-rule-columns',
        `Defender custom detections need ${defenderColumns.join(', ')} in every result, and ${missing.map((p) => p.source ?? 'the condition').join(', ')} has no such columns`,
        rule.span,
        ['convert the rule with -p defender-xdr (Device* tables), or use another format'],
      );
    }
  },
  adjust: (plan) => ({ ...plan, lookback: null, project: plan.project.length ? [...plan.project, ...defenderColumns.filter((c) => !plan.project.includes(c))] : plan.project }),
  context: ({ query, rule }): DefenderRuleContext => {
    const attack = attackFromTags(rule.meta.tags);
    return {
      title: rule.meta.title,
      description: rule.meta.description ?? rule.meta.title,
      severity: severityOf(rule.meta.level).defender,
      category: attack.tactics[0]?.sentinel ?? 'SuspiciousActivity',
      techniques: attack.techniques.map((t) => t.id),
      frequency: 'PT1H',
      lookback: 'PT1H',
      query,
    };
  },
};
