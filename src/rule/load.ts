// YAML text → typed Sigma documents (rules, meta filters, correlations), validated against the
// specification. Every finding carries file:line:column; one bad document never hides the others.
import { error, RulecastError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile, span, type Span } from '../diagnostics/source.js';
import type { Duration } from '../ir/query.js';
import { describeNode, parseYaml, type YamlLimits, type YDocument, type YMap, type YMapEntry, type YNode, type YScalar } from '../parse/yaml.js';
import { correlationOperators, correlationTypes, valueCorrelationTypes, type CorrelationOperator, type CorrelationType } from '../ir/correlation.js';
import {
  levels,
  relationTypes,
  statuses,
  type ConditionText,
  type CorrelationAlias,
  type CorrelationComparison,
  type CorrelationCondition,
  type CorrelationUse,
  type LocatedString,
  type SigmaCorrelation,
  type Detection,
  type LoadedDocument,
  type Logsource,
  type RuleMeta,
  type SearchIdentifier,
  type SigmaDocument,
} from './types.js';

export interface LoadOptions {
  readonly yamlLimits?: YamlLimits;
}

const knownKeys = new Set([
  'title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'author', 'references',
  'date', 'modified', 'logsource', 'detection', 'fields', 'falsepositives', 'level', 'tags', 'scope',
  'filter', 'correlation', 'generate',
]);

const knownKeyList = [...knownKeys];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const tagPattern = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

/** Loads every document of a Sigma YAML file. Never throws for bad input. */
export function loadSigma(text: string, path = '<input>', options: LoadOptions = {}): LoadedDocument[] {
  return loadSigmaSource(new SourceFile(path, text), options);
}

export function loadSigmaSource(source: SourceFile, options: LoadOptions = {}): LoadedDocument[] {
  let docs;
  try {
    docs = parseYaml(source, options.yamlLimits);
  } catch (err) {
    if (err instanceof RulecastError) return [failed(source, 0, [err.diagnostic])];
    throw err;
  }
  return loadYamlDocuments(source, docs);
}

/** Sigma documents from already parsed YAML (the benchmark times the two steps apart). */
export function loadYamlDocuments(source: SourceFile, docs: readonly YDocument[]): LoadedDocument[] {
  const results: LoadedDocument[] = [];
  let global: YMap | null = null;
  let previous: YMap | null = null;
  for (const doc of docs) {
    const root = doc.root;
    if (root === null || (root.kind === 'scalar' && root.value === null)) continue; // empty document
    if (root.kind !== 'map') {
      results.push(failed(source, doc.index, [error('not-a-rule', `a Sigma document must be a mapping of keys, but this is ${describeNode(root)}`, nodeSpan(source, root))]));
      continue;
    }
    const action = mapGet(root, 'action');
    let merged: YMap = root;
    if (action) {
      const name = action.value.kind === 'scalar' ? action.value.text : '';
      const rest = withoutKey(root, 'action');
      if (name === 'global') {
        global = global ? mergeMaps(global, rest) : rest;
        continue;
      }
      if (name === 'reset') {
        global = null;
        continue;
      }
      if (name === 'repeat') {
        if (!previous) {
          results.push(failed(source, doc.index, [error('invalid-action', "'action: repeat' needs a previous document to repeat", nodeSpan(source, action.value))]));
          continue;
        }
        merged = mergeMaps(previous, rest);
      } else {
        results.push(failed(source, doc.index, [error('invalid-action', `unknown collection action '${name}' (expected global, reset or repeat)`, nodeSpan(source, action.value))]));
        continue;
      }
    }
    if (global) merged = mergeMaps(global, merged);
    previous = merged;
    results.push(loadDocument(source, doc.index, merged));
  }
  return results;
}

function failed(source: SourceFile, index: number, diagnostics: Diagnostic[], title: string | null = null, id: string | null = null): LoadedDocument {
  return { source, index, title, id, diagnostics, span: diagnostics[0]?.span };
}

export function nodeSpan(source: SourceFile, node: YNode): Span {
  return span(source, node.start, node.end);
}

