// Events for comparing two IR expressions over the same columns: for each column the values the
// predicates name, and near misses (other case, inside other text with and without term
// boundaries, empty, missing, neighbouring numbers), combined with a seeded generator.
import { predicates } from '../../src/ir/passes.js';
import type { Expr } from '../../src/ir/types.js';
import type { Event } from '../../src/ir/evaluate.js';
import { seededRandom as random } from '../support/random.js';

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Candidate values per field. */
export function fieldValues(...exprs: Expr[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const add = (field: string, ...values: unknown[]) => {
    const list = out.get(field) ?? [undefined, '', null];
    for (const v of values) if (!list.some((x) => Object.is(x, v))) list.push(v);
    out.set(field, list);
  };
  for (const e of exprs) {
    for (const p of predicates(e)) {
      if (p.field === null) continue;
      switch (p.op) {
        case 'eq':
          if (typeof p.value === 'string') add(p.field, p.value, swapCase(p.value), `${p.value}x`, `x${p.value}`);
          else if (typeof p.value === 'number') add(p.field, p.value, p.value + 1, p.value - 1, String(p.value));
          else add(p.field, p.value, !p.value);
          break;
        case 'contains':
        case 'startswith':
        case 'endswith':
        case 'has':
          add(p.field, p.value, swapCase(p.value), `a${p.value}b`, `a ${p.value} b`, `${p.value}.z`, `z.${p.value}`, p.value.slice(1), `${p.value}${p.value}`);
          break;
        case 're':
          add(p.field, p.value.pattern, p.value.pattern.replace(/[\\^$()?*+[\]{}|]/g, ''), 'net user', 'NET  USER x');
          break;
        case 'lt':
        case 'lte':
        case 'gt':
        case 'gte':
          add(p.field, p.value, p.value + 1, p.value - 1);
          break;
        default:
          add(p.field, 'x');
      }
    }
  }
  return out;
}


/** `count` events over the fields of the expressions, plus one event per single value (the others
 *  missing). Undefined values leave the field out. */
export function generateEvents(exprs: Expr[], seed: number, count = 200): Event[] {
  const values = fieldValues(...exprs);
  const fields = [...values.keys()];
  const next = random(seed);
  const events: Event[] = [];
  const make = (pick: (f: string, vs: unknown[]) => unknown): Event => {
    const e: Record<string, unknown> = {};
    for (const f of fields) {
      const v = pick(f, values.get(f)!);
      if (v !== undefined) e[f] = v;
    }
    return e;
  };
  for (const f of fields) for (const v of values.get(f)!) events.push(make((g) => (g === f ? v : undefined)));
  for (let i = 0; i < count; i++) events.push(make((_f, vs) => vs[Math.floor(next() * vs.length)]));
  return events;
}
