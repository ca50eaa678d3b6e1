// Statistics of a KQL import over many documents: how many queries import, and what stopped the
// others, ranked by count. Used by test/import/hunting.corpus.test.ts and scripts/kql-corpus.mjs.
import { SourceFile } from '../../src/diagnostics/source.js';
import { parseKql } from '../../src/parse/kql.js';
import { kqlDocumentFormat } from '../../src/import/document.js';
import { importKql, type ImportedKql } from '../../src/import/kql.js';

export interface ImportStats {
  readonly documents: number;
  readonly queries: number;
  readonly imported: number;
  /** Construct that stopped the import → number of queries, most frequent first. */
  readonly stoppedBy: readonly (readonly [string, number])[];
  /** Tabular operators and sources rulecast does not translate → number of queries using them
   *  anywhere (a query can count under several): what supporting each would unlock at most. */
  readonly uses: readonly (readonly [string, number])[];
  readonly results: readonly ImportedKql[];
}

function ranked(counts: Map<string, number>): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Unsupported operators used anywhere in a query's text (best effort: a query that does not
 *  parse contributes nothing). */
function operatorsUsed(text: string, path: string): Set<string> {
  const out = new Set<string>();
  let script;
  try {
    const source = new SourceFile(path, text);
    script = parseKql({ source, text, toSource: (o) => o });
  } catch {
    return out;
  }
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as { kind?: string; name?: string };
    if ((node.kind === 'other' || node.kind === 'other-source') && node.name) out.add(node.name);
    for (const v of Object.values(node)) visit(v);
  };
  visit(script.statements);
  return out;
}

export function importStats(files: readonly { path: string; text: string }[]): ImportStats {
  const results: ImportedKql[] = [];
  const stopped = new Map<string, number>();
  const uses = new Map<string, number>();
  let documents = 0;
  for (const f of files) {
    const format = kqlDocumentFormat(f.path, f.text);
    if (format === undefined) continue;
    documents++;
    const imported = importKql(new SourceFile(f.path, f.text), format);
    results.push(...imported);
    for (const r of imported) {
      if (!r.query) stopped.set(r.construct ?? r.error!.code, (stopped.get(r.construct ?? r.error!.code) ?? 0) + 1);
      for (const op of operatorsUsed(r.text, f.path)) uses.set(op, (uses.get(op) ?? 0) + 1);
    }
  }
  return { documents, queries: results.length, imported: results.filter((r) => r.query).length, stoppedBy: ranked(stopped), uses: ranked(uses), results };
}
