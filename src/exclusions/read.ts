// Exclusion files → a list of named exclusions, each lowered to the IR. No file system: the caller
// gives the text and the path (for messages). Three formats, told apart by content:
//
// 1. rulecast's YAML format:
//      exclusions:
//        - name: Scheduled NBTScan job
//          description: A scheduled inventory job runs nbtscan.   # optional
//          filter: process.parent.name == "taskeng.exe"
// 2. Sigma meta filter documents (specification "Sigma Filters"; `filter:` with `rules`,
//    selections and a condition); each becomes the exclusion not(C) (see src/lower/filter.ts) and
//    keeps the rules and log source it applies to.
// 3. Plain text as in the project's seed document: `Scenario:`, `Description:` and
//    `Filter/Exclusion:` lines, anything else skipped. A scenario starts at its Scenario line.
//
// A bad exclusion never hides the others: every entry carries its own diagnostics, and has an
// `expr` only when it has no error. Problems of the file as a whole are the file's diagnostics.
import { error, warning, type Diagnostic, isRulecastError } from '../diagnostics/diagnostic.js';
import { SourceFile, span, type Span } from '../diagnostics/source.js';
import type { Expr } from '../ir/types.js';
import { lowerExclusion } from '../lower/exclusion.js';
import { lowerFilter } from '../lower/filter.js';
import type { LowerOptions } from '../lower/index.js';
import { embeddedAt, embeddedScalar, type EmbeddedText } from '../parse/embedded.js';
import { describeNode, parseYaml, type YDocument, type YMap, type YNode } from '../parse/yaml.js';
import { loadSigmaSource, mapGet, nearest } from '../rule/load.js';
import type { Logsource } from '../rule/types.js';

export type ExclusionFormat = 'yaml' | 'sigma-filter' | 'text';

/** Which rules a Sigma filter applies to, as the filter says it. */
export interface ExclusionScope {
  /** Rule ids or names, or 'any'. */
  readonly rules: readonly string[] | 'any';
  readonly logsource: Logsource;
  /** The filter document's own id, if any. */
  readonly id?: string | undefined;
}

export interface Exclusion {
  readonly name: string;
  readonly description?: string | undefined;
  /** The filter as written (language formats only). */
  readonly filter?: string | undefined;
  /** The events the exclusion removes; absent when `diagnostics` holds an error. */
  readonly expr?: Expr | undefined;
  /** The whole entry (YAML item, Scenario line, Sigma document). */
  readonly span: Span;
  /** Errors and warnings of this exclusion, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Sigma filters only: the rules and log source the filter names. */
  readonly scope?: ExclusionScope | undefined;
}

export interface ExclusionFile {
  readonly path: string;
  /** Null when the text is none of the formats. */
  readonly format: ExclusionFormat | null;
  readonly exclusions: readonly Exclusion[];
  /** Problems of the file as a whole (YAML syntax, no exclusions, a rule among filters…). */
  readonly diagnostics: readonly Diagnostic[];
}

export type ReadExclusionsOptions = LowerOptions;

/** Reads an exclusions file in any of the three formats. Never throws for bad input. */
export function readExclusions(text: string, path = '<exclusions>', options: ReadExclusionsOptions = {}): ExclusionFile {
  const source = new SourceFile(path, text);
  let docs: YDocument[] | undefined;
  let yamlError: Diagnostic | undefined;
  try {
    docs = parseYaml(source);
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    yamlError = err.diagnostic;
  }
  const first = docs?.find((d) => d.root !== null && !(d.root.kind === 'scalar' && d.root.value === null));
  const root = first?.root;
  if (root?.kind === 'map' && mapGet(root, 'exclusions')) return readYamlFormat(source, docs!, root, options);
  if (root?.kind === 'map' && mapGet(root, 'filter')) return readSigmaFilters(source, options);
  if (root?.kind === 'map' && mapGet(root, 'detection')) {
    return { path, format: null, exclusions: [], diagnostics: [noExclusions(source, 'it is a Sigma rule; exclusions for it go in a separate file (named by the rule\'s rulecast.exclusions key)')] };
  }
  // Text that meant to be YAML but is broken: report the YAML error, not "no exclusions".
  if (yamlError && /^(exclusions|filter)[ \t]*:/m.test(text) && !/^[ \t]*Filter\/Exclusion[ \t]*:/im.test(text)) {
    return { path, format: null, exclusions: [], diagnostics: [yamlError] };
  }
  return readTextFormat(source, options);
}

// ---------------------------------------------------------------------------------------------
// Shared

function lowerEntry(embedded: EmbeddedText, diagnostics: Diagnostic[]): Expr | undefined {
  try {
    const lowered = lowerExclusion(embedded);
    diagnostics.push(...lowered.diagnostics);
    return lowered.expr;
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    diagnostics.push(err.diagnostic);
    return undefined;
  }
}

function noExclusions(source: SourceFile, why: string): Diagnostic {
  return error('no-exclusions', `${source.path} holds no exclusions: ${why}`, span(source, 0, Math.min(1, source.text.length)), [
    "an exclusions file is a YAML mapping with 'exclusions:' (a list of {name, description, filter}), Sigma filter documents, or text with 'Scenario:' and 'Filter/Exclusion:' lines",
  ]);
}

