// Correlation rules name the rules they correlate by `id` or `name`, in the same file or in another
// file of the run. This resolves those references over every document of a run, reports what does
// not resolve (located at the reference), and says which documents are not output on their own.
//
// It works on plain data (RunDocument) so the command line can collect it from worker threads and
// batches, and resolve once every file has been read.
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { span, type Span } from '../diagnostics/source.js';
import type { YNode } from '../parse/yaml.js';
import { nearest } from '../rule/load.js';
import type { CorrelationUse, LoadedDocument, SigmaCorrelation, SigmaDocument } from '../rule/types.js';

/** What the resolver knows of one document of a run. */
export interface RunDocument {
  readonly path: string;
  readonly index: number;
  readonly id: string | null;
  readonly name: string | null;
  /** null when the document could not be loaded. */
  readonly kind: SigmaDocument['kind'] | null;
  /** Loaded and lowered without errors. */
  readonly valid: boolean;
  /** For a correlation document, valid or not: the rules it names and its `generate`. */
  readonly correlates?: CorrelationUse | undefined;
}

/** A document of a run as compileSigma gives it (structurally: no dependency on the library). */
export interface DocumentLike {
  readonly path: string;
  readonly index: number;
  readonly id: string | null;
  readonly name?: string | null | undefined;
  readonly correlates?: LoadedDocument['correlates'];
  readonly document?: SigmaDocument | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function runDocument(doc: DocumentLike): RunDocument {
  return {
    path: doc.path,
    index: doc.index,
    id: doc.id,
    name: doc.name ?? null,
    kind: doc.document?.kind ?? null,
    valid: doc.document !== undefined && !doc.diagnostics.some((d) => d.severity === 'error'),
    correlates: doc.correlates,
  };
}

export function documentKey(doc: { readonly path: string; readonly index: number }): string {
  return `${doc.path}#${doc.index}`;
}

export interface ReferenceResolution {
  /** Errors found resolving each correlation (by document key). */
  readonly diagnostics: ReadonlyMap<string, readonly Diagnostic[]>;
  /** For each correlation that resolved without errors: its rules' document keys, in order. */
  readonly targets: ReadonlyMap<string, readonly string[]>;
  /** For the same correlations: alias name → the field per target document key. */
  readonly aliases: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, string>>>;
  /** Documents a correlation uses without `generate: true`: not output on their own (pySigma's
   *  rule: one such correlation is enough). */
  readonly correlated: ReadonlySet<string>;
}

/** Resolves the references of `correlations` (the run's loaded correlation documents) against
 *  every document of the run. A reference is looked up by id or name in the correlation's own file
 *  first, then in the whole run; it must name exactly one document. */
export function resolveReferences(documents: readonly RunDocument[], correlations: readonly SigmaCorrelation[]): ReferenceResolution {
  const byRef = new Map<string, RunDocument[]>();
  const add = (ref: string | null, doc: RunDocument) => {
    if (ref === null || ref === '') return;
    const list = byRef.get(ref);
    if (!list) byRef.set(ref, [doc]);
    else if (!list.includes(doc)) list.push(doc);
  };
  for (const d of documents) {
    add(d.id, d);
    add(d.name, d);
  }
  const names = [...new Set(documents.flatMap((d) => (d.name ? [d.name] : [])))];
  /** Same file first: a file that holds its correlation and the rules it uses stays self-contained
   *  even when another file of the run uses the same names. */
  const candidates = (ref: string, fromPath: string): RunDocument[] => {
    const all = byRef.get(ref) ?? [];
    const local = all.filter((d) => d.path === fromPath);
    return local.length > 0 ? local : all;
  };

  const correlated = new Set<string>();
  for (const d of documents) {
    if (!d.correlates || d.correlates.generate) continue;
    for (const ref of d.correlates.rules) for (const c of candidates(ref, d.path)) correlated.add(documentKey(c));
  }

  const diagnostics = new Map<string, Diagnostic[]>();
  const targets = new Map<string, string[]>();
  const aliases = new Map<string, Map<string, Map<string, string>>>();
  const correlationByKey = new Map(correlations.map((c) => [documentKey({ path: c.source.path, index: c.index }), c]));
  const report = (key: string, d: Diagnostic) => {
    const list = diagnostics.get(key);
    if (list) list.push(d);
    else diagnostics.set(key, [d]);
  };
  const where = (c: SigmaCorrelation, node: YNode): Span => span(c.source, node.start, node.end);
  const describe = (d: RunDocument) => `${d.path} (document ${d.index + 1}${d.name ? `, name '${d.name}'` : d.id ? `, id ${d.id}` : ''})`;

  for (const [key, c] of correlationByKey) {
    const path = c.source.path;
    const resolved: string[] = [];
    for (const ref of c.ruleRefs) {
      const found = candidates(ref.value, path);
      if (found.length === 0) {
        const near = nearest(ref.value, names);
        report(key, error('unknown-rule-reference', `'${ref.value}' is neither the id nor the name of a rule of this run${near ? `; did you mean '${near}'?` : ''}`, where(c, ref.node), ["a correlation finds its rules by 'id' or 'name' in its own file first, then in the other files given"]));
        continue;
      }
      if (found.length > 1) {
        report(key, error('ambiguous-rule-reference', `'${ref.value}' names ${found.length} rules of this run; refer to one by its id`, where(c, ref.node), found.map((d) => `candidate: ${describe(d)}`)));
        continue;
      }
      const target = found[0]!;
      const targetKey = documentKey(target);
      if (targetKey === key) {
        report(key, error('correlation-cycle', `the correlation refers to itself through '${ref.value}'`, where(c, ref.node)));
        continue;
      }
      if (target.kind === 'filter') {
        report(key, error('invalid-rule-reference', `'${ref.value}' is a Sigma filter, which is applied to rules and cannot be correlated`, where(c, ref.node), [`filter: ${describe(target)}`]));
        continue;
      }
      if (!target.valid) {
        report(key, error('invalid-rule-reference', `'${ref.value}' refers to a rule with errors, so the correlation cannot use it`, where(c, ref.node), [`rule: ${describe(target)}`]));
        continue;
      }
      if (resolved.includes(targetKey)) {
        report(key, error('duplicate-rule-reference', `'${ref.value}' refers to a rule this correlation already lists under another reference`, where(c, ref.node), [`rule: ${describe(target)}`]));
        continue;
      }
      resolved.push(targetKey);
    }
    const aliasFields = new Map<string, Map<string, string>>();
    for (const alias of c.aliases) {
      const fields = new Map<string, string>();
      for (const { rule, field } of alias.fields) {
        const found = candidates(rule.value, path).map(documentKey).filter((k) => resolved.includes(k));
        if (found.length !== 1) {
          report(key, error('invalid-alias', `alias '${alias.name}' maps '${rule.value}', which is none of this correlation's rules (${c.rules.join(', ')})`, where(c, rule.node)));
        } else if (fields.has(found[0]!)) {
          report(key, error('invalid-alias', `alias '${alias.name}' maps the rule '${rule.value}' twice`, where(c, rule.node)));
        } else fields.set(found[0]!, field.value);
      }
      aliasFields.set(alias.name, fields);
    }
    if (!diagnostics.has(key)) {
      targets.set(key, resolved);
      aliases.set(key, aliasFields);
    }
  }

  // Chains: a correlation of correlations must not loop, and needs every link to resolve.
  for (const [key, c] of correlationByKey) {
    if (!targets.has(key)) continue;
    const path = findCycle(key, targets);
    if (path) {
      const first = c.ruleRefs[targets.get(key)!.indexOf(path[1]!)]!;
      const titles = path.map((k) => `'${correlationByKey.get(k)?.meta.title ?? k}'`);
      report(key, error('correlation-cycle', `the correlations refer to each other in a cycle: ${titles.join(' → ')}`, where(c, first.node)));
    }
  }
  for (const key of diagnostics.keys()) targets.delete(key);
  // A correlation using a correlation with errors cannot be evaluated either (to a fixed point).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, list] of targets) {
      const broken = list.findIndex((t) => correlationByKey.has(t) && !targets.has(t));
      if (broken < 0) continue;
      const c = correlationByKey.get(key)!;
      const ref = c.ruleRefs[broken]!;
      report(key, error('invalid-rule-reference', `'${ref.value}' refers to a correlation with errors, so this correlation cannot use it`, where(c, ref.node)));
      targets.delete(key);
      changed = true;
    }
  }
  for (const key of diagnostics.keys()) aliases.delete(key);
  return { diagnostics, targets, aliases, correlated };
}

/** A path key → … → key through correlation targets, if one exists. */
function findCycle(start: string, targets: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const seen = new Set<string>();
  const walk = (key: string, path: string[]): string[] | undefined => {
    for (const next of targets.get(key) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next) || !targets.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}