export function mapGet(map: YMap, key: string): YMapEntry | undefined {
  for (const e of map.entries) if (e.key.kind === 'scalar' && e.key.text === key) return e;
  return undefined;
}

function withoutKey(map: YMap, key: string): YMap {
  return { ...map, entries: map.entries.filter((e) => !(e.key.kind === 'scalar' && e.key.text === key)) };
}

/** Deep merge for collection actions: mappings merge key by key, anything else is replaced. */
function mergeMaps(base: YMap, over: YMap): YMap {
  const entries: YMapEntry[] = [];
  for (const e of base.entries) {
    const name = e.key.kind === 'scalar' ? e.key.text : undefined;
    const o = name === undefined ? undefined : mapGet(over, name);
    if (!o) entries.push(e);
    else if (e.value.kind === 'map' && o.value.kind === 'map') entries.push({ key: o.key, value: mergeMaps(e.value, o.value) });
    else entries.push(o);
  }
  for (const o of over.entries) {
    const name = o.key.kind === 'scalar' ? o.key.text : undefined;
    if (name === undefined || !mapGet(base, name)) entries.push(o);
  }
  return { ...over, entries };
}

/** A YAML value as plain JavaScript data (dates as YYYY-MM-DD), for custom keys. */
export function plain(node: YNode): unknown {
  if (node.kind === 'scalar') return node.value instanceof Date ? isoDate(node.value) : node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key.kind === 'scalar' ? e.key.text : JSON.stringify(plain(e.key))] = plain(e.value);
  return out;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Collects findings for one document. */
class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly source: SourceFile) {}

  error(code: string, message: string, node: YNode | Span | undefined, notes?: string[]): void {
    this.diagnostics.push(error(code, message, this.where(node), notes));
  }

  warn(code: string, message: string, node: YNode | Span | undefined, notes?: string[]): void {
    this.diagnostics.push(warning(code, message, this.where(node), notes));
  }

  private where(node: YNode | Span | undefined): Span | undefined {
    if (!node) return undefined;
    if ('source' in node) return node;
    return nodeSpan(this.source, node);
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** A string scalar, or undefined (with an error) when the node is something else. `key` names
   *  the value in messages (`'title'`, or `each entry of 'tags'` for an entry of a list); the
   *  message is only built when there is something to report. */
  string(node: YNode, key: string, entryOf = false): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
    if (node.kind === 'scalar' && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      this.warn('not-a-string', `${describeKey(key, entryOf)} should be a string; reading ${describeNode(node)} as '${node.text}'`, node);
      return node.text;
    }
    this.error('invalid-type', `${describeKey(key, entryOf)} must be a string, but it is ${describeNode(node)}`, node);
    return undefined;
  }

  /** A list of strings; a single string is accepted with a warning (common in older rules). */
  stringList(node: YNode, key: string): string[] {
    if (node.kind === 'scalar' && node.value === null) return [];
    if (node.kind === 'scalar') {
      const s = this.string(node, key);
      if (s === undefined) return [];
      this.warn('not-a-list', `'${key}' should be a list; reading the single value as a list of one`, node);
      return [s];
    }
    if (node.kind !== 'seq') {
      this.error('invalid-type', `'${key}' must be a list of strings, but it is ${describeNode(node)}`, node);
      return [];
    }
    const out: string[] = [];
    for (const item of node.items) {
      const s = this.string(item, key, true);
      if (s !== undefined) out.push(s);
    }
    return out;
  }
}

function describeKey(key: string, entryOf: boolean): string {
  return entryOf ? `each entry of '${key}'` : `'${key}'`;
}

