// IR → a Sigma detection: named selections and a condition. Every IR construct is written with the
// Sigma spelling that rulecast (and the specification) reads back as exactly that construct:
//
//   eq (string)          Field: 'value'                (Sigma strings: `*`, `?`, `\` escaped)
//   eq, cased            Field|cased: 'value'
//   eq (number, bool)    Field: 5 / Field: true
//   eq with a time part  Field|hour: 5
//   contains…endswith    Field|contains: 'value'       (+ |cased)
//   wildcard             Field: 'a*b?c'                (+ |cased)
//   has                  Field|re: '…'                 Sigma has no term match: an exact regular
//                                                      expression of Kusto's term rule (see hasRegex)
//   re                   Field|re: '…'                 (+ |i when not cased, |m, |s)
//   cidr                 Field|cidr: '10.0.0.0/8'
//   lt/lte/gt/gte        Field|lt: 5
//   exists               Field|exists: true
//   null                 Field: null
//   fieldref             Field|fieldref: Other         (+ |contains… and |cased)
//   keyword contains     a list of keywords            (startswith/endswith/re/cidr: '|startswith' keys)
//   and / or / not       one selection per group, combined in the condition
// A selection map ANDs its keys and a value list ORs its values, so an `and` of predicates on
// distinct keys becomes one map and an `or` of predicates that share a key becomes one list.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { foldVariants } from '../../ir/case.js';
import { literalPattern, pattern, patternToSigma } from '../../ir/pattern.js';
import { STAR } from '../../ir/types.js';
import { visit, type Expr, type Pred } from '../../ir/types.js';


/** A value of a selection as Sigma reads it (a string in Sigma's syntax: wildcards, escapes). */
export type SigmaValue = { readonly kind: 'string'; readonly text: string } | { readonly kind: 'number'; readonly value: number } | { readonly kind: 'bool'; readonly value: boolean } | { readonly kind: 'null' };

/** One line of a selection: `key: value` or `key: [values]`. */
export interface Item {
  /** The key as written, e.g. `CommandLine|contains|cased`, or '' for keywords. */
  readonly key: string;
  readonly values: readonly SigmaValue[];
}

const text = (t: string): SigmaValue => ({ kind: 'string', text: t });
const NULL: SigmaValue = { kind: 'null' };
const isNull = (v: SigmaValue | undefined) => v?.kind === 'null';

export interface SigmaDetection {
  /** Selections in order, by name. */
  readonly selections: readonly { readonly name: string; readonly items: readonly Item[]; readonly keywords: boolean }[];
  readonly condition: string;
}

const ATOM = 3;
const NOT = 2;
const AND = 1;
const OR = 0;

/** The key and value of one predicate. */
function predItem(p: Pred): Item {
  const field = p.field;
  if (field !== null && (field.includes('|') || field === '')) {
    throw new RulecastError('sigma-field-name', `field name '${field}' cannot be written in Sigma: '|' separates modifiers in a Sigma key`, p.span);
  }
  const key = (mods: string[]): string => [field ?? '', ...mods].join('|');
  const cased = p.cased ? ['cased'] : [];
  const str = (s: string) => text(patternToSigma(literalPattern(s)));
  switch (p.op) {
    case 'eq':
      if (p.timePart) return { key: key([p.timePart]), values: [{ kind: 'number', value: p.value as number }] };
      if (typeof p.value === 'number') return { key: key([]), values: [{ kind: 'number', value: p.value }] };
      if (typeof p.value === 'boolean') return { key: key([]), values: [{ kind: 'bool', value: p.value }] };
      if (field === null) throw new RulecastError('sigma-keyword', `a keyword that must equal a whole value ('${p.value}') has no Sigma spelling: Sigma keywords match anywhere in a value`, p.span);
      return { key: key(cased), values: [str(p.value)] };
    case 'contains':
      if (field === null) {
        if (p.cased) throw new RulecastError('sigma-keyword', 'a case-sensitive keyword has no Sigma spelling', p.span);
        return { key: '', values: [str(p.value)] };
      }
      return { key: key(['contains', ...cased]), values: [str(p.value)] };
    case 'startswith':
    case 'endswith':
      return { key: key([p.op, ...cased]), values: [str(p.value)] };
    case 'wildcard':
      if (field === null) {
        // A keyword is searched anywhere in a value: Sigma adds the `*` on both sides itself.
        const parts = p.value.parts;
        if (p.cased || parts.length < 2 || parts[0] !== STAR || parts[parts.length - 1] !== STAR) {
          throw new RulecastError('sigma-keyword', 'a keyword pattern anchored at either end (or case-sensitive) has no Sigma spelling', p.span);
        }
        return { key: '', values: [text(patternToSigma(pattern(parts.slice(1, -1))))] };
      }
      return { key: key(cased), values: [text(patternToSigma(p.value))] };
    case 'has':
      return { key: key(['re']), values: [text(hasRegex(p.value, p.cased))] };
    case 're': {
      const flags = [...(p.cased ? [] : ['i']), ...(p.value.flags.m ? ['m'] : []), ...(p.value.flags.s ? ['s'] : [])];
      return { key: key(['re', ...flags]), values: [text(p.value.pattern)] };
    }
    case 'cidr':
      return { key: key(['cidr']), values: [text(p.value.network)] };
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return { key: key([p.op]), values: [{ kind: 'number', value: p.value }] };
    case 'exists':
      return { key: key(['exists']), values: [{ kind: 'bool', value: true }] };
    case 'null':
      return { key: key([]), values: [NULL] };
    case 'fieldref': {
      const other = p.value.field;
      if (other.includes('|')) throw new RulecastError('sigma-field-name', `field name '${other}' cannot be written in Sigma`, p.span);
      const position = p.value.match === 'eq' ? [] : [p.value.match];
      return { key: key(['fieldref', ...position, ...cased]), values: [text(other)] };
    }
  }
}