// ---------------------------------------------------------------------------------------------
// rulecast YAML

const fileKeys = ['exclusions'];
const entryKeys = ['name', 'description', 'filter'];

function readYamlFormat(source: SourceFile, docs: YDocument[], root: YMap, _options: ReadExclusionsOptions): ExclusionFile {
  const fileDiagnostics: Diagnostic[] = [];
  const at = (node: YNode) => span(source, node.start, node.end);
  const nonEmpty = docs.filter((d) => d.root !== null && !(d.root.kind === 'scalar' && d.root.value === null));
  for (const extra of nonEmpty.slice(1)) {
    fileDiagnostics.push(error('multiple-documents', 'an exclusions file holds one YAML document; put every exclusion in its `exclusions:` list', at(extra.root!)));
  }
  for (const e of root.entries) {
    const name = e.key.kind === 'scalar' ? String(e.key.value) : '';
    if (!fileKeys.includes(name)) fileDiagnostics.push(unknownKey(source, name, e.key, fileKeys, 'an exclusions file'));
  }
  const list = mapGet(root, 'exclusions')!.value;
  if (list.kind !== 'seq') {
    fileDiagnostics.push(error('invalid-type', `'exclusions' must be a list of {name, description, filter}, but it is ${describeNode(list)}`, at(list)));
    return { path: source.path, format: 'yaml', exclusions: [], diagnostics: fileDiagnostics };
  }
  if (list.items.length === 0) fileDiagnostics.push(noExclusions(source, "the 'exclusions' list is empty"));

  const exclusions: Exclusion[] = [];
  const names = new Map<string, YNode>();
  list.items.forEach((item, index) => {
    const diagnostics: Diagnostic[] = [];
    const fallbackName = `exclusion ${index + 1}`;
    if (item.kind !== 'map') {
      diagnostics.push(error('invalid-type', `each exclusion must be a mapping with name, description and filter, but this is ${describeNode(item)}`, at(item)));
      exclusions.push({ name: fallbackName, span: at(item), diagnostics });
      return;
    }
    for (const e of item.entries) {
      const key = e.key.kind === 'scalar' ? String(e.key.value) : '';
      if (!entryKeys.includes(key)) diagnostics.push(unknownKey(source, key, e.key, entryKeys, 'an exclusion'));
    }
    const str = (key: string, required: boolean): { value: string; node: YNode } | undefined => {
      const entry = mapGet(item, key);
      if (!entry || (entry.value.kind === 'scalar' && entry.value.value === null)) {
        if (required) diagnostics.push(error(`missing-${key}`, `this exclusion has no '${key}'`, entry ? at(entry.value) : span(source, item.start, item.start + 1)));
        return undefined;
      }
      const v = entry.value;
      if (v.kind !== 'scalar' || typeof v.value !== 'string') {
        diagnostics.push(error('invalid-type', `'${key}' must be a string, but it is ${describeNode(v)}${key === 'filter' && v.kind === 'scalar' ? ` (quote the whole filter: '${v.text}')` : ''}`, at(v)));
        return undefined;
      }
      return { value: v.value, node: v };
    };
    const name = str('name', true);
    const description = str('description', false);
    const filter = str('filter', true);
    if (name && name.value.trim() === '') diagnostics.push(error('missing-name', "'name' must not be empty", at(name.node)));
    else if (name) {
      const key = name.value.trim().toLowerCase();
      const previous = names.get(key);
      if (previous) {
        const p = source.position(previous.start);
        diagnostics.push(error('duplicate-name', `another exclusion is already named '${name.value}' (line ${p.line}); names identify exclusions in reports`, at(name.node)));
      } else names.set(key, name.node);
    }
    let expr: Expr | undefined;
    if (filter && filter.node.kind === 'scalar') {
      if (filter.value.trim() === '') diagnostics.push(error('empty-filter', "'filter' is empty", at(filter.node)));
      else {
        const lowered = lowerEntry(embeddedScalar(source, filter.node, filter.value), diagnostics);
        if (!diagnostics.some((d) => d.severity === 'error')) expr = lowered;
      }
    }
    exclusions.push({
      name: name?.value ?? fallbackName,
      description: description?.value,
      filter: filter?.value,
      expr,
      span: at(item),
      diagnostics: sortBySource(diagnostics),
    });
  });
  return { path: source.path, format: 'yaml', exclusions, diagnostics: fileDiagnostics };
}

function unknownKey(source: SourceFile, key: string, node: YNode, known: readonly string[], what: string): Diagnostic {
  const near = nearest(key, known);
  return error('unknown-key', `unknown key '${key}' in ${what}${near ? `; did you mean '${near}'?` : ` (keys: ${known.join(', ')})`}`, span(source, node.start, node.end));
}

function sortBySource(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start ?? Infinity) - (b.d.span?.start ?? Infinity) || a.i - b.i)
    .map((x) => x.d);
}

// ---------------------------------------------------------------------------------------------
// Sigma filters