function loadDocument(source: SourceFile, index: number, root: YMap): LoadedDocument {
  const c = new Checker(source);
  const keys = new Map<string, { key: YScalar; value: YNode }>();
  for (const e of root.entries) {
    if (e.key.kind !== 'scalar') {
      c.error('invalid-key', 'keys of a Sigma document must be plain names', e.key);
      continue;
    }
    keys.set(e.key.text, e as { key: YScalar; value: YNode }); // its key was checked to be a scalar
  }
  const get = (k: string) => keys.get(k)?.value;

  // Title and id first: reported even when the rest fails.
  let title: string | undefined;
  const titleNode = get('title');
  if (!titleNode) c.error('missing-title', "a Sigma rule needs a 'title'", span(source, root.start, root.start + 1));
  else {
    title = c.string(titleNode, 'title');
    if (title !== undefined && title.length > 256) c.error('invalid-title', `'title' is ${title.length} characters long; the specification allows 256`, titleNode);
    if (title !== undefined && title.trim() === '') c.error('invalid-title', "'title' is empty", titleNode);
  }
  let id: string | undefined;
  const idNode = get('id');
  if (idNode) {
    id = c.string(idNode, 'id');
    if (id !== undefined && !uuidPattern.test(id)) {
      c.error('invalid-id', `'id' must be a UUID (e.g. 929a690e-bef0-4204-a928-ef5e620d6fcc), not '${id}'`, idNode);
    }
  }

  const meta = readMeta(c, get, title ?? '', id);
  const isFilter = keys.has('filter');
  const isCorrelation = keys.has('correlation');
  const logsource = readLogsource(c, get('logsource'), !isCorrelation, root);

  const custom: Record<string, unknown> = {};
  for (const [name, entry] of keys) {
    if (knownKeys.has(name)) continue;
    custom[name] = plain(entry.value);
    const near = nearest(name, knownKeyList);
    if (near && near !== name) c.warn('unknown-key', `unknown key '${name}'; did you mean '${near}'?`, entry.key);
  }

  let document: SigmaDocument | undefined;
  // Documents are written out field by field: an object spread is slow in this hot path.
  if (isCorrelation) {
    document = readCorrelation(c, { source, index, node: root, meta, logsource, custom, keys }, keys.get('correlation')!.key, get('correlation')!);
  } else if (isFilter) {
    const filterNode = get('filter')!;
    if (filterNode.kind !== 'map') c.error('invalid-filter', `'filter' must be a mapping with rules, selections and a condition, but it is ${describeNode(filterNode)}`, filterNode);
    else {
      const rulesEntry = mapGet(filterNode, 'rules');
      let rules: string[] | 'any' = [];
      if (!rulesEntry) c.error('invalid-filter', "a filter needs 'rules': the ids or names of the rules it applies to (or 'any')", filterNode);
      else if (rulesEntry.value.kind === 'scalar' && rulesEntry.value.value === 'any') rules = 'any';
      else rules = c.stringList(rulesEntry.value, 'filter.rules');
      const detection = readDetection(c, withoutKey(filterNode, 'rules'), 'filter', keys.get('filter')!.key);
      if (detection) document = { source, index, node: root, meta, logsource, custom, keys, kind: 'filter', rules, detection };
    }
  } else {
    const detectionNode = get('detection');
    if (!detectionNode) c.error('missing-detection', "a Sigma rule needs a 'detection' section with at least one selection and a 'condition'", span(source, root.start, root.start + 1));
    else if (detectionNode.kind !== 'map') c.error('invalid-detection', `'detection' must be a mapping, but it is ${describeNode(detectionNode)}`, detectionNode);
    else {
      const detection = readDetection(c, detectionNode, 'detection', keys.get('detection')!.key);
      if (detection) document = { source, index, node: root, meta, logsource, custom, keys, kind: 'rule', detection };
    }
  }
  return {
    source,
    index,
    title: title ?? null,
    id: id ?? null,
    name: meta.name ?? null,
    correlates: isCorrelation ? correlationUse(root, get('correlation')!) : undefined,
    document: c.failed ? undefined : document,
    diagnostics: c.diagnostics,
    span: span(source, root.start, root.start + 1),
  };
}

