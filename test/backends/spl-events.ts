// Events that exercise a rule, derived from its IR: for each predicate a value that matches, the
// same value in another case, near misses (one character off, the value inside a longer one), and
// the field missing. A seeded generator walks the expression trying to make it true or false
// (choosing a branch of each OR/AND at random), so both verdicts occur; variants then flip the
// case of one field or remove it. The IR evaluator and the SPL oracle must agree on every event.
import { parseCidr } from '../../src/ir/ip.js';
import type { Expr, Pred } from '../../src/ir/types.js';
import { seededRandom as rng } from '../support/random.js';
export { rng };

export type TestEvent = Record<string, string | number | boolean>;


function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A literal-ish sample of a regex: escapes resolved, metacharacters dropped. Rarely a match, but
 *  a near one, which is what the comparison needs besides the corpus' own positives. */
function regexSample(pattern: string): string {
  return pattern
    .replace(/\\([\\.$^*+?()[\]{}|/-])/g, '$1')
    .replace(/\\[sS]/g, ' ')
    .replace(/\\[dD]/g, '1')
    .replace(/\\[wW]/g, 'a')
    .replace(/[()^$|?*+]|\[[^\]]*\]|\{\d*,?\d*\}/g, '');
}

function cidrInside(network: string): string | undefined {
  const c = parseCidr(network);
  if (!c) return undefined;
  if (c.family === 4) return [...c.bytes].map((b, i) => (i === 3 ? (b | 1) : b)).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((c.bytes[i]! << 8) | c.bytes[i + 1]!).toString(16));
  groups[7] = (parseInt(groups[7]!, 16) | 1).toString(16);
  return groups.join(':');
}

/** Values that make the predicate true (when the field has them). */
export function positives(p: Pred): (string | number | boolean)[] {
  switch (p.op) {
    case 'eq':
      if (typeof p.value === 'number') return [p.value, String(p.value), `${p.value}.0`];
      if (typeof p.value === 'boolean') return [p.value, swapCase(String(p.value))];
      return [p.value, swapCase(p.value)];
    case 'contains':
      return [`x${p.value}y`, swapCase(`a${p.value}`), p.value];
    case 'startswith':
      return [`${p.value}tail`, swapCase(p.value)];
    case 'endswith':
      return [`Head${p.value}`, swapCase(p.value)];
    case 'wildcard': {
      const fill = (star: string, one: string) => p.value.parts.map((x) => (typeof x === 'string' ? x : x.wildcard === '*' ? star : one)).join('');
      return [fill('ab', 'Q'), fill('', '*'), swapCase(fill('*', '?'))];
    }
    case 'has':
      return [` ${p.value} `, p.value];
    case 're':
      return [regexSample(p.value.pattern)];
    case 'cidr': {
      const inside = cidrInside(p.value.network);
      return inside ? [inside, inside.toUpperCase()] : [];
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return [p.value - 1, p.value, p.value + 1, String(p.value + 0.5)];
    case 'exists':
      return ['present', ''];
    case 'null':
      return [];
    case 'fieldref':
      return [];
  }
}

/** Values that come close without matching (or match by the wrong rule: case, wildcard, type). */
export function nearMisses(p: Pred): (string | number | boolean)[] {
  switch (p.op) {
    case 'eq':
      if (typeof p.value === 'number') return [p.value + 1, `${p.value}x`, `0${p.value}`];
      if (typeof p.value === 'boolean') return [!p.value, `${p.value}x`];
      return [`${p.value}x`, p.value.slice(1), `x${p.value}`, `${p.value}\n`, ''];
    case 'contains':
      return [p.value.slice(1), p.value.slice(0, -1), swapCase(p.value.slice(1))];
    case 'startswith':
      return [`x${p.value}`, p.value.slice(0, -1)];
    case 'endswith':
      return [`${p.value}x`, `${p.value}\n`, p.value.slice(1)];
    case 'wildcard': {
      const fill = (star: string, one: string) => p.value.parts.map((x) => (typeof x === 'string' ? x : x.wildcard === '*' ? star : one)).join('');
      return [fill('ab', 'QQ'), fill('ab', ''), `${fill('', 'Q')}x`];
    }
    case 'has':
      return [`x${p.value}`, `${p.value}1`];
    case 're':
      return [`${regexSample(p.value.pattern)}\n`, swapCase(regexSample(p.value.pattern))];
    case 'cidr':
      return p.value.family === 4 ? ['203.0.113.7', 'not an address', '::1'] : ['2001:db8::7', '10.0.0.1'];
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return ['many', p.value + 10, p.value - 10];
    case 'exists':
    case 'null':
      return ['present'];
    case 'fieldref':
      return ['other'];
  }
}

const MISSING = Symbol('missing');
type Assignment = Map<string, string | number | boolean | typeof MISSING>;

export function generateEvents(expr: Expr, seed: number, count = 16): TestEvent[] {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const keywordFields = new Map<Pred, string>();
  const fieldOf = (p: Pred): string => {
    if (p.field !== null) return p.field;
    let f = keywordFields.get(p);
    if (!f) {
      f = `Keyword${keywordFields.size}`;
      keywordFields.set(p, f);
    }
    return f;
  };
  const set = (a: Assignment, field: string, value: string | number | boolean | typeof MISSING) => {
    if (!a.has(field) || random() < 0.2) a.set(field, value);
  };
  const satisfy = (e: Expr, want: boolean, a: Assignment): void => {
    switch (e.kind) {
      case 'const':
        return;
      case 'not':
        return satisfy(e.arg, !want, a);
      case 'and':
      case 'or': {
        const all = (e.kind === 'and') === want;
        if (all) e.args.forEach((x) => satisfy(x, want, a));
        else {
          const chosen = pick(e.args);
          for (const x of e.args) satisfy(x, x === chosen ? want : random() < 0.5, a);
        }
        return;
      }
      case 'pred': {
        const field = fieldOf(e);
        if (e.op === 'fieldref') {
          const other = a.get(e.value.field);
          const base = typeof other === 'string' ? other : 'Same';
          if (typeof other !== 'string') set(a, e.value.field, base);
          set(a, field, want ? pick([base, swapCase(base)]) : pick([`${base}x`, MISSING]));
          return;
        }
        if (e.op === 'null') return set(a, field, want ? MISSING : 'present');
        const values: (string | number | boolean | typeof MISSING)[] = want ? positives(e) : [...nearMisses(e), MISSING];
        if (values.length) set(a, field, pick(values));
        else if (!want) set(a, field, MISSING);
      }
    }
  };
  const events: TestEvent[] = [];
  const seen = new Set<string>();
  const add = (a: Assignment) => {
    const ev: TestEvent = {};
    for (const [k, v] of a) if (v !== MISSING) ev[k] = v;
    const key = JSON.stringify(ev);
    if (!seen.has(key)) {
      seen.add(key);
      events.push(ev);
    }
  };
  for (let i = 0; i < count; i++) {
    const a: Assignment = new Map();
    satisfy(expr, i % 2 === 0, a);
    add(a);
    // Variants: one field in another case, one field removed.
    const fields = [...a.keys()];
    if (fields.length) {
      const f = pick(fields);
      const v = a.get(f);
      if (typeof v === 'string') add(new Map(a).set(f, swapCase(v)));
      add(new Map(a).set(pick(fields), MISSING));
    }
  }
  return events;
}