function readSigmaFilters(source: SourceFile, options: ReadExclusionsOptions): ExclusionFile {
  const fileDiagnostics: Diagnostic[] = [];
  const exclusions: Exclusion[] = [];
  for (const loaded of loadSigmaSource(source)) {
    const where = loaded.span ?? span(source, 0, 1);
    const name = loaded.title ?? `document ${loaded.index + 1}`;
    const doc = loaded.document;
    if (!doc) {
      exclusions.push({ name, span: where, diagnostics: loaded.diagnostics });
      continue;
    }
    if (doc.kind !== 'filter') {
      fileDiagnostics.push(
        error('not-a-filter', `document ${loaded.index + 1} ('${name}') is a Sigma ${doc.kind === 'rule' ? 'rule' : 'correlation'}, not a filter: an exclusions file holds filters only`, where),
      );
      continue;
    }
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    let expr: Expr | undefined;
    try {
      const lowered = lowerFilter(doc, options);
      diagnostics.push(...lowered.diagnostics);
      expr = lowered.exclusion;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      diagnostics.push(err.diagnostic);
    }
    exclusions.push({
      name: doc.meta.name ?? doc.meta.title,
      description: doc.meta.description,
      expr,
      span: where,
      diagnostics,
      scope: { rules: doc.rules, logsource: doc.logsource, id: doc.meta.id },
    });
  }
  if (exclusions.length === 0 && fileDiagnostics.length === 0) fileDiagnostics.push(noExclusions(source, 'it has no Sigma filter document'));
  return { path: source.path, format: 'sigma-filter', exclusions, diagnostics: fileDiagnostics };
}

// ---------------------------------------------------------------------------------------------
// Plain text (the seed document's form)

const labelLine = /^([ \t]*)(Scenario|Description|Filter\/Exclusion)[ \t]*:[ \t]*(.*?)[ \t\r]*$/di;

interface TextEntry {
  name: string;
  span: Span;
  description?: string;
  filter?: { text: string; offset: number; span: Span };
  diagnostics: Diagnostic[];
}

function readTextFormat(source: SourceFile, _options: ReadExclusionsOptions): ExclusionFile {
  const text = source.text;
  const entries: TextEntry[] = [];
  let current: TextEntry | undefined;
  let offset = 0;
  let lineNo = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(offset, end);
    lineNo++;
    const m = labelLine.exec(line);
    if (m) {
      const label = m[2]!.toLowerCase();
      const value = m[3]!;
      const valueStart = offset + m.indices![3]![0];
      const lineSpan = span(source, offset + m[1]!.length, offset + line.replace(/[ \t\r]+$/, '').length);
      if (label === 'scenario') {
        current = { name: value, span: lineSpan, diagnostics: [] };
        if (value === '') current.diagnostics.push(error('missing-name', 'this Scenario line has no name', lineSpan));
        entries.push(current);
      } else if (label === 'description') {
        if (!current) {
          // A description before any scenario belongs to nothing: skipped like other text.
        } else if (current.description !== undefined) {
          current.diagnostics.push(warning('extra-description', `scenario '${current.name}' already has a description; this line is ignored`, lineSpan));
        } else if (value !== '') {
          current.description = value;
        }
      } else {
        if (!current || current.filter) {
          const why = current ? 'this filter follows another one without a Scenario line between them' : 'this filter has no Scenario line before it';
          current = { name: `line ${lineNo}`, span: lineSpan, diagnostics: [warning('unnamed-exclusion', `${why}; it is read as an exclusion of its own, named after its line`, lineSpan)] };
          entries.push(current);
        }
        current.filter = { text: value, offset: valueStart, span: lineSpan };
      }
    }
    if (newline === -1) break;
    offset = newline + 1;
  }

  if (entries.length === 0) {
    return { path: source.path, format: null, exclusions: [], diagnostics: [noExclusions(source, "no 'Scenario:' or 'Filter/Exclusion:' line was found")] };
  }
  const seen = new Map<string, TextEntry>();
  const exclusions = entries.map((entry): Exclusion => {
    const diagnostics = entry.diagnostics;
    const key = entry.name.trim().toLowerCase();
    const previous = seen.get(key);
    if (previous && key !== '') diagnostics.push(warning('duplicate-name', `another scenario is already named '${entry.name}' (line ${source.position(previous.span.start).line})`, entry.span));
    else seen.set(key, entry);
    let expr: Expr | undefined;
    if (!entry.filter) {
      diagnostics.push(error('missing-filter', `scenario '${entry.name}' has no 'Filter/Exclusion:' line`, entry.span));
    } else if (entry.filter.text === '') {
      diagnostics.push(error('empty-filter', `the Filter/Exclusion line of scenario '${entry.name}' is empty`, entry.filter.span));
    } else {
      const lowered = lowerEntry(embeddedAt(source, entry.filter.text, entry.filter.offset), diagnostics);
      if (!diagnostics.some((d) => d.severity === 'error')) expr = lowered;
    }
    return { name: entry.name, description: entry.description, filter: entry.filter?.text, expr, span: entry.span, diagnostics: sortBySource(diagnostics) };
  });
  return { path: source.path, format: 'text', exclusions, diagnostics: [] };
}
