// Pipeline YAML → Pipeline. Built-in pipelines are embedded at build time (src/generated/assets.ts),
// so the core never reads files; the command line loads the user's own with loadPipeline.
//
//   name: defender-xdr
//   target: kql
//   description: …
//   strict: true                    # unknown fields are errors (default false: kept as written)
//   unmatched-logsource: error      # or keep (default: error when `sources` is given)
//   layout: {…}                     # free data for the output templates
//   sources:                        # first match wins
//     - logsource: {category: process_creation, product: windows}
//       source: DeviceProcessEvents
//       fieldmaps: [process, common]
//       conditions: {ActionType: ProcessCreated}   # Sigma selection syntax
//       layout: {…}
//   fieldmaps:
//     process:
//       Image: FolderPath                          # rename
//       ParentImage: {field: InitiatingProcessFileName, transform: basename}
//       EventType: {field: ActionType, transform: {map: {SetValue: RegistryValueSet}}}
//       Hashes: {any: [{field: SHA1, transform: …}, …]}   # several targets, ORed
//       Imphash: null                               # no equivalent: an error naming the field
//   fields: common                                  # field maps used for every source, after its own
//   unmapped: {prefix: winlog.event_data., keep: '\.'}  # when not strict: prefix for unknown fields,
//                                                   # except names matching `keep` (a regex)
import { RulecastError } from '../diagnostics/diagnostic.js';
import { SourceFile, span } from '../diagnostics/source.js';
import { assets } from '../generated/assets.js';
import { lowerDefinition, type DetectionContext } from '../lower/detection.js';
import { describeNode, parseYaml, type YMap, type YNode } from '../parse/yaml.js';
import { nearest, plain } from '../rule/load.js';
import { allowedLayout } from './layout.js';
import type { QueryLogsource } from '../ir/query.js';
import { makeTransform } from './transforms/index.js';
import type { FieldMap, FieldTarget, Pipeline, SourceRule, ValueTransform } from './types.js';

const builtinPrefix = 'src/pipelines/';
const cache = new Map<string, Pipeline>();

/** Names of the built-in pipelines, optionally only those written for a target. */
export function builtinPipelines(target?: string): string[] {
  return Object.keys(assets)
    // Subfolders hold data that is not a target pipeline (taxonomy/ecs-sigma.yml).
    .filter((k) => k.startsWith(builtinPrefix) && k.endsWith('.yml') && !k.slice(builtinPrefix.length).includes('/'))
    .map((k) => k.slice(builtinPrefix.length, -4))
    .filter((name) => !target || getBuiltinPipeline(name).target === undefined || getBuiltinPipeline(name).target === target)
    .sort();
}

/** A built-in pipeline's YAML as shipped, or undefined. */
export function builtinPipelineText(name: string): string | undefined {
  return assets[`${builtinPrefix}${name}.yml`];
}

/** A built-in pipeline by name, loaded once. */
export function getBuiltinPipeline(name: string): Pipeline {
  let p = cache.get(name);
  if (!p) {
    const text = assets[`${builtinPrefix}${name}.yml`];
    if (text === undefined) throw new RulecastError('unknown-pipeline', `unknown pipeline '${name}'`);
    p = loadPipeline(text, `${builtinPrefix}${name}.yml`);
    cache.set(name, p);
  }
  return p;
}

function get(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.key.kind === 'scalar' && e.key.text === key)?.value;
}

