// Value transformations of single values: a table of values (`map`), a field with one value in a
// whole source (`constant`) or never present there (`absent`), numbers stored as text (`text`) or
// as hexadecimal (`hex-number`).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { FALSE, orOf, pred, TRUE } from '../../ir/build.js';
import { evaluate } from '../../ir/evaluate.js';
import { type Expr } from '../../ir/types.js';
import { cannot, isPresenceOnly, type TransformFactory } from './context.js';

/**
 * `map`: replaces equality values through a table (case-insensitive keys), e.g. Sysmon's
 * `EventType: SetValue` → Defender's `ActionType: RegistryValueSet`. A value may map to a list (ORed).
 * A value the table does not know is kept as written; a non-equality predicate is refused.
 */
export const map: TransformFactory = (args, span) => {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', "the 'map' transform needs a mapping of value → value or list of values", span);
  }
  const table = new Map(Object.entries(args as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), (Array.isArray(v) ? v : [v]).map(String)]));
  return (p, context) => {
    if (isPresenceOnly(p)) return p;
    if (p.op !== 'eq') return cannot(p, context, 'map', `has its values translated one by one, and '${p.op}' does not name one value`);
    const mapped = table.get(String(p.value).toLowerCase());
    if (!mapped) return p;
    return orOf(mapped.map((v) => pred({ ...p, value: v })));
  };
};

/**
 * `constant: <value>`: the field has one value in the whole source (ECS `event.category: process`
 * in a process table). The predicate is decided when mapping, by the reference evaluator, and
 * becomes true or false; nothing is rendered for it.
 */
export const constant: TransformFactory = (args) => (p) => {
  if (p.field === null) return p;
  return evaluate(p, { [p.field]: args }) ? TRUE : FALSE;
};

/** `absent`: by the source's own schema the field never exists there (ECS `file.*` in process
 *  events): a value predicate is false, `null` is true, `exists` false. Not for a field the events
 *  have but the target does not record: that is an `unsupported` mapping, an error. */
export const absent: TransformFactory = () => (p): Expr => (p.op === 'null' ? TRUE : FALSE);

/**
 * `text`: the target field holds the decimal text of a number (ECS `event.code` is a keyword:
 * Sysmon's EventID 4688 is stored as "4688"). A number compared for equality becomes its text;
 * an order comparison cannot be made on text and is refused.
 */
export const text: TransformFactory = () => (p, context) => {
  if (isPresenceOnly(p)) return p;
  if (p.op === 'eq' && typeof p.value === 'number') {
    if (!Number.isInteger(p.value)) return cannot(p, context, 'text', 'holds the decimal text of a whole number');
    return pred({ ...p, value: String(p.value) });
  }
  if (p.op === 'lt' || p.op === 'lte' || p.op === 'gt' || p.op === 'gte') return cannot(p, context, 'text', 'holds text, which EQL does not compare as numbers');
  return p;
};

/** `hex-number`: a number Sysmon writes in hex (`LogonId: '0x3e7'`) that the target stores as a
 *  number: equality with a hex or decimal text becomes equality with the number. */
export const hexNumber: TransformFactory = () => (p, context) => {
  if (p.op === 'exists' || p.op === 'null') return p;
  if (p.op === 'eq' && typeof p.value === 'number') return p;
  if (p.op === 'eq' && typeof p.value === 'string' && /^(0x[0-9a-f]+|[0-9]+)$/i.test(p.value)) {
    const n = Number(BigInt(p.value.toLowerCase()));
    if (Number.isSafeInteger(n)) return pred({ op: 'eq', field: p.field, value: n, span: p.span });
  }
  return cannot(p, context, 'hex-number', 'is a number in the target, and only equality with a number (hex or decimal) can be translated');
};