const alnum = /[A-Za-z0-9]/;

/** A character of a regular expression, escaped for RE2 (ASCII punctuation gets a backslash). */
function reChar(c: string): string {
  return /[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c;
}

/** Kusto's `has` as an exact RE2 search (case-sensitive regex; letters of a case-insensitive
 *  needle become classes of their case variants): the needle, starting on a term boundary when it
 *  starts with a letter or digit, and ending on one when it ends with one. A term is a run of ASCII
 *  letters and digits. */
export function hasRegex(needle: string, cased: boolean): string {
  let body = '';
  for (const ch of needle) {
    // The characters that fold like this one (ir/case.ts), as the evaluator compares.
    const variants = cased ? [ch] : foldVariants(ch.codePointAt(0)!).map((cp) => String.fromCodePoint(cp));
    body += variants.length === 1 ? reChar(ch) : `[${variants.map(reChar).join('')}]`;
  }
  const first = needle[0];
  const last = needle[needle.length - 1];
  const before = first !== undefined && alnum.test(first) ? '(?:^|[^0-9A-Za-z])' : '';
  const after = last !== undefined && alnum.test(last) ? '(?:[^0-9A-Za-z]|$)' : '';
  return `${before}${body}${after}`;
}

export function toSigmaDetection(expr: Expr): SigmaDetection {
  const selections: { name: string; items: Item[]; keywords: boolean }[] = [];
  const define = (items: Item[], keywords = false): string => {
    const name = `selection${selections.length + 1}`;
    selections.push({ name, items, keywords });
    return name;
  };

  /** Predicates that can share one selection line (same key, ORed values). */
  const itemKey = (p: Pred): Item => predItem(p);

  const render = (e: Expr): { text: string; prec: number } =>
    visit<{ text: string; prec: number }>(e, {
      const: (c) => {
        throw new RulecastError('sigma-constant', `the detection is always ${c.value}; Sigma has no condition that ${c.value ? 'selects every event' : 'selects no event'}`);
      },
      pred: (p) => {
        const item = itemKey(p);
        return { text: define([item], item.key === ''), prec: ATOM };
      },
      not: (n) => {
        const inner = render(n.arg);
        return { text: `not ${inner.prec < NOT ? `(${inner.text})` : inner.text}`, prec: NOT };
      },
      or: (n) => {
        // Predicates with the same key become one list.
        const groups: { key: string; values: SigmaValue[] }[] = [];
        const parts: string[] = [];
        const order: (string | { key: string; values: SigmaValue[] })[] = [];
        for (const a of n.args) {
          if (a.kind === 'pred') {
            const item = itemKey(a);
            // Sigma 2.1 allows null only as a value of its own, never in a list.
            const existing = isNull(item.values[0]) ? undefined : groups.find((g) => g.key === item.key && !isNull(g.values[0]));
            if (existing) {
              existing.values.push(...item.values);
              continue;
            }
            const g = { key: item.key, values: [...item.values] };
            groups.push(g);
            order.push(g);
          } else {
            const r = render(a);
            order.push(r.prec < OR ? `(${r.text})` : r.text);
          }
        }
        for (const o of order) parts.push(typeof o === 'string' ? o : define([{ key: o.key, values: o.values }], o.key === ''));
        return parts.length === 1 ? { text: parts[0]!, prec: ATOM } : { text: parts.join(' or '), prec: OR };
      },
      and: (n) => {
        // Predicates (and same-key lists of them) on distinct keys become one map.
        const items: Item[] = [];
        const rest: string[] = [];
        for (const a of n.args) {
          const item = atomItem(a);
          if (item && item.key !== '' && !items.some((i) => i.key === item.key)) {
            items.push(item);
          } else {
            const r = render(a);
            rest.push(r.prec < AND ? `(${r.text})` : r.text);
          }
        }
        const parts = items.length ? [define(items), ...rest] : rest;
        return parts.length === 1 ? { text: parts[0]!, prec: ATOM } : { text: parts.join(' and '), prec: AND };
      },
    });

  /** A predicate, or an `or` of predicates sharing one key: one selection line. */
  const atomItem = (e: Expr): Item | undefined => {
    if (e.kind === 'pred') return itemKey(e);
    if (e.kind === 'or' && e.args.every((a) => a.kind === 'pred')) {
      const items = e.args.map((a) => itemKey(a as Pred));
      if (items.every((i) => i.key === items[0]!.key && !isNull(i.values[0]))) return { key: items[0]!.key, values: items.flatMap((i) => i.values) };
    }
    return undefined;
  };

  const condition = render(expr).text;
  return { selections, condition };
}
