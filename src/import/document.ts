// Where KQL queries are found: a raw query file, a markdown document with ```kusto blocks (the
// public Defender hunting queries), a Sentinel hunting or analytics rule in YAML (`query:`), or a
// text document with a "KQL Query" section followed by Sentinel-style keys (the project's seed).
// Each query keeps its position in the file, so errors point at the file's line and column.
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span, type SourceFile } from '../diagnostics/source.js';
import { embeddedAt, embeddedScalar, type EmbeddedText } from '../parse/embedded.js';
import { parseYaml, type YMap, type YNode, type YScalar } from '../parse/yaml.js';

export type KqlDocumentFormat = 'kql' | 'markdown' | 'sentinel-yaml' | 'text';

/** Metadata carried over from the document. */
export interface KqlDocumentMeta {
  readonly title?: string | undefined;
  readonly id?: string | undefined;
  readonly description?: string | undefined;
  /** ATT&CK tactics as the document names them ("Discovery", "DefenseEvasion", "Initial access"). */
  readonly tactics: readonly string[];
  /** ATT&CK techniques (T1046, T1059.001). */
  readonly techniques: readonly string[];
  readonly severity?: string | undefined;
  readonly author?: string | undefined;
  readonly references: readonly string[];
}

export interface KqlDocumentQuery {
  readonly embedded: EmbeddedText;
  readonly meta: KqlDocumentMeta;
  /** 0-based index of the query in its document. */
  readonly index: number;
}

export interface KqlDocument {
  readonly format: KqlDocumentFormat;
  readonly queries: readonly KqlDocumentQuery[];
}

const emptyMeta: KqlDocumentMeta = { tactics: [], techniques: [], references: [] };

/** The format of a file, from its extension and (for .txt/.yaml) its content. */
export function kqlDocumentFormat(path: string, text: string): KqlDocumentFormat | undefined {
  const lower = path.toLowerCase();
  if (/\.(kql|csl|kusto)$/.test(lower)) return 'kql';
  if (/\.(md|markdown)$/.test(lower)) return 'markdown';
  if (/\.ya?ml$/.test(lower)) return isSentinelYaml(text) ? 'sentinel-yaml' : undefined;
  if (/\.txt$/.test(lower)) return sectionStart(text) !== undefined ? 'text' : 'kql';
  return undefined;
}

/** A YAML text with a top-level `query:` key and no Sigma `detection:`. */
export function isSentinelYaml(text: string): boolean {
  return /^query\s*:/m.test(text) && !/^detection\s*:/m.test(text);
}

export function readKqlDocument(source: SourceFile, format: KqlDocumentFormat | undefined = kqlDocumentFormat(source.path, source.text)): KqlDocument {
  switch (format) {
    case 'markdown':
      return { format, queries: readMarkdown(source) };
    case 'sentinel-yaml':
      return { format, queries: readSentinelYaml(source) };
    case 'text':
      return { format, queries: readTextDocument(source) };
    case 'kql':
    case undefined:
      return { format: 'kql', queries: [{ embedded: embeddedAt(source, source.text, 0), meta: { ...emptyMeta, ...leadingComment(source.text) }, index: 0 }] };
  }
}

/** A raw query's leading `//` comment lines are its description. */
function leadingComment(text: string): Partial<KqlDocumentMeta> {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\/\/\s?(.*)$/.exec(line);
    if (!m) {
      if (line.trim() === '' && lines.length === 0) continue;
      break;
    }
    lines.push(m[1]!.trimEnd());
  }
  const description = lines.join('\n').trim();
  return description ? { description } : {};
}

// -------------------------------------------------------------------------------------------------
// Markdown

interface Line {
  readonly text: string;
  readonly start: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    out.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, start });
    start += raw.length + 1;
  }
  return out;
}

const fence = /^ {0,3}(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)\s*$/;
const queryLanguages = new Set(['', 'kusto', 'kql', 'csl']);