function readMeta(c: Checker, get: (k: string) => YNode | undefined, title: string, id: string | undefined): RuleMeta {
  const str = (k: string) => {
    const n = get(k);
    return n && !(n.kind === 'scalar' && n.value === null) ? c.string(n, k) : undefined;
  };
  const list = (k: string) => {
    const n = get(k);
    return n ? c.stringList(n, k) : [];
  };
  const enumValue = <T extends string>(k: string, allowed: readonly T[]): T | undefined => {
    const n = get(k);
    if (!n) return undefined;
    const v = c.string(n, k);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase() as T;
    if (!allowed.includes(lower)) {
      c.error(`invalid-${k}`, `'${k}' must be one of ${allowed.join(', ')}; '${v}' is not`, n);
      return undefined;
    }
    if (lower !== v) c.warn(`${k}-case`, `'${k}' values are lowercase in the specification: write '${lower}'`, n);
    return lower;
  };
  const date = (k: string): string | undefined => {
    const n = get(k);
    if (!n) return undefined;
    if (n.kind === 'scalar' && n.value instanceof Date) return isoDate(n.value);
    const v = c.string(n, k);
    if (v === undefined) return undefined;
    const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(v);
    const valid = m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!m || !valid) {
      c.error('invalid-date', `'${k}' must be a date written YYYY-MM-DD, not '${v}'`, n);
      return undefined;
    }
    const normal = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
    if (normal !== v) c.warn('date-format', `'${k}' should be written YYYY-MM-DD ('${normal}'); Sigma 2.0 dropped other forms`, n);
    return normal;
  };

  const description = str('description');
  if (description !== undefined && description.length > 65535) c.error('invalid-description', "'description' is longer than the 65,535 characters the specification allows", get('description'));
  const name = str('name');
  if (name !== undefined && name.trim() === '') c.error('invalid-name', "'name' must not be empty", get('name'));

  const tags = list('tags');
  const tagsNode = get('tags');
  const seenTags = new Set<string>();
  tags.forEach((tag, i) => {
    const node = tagsNode?.kind === 'seq' ? tagsNode.items[i] : tagsNode;
    if (!tagPattern.test(tag)) c.warn('tag-format', `tag '${tag}' does not follow the specification's form 'namespace.name' (lowercase letters, digits, '_', '-', '.')`, node);
    if (seenTags.has(tag)) c.warn('duplicate-tag', `tag '${tag}' is listed twice`, node);
    seenTags.add(tag);
  });

  const related: { id: string; type: string }[] = [];
  const relatedNode = get('related');
  if (relatedNode) {
    if (relatedNode.kind !== 'seq') c.error('invalid-related', `'related' must be a list of {id, type}, but it is ${describeNode(relatedNode)}`, relatedNode);
    else
      for (const item of relatedNode.items) {
        if (item.kind !== 'map') {
          c.error('invalid-related', "each entry of 'related' must be a mapping with 'id' and 'type'", item);
          continue;
        }
        const rid = mapGet(item, 'id');
        const rtype = mapGet(item, 'type');
        const idText = rid ? c.string(rid.value, 'related.id') : undefined;
        const typeText = rtype ? c.string(rtype.value, 'related.type') : undefined;
        if (!rid || !rtype) c.error('invalid-related', "each entry of 'related' needs both 'id' and 'type'", item);
        if (rid && idText !== undefined && !uuidPattern.test(idText)) c.error('invalid-related', `'related.id' must be a UUID, not '${idText}'`, rid.value);
        if (rtype && typeText !== undefined && !(relationTypes as readonly string[]).includes(typeText)) {
          c.error('invalid-related', `'related.type' must be one of ${relationTypes.join(', ')}; '${typeText}' is not`, rtype.value);
        }
        if (idText !== undefined && typeText !== undefined) related.push({ id: idText, type: typeText });
      }
  }

  const author = str('author');
  return {
    title,
    id,
    name,
    status: enumValue('status', statuses),
    level: enumValue('level', levels),
    description,
    author,
    license: str('license'),
    date: date('date'),
    modified: date('modified'),
    references: list('references'),
    tags,
    falsepositives: list('falsepositives'),
    fields: list('fields'),
    related,
  };
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function readLogsource(c: Checker, node: YNode | undefined, required: boolean, root: YMap): Logsource {
  const out: { category?: string; product?: string; service?: string; definition?: string; custom: Record<string, string> } = { custom: {} };
  if (!node) {
    if (required) c.error('missing-logsource', "a Sigma rule needs a 'logsource' (category, product and/or service)", span(c.source, root.start, root.start + 1));
    return out;
  }
  if (node.kind !== 'map') {
    c.error('invalid-logsource', `'logsource' must be a mapping, but it is ${describeNode(node)}`, node);
    return out;
  }
  for (const e of node.entries) {
    if (e.key.kind !== 'scalar') continue;
    const key = e.key.text;
    if (e.value.kind === 'scalar' && e.value.value === null) continue;
    const value = c.string(e.value, `logsource.${key}`);
    if (value === undefined) continue;
    if (key === 'category' || key === 'product' || key === 'service' || key === 'definition') out[key] = value;
    else out.custom[key] = value;
    if (key !== 'definition' && value !== value.toLowerCase()) c.warn('logsource-case', `logsource values are lowercase in the specification: '${value}'`, e.value);
  }
  if (!out.category && !out.product && !out.service) {
    c.error('invalid-logsource', "'logsource' needs at least one of category, product or service", node);
  }
  return out;
}

