// YAML text → a small node tree where every node knows its source offsets.
// js-yaml 5's event parser gives the offsets; we compose the tree ourselves (its own AST drops them)
// and resolve plain scalars with YAML11_SCHEMA, which reads `yes`/`no`, octal and dates as PyYAML
// does (pySigma, and so every public Sigma rule, was written against PyYAML).
import {
  parseEvents,
  getScalarValue,
  YAML11_SCHEMA,
  YAMLException,
  EVENT_ID,
  defineScalarTag,
  NOT_RESOLVED,
  SCALAR_STYLE,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span, type SourceFile } from '../diagnostics/source.js';

/** PyYAML's booleans (YAML 1.1 without the single letters y/Y/n/N, which PyYAML reads as
 *  strings: a field named `y` or a value `n` must stay text). */
const pyyamlBool = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (source) => {
    if (/^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(source)) return true;
    if (/^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(source)) return false;
    return NOT_RESOLVED;
  },
  identify: (data) => typeof data === 'boolean',
});

const schema = YAML11_SCHEMA.withTags(pyyamlBool);

/** First characters some implicit tag of the schema may claim (`t` for true, digits for numbers…),
 *  or null when a tag claims any. A plain scalar starting with another character is a string
 *  without asking the resolvers (most keys and values are). */
const claimedFirstChars: ReadonlySet<string> | null = (() => {
  const chars = new Set<string>();
  for (const tag of schema.tags) {
    if (tag.nodeKind !== 'scalar' || !tag.implicit) continue;
    if (tag.implicitFirstChars === null) return null;
    for (const c of tag.implicitFirstChars) chars.add(c);
  }
  return chars;
})();

/** Explicit tags a Sigma value may carry. */
const allowedTags = new Set(['str', 'int', 'float', 'bool', 'null', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));

/** Up to this many keys, a mapping finds duplicates by scanning its entries; beyond, with a set. */
const duplicateScanLimit = 16;

export type ScalarValue = string | number | boolean | null | Date;
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YScalar {
  readonly kind: 'scalar';
  /** The value as YAML 1.1 resolves it (`yes` → true, `010` → 8, `'010'` → "010"). */
  readonly value: ScalarValue;
  /** The decoded text of the scalar before type resolution (`010` for the number 8). */
  readonly text: string;
  readonly style: ScalarStyle;
  readonly start: number;
  readonly end: number;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly start: number;
  readonly end: number;
}

export interface YMapEntry {
  readonly key: YNode;
  readonly value: YNode;
}

export interface YMap {
  readonly kind: 'map';
  readonly entries: readonly YMapEntry[];
  readonly start: number;
  readonly end: number;
}

export type YNode = YScalar | YSeq | YMap;

export interface YDocument {
  readonly root: YNode | null;
  readonly index: number;
  readonly source: SourceFile;
}

export interface YamlLimits {
  /** Deepest nesting of collections accepted (a rule needs about 6). */
  maxDepth: number;
  /** Most nodes one document may have once aliases are expanded (stops "billion laughs"). */
  maxExpandedNodes: number;
}

export const defaultYamlLimits: YamlLimits = { maxDepth: 64, maxExpandedNodes: 200_000 };

const styles: Record<number, ScalarStyle> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

/** Parses every document of a YAML stream. Throws RulecastError (code `yaml-syntax`,
 *  `yaml-limit`, `yaml-duplicate-key`, `yaml-tag`) with the position of the problem. */
export function parseYaml(source: SourceFile, limits: YamlLimits = defaultYamlLimits): YDocument[] {
  let events: Event[];
  try {
    events = parseEvents(source.text, { maxDepth: limits.maxDepth });
  } catch (err) {
    throw yamlError(source, err);
  }
  return new Composer(source, events, limits).documents();
}

function yamlError(source: SourceFile, err: unknown): RulecastError {
  if (err instanceof YAMLException) {
    const offset = err.mark?.position ?? 0;
    const reason = err.reason || 'invalid YAML';
    const code = /maxDepth/.test(reason) ? 'yaml-limit' : 'yaml-syntax';
    const message = code === 'yaml-limit' ? `YAML nesting is deeper than rulecast accepts (${reason})` : `invalid YAML: ${reason}`;
    return new RulecastError(code, message, span(source, offset, offset + 1));
  }
  return new RulecastError('yaml-syntax', `invalid YAML: ${err instanceof Error ? err.message : String(err)}`, span(source, 0, 1));
}

