// -t sigma: the plan as a Sigma rule (YAML). Written in code rather than a template: a detection is
// nested data (selections of keys of values) whose every scalar must be quoted so no value can
// change the document's structure, which src/output/yaml.ts does. Several log sources and a
// lookback, which Sigma cannot say, use rulecast's own keys (src/rule/extensions.ts):
// `rulecast: {logsources: [...], lookback: 7d}`.
import type { SigmaPlan } from '../../backends/sigma/plan.js';
import type { SigmaDetection, SigmaValue } from '../../backends/sigma/detection.js';
import type { QueryLogsource } from '../../ir/query.js';
import { commentSafe } from '../templates.js';
import { yamlKey, yamlNumber, yamlString, yamlText } from '../yaml.js';
import type { Format } from './types.js';

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

function valueYaml(v: SigmaValue): string {
  switch (v.kind) {
    case 'string':
      return yamlString(v.text);
    case 'number':
      return yamlNumber(v.value);
    case 'bool':
      return String(v.value);
    case 'null':
      return 'null';
  }
}

/** The detection as YAML lines (indented under `detection:`). */
export function detectionYaml(d: SigmaDetection, indent = '  '): string {
  const lines: string[] = [];
  for (const s of d.selections) {
    if (s.keywords && s.items.length === 1) {
      lines.push(`${indent}${s.name}:`);
      for (const v of s.items[0]!.values) lines.push(`${indent}  - ${valueYaml(v)}`);
      continue;
    }
    lines.push(`${indent}${s.name}:`);
    for (const item of s.items) {
      const key = yamlKey(item.key);
      if (item.values.length === 1) lines.push(`${indent}  ${key}: ${valueYaml(item.values[0]!)}`);
      else {
        lines.push(`${indent}  ${key}:`);
        for (const v of item.values) lines.push(`${indent}    - ${valueYaml(v)}`);
      }
    }
  }
  lines.push(`${indent}condition: ${d.condition}`);
  return lines.join('\n');
}

/** The Sigma rule of a plan. A tuned query's exclusions are part of its detection and named in a
 *  comment above it. */
export function sigmaYaml(plan: SigmaPlan): string {
  const m = plan.meta;
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
  lines.push('logsource:', ...logsourceYaml(plan.logsource, '  '));
  if (plan.exclusions.length) {
    lines.push(`# tuned: the detection without the events of ${plan.exclusions.length} exclusion(s):`, ...plan.exclusions.map((e) => `#   - ${commentSafe(e, 'line')}`));
  }
  lines.push('detection:', detectionYaml(plan.detection, '  '));
  lines.push(...list('fields', plan.fields));
  lines.push(...list('falsepositives', m.falsepositives));
  if (m.level !== undefined && levels.has(m.level)) lines.push(`level: ${m.level}`);
  if (plan.more.length || plan.lookback) {
    lines.push('rulecast:');
    if (plan.more.length) {
      lines.push('  logsources:');
      for (const ls of plan.more) {
        const [head, ...tail] = logsourceYaml(ls, '      ');
        lines.push(`    - ${head!.trimStart()}`, ...tail);
      }
    }
    if (plan.lookback) lines.push(`  lookback: ${plan.lookback}`);
  }
  return lines.join('\n');
}

export const sigmaDefault: Format<SigmaPlan> = {
  target: 'sigma',
  name: 'default',
  description: 'a Sigma rule (YAML)',
  style: { extension: '.yml', comment: 'hash', separator: '---' },
  scheduled: false,
  write: sigmaYaml,
};