function readDetection(c: Checker, node: YMap, what: string, keyNode: YScalar): Detection | undefined {
  const identifiers = new Map<string, SearchIdentifier>();
  const conditions: ConditionText[] = [];
  let conditionEntry: YMapEntry | undefined;
  for (const e of node.entries) {
    if (e.key.kind !== 'scalar') {
      c.error('invalid-key', `keys of '${what}' must be plain names`, e.key);
      continue;
    }
    const name = e.key.text;
    if (name === 'condition') {
      conditionEntry = e;
      continue;
    }
    if (name === 'timeframe') {
      c.warn('timeframe', "'timeframe' belongs to the Sigma 1 aggregation syntax and is ignored; use a correlation rule", e.key);
      continue;
    }
    identifiers.set(name, { name, key: e.key, value: e.value });
  }
  if (!conditionEntry) {
    c.error('missing-condition', `'${what}' needs a 'condition' that combines its selections (e.g. 'condition: selection')`, keyNode);
  } else {
    const v = conditionEntry.value;
    const items = v.kind === 'seq' ? v.items : [v];
    if (v.kind === 'seq' && v.items.length === 0) c.error('invalid-condition', "'condition' is an empty list", v);
    for (const item of items) {
      if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim() !== '') conditions.push({ text: item.value, node: item });
      else if (item.kind === 'scalar' && (typeof item.value === 'number' || typeof item.value === 'boolean')) conditions.push({ text: item.text, node: item });
      else c.error('invalid-condition', `a condition must be a non-empty string, but this is ${describeNode(item)}`, item);
    }
  }
  if (identifiers.size === 0) {
    c.error('missing-selection', `'${what}' defines no selection for its condition to use`, keyNode);
  }
  if (c.failed) return undefined;
  return { node, identifiers, conditions };
}

type DocumentFields = Pick<SigmaCorrelation, 'source' | 'index' | 'node' | 'meta' | 'logsource' | 'custom' | 'keys'>;

const correlationKeys = ['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate'];
const conditionKeys = [...correlationOperators, 'field', 'percentile'];
const timespanPattern = /^(\d+)([smhdw])$/;

/** The rules a correlation document references and its `generate`, read leniently: an invalid
 *  correlation still keeps the rules it names from being output on their own. */
function correlationUse(root: YMap, node: YNode): CorrelationUse {
  const rulesNode = node.kind === 'map' ? mapGet(node, 'rules')?.value : undefined;
  const items = rulesNode?.kind === 'seq' ? rulesNode.items : rulesNode ? [rulesNode] : [];
  const rules = items.flatMap((n) => (n.kind === 'scalar' && n.value !== null ? [n.text] : []));
  const flag = (n: YNode | undefined) => n?.kind === 'scalar' && n.value === true;
  return { rules, generate: flag(mapGet(root, 'generate')?.value) || (node.kind === 'map' && flag(mapGet(node, 'generate')?.value)) };
}

/** The `correlation` section (specification "Sigma Correlation Rules" 2.1, with pySigma's
 *  readings where the specification is silent: see docs/correlation.md). */