class Composer {
  private pos = 0;
  private anchors = new Map<string, YNode>();
  /** Aliases seen in the current document; without any, nothing can expand. */
  private aliases = 0;
  private readonly text: string;

  constructor(
    private readonly source: SourceFile,
    private readonly events: Event[],
    private readonly limits: YamlLimits,
  ) {
    this.text = source.text;
  }

  documents(): YDocument[] {
    const docs: YDocument[] = [];
    while (this.pos < this.events.length) {
      const ev = this.events[this.pos++]!;
      if (ev.type !== EVENT_ID.DOCUMENT) continue;
      this.anchors = new Map();
      this.aliases = 0;
      let root: YNode | null = null;
      if (this.peek()?.type !== EVENT_ID.POP) root = this.node();
      this.expect(EVENT_ID.POP);
      if (root && this.aliases > 0) this.checkExpandedSize(root);
      docs.push({ root, index: docs.length, source: this.source });
    }
    return docs;
  }

  private peek(): Event | undefined {
    return this.events[this.pos];
  }

  private expect(type: number): void {
    const ev = this.events[this.pos++];
    if (!ev || ev.type !== type) throw new RulecastError('yaml-syntax', 'invalid YAML: unexpected end of document', span(this.source, this.text.length));
  }

  private node(): YNode {
    const ev = this.events[this.pos++]!;
    switch (ev.type) {
      case EVENT_ID.SCALAR:
        return this.remember(ev.anchorStart, ev.anchorEnd, this.scalar(ev));
      case EVENT_ID.SEQUENCE: {
        const items: YNode[] = [];
        while (this.peek()?.type !== EVENT_ID.POP) items.push(this.node());
        this.pos++;
        const end = items.length ? items[items.length - 1]!.end : ev.start + 1;
        return this.remember(ev.anchorStart, ev.anchorEnd, { kind: 'seq', items, start: ev.start, end });
      }
      case EVENT_ID.MAPPING: {
        const entries: YMapEntry[] = [];
        // Created only when needed: most mappings are small and have no merge key.
        let seen: Set<string> | undefined;
        let merged: YMapEntry[] | undefined;
        while (this.peek()?.type !== EVENT_ID.POP) {
          const key = this.node();
          const value = this.node();
          if (key.kind === 'scalar' && key.style === 'plain' && key.text === '<<') {
            merged ??= [];
            for (const entry of this.mergeSources(value)) merged.push(entry);
            continue;
          }
          if (key.kind === 'scalar') {
            const name = key.text;
            if (!seen && entries.length >= duplicateScanLimit) seen = scalarKeyNames(entries);
            if (seen ? seen.has(name) : hasScalarKey(entries, name)) {
              throw new RulecastError('yaml-duplicate-key', `duplicate key '${name}' in a mapping: YAML readers disagree on which value wins, so rulecast refuses to guess`, span(this.source, key.start, key.end));
            }
            seen?.add(name);
          }
          entries.push({ key, value });
        }
        this.pos++;
        // YAML 1.1 merge keys: keys written in the mapping win over merged ones, earlier merges
        // win over later ones.
        if (merged) {
          seen ??= scalarKeyNames(entries);
          for (const entry of merged) {
            const name = (entry.key as YScalar).text;
            if (seen.has(name)) continue;
            seen.add(name);
            entries.push(entry);
          }
        }
        let end = ev.start + 1;
        if (entries.length > 0) {
          end = entries[0]!.value.end;
          for (const entry of entries) if (entry.value.end > end) end = entry.value.end;
        }
        return this.remember(ev.anchorStart, ev.anchorEnd, { kind: 'map', entries, start: ev.start, end });
      }
      case EVENT_ID.ALIAS: {
        const name = this.text.slice(ev.anchorStart, ev.anchorEnd);
        const target = this.anchors.get(name);
        this.aliases++;
        if (!target) throw new RulecastError('yaml-syntax', `invalid YAML: unknown alias '*${name}'`, span(this.source, ev.anchorStart - 1, ev.anchorEnd));
        return target;
      }
      default:
        throw new RulecastError('yaml-syntax', 'invalid YAML: unexpected structure', span(this.source, 0, 1));
    }
  }