function readMarkdown(source: SourceFile): KqlDocumentQuery[] {
  const all = lines(source.text);
  const blocks: { start: number; end: number }[] = [];
  const prose: string[] = [];
  let title: string | undefined;
  let section = '';
  const tactics: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!;
    const open = fence.exec(line.text);
    if (open) {
      const marker = open[1]!;
      let j = i + 1;
      while (j < all.length && !(all[j]!.text.trim().startsWith(marker[0]!.repeat(marker.length)) && all[j]!.text.trim().replace(/[`~]/g, '') === '')) j++;
      if (queryLanguages.has(open[2]!.toLowerCase()) && j > i + 1) {
        const first = all[i + 1]!;
        const last = all[j - 1]!;
        blocks.push({ start: first.start, end: last.start + last.text.length });
      }
      i = j;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line.text);
    if (heading) {
      if (heading[1] === '#' && title === undefined) title = heading[2];
      section = heading[2]!.toLowerCase();
      continue;
    }
    // The hunting-queries template: a table of tactics with a 'v' in the second column.
    const row = /^\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|/.exec(line.text);
    if (row) {
      if (/^v$/i.test(row[2]!)) tactics.push(row[1]!);
      continue;
    }
    if (title !== undefined && (section === title.toLowerCase() || section === '' || section === 'description') && blocks.length === 0) prose.push(line.text);
  }
  if (blocks.length === 0) {
    throw new RulecastError('kql-no-query', 'the markdown document has no ```kusto (or ```kql, or unlabelled) code block', span(source, 0, Math.min(1, source.text.length)));
  }
  const description = prose.join('\n').trim() || undefined;
  const meta: KqlDocumentMeta = { ...emptyMeta, title, description, tactics };
  return blocks.map((b, index) => ({
    embedded: embeddedAt(source, source.text.slice(b.start, b.end), b.start),
    meta: blocks.length > 1 && title !== undefined ? { ...meta, title: `${title} (query ${index + 1})` } : meta,
    index,
  }));
}

// -------------------------------------------------------------------------------------------------
// Sentinel YAML

function get(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.key.kind === 'scalar' && e.key.text === key)?.value;
}

function scalarText(node: YNode | undefined): string | undefined {
  return node && node.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

function stringList(node: YNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'seq') return node.items.map(scalarText).filter((s): s is string => s !== undefined);
  const one = scalarText(node);
  return one === undefined ? [] : [one];
}

function readSentinelYaml(source: SourceFile): KqlDocumentQuery[] {
  const docs = parseYaml(source);
  const out: KqlDocumentQuery[] = [];
  docs.forEach((doc) => {
    const root = doc.root;
    if (!root || root.kind !== 'map') return;
    const q = get(root, 'query');
    if (!q) return;
    if (q.kind !== 'scalar' || typeof q.value !== 'string') {
      throw new RulecastError('kql-no-query', "'query' must be a string holding the KQL query", span(source, q.start, q.end));
    }
    const scalar = q as YScalar;
    const meta: KqlDocumentMeta = {
      title: scalarText(get(root, 'name')),
      id: scalarText(get(root, 'id')),
      description: scalarText(get(root, 'description'))?.trim(),
      tactics: stringList(get(root, 'tactics')),
      techniques: stringList(get(root, 'relevantTechniques')).concat(stringList(get(root, 'techniques'))),
      severity: scalarText(get(root, 'severity')),
      author: scalarText(get(root, 'author')),
      references: stringList(get(root, 'references')),
    };
    out.push({ embedded: scalarText2(source, scalar), meta, index: out.length });
  });
  if (out.length === 0) throw new RulecastError('kql-no-query', "the YAML document has no 'query' key", span(source, 0, Math.min(1, source.text.length)));
  return out;
}

// -------------------------------------------------------------------------------------------------
// Text document: prose, a "KQL Query" line, the query, then Sentinel-style keys (possibly not
// valid YAML: the seed's block scalars are not indented), read leniently.

const sectionHeading = /^\s*(?:#+\s*)?(?:KQL\s+query|Kusto\s+query|Query|KQL)\s*:?\s*$/i;
const keyLine = /^([A-Za-z][A-Za-z0-9_]*)\s*:(?:\s+(.*))?$/;

function sectionStart(text: string): number | undefined {
  const all = lines(text);
  const i = all.findIndex((l) => sectionHeading.test(l.text));
  return i === -1 ? undefined : i;
}

function readTextDocument(source: SourceFile): KqlDocumentQuery[] {
  const all = lines(source.text);
  const head = sectionStart(source.text)!;
  let end = head + 1;
  while (end < all.length && !keyLine.test(all[end]!.text)) end++;
  // Trailing blank lines are not part of the query.
  let last = end - 1;
  while (last > head && all[last]!.text.trim() === '') last--;
  if (last <= head) throw new RulecastError('kql-no-query', `the '${all[head]!.text.trim()}' section is empty`, span(source, all[head]!.start, all[head]!.start + all[head]!.text.length));
  const first = all[head + 1]!;
  const stop = all[last]!.start + all[last]!.text.length;
  const keys = readLooseKeys(all.slice(end));
  const prose = all
    .slice(0, head)
    .map((l) => l.text)
    .join('\n')
    .trim();
  const meta: KqlDocumentMeta = {
    ...emptyMeta,
    title: keys.get('name')?.[0],
    id: keys.get('id')?.[0],
    description: keys.get('description')?.join('\n').trim() || prose || undefined,
    tactics: keys.get('tactics') ?? [],
    techniques: keys.get('relevantTechniques') ?? [],
    severity: keys.get('severity')?.[0],
  };
  return [{ embedded: embeddedAt(source, source.text.slice(first.start, stop), first.start), meta, index: 0 }];
}

/** `key: value`, `key: |` followed by text lines, `key:` followed by `- item` lines. Reading stops
 *  at a line that is neither (a table, prose): the keys of interest come first. */
function readLooseKeys(rest: readonly Line[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: { key: string; block: boolean } | undefined;
  for (const { text } of rest) {
    const m = keyLine.exec(text);
    if (m && !/^(https?|ftp)$/i.test(m[1]!)) {
      const value = (m[2] ?? '').trim();
      if (value === '|' || value === '>' || value === '|-' || value === '>-') {
        current = { key: m[1]!, block: true };
        out.set(m[1]!, []);
      } else if (value === '') {
        current = { key: m[1]!, block: false };
        out.set(m[1]!, []);
      } else {
        current = undefined;
        out.set(m[1]!, [value.replace(/^(['"])(.*)\1$/, '$2')]);
      }
      continue;
    }
    if (!current) continue;
    if (current.block) {
      if (/^\s*\|/.test(text)) current = undefined;
      else out.get(current.key)!.push(text.trim());
      continue;
    }
    const item = /^\s*-\s+(.*)$/.exec(text);
    if (item) out.get(current.key)!.push(item[1]!.trim().replace(/^(['"])(.*)\1$/, '$2'));
    else if (text.trim() !== '') current = undefined;
  }
  return out;
}

/** The query inside a YAML scalar, mapped onto the file. A literal block scalar (`query: |`) is
 *  mapped line by line (its indentation removed), exactly; other styles use the general mapping. */
function scalarText2(source: SourceFile, scalar: YScalar): EmbeddedText {
  const text = scalar.value as string;
  if (scalar.style !== 'literal') return embeddedScalar(source, scalar, text);
  const raw = source.text.slice(scalar.start, scalar.end);
  // The scalar's range starts at its first content line (after the `|` header).
  const content = lines(raw);
  const indent = Math.min(...content.filter((l) => l.text.trim() !== '').map((l) => /^ */.exec(l.text)![0].length));
  const starts: number[] = [];
  let offset = 0;
  const textLines = text.split('\n');
  for (let k = 0; k < textLines.length; k++) {
    starts.push(offset);
    offset += textLines[k]!.length + 1;
  }
  const toSource = (o: number): number => {
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1]! <= o) k++;
    const line = content[k];
    if (!line) return scalar.end;
    const column = o - starts[k]!;
    return scalar.start + line.start + Math.min(line.text.length, (line.text.trim() === '' ? 0 : indent) + column);
  };
  return { source, text, toSource };
}