function readCorrelation(c: Checker, base: DocumentFields, key: YScalar, node: YNode): SigmaCorrelation | undefined {
  if (node.kind !== 'map') {
    c.error('invalid-correlation', `'correlation' must be a mapping (type, rules, group-by, timespan, condition), but it is ${describeNode(node)}`, node);
    return undefined;
  }
  const entries = new Map<string, YMapEntry>();
  for (const e of node.entries) {
    const name = e.key.kind === 'scalar' ? e.key.text : '';
    if (correlationKeys.includes(name)) {
      entries.set(name, e);
      continue;
    }
    // An unknown key is an error: a misspelt 'group-by' read as absent would merge every group.
    const near = nearest(name, correlationKeys);
    c.error('unknown-correlation-key', `unknown key '${name}' in 'correlation'${near ? `; did you mean '${near}'?` : ''}`, e.key, [`keys: ${correlationKeys.join(', ')}`]);
  }
  const get = (k: string) => entries.get(k)?.value;

  let type: CorrelationType | undefined;
  const typeNode = get('type');
  if (!typeNode) c.error('invalid-correlation', `a correlation needs a 'type' (${correlationTypes.join(', ')})`, key);
  else {
    const text = c.string(typeNode, 'correlation.type');
    if (text !== undefined) {
      if ((correlationTypes as readonly string[]).includes(text)) type = text as CorrelationType;
      else {
        const near = nearest(text, correlationTypes);
        c.error('unknown-correlation-type', `unknown correlation type '${text}'${near ? `; did you mean '${near}'?` : ''}`, typeNode, [`types: ${correlationTypes.join(', ')}`]);
      }
    }
  }

  const ruleRefs: LocatedString[] = [];
  const rulesNode = get('rules');
  if (!rulesNode) c.error('invalid-correlation', "a correlation needs 'rules': the ids or names of the rules (or correlations) it correlates", key);
  else {
    for (const item of locatedList(c, rulesNode, 'correlation.rules')) {
      const twice = ruleRefs.find((r) => r.value === item.value);
      if (twice) c.error('duplicate-rule-reference', `'${item.value}' is listed twice in 'correlation.rules'`, item.node);
      else ruleRefs.push(item);
    }
    const empty = rulesNode.kind === 'seq' ? rulesNode.items.length === 0 : rulesNode.kind === 'scalar' && rulesNode.value === null;
    if (empty) c.error('invalid-correlation', "'correlation.rules' is empty: name at least one rule", rulesNode);
  }

  const groupBy = get('group-by') ? locatedList(c, get('group-by')!, 'correlation.group-by') : [];
  if (!get('group-by')) c.warn('missing-group-by', "the correlation has no 'group-by' (the specification makes it mandatory): all events form one group", key);
  for (let i = 0; i < groupBy.length; i++) {
    if (groupBy.findIndex((g) => g.value === groupBy[i]!.value) !== i) c.error('invalid-correlation', `'${groupBy[i]!.value}' is listed twice in 'correlation.group-by'`, groupBy[i]!.node);
  }

  let timespan: SigmaCorrelation['timespan'] | undefined;
  const timespanNode = get('timespan');
  if (!timespanNode) c.error('invalid-correlation', "a correlation needs a 'timespan': a number and a unit, e.g. 10m (s, m, h, d)", key);
  else timespan = readTimespan(c, timespanNode);

  const condition = type ? readCorrelationCondition(c, type, get('condition'), key, ruleRefs.length) : undefined;
  const aliases = readAliases(c, get('aliases'));
  for (const alias of aliases) {
    if (!groupBy.some((g) => g.value === alias.name)) c.warn('unused-alias', `alias '${alias.name}' is not used in 'group-by', where aliases apply`, alias.key);
  }

  // The specification (and its JSON schema) puts `generate` beside `level`; pySigma reads it
  // inside `correlation`. Both are accepted, and must agree.
  const generate = readGenerate(c, base.keys.get('generate')?.value, get('generate'));

  if (c.failed || !type || !timespan || !condition) return undefined;
  return { ...base, kind: 'correlation', correlationType: type, rules: ruleRefs.map((r) => r.value), ruleRefs, groupBy, timespan, condition, aliases, generate, key };
}