  /** The entries a merge key (`<<: *base` or `<<: [*a, *b]`) brings in. */
  private mergeSources(value: YNode): YMapEntry[] {
    const sources = value.kind === 'seq' ? value.items : [value];
    const out: YMapEntry[] = [];
    for (const src of sources) {
      if (src.kind !== 'map') throw new RulecastError('yaml-syntax', 'invalid YAML: a merge key (<<) needs a mapping or a list of mappings', span(this.source, src.start, src.end));
      out.push(...src.entries.filter((e) => e.key.kind === 'scalar'));
    }
    return out;
  }

  private remember<T extends YNode>(anchorStart: number, anchorEnd: number, node: T): T {
    if (anchorStart >= 0) this.anchors.set(this.text.slice(anchorStart, anchorEnd), node);
    return node;
  }

  private scalar(ev: ScalarEvent): YScalar {
    const text = ev.fast ? this.text.slice(ev.valueStart, ev.valueEnd) : getScalarValue(this.text, ev);
    const style = styles[ev.style] ?? 'plain';
    let value: ScalarValue = text;
    if (ev.tagStart >= 0) {
      value = this.tagged(ev, text);
    } else if (style === 'plain' && (claimedFirstChars === null || claimedFirstChars.has(text.charAt(0)))) {
      value = schema.resolveImplicitScalarTag(text).value as ScalarValue;
    }
    return { kind: 'scalar', value, text, style, start: ev.valueStart, end: Math.max(ev.valueEnd, ev.valueStart) };
  }

  private tagged(ev: ScalarEvent, text: string): ScalarValue {
    const raw = this.text.slice(ev.tagStart, ev.tagEnd);
    const name = raw.startsWith('!!') ? `tag:yaml.org,2002:${raw.slice(2)}` : raw.startsWith('!<') ? raw.slice(2, -1) : raw;
    const tag = schema.lookupScalarTag(name);
    if (!tag || !allowedTags.has(name)) {
      throw new RulecastError('yaml-tag', `unsupported YAML tag '${raw}': Sigma values are strings, numbers, booleans or null`, span(this.source, ev.tagStart, ev.tagEnd));
    }
    const value = tag.resolve(text, true, name);
    if (typeof value === 'symbol') {
      throw new RulecastError('yaml-tag', `'${text}' is not a valid ${raw} value`, span(this.source, ev.valueStart, ev.valueEnd));
    }
    return value as ScalarValue;
  }

  /** Counts the nodes a document would have with every alias expanded (memoised per shared node),
   *  so a tiny file that expands to billions of nodes is refused before anything walks it. */
  private checkExpandedSize(root: YNode): void {
    const sizes = new Map<YNode, number>();
    const limit = this.limits.maxExpandedNodes;
    const size = (node: YNode): number => {
      const known = sizes.get(node);
      if (known !== undefined) return known;
      let total = 1;
      if (node.kind === 'seq') for (const item of node.items) total += size(item);
      else if (node.kind === 'map') for (const e of node.entries) total += size(e.key) + size(e.value);
      total = Math.min(total, limit + 1);
      sizes.set(node, total);
      return total;
    };
    if (size(root) > limit) {
      throw new RulecastError('yaml-limit', `this YAML document expands to more than ${limit} nodes through aliases (an "alias bomb"); rulecast refuses it`, span(this.source, root.start, root.start + 1));
    }
  }
}

function hasScalarKey(entries: readonly YMapEntry[], name: string): boolean {
  for (const e of entries) if (e.key.kind === 'scalar' && e.key.text === name) return true;
  return false;
}

function scalarKeyNames(entries: readonly YMapEntry[]): Set<string> {
  const names = new Set<string>();
  for (const e of entries) if (e.key.kind === 'scalar') names.add(e.key.text);
  return names;
}

/** Short description of a node's YAML type, for messages. */
export function describeNode(node: YNode | null): string {
  if (!node) return 'nothing';
  if (node.kind === 'seq') return 'a list';
  if (node.kind === 'map') return 'a mapping';
  const v = node.value;
  if (v === null) return 'null';
  if (v instanceof Date) return 'a date';
  return `a ${typeof v}`;
}
