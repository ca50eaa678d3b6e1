// Table schemas the KQL backend reads from a pipeline's layout: the column types of each source
// (so `EventID: 4688` compares a number with a number and a string operator is never applied to a
// long), and computed columns (a KQL expression over real columns, for a Sigma field that a table
// stores in two parts, e.g. `User` = `strcat(AccountDomain, @"\", AccountName)`).
//
//   layout:
//     time: Timestamp                 # the time column for the lookback
//     connectors: {DeviceProcessEvents: MicrosoftThreatProtection}
//     tables:
//       DeviceProcessEvents:
//         columns: {Timestamp: datetime, FileName: string, ProcessId: long, …}
//         computed:
//           ProcessAccount: {type: string, kql: 'strcat(AccountDomain, @"\", AccountName)', present: 'isnotempty(AccountName)'}
//
// A table with a schema accepts only its columns: a field that is neither mapped nor a column is an
// error naming the field, the table and the rule location, never a query against a column that
// does not exist.
import { RulecastError } from '../diagnostics/diagnostic.js';

export const columnTypes = ['string', 'long', 'int', 'real', 'decimal', 'bool', 'datetime', 'timespan', 'dynamic', 'guid'] as const;
export type ColumnType = (typeof columnTypes)[number];

export interface Computed {
  readonly type: ColumnType;
  /** A KQL expression over the table's columns; a single function call, so it binds as an atom. */
  readonly kql: string;
  /** A KQL condition that the value is present (default `isnotempty(<kql>)`), for exists/null. */
  readonly present?: string | undefined;
  /** Its negation (default `isempty(<kql>)`, or `not(<present>)` when `present` is given). */
  readonly absent?: string | undefined;
}

export interface TableSchema {
  readonly name: string;
  readonly columns: ReadonlyMap<string, ColumnType>;
  readonly computed: ReadonlyMap<string, Computed>;
}

const cache = new WeakMap<object, Map<string, TableSchema>>();

function invalid(message: string): never {
  throw new RulecastError('invalid-pipeline', `layout.tables: ${message}`);
}

function asType(value: unknown, where: string): ColumnType {
  if (typeof value !== 'string' || !(columnTypes as readonly string[]).includes(value)) {
    invalid(`${where} has type '${String(value)}'; types are ${columnTypes.join(', ')}`);
  }
  return value as ColumnType;
}

/** The table schemas declared in a (merged) pipeline layout, parsed once per layout object. */
export function tableSchemas(layout: Readonly<Record<string, unknown>>): Map<string, TableSchema> {
  // Keyed by the `tables` object, which the pipeline parsed once: merged layouts are new objects
  // on every conversion, the tables inside them are not.
  const tables = layout.tables;
  const key = tables !== null && typeof tables === 'object' ? tables : layout;
  const cached = cache.get(key);
  if (cached) return cached;
  const out = new Map<string, TableSchema>();
  if (tables !== undefined) {
    if (tables === null || typeof tables !== 'object' || Array.isArray(tables)) invalid('must map table names to {columns, computed}');
    for (const [name, def] of Object.entries(tables as Record<string, unknown>)) {
      if (def === null || typeof def !== 'object' || Array.isArray(def)) invalid(`table ${name} must be a mapping with 'columns'`);
      const { columns, computed, ...rest } = def as Record<string, unknown>;
      if (Object.keys(rest).length) invalid(`table ${name} has unknown keys ${Object.keys(rest).join(', ')} (columns, computed)`);
      if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) invalid(`table ${name} needs 'columns': a mapping of column → type`);
      const cols = new Map<string, ColumnType>();
      for (const [c, t] of Object.entries(columns as Record<string, unknown>)) cols.set(c, asType(t, `column ${name}.${c}`));
      const comp = new Map<string, Computed>();
      if (computed !== undefined) {
        if (computed === null || typeof computed !== 'object' || Array.isArray(computed)) invalid(`table ${name}: 'computed' must map names to {type, kql}`);
        for (const [c, v] of Object.entries(computed as Record<string, unknown>)) {
          const spec = v as Record<string, unknown> | null;
          if (!spec || typeof spec !== 'object' || typeof spec.kql !== 'string') invalid(`computed column ${name}.${c} needs 'kql' (an expression) and 'type'`);
          if (!/^[A-Za-z_][A-Za-z0-9_]*\(.*\)$/s.test(spec.kql)) invalid(`computed column ${name}.${c} must be one function call, e.g. strcat(A, B)`);
          if (cols.has(c)) invalid(`computed column ${name}.${c} has the name of a real column`);
          if (spec.present !== undefined && (typeof spec.present !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\(.*\)$/s.test(spec.present))) {
            invalid(`computed column ${name}.${c}: 'present' must be a KQL condition written as one function call, e.g. isnotempty(A)`);
          }
          if (spec.absent !== undefined && (typeof spec.absent !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*\(.*\)$/s.test(spec.absent))) {
            invalid(`computed column ${name}.${c}: 'absent' must be a KQL condition written as one function call, e.g. isempty(A)`);
          }
          comp.set(c, { type: asType(spec.type, `computed column ${name}.${c}`), kql: spec.kql, present: spec.present as string | undefined, absent: spec.absent as string | undefined });
        }
      }
      out.set(name, { name, columns: cols, computed: comp });
    }
  }
  cache.set(key, out);
  return out;
}

export type ValueKind = 'string' | 'number' | 'bool' | 'time' | 'dynamic' | 'other' | 'unknown';

export function kindOf(type: ColumnType | undefined): ValueKind {
  switch (type) {
    case undefined:
      return 'unknown';
    case 'string':
      return 'string';
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return 'number';
    case 'bool':
      return 'bool';
    case 'datetime':
      return 'time';
    case 'dynamic':
      return 'dynamic';
    default:
      return 'other';
  }
}
