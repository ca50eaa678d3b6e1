// rulecast's own rule keys, grouped under one top-level `rulecast:` key so they can never clash
// with the specification (which allows custom keys) or with other tools:
//
//   rulecast:
//     logsources:            # further log sources the detection also applies to (a union)
//       - category: file_event
//         product: windows
//     lookback: 7d           # only events of the last 7 days (s, m, h, d, w)
//     exclusions: nbtscan.exclusions.yml   # the rule's exclusions file, relative to the rule
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { describeNode, type YNode } from '../parse/yaml.js';
import type { Duration, QueryLogsource } from '../ir/query.js';
import type { SigmaDocument } from './types.js';
import { nodeSpan } from './load.js';

export interface RuleExtensions {
  readonly logsources: readonly QueryLogsource[];
  readonly lookback?: Duration | undefined;
  readonly exclusions?: string | undefined;
}

const durationPattern = /^(\d+)\s*([smhdw])$/;

export function parseDuration(text: string): Duration | undefined {
  const m = durationPattern.exec(text.trim());
  if (!m) return undefined;
  return { count: Number(m[1]), unit: m[2] as Duration['unit'] };
}

/** Reads the `rulecast:` key. Problems are returned as diagnostics (errors stop the rule). */
export function readExtensions(doc: SigmaDocument): { extensions: RuleExtensions; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entry = doc.keys.get('rulecast');
  const out: { logsources: QueryLogsource[]; lookback?: Duration; exclusions?: string } = { logsources: [] };
  if (!entry) return { extensions: out, diagnostics };
  const fail = (message: string, node: YNode) => diagnostics.push(error('invalid-rulecast-key', message, nodeSpan(doc.source, node)));
  const node = entry.value;
  if (node.kind !== 'map') {
    fail(`'rulecast' must be a mapping (logsources, lookback, exclusions), but it is ${describeNode(node)}`, node);
    return { extensions: out, diagnostics };
  }
  for (const { key, value } of node.entries) {
    const name = key.kind === 'scalar' ? key.text : '';
    if (name === 'logsources') {
      if (value.kind !== 'seq') {
        fail(`'rulecast.logsources' must be a list of logsource mappings, but it is ${describeNode(value)}`, value);
        continue;
      }
      for (const item of value.items) {
        if (item.kind !== 'map') {
          fail("each entry of 'rulecast.logsources' must be a mapping like the rule's 'logsource'", item);
          continue;
        }
        const ls: { -readonly [K in keyof QueryLogsource]: QueryLogsource[K] } = { span: nodeSpan(doc.source, item) };
        for (const e of item.entries) {
          const k = e.key.kind === 'scalar' ? e.key.text : '';
          if (!['category', 'product', 'service', 'definition'].includes(k)) {
            fail(`unknown logsource key '${k}' (category, product, service, definition)`, e.key);
          } else if (e.value.kind !== 'scalar' || typeof e.value.value !== 'string') {
            fail(`'${k}' must be a string`, e.value);
          } else {
            ls[k as 'category' | 'product' | 'service' | 'definition'] = e.value.value;
          }
        }
        if (!ls.category && !ls.product && !ls.service) fail('a logsource needs at least one of category, product or service', item);
        out.logsources.push(ls);
      }
    } else if (name === 'lookback') {
      const text = value.kind === 'scalar' ? value.text : '';
      const d = parseDuration(text);
      if (!d || d.count === 0) fail(`'rulecast.lookback' must be a duration such as 7d, 24h or 30m, not '${text}'`, value);
      else out.lookback = d;
    } else if (name === 'exclusions') {
      if (value.kind !== 'scalar' || typeof value.value !== 'string' || value.value === '') fail("'rulecast.exclusions' must be the path of an exclusions file", value);
      else out.exclusions = value.value;
    } else {
      fail(`unknown key 'rulecast.${name}' (logsources, lookback, exclusions)`, key);
    }
  }
  return { extensions: out, diagnostics };
}
