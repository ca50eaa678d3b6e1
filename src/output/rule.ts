// What several output formats say of the rule itself: a stable id for rules without one, and the
// description as YAML.
import type { QueryMeta } from '../ir/query.js';
import { yamlBlock, yamlDoubleQuoted } from './yaml.js';

/** A stable UUID-shaped id from a text (for rules without an id; Sentinel needs one). */
export function derivedId(text: string): string {
  let h = [0x811c9dc5, 0x01000193, 0x2f1a3b4c, 0x9e3779b9];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = h.map((x, j) => Math.imul(x ^ (c + j), 0x01000193) >>> 0);
  }
  const hex = h.map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The rule's id, or one derived from its title. */
export function ruleId(meta: QueryMeta): string {
  return meta.id ?? derivedId(meta.title);
}

/** The description (the title when there is none) as a YAML value: a block scalar when it can
 *  be one, a double-quoted scalar otherwise. */
export function descriptionYaml(meta: QueryMeta): string {
  const text = meta.description ?? meta.title;
  return yamlBlock(text) ?? yamlDoubleQuoted(text);
}