/** Parses a pipeline file; errors point into it. */
export function loadPipeline(text: string, path: string): Pipeline {
  const source = new SourceFile(path, text);
  const docs = parseYaml(source);
  const root = docs[0]?.root;
  const fail: (message: string, node?: YNode) => never = (message, node) => {
    throw new RulecastError('invalid-pipeline', message, node ? span(source, node.start, node.end) : span(source, 0, 1));
  };
  if (!root || root.kind !== 'map') return fail('a pipeline file is a YAML mapping (name, sources, fieldmaps…)', root ?? undefined);
  const str = (key: string, required = false): string | undefined => {
    const n = get(root, key);
    if (!n) return required ? fail(`the pipeline needs '${key}'`) : undefined;
    if (n.kind !== 'scalar' || typeof n.value !== 'string') return fail(`'${key}' must be a string`, n);
    return n.value;
  };
  const known = new Set(['name', 'description', 'target', 'strict', 'unmatched-logsource', 'layout', 'sources', 'fieldmaps', 'fields', 'unmapped']);
  for (const e of root.entries) if (e.key.kind === 'scalar' && !known.has(e.key.text)) fail(`unknown pipeline key '${e.key.text}' (${[...known].join(', ')})`, e.key);

  const name = str('name', true)!;
  const target = str('target');
  // Layout keys are what the target reads (layout.ts): anything else is a mistake in the file.
  const checkLayout = (node: YNode, where: 'pipeline' | 'source'): Record<string, unknown> => {
    if (node.kind !== 'map') return fail(`'layout' must be a mapping, not ${describeNode(node)}`, node);
    const allowed = allowedLayout(target, where);
    for (const e of node.entries) {
      const key = e.key.kind === 'scalar' ? e.key.text : '';
      const spec = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
      if (!spec) {
        const known = Object.keys(allowed);
        const near = nearest(key, known);
        fail(
          `unknown ${where === 'source' ? "source's " : ''}layout key '${key}'${near ? `; did you mean '${near}'?` : ''} (${target ? `target ${target} reads` : 'targets read'} ${known.length ? known.join(', ') : 'none here'})`,
          e.key,
        );
      }
      const problem = spec.check(plain(e.value));
      if (problem) fail(`layout key '${key}' (${spec.meaning}) ${problem}`, e.value);
    }
    return plain(node) as Record<string, unknown>;
  };
  const ctx: DetectionContext = { source, placeholders: undefined, diagnostics: [] };

  // Field maps by name.
  const fieldmaps = new Map<string, FieldMap>();
  const mapsNode = get(root, 'fieldmaps');
  if (mapsNode) {
    if (mapsNode.kind !== 'map') fail("'fieldmaps' must map names to field maps", mapsNode);
    for (const { key, value } of mapsNode.entries) {
      if (key.kind !== 'scalar') fail('a field map name must be a string', key);
      if (value.kind !== 'map') fail(`field map '${key.text}' must be a mapping of field → target`, value);
      const fields = new Map<string, FieldTarget>();
      for (const e of value.entries) {
        if (e.key.kind !== 'scalar') fail('a field name must be a string', e.key);
        fields.set(e.key.text, fieldTarget(e.value));
      }
      fieldmaps.set(key.text, { name: key.text, fields });
    }
  }
  function fieldTarget(node: YNode): FieldTarget {
    if (node.kind === 'scalar' && node.value === null) return { kind: 'unsupported' };
    if (node.kind === 'scalar') return { kind: 'field', field: node.text, transforms: [] };
    if (node.kind === 'seq') return { kind: 'any', targets: node.items.map(fieldTarget) };
    const any = get(node, 'any');
    if (any) {
      if (any.kind !== 'seq') fail("'any' needs a list of targets", any);
      return { kind: 'any', targets: any.items.map(fieldTarget) };
    }
    const unsupported = get(node, 'unsupported');
    if (unsupported) return { kind: 'unsupported', reason: unsupported.kind === 'scalar' ? unsupported.text : undefined };
    const field = get(node, 'field');
    if (!field || field.kind !== 'scalar') return fail("a field target needs 'field' (and optionally 'transform')", node);
    const transformNode = get(node, 'transform');
    const transforms: ValueTransform[] = [];
    const items = transformNode ? (transformNode.kind === 'seq' ? transformNode.items : [transformNode]) : [];
    for (const t of items) {
      if (t.kind === 'scalar') transforms.push(makeTransform(t.text, undefined, span(source, t.start, t.end)));
      else if (t.kind === 'map' && t.entries.length === 1 && t.entries[0]!.key.kind === 'scalar') {
        transforms.push(makeTransform(t.entries[0]!.key.text, plain(t.entries[0]!.value), span(source, t.start, t.end)));
      } else fail("a transform is a name or a mapping {name: arguments}", t);
    }
    return { kind: 'field', field: field.text, transforms };
  }
  const mapsByName = (node: YNode | undefined): FieldMap[] => {
    if (!node) return [];
    const names = node.kind === 'seq' ? node.items : [node];
    return names.map((n) => {
      const m = n.kind === 'scalar' ? fieldmaps.get(n.text) : undefined;
      if (!m) return fail(`no field map named '${n.kind === 'scalar' ? n.text : '?'}' in 'fieldmaps'`, n);
      return m;
    });
  };

  const sources: SourceRule[] = [];
  const sourcesNode = get(root, 'sources');
  if (sourcesNode) {
    if (sourcesNode.kind !== 'seq') fail("'sources' must be a list", sourcesNode);
    for (const item of sourcesNode.items) {
      if (item.kind !== 'map') fail('each source is a mapping with logsource and source', item);
      const m = item;
      for (const e of m.entries) {
        if (e.key.kind === 'scalar' && !['logsource', 'source', 'fieldmaps', 'conditions', 'layout'].includes(e.key.text)) fail(`unknown key '${e.key.text}' in a source (logsource, source, fieldmaps, conditions, layout)`, e.key);
      }
      const ls = get(m, 'logsource');
      if (!ls || ls.kind !== 'map') fail("a source needs a 'logsource' mapping to match", item);
      const logsource: Record<string, string> = {};
      for (const e of ls.entries) {
        if (e.key.kind !== 'scalar' || !['category', 'product', 'service', 'definition'].includes(e.key.text)) fail('a logsource has category, product, service or definition', e.key);
        if (e.value.kind !== 'scalar') fail('a logsource value is a string', e.value);
        logsource[e.key.text] = e.value.text;
      }
      const src = get(m, 'source');
      const conditionsNode = get(m, 'conditions');
      const layoutNode = get(m, 'layout');
      sources.push({
        logsource: logsource as QueryLogsource,
        source: src && src.kind === 'scalar' && src.value !== null ? src.text : null,
        fieldmaps: mapsByName(get(m, 'fieldmaps')),
        conditions: conditionsNode ? lowerDefinition(ctx, conditionsNode, 'conditions') : undefined,
        layout: layoutNode ? checkLayout(layoutNode, 'source') : {},
      });
    }
  }
  const strictNode = get(root, 'strict');
  if (strictNode && (strictNode.kind !== 'scalar' || typeof strictNode.value !== 'boolean')) fail("'strict' must be true or false", strictNode);
  const unmatched = str('unmatched-logsource') ?? (sources.length ? 'error' : 'keep');
  if (unmatched !== 'error' && unmatched !== 'keep') fail("'unmatched-logsource' must be error or keep", get(root, 'unmatched-logsource'));
  const layoutNode = get(root, 'layout');
  const layout = layoutNode ? checkLayout(layoutNode, 'pipeline') : {};
  let unmappedFields: Pipeline['unmapped'];
  const unmappedNode = get(root, 'unmapped');
  if (unmappedNode) {
    const prefix = unmappedNode.kind === 'map' ? get(unmappedNode, 'prefix') : undefined;
    const keep = unmappedNode.kind === 'map' ? get(unmappedNode, 'keep') : undefined;
    if (!prefix || prefix.kind !== 'scalar' || typeof prefix.value !== 'string') return fail("'unmapped' needs 'prefix' (a string) and optionally 'keep' (a regular expression)", unmappedNode);
    let keepRe: RegExp | undefined;
    if (keep) {
      if (keep.kind !== 'scalar' || typeof keep.value !== 'string') return fail("'keep' must be a regular expression", keep);
      try {
        keepRe = new RegExp(keep.value, 'u');
      } catch (err) {
        return fail(`'keep' is not a regular expression: ${err instanceof Error ? err.message : String(err)}`, keep);
      }
    }
    unmappedFields = { prefix: prefix.value, keep: keepRe };
  }
  return {
    name,
    description: str('description') ?? '',
    target,
    strict: strictNode?.kind === 'scalar' && strictNode.value === true,
    unmapped: unmappedFields,
    sources,
    unmatchedLogsource: unmatched as 'error' | 'keep',
    fieldmaps: mapsByName(get(root, 'fields')),
    layout,
    origin: path,
  };
}