/** A string or a list of strings, each with its node (a single string: a warning, as for tags). */
function locatedList(c: Checker, node: YNode, what: string): LocatedString[] {
  const values = c.stringList(node, what);
  const readable = (n: YNode) => n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean');
  const nodes = node.kind === 'seq' ? node.items.filter(readable) : [node];
  if (nodes.length !== values.length) return values.map((value) => ({ value, node })); // an error was reported
  return values.map((value, i) => ({ value, node: nodes[i]! }));
}

function readTimespan(c: Checker, node: YNode): SigmaCorrelation['timespan'] | undefined {
  const text = node.kind === 'scalar' && typeof node.value === 'string' ? node.value : node.kind === 'scalar' ? node.text : describeNode(node);
  const m = node.kind === 'scalar' && typeof node.value === 'string' ? timespanPattern.exec(node.value) : null;
  if (m && Number(m[1]) > 0 && Number.isSafeInteger(Number(m[1]))) return { duration: { count: Number(m[1]), unit: m[2] as Duration['unit'] }, node };
  const notes = ["units: s (seconds), m (minutes), h (hours), d (days); w (weeks, pySigma's)"];
  if (m) c.error('invalid-timespan', `'timespan' must be greater than zero, not '${text}'`, node);
  else if (node.kind === 'scalar' && /^\d+[My]$/.test(text)) {
    c.error('invalid-timespan', `'timespan: ${text}': months and years have no fixed length; write the span in days (e.g. 30d)`, node, notes);
  } else c.error('invalid-timespan', `'timespan' must be a whole number and a lowercase unit, e.g. 10m or 24h, not '${text}'`, node, notes);
  return undefined;
}

function readCorrelationCondition(c: Checker, type: CorrelationType, node: YNode | undefined, key: YScalar, ruleCount: number): CorrelationCondition | undefined {
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  const valueType = valueCorrelationTypes.has(type);
  if (!node) {
    if (temporal) return { comparisons: [] };
    c.error('invalid-correlation', `a ${type} correlation needs a 'condition' (e.g. ${valueType ? 'field: User, ' : ''}gte: 10)`, key);
    return undefined;
  }
  if (node.kind === 'scalar' && typeof node.value === 'string' && temporal) {
    // pySigma's "extended temporal condition" (rule_a and not rule_b) is not in the specification.
    c.error('invalid-correlation-condition', "a correlation condition is a mapping of comparisons (gte: 2); boolean expressions over rules are pySigma's extension, which rulecast does not read", node);
    return undefined;
  }
  if (node.kind !== 'map') {
    c.error('invalid-correlation-condition', `'condition' must be a mapping of comparisons such as 'gte: 10', but it is ${describeNode(node)}`, node);
    return undefined;
  }
  const comparisons: CorrelationComparison[] = [];
  let field: LocatedString | undefined;
  let percentile: CorrelationCondition['percentile'];
  let operators = 0;
  let unknown = 0;
  for (const e of node.entries) {
    const name = e.key.kind === 'scalar' ? e.key.text : '';
    if ((correlationOperators as readonly string[]).includes(name)) {
      operators++;
      const v = e.value;
      if (v.kind === 'scalar' && typeof v.value === 'number' && Number.isFinite(v.value)) comparisons.push({ op: name as CorrelationOperator, value: v.value, node: e.key });
      else c.error('invalid-correlation-condition', `'condition.${name}' must be a number, but it is ${describeNode(v)}`, v);
    } else if (name === 'field') {
      if (!valueType) c.error('invalid-correlation-condition', `'condition.field' belongs to the value_* types; a ${type} correlation counts ${temporal ? 'rules' : 'events'}`, e.key);
      else if (e.value.kind === 'seq') c.error('invalid-correlation-condition', "'condition.field' names one field; the specification gives no meaning to a list", e.value);
      else {
        const text = c.string(e.value, 'condition.field');
        if (text !== undefined) field = { value: text, node: e.value };
      }
    } else if (name === 'percentile') {
      const v = e.value;
      if (type !== 'value_percentile') c.error('invalid-correlation-condition', `'condition.percentile' belongs to value_percentile, not ${type}`, e.key);
      else if (v.kind === 'scalar' && typeof v.value === 'number' && v.value >= 0 && v.value <= 100) percentile = { value: v.value, node: v };
      else c.error('invalid-correlation-condition', `'condition.percentile' must be a number from 0 to 100, but it is ${describeNode(v)}`, v);
    } else {
      unknown++;
      const near = nearest(name, conditionKeys);
      c.error('unknown-condition-operator', `unknown condition operator '${name}'${near ? `; did you mean '${near}'?` : ''}`, e.key, [`operators: ${correlationOperators.join(', ')} (several are ANDed: gt: 100, lte: 200)`]);
    }
  }
  if (operators === 0 && unknown === 0) c.error('invalid-correlation-condition', `'condition' has no comparison: add one of ${correlationOperators.join(', ')} (e.g. gte: 10)`, node);
  if (valueType && !field) c.error('missing-correlation-field', `a ${type} correlation needs 'condition.field': the field whose values it ${type === 'value_count' ? 'counts' : 'aggregates'}`, node);
  if (type === 'value_percentile' && !percentile) c.error('missing-percentile', "a value_percentile correlation needs 'condition.percentile' (0 to 100): which percentile of the field's values the comparison tests", node);
  if (type === 'temporal_ordered' && comparisons.length > 0) {
    // Its events must all occur, in order; a count of fewer rules has no order to check.
    const all = comparisons.length === 1 && (comparisons[0]!.op === 'gte' || comparisons[0]!.op === 'eq') && comparisons[0]!.value === ruleCount;
    if (!all) c.error('invalid-correlation-condition', `a temporal_ordered correlation matches when all its ${ruleCount} rules occur in order; the only condition it takes is 'gte: ${ruleCount}'`, node);
  }
  return { comparisons, field, percentile, node };
}

