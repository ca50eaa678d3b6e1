// The `sigma` target: writes a Sigma rule (YAML) from the IR, one that rulecast (and other Sigma
// tools, for the constructs the specification has) reads back to the same detection. Several log
// sources and a lookback, which Sigma cannot say, use rulecast's own keys (src/rule/extensions.ts):
// `rulecast: {logsources: [...], lookback: 7d}`.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, not } from '../../ir/build.js';
import { simplify } from '../../ir/passes.js';
import { irKey } from '../../ir/dump.js';
import { describeLogsource, durationText, type QueryLogsource, type RuleQuery } from '../../ir/query.js';
import type { Expr } from '../../ir/types.js';
import { exclusionsInRuleNamespace } from '../../pipelines/namespace.js';
import type { ConvertOptions, Target } from '../types.js';
import { detectionYaml, toSigmaDetection } from './detection.js';
import { yamlString, yamlText } from './yaml.js';
import { commentSafe } from '../../output/templates.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const statuses = new Set(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
const levels = new Set(['informational', 'low', 'medium', 'high', 'critical']);

function logsourceYaml(ls: QueryLogsource, indent: string): string[] {
  const out: string[] = [];
  for (const k of ['category', 'product', 'service', 'definition'] as const) {
    if (ls[k] !== undefined) out.push(`${indent}${k}: ${yamlString(ls[k]!)}`);
  }
  return out;
}

function list(key: string, values: readonly string[]): string[] {
  return values.length ? [`${key}:`, ...values.map((v) => `  - ${yamlString(v)}`)] : [];
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

/** The Sigma rule for a query. A tuned query's exclusions are part of its detection (`… and not
 *  e1 and not e2`, in the rule's own names), as in every other target, and named in a comment
 *  above it. */
export function toSigmaRule(query: RuleQuery): string {
  const exclusions = query.exclusions ?? [];
  const excluded = exclusionsInRuleNames(query);
  const detection = toSigmaDetection(exclusions.length ? simplify(and(query.expr, ...excluded.map((e) => not(e)))) : query.expr);
  const m = query.meta;
  const [first, ...more] = query.logsources;
  if (!first) throw new RulecastError('sigma-logsource', 'the query has no log source; a Sigma rule needs one', query.span);
  const title = m.title.trim() === '' ? 'Untitled' : m.title.length > 256 ? `${m.title.slice(0, 253)}...` : m.title;
  const lines: string[] = [`title: ${yamlString(title)}`];
  if (m.id !== undefined && uuid.test(m.id)) lines.push(`id: ${m.id.toLowerCase()}`);
  if (m.name !== undefined) lines.push(`name: ${yamlString(m.name)}`);
  lines.push(`status: ${m.status !== undefined && statuses.has(m.status) ? m.status : 'experimental'}`);
  if (m.description) lines.push(`description: ${yamlText(m.description, '  ')}`);
  lines.push(...list('references', m.references));
  if (m.author) lines.push(`author: ${yamlString(m.author)}`);
  if (m.date) lines.push(`date: ${yamlString(m.date)}`);
  if (m.modified) lines.push(`modified: ${yamlString(m.modified)}`);
  lines.push(...list('tags', m.tags));
  lines.push('logsource:', ...logsourceYaml(first, '  '));
  if (exclusions.length) {
    lines.push(`# tuned: the detection without the events of ${exclusions.length} exclusion(s):`, ...exclusions.map((e) => `#   - ${commentSafe(e.name, 'line')}`));
  }
  lines.push('detection:', detectionYaml(detection, '  '));
  lines.push(...list('fields', query.fields));
  lines.push(...list('falsepositives', m.falsepositives));
  if (m.level !== undefined && levels.has(m.level)) lines.push(`level: ${m.level}`);
  if (more.length || query.lookback) {
    lines.push('rulecast:');
    if (more.length) {
      lines.push('  logsources:');
      for (const ls of more) {
        const [head, ...tail] = logsourceYaml(ls, '      ');
        lines.push(`    - ${head!.trimStart()}`, ...tail);
      }
    }
    if (query.lookback) lines.push(`  lookback: ${durationText(query.lookback)}`);
  }
  return `${lines.join('\n')}\n`;
}

export const sigmaTarget: Target = {
  name: 'sigma',
  description: 'Sigma rule (YAML), with rulecast keys for several log sources and a lookback',
  extension: '.yml',
  defaultPipeline: 'none',
  pipelines: ['none'],
  formats: ['default'],
  convert(query: RuleQuery, options: ConvertOptions = {}): string {
    const pipelines = options.pipelines ?? [];
    if (pipelines.some((p) => p !== 'none')) {
      throw new RulecastError('invalid-pipeline', 'the sigma target writes the rule with its own field names and log sources; it takes no pipeline (only none)');
    }
    if ((options.format ?? 'default') !== 'default') {
      throw new RulecastError('unknown-format', `target sigma has no output format '${options.format}' (formats: default)`);
    }
    return toSigmaRule(query);
  },
};
