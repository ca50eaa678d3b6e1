// Every query that imports re-renders (-t kql) to a query that Microsoft's Kusto parser reads
// without syntax errors, and that imports again to the same tables, lookback and fields and to a
// detection that selects the same events. This module is the check; roundtrip.test.ts runs it on
// the golden inputs, roundtrip.corpus.test.ts on the hunting-query corpus.
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { and, not } from '../../src/ir/build.js';
import { satisfiable } from '../../src/analysis/satisfiable.js';
import { defenderColumnTypes, importKql, type ImportedKql } from '../../src/import/kql.js';
import type { Event } from '../../src/ir/evaluate.js';
import { renderImported } from '../../src/app/kql-import.js';
import { formatDiagnostic } from '../../src/index.js';
import { generateEvents } from './events.js';
import { kustoSyntaxErrors } from './kusto.js';

/** Whether an event could be a row of the tables: where the Defender schema gives a column's type
 *  (the same in every table), a number column holds a number or nothing, a boolean a boolean or
 *  nothing, and a string column a string (Kusto strings are never null). */
function wellTyped(e: Event, tables: readonly string[]): boolean {
  return Object.entries(e).every(([column, value]) => {
    const types = new Set(tables.map((t) => defenderColumnTypes(t)?.[column]));
    if (types.size !== 1) return true;
    const [type] = [...types];
    if (type === undefined) return true;
    if (['long', 'int', 'real', 'decimal'].includes(type)) return value === null || typeof value === 'number';
    if (type === 'bool') return value === null || typeof value === 'boolean';
    if (type === 'string') return typeof value === 'string';
    return true;
  });
}

/** Checks one imported query; returns a description of the first difference, or undefined. */
export function roundTrip(r: ImportedKql, seed: number): string | undefined {
  const q = r.query!;
  const text = renderImported(r, q, 'kql').text;
  const errors = kustoSyntaxErrors(text);
  if (errors.length) return `Kusto's parser rejects the re-rendered query: ${errors.join('; ')}\n${text}`;
  const [again] = importKql(new SourceFile(`${r.path} (re-rendered)`, text), 'kql');
  if (!again?.query) return `the re-rendered query does not import: ${again?.error ? formatDiagnostic(again.error) : '?'}\n${text}`;
  const q2 = again.query;
  const same = (a: unknown, b: unknown, what: string) => (JSON.stringify(a) === JSON.stringify(b) ? undefined : `${what} differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  const diff =
    same(q.tables.map((t) => t.name), q2.tables.map((t) => t.name), 'tables') ??
    same(q.lookback ?? null, q2.lookback ?? null, 'lookbacks') ??
    same(q.timeColumn ?? null, q2.timeColumn ?? null, 'time columns') ??
    same(q.fields, q2.fields, 'projections');
  if (diff) return `${diff}\n${text}`;
  // Sampled events, and witnesses from the satisfiability analysis: an event each query selects,
  // one it does not, and (the direct test) one that only one of the two selects, where it can
  // decide. Predicates it cannot reason about (has, re…) are covered by the samples.
  const witnesses = [q.expr, not(q.expr), and(q.expr, not(q2.expr)), and(q2.expr, not(q.expr))].flatMap((e) => {
    const r = satisfiable(e, { maxConjuncts: 2_000 });
    return r.status === 'sat' ? [r.witness] : [];
  });
  for (const e of [...witnesses, ...generateEvents([q.expr, q2.expr], seed)].filter((ev) => wellTyped(ev, q.tables.map((t) => t.name)))) {
    if (evaluate(q.expr, e) !== evaluate(q2.expr, e)) return `the re-rendered query selects differently: ${JSON.stringify(e)} is ${evaluate(q.expr, e)} before, ${evaluate(q2.expr, e)} after\n${text}`;
  }
  return undefined;
}