function readAliases(c: Checker, node: YNode | undefined): CorrelationAlias[] {
  if (!node) return [];
  if (node.kind !== 'map') {
    c.error('invalid-alias', `'aliases' must map each alias to {rule name: field}, but it is ${describeNode(node)}`, node);
    return [];
  }
  const out: CorrelationAlias[] = [];
  for (const e of node.entries) {
    if (e.key.kind !== 'scalar') continue;
    if (e.value.kind !== 'map') {
      c.error('invalid-alias', `alias '${e.key.text}' must map rule names to field names, but it is ${describeNode(e.value)}`, e.value);
      continue;
    }
    const fields: CorrelationAlias['fields'][number][] = [];
    for (const f of e.value.entries) {
      const rule = f.key.kind === 'scalar' ? f.key.text : undefined;
      const field = c.string(f.value, `aliases.${e.key.text}.${rule ?? ''}`);
      if (rule !== undefined && field !== undefined) fields.push({ rule: { value: rule, node: f.key }, field: { value: field, node: f.value } });
    }
    out.push({ name: e.key.text, key: e.key, fields });
  }
  return out;
}

function readGenerate(c: Checker, top: YNode | undefined, inner: YNode | undefined): boolean {
  const read = (n: YNode | undefined, where: string): boolean | undefined => {
    if (!n) return undefined;
    if (n.kind === 'scalar' && typeof n.value === 'boolean') return n.value;
    c.error('invalid-type', `'${where}' must be true or false, but it is ${describeNode(n)}`, n);
    return undefined;
  };
  const a = read(top, 'generate');
  const b = read(inner, 'correlation.generate');
  if (a !== undefined && b !== undefined && a !== b) c.error('invalid-correlation', "'generate' and 'correlation.generate' disagree: keep one", inner);
  return a ?? b ?? false;
}

/** The closest candidate within edit distance 2 (for "did you mean"), if any. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const cand of candidates) {
    const d = editDistance(word.toLowerCase(), cand.toLowerCase());
    if (d < bestDistance) {
      best = cand;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
