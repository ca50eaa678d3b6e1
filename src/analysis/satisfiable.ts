// Satisfiability of an IR expression over events, by reasoning on the IR (no brute force over
// events). Used by the exclusion analysis (`dead` = detection AND exclusion is unsatisfiable…).
//
// Method
// 1. Negations are pushed down to the predicates (negation normal form): a formula of literals
//    (a predicate or its negation) under and/or.
// 2. The conjuncts of its disjunctive normal form are enumerated depth-first. A partial conjunct
//    is dropped as soon as one field's literals contradict each other; at most `maxConjuncts`
//    conjuncts (complete or cut short) are explored, beyond that the answer is `unknown`. The
//    first satisfiable conjunct ends the search.
// 3. A conjunct is satisfiable iff each field's literals are (fields are independent), decided
//    exactly by `solveField` for the fragment below. A witness event is built from the field
//    values and checked with the evaluator (the reference semantics) before `sat` is claimed.
//
// The model (the evaluator's semantics, src/ir/evaluate.ts):
// - every field is SINGLE-VALUED: absent, present with null, or present with one value. An event
//   field holding a list (ECS `process.args`) is not modelled: with lists, `f == "a" AND f == "b"`
//   would be satisfiable, here it is not;
// - a missing (or null) field fails every positive value predicate and satisfies every negated
//   one; `exists` is presence, `null` is "absent or null";
// - numbers and booleans in events behave as their text, so a text value is enough for witnesses.
//
// The exact fragment: eq (string, number, boolean), contains, startswith, endswith (each
// case-sensitive or not), exists and null, with any negation. For strings the decision rests on
// a witness construction: with prefix P (the longest positive startswith; they must form a
// chain), suffix Q (likewise for endswith), positive contains c1…cn and a character σ that occurs
// in no value of the field, the value
//       P σ c1 σ c2 … σ cn σ Q
// satisfies every positive literal, equals no literal value, and contains a σ-free string d only
// inside one of its pieces. Every solution contains P, each ci and Q, starts with P and ends with
// Q, so a negated `contains d` is impossible iff d occurs in P, Q or some ci, a negated
// `startswith d` iff d is a prefix of P, a negated `endswith d` iff d is a suffix of Q, and a
// negated eq never is (with no positive eq): the construction avoids every negated literal that
// can be avoided, all at once. A positive eq fixes the value (up to case when case-insensitive);
// it is then checked against every literal. A positive number (read as the evaluator reads
// event text: "5", " 5", "5.0", "0x5" all equal 5) is exact against other numbers and against a
// string equality; with contains/startswith/endswith on the same field its usual spellings are
// tried, else `unknown`. A positive boolean is "true"/"false" in any case. Case-insensitive literals are decided on the
// folded value (ir/case.ts); case-sensitive ones on the value itself. When both kinds meet on one field,
// a case-sensitive equality still fixes the value exactly; otherwise two exact sub-problems (the
// case-sensitive literals alone, the rest alone) can prove unsatisfiability and candidate values
// satisfiability, else `unknown` (case folding is not one-to-one: Θ and ϴ both fold to θ, so
// enumerating a few spellings of a value would not be exact).
//
// Other predicates (regex, wildcard, cidr, comparisons, fieldref, keywords, has, time parts) are
// outside the fragment. They never make an answer wrong: a conjunct whose analysable literals are
// already contradictory is unsatisfiable (a positive literal of any kind also needs the field
// present with a non-null value), and a conjunct for which a candidate witness passes the
// evaluator is satisfiable (for keywords, a witness may get one more field, `keywords`, holding
// the keyword values). Everything else is `unknown`, with the predicate named.
import { foldCase } from '../ir/case.js';
import { evaluate, type Event } from '../ir/evaluate.js';
import type { Expr, Pred } from '../ir/types.js';
import { describeLiteral, outsideFragment, type Literal } from './describe.js';

export type { Literal } from './describe.js';

export interface SatOptions {
  /** Most DNF conjuncts explored before giving up with `unknown` (default 10 000). */
  readonly maxConjuncts?: number;
}

export type SatResult =
  | { readonly status: 'sat'; readonly witness: Event }
  /** `conflicts`: why the explored conjuncts are contradictory (distinct, in search order). */
  | { readonly status: 'unsat'; readonly conflicts: readonly string[] }
  | { readonly status: 'unknown'; readonly reasons: readonly string[]; readonly conflicts: readonly string[] };

export const defaultMaxConjuncts = 10_000;

type Nnf = { readonly kind: 'and' | 'or'; readonly args: readonly Nnf[] } | { readonly kind: 'lit'; readonly lit: Literal } | { readonly kind: 'const'; readonly value: boolean };

/** Negation normal form with nested and/or flattened and constants folded. */
export function toNnf(expr: Expr, positive = true): Nnf {
  switch (expr.kind) {
    case 'const':
      return { kind: 'const', value: expr.value === positive };
    case 'pred':
      return { kind: 'lit', lit: { pred: expr, positive } };
    case 'not':
      return toNnf(expr.arg, !positive);
    case 'and':
    case 'or': {
      const kind = (expr.kind === 'and') === positive ? 'and' : 'or';
      const args: Nnf[] = [];
      for (const a of expr.args) {
        const n = toNnf(a, positive);
        if (n.kind === 'const') {
          if (n.value === (kind === 'or')) return n; // true in or / false in and
          continue;
        }
        if (n.kind === kind) args.push(...n.args);
        else args.push(n);
      }
      if (args.length === 0) return { kind: 'const', value: kind === 'and' };
      if (args.length === 1) return args[0]!;
      return { kind, args };
    }
  }
}

type Stack = { readonly head: Nnf; readonly tail: Stack } | null;

const KEYWORDS = '\u0000keywords';

/** Decides whether some event satisfies `expr`; see the header for the method and the fragment. */
export function satisfiable(expr: Expr, options: SatOptions = {}): SatResult {
  const limit = options.maxConjuncts ?? defaultMaxConjuncts;
  const conflicts = new Set<string>();
  const unknowns = new Set<string>();
  const groups = new Map<string, Literal[]>();
  let explored = 0;
  let stopped = false;
  let found: Event | undefined;

  const counted = (): void => {
    explored++;
    if (explored >= limit && !found) stopped = true;
  };

  const leaf = (): void => {
    const values = new Map<string, FieldValue>();
    const pending: string[] = [];
    for (const [key, lits] of groups) {
      if (key === KEYWORDS) {
        for (const l of lits) pending.push(`${describeLiteral(l)} is outside the analysed fragment (${outsideFragment(l.pred)})`);
        continue;
      }
      const outcome = solveField(key, lits, false);
      if (outcome.status === 'unsat') {
        conflicts.add(outcome.reason);
        return;
      }
      if (outcome.status === 'unknown') pending.push(outcome.reason);
      if (outcome.value) values.set(key, outcome.value);
    }
    const witness = toEvent(values);
    if (holdsSafely(expr, witness)) {
      found = witness;
      return;
    }
    // Keywords search every field: try the witness with one more field holding the positive
    // keyword values (checked with the evaluator like any witness).
    const keywords = groups.get(KEYWORDS)?.filter((l) => l.positive && kindOf(l.pred) === 'str');
    if (keywords?.length) {
      const built = construct(keywords, [], same, freshChar(groups.get(KEYWORDS)!), keywords[0]!);
      let name = 'keywords';
      for (let i = 1; groups.has(name); i++) name = `keywords_${i}`;
      const extended = 'text' in built ? { ...witness, [name]: built.text } : undefined;
      if (extended && holdsSafely(expr, extended)) {
        found = extended;
        return;
      }
    }
    if (pending.length === 0) pending.push(`the witness built for a conjunct, ${JSON.stringify(witness)}, fails the evaluator (an unexpected case; please report it)`);
    for (const p of pending) unknowns.add(p);
  };

  const dfs = (stack: Stack): void => {
    if (found || stopped) return;
    if (stack === null) {
      leaf();
      counted();
      return;
    }
    const { head, tail } = stack;
    switch (head.kind) {
      case 'const':
        if (head.value) dfs(tail);
        else {
          conflicts.add('the expression contains a constant false');
          counted();
        }
        return;
      case 'lit': {
        const key = head.lit.pred.field ?? KEYWORDS;
        let list = groups.get(key);
        if (!list) {
          list = [];
          groups.set(key, list);
        }
        list.push(head.lit);
        const outcome = key === KEYWORDS ? undefined : solveField(key, list, true);
        if (outcome?.status === 'unsat') {
          conflicts.add(outcome.reason);
          counted();
        } else {
          dfs(tail);
        }
        list.pop();
        if (list.length === 0) groups.delete(key);
        return;
      }
      case 'and': {
        let next: Stack = tail;
        for (let i = head.args.length - 1; i >= 0; i--) next = { head: head.args[i]!, tail: next };
        dfs(next);
        return;
      }
      case 'or':
        for (const arg of head.args) {
          dfs({ head: arg, tail });
          if (found || stopped) return;
        }
        return;
    }
  };

  dfs({ head: toNnf(expr), tail: null });
  if (found) return { status: 'sat', witness: found };
  if (stopped) {
    return {
      status: 'unknown',
      reasons: [`the expression has more than ${limit} alternatives in disjunctive normal form; the analysis stopped there`, ...unknowns],
      conflicts: [...conflicts],
    };
  }
  if (unknowns.size > 0) return { status: 'unknown', reasons: [...unknowns], conflicts: [...conflicts] };
  return { status: 'unsat', conflicts: [...conflicts] };
}

// ---------------------------------------------------------------------------------------------
// One field

/** A field's value in a witness: missing, present with null, or a text. */
type FieldValue = { readonly kind: 'absent' } | { readonly kind: 'null' } | { readonly kind: 'text'; readonly text: string };

type Outcome =
  | { readonly status: 'sat'; readonly value: FieldValue }
  | { readonly status: 'unsat'; readonly reason: string }
  | { readonly status: 'unknown'; readonly reason: string; readonly value?: FieldValue | undefined };

const ABSENT: FieldValue = { kind: 'absent' };
const NULL: FieldValue = { kind: 'null' };
const text = (t: string): FieldValue => ({ kind: 'text', text: t });

type Kind = 'exists' | 'null' | 'str' | 'num' | 'bool' | 'other';

function kindOf(p: Pred): Kind {
  switch (p.op) {
    case 'exists':
      return 'exists';
    case 'null':
      return 'null';
    case 'eq':
      if (p.timePart) return 'other';
      return typeof p.value === 'string' ? 'str' : typeof p.value === 'number' ? 'num' : 'bool';
    case 'contains':
    case 'startswith':
    case 'endswith':
      return 'str';
    default:
      return 'other';
  }
}

const contradicts = (a: Literal, b: Literal): string => `${describeLiteral(a)} contradicts ${describeLiteral(b)}`;

function toEvent(values: ReadonlyMap<string, FieldValue>): Event {
  const entries: [string, unknown][] = [];
  for (const [field, v] of values) {
    if (v.kind === 'null') entries.push([field, null]);
    else if (v.kind === 'text') entries.push([field, v.text]);
  }
  return Object.fromEntries(entries);
}

function holdsSafely(expr: Expr, event: Event): boolean {
  try {
    return evaluate(expr, event);
  } catch {
    return false; // e.g. a regex the evaluator cannot run: never claim anything from it
  }
}

function holds(field: string, lit: Literal, value: FieldValue): boolean {
  const event = value.kind === 'absent' ? {} : Object.fromEntries([[field, value.kind === 'null' ? null : value.text]]);
  try {
    return evaluate(lit.pred, event) === lit.positive;
  } catch {
    return false;
  }
}

/**
 * Decides one field's literals. `quick` (during the search) only needs to know about
 * contradictions: literals outside the fragment are then not tried on candidate values.
 */
function solveField(field: string, lits: readonly Literal[], quick: boolean): Outcome {
  const inside = lits.filter((l) => kindOf(l.pred) !== 'other');
  const outside = lits.filter((l) => kindOf(l.pred) === 'other');
  // A positive predicate of any kind fails on a missing or null field.
  const needsValue = outside.find((l) => l.positive);
  const base = solveInside(field, inside, needsValue);
  if (base.status === 'unsat') return base;
  if (outside.length === 0) return base;
  const reason = `${describeLiteral(outside[0]!)} is outside the analysed fragment (${outsideFragment(outside[0]!.pred)})`;
  if (quick) return { status: 'unknown', reason };
  const candidates: FieldValue[] = [];
  if (base.value) candidates.push(base.value);
  for (const l of outside) if (l.positive) candidates.push(...samples(l.pred).map(text));
  for (const c of candidates) if (lits.every((l) => holds(field, l, c))) return { status: 'sat', value: c };
  return { status: 'unknown', reason: base.status === 'unknown' ? base.reason : reason, value: candidates[0] };
}

/** Values that satisfy a predicate outside the fragment on its own (tried as witnesses). */
function samples(p: Pred): string[] {
  switch (p.op) {
    case 'has':
      return [p.value];
    case 'wildcard':
      return [p.value.parts.map((x) => (typeof x === 'string' ? x : x.wildcard === '*' ? '' : 'x')).join('')];
    case 're': {
      // The literal skeleton of simple patterns (`^foo\.exe$`, `.*nbtscan.*`).
      let s = p.value.pattern.replace(/^\(\?[a-z]+\)/, '').replace(/^\^/, '').replace(/\$$/, '');
      s = s.replace(/\.\*\??/g, '').replace(/\.\+\??/g, 'x').replace(/\\s[+*]?/g, ' ').replace(/\\d[+*]?/g, '0').replace(/\\w[+*]?/g, 'x');
      s = s.replace(/\\([^A-Za-z0-9])/g, '$1');
      return /[()[\]{}|*+?\\^$]/.test(s) ? [] : [s];
    }
    case 'cidr':
      return [p.value.network.split('/')[0]!];
    case 'lt':
      return [String(p.value - 1)];
    case 'gt':
      return [String(p.value + 1)];
    case 'lte':
    case 'gte':
      return [String(p.value)];
    default:
      return [];
  }
}

function solveInside(field: string, lits: readonly Literal[], needsValue: Literal | undefined): Outcome {
  const find = (k: Kind, positive: boolean) => lits.find((l) => kindOf(l.pred) === k && l.positive === positive);
  const existsPos = find('exists', true);
  const existsNeg = find('exists', false);
  const nullPos = find('null', true);
  const nullNeg = find('null', false);
  const values = lits.filter((l) => ['str', 'num', 'bool'].includes(kindOf(l.pred)));
  const pos = values.filter((l) => l.positive);
  const neg = values.filter((l) => !l.positive);
  // What needs a text value: a positive value literal, `not null`, a positive literal outside.
  const textReq = pos[0] ?? nullNeg ?? needsValue;
  const presentReq = existsPos ?? textReq;
  if (!presentReq) return { status: 'sat', value: ABSENT };
  if (!textReq && !existsNeg) return { status: 'sat', value: NULL };
  if (existsNeg) return { status: 'unsat', reason: contradicts(presentReq, existsNeg) };
  if (nullPos) return { status: 'unsat', reason: contradicts(textReq!, nullPos) };
  return solveText(field, pos, neg, textReq!);
}

// ---------------------------------------------------------------------------------------------
// A present text value

type Fold = (s: string) => string;
// Case-insensitive literals are compared as the evaluator compares them (see ir/case.ts).
const lower: Fold = foldCase;
const same: Fold = (s) => s;

const sigmaCandidates = ['_', '~', '#', '|', '!', '%', ';', '@', '§', '¤', '¦'];

/** A character that occurs in no value of these literals (in any case). */
function freshChar(lits: readonly Literal[]): string {
  const used = lits
    .map((l) => (l.pred.op === 'eq' || l.pred.op === 'contains' || l.pred.op === 'startswith' || l.pred.op === 'endswith' ? String(l.pred.value) : ''))
    .join('');
  const all = `${used}${used.toLowerCase()}${used.toUpperCase()}`;
  for (const c of sigmaCandidates) if (!all.includes(c)) return c;
  for (let cp = 0xe000; ; cp++) {
    const c = String.fromCodePoint(cp);
    if (!all.includes(c)) return c;
  }
}

function strValue(l: Literal): string {
  return (l.pred as { value: string }).value;
}

/** The value of an eq literal (number or boolean branches). */
function eqValue(l: Literal): unknown {
  return (l.pred as { value: unknown }).value;
}

function solveText(field: string, pos: readonly Literal[], neg: readonly Literal[], why: Literal): Outcome {
  const all = [...pos, ...neg];
  const str = all.filter((l) => kindOf(l.pred) === 'str');
  const casedCount = str.filter((l) => l.pred.cased).length;
  const mode: 'folded' | 'cased' | 'mixed' = casedCount === 0 ? 'folded' : casedCount === str.length ? 'cased' : 'mixed';
  const check = (t: string) => all.every((l) => holds(field, l, text(t)));
  const failing = (t: string) => all.find((l) => !holds(field, l, text(t)))!;
  const sat = (t: string): Outcome => ({ status: 'sat', value: text(t) });
  const mixedReason = `${field} has both case-sensitive and case-insensitive comparisons that the analysis cannot combine exactly`;

  if (mode === 'mixed') {
    // A case-sensitive equality fixes the value exactly.
    const casedEq = pos.find((l) => kindOf(l.pred) === 'str' && l.pred.op === 'eq' && l.pred.cased);
    if (casedEq) {
      const t = strValue(casedEq);
      return check(t) ? sat(t) : { status: 'unsat', reason: contradicts(casedEq, failing(t)) };
    }
    // Two exact sub-problems: if either is contradictory, so is the whole.
    const casedOnly = all.filter((l) => kindOf(l.pred) === 'str' && l.pred.cased);
    const restOnly = all.filter((l) => !(kindOf(l.pred) === 'str' && l.pred.cased));
    for (const part of [casedOnly, restOnly]) {
      const r = solveText(field, part.filter((l) => l.positive), part.filter((l) => !l.positive), why);
      if (r.status === 'unsat') return r;
    }
    for (const t of mixedCandidates(pos, freshChar(all))) if (check(t)) return sat(t);
    return { status: 'unknown', reason: mixedReason };
  }
  const fold = mode === 'folded' ? lower : same;

  // A positive string equality fixes the value (up to case, which no literal then sees).
  const eq = pos.find((l) => kindOf(l.pred) === 'str' && l.pred.op === 'eq');
  if (eq) {
    const t = fold(strValue(eq));
    if (check(t)) return sat(t);
    if (fold(t) !== t) return { status: 'unknown', reason: `lowercasing ${JSON.stringify(strValue(eq))} is not stable` };
    return { status: 'unsat', reason: contradicts(eq, failing(t)) };
  }

  // A positive boolean: the value is "true" or "false" (any case).
  const bool = pos.find((l) => kindOf(l.pred) === 'bool');
  if (bool) {
    const other = pos.find((l) => (kindOf(l.pred) === 'bool' && eqValue(l) !== eqValue(bool)) || kindOf(l.pred) === 'num');
    if (other) return { status: 'unsat', reason: contradicts(bool, other) };
    const word = String(eqValue(bool));
    if (mode === 'folded') return check(word) ? sat(word) : { status: 'unsat', reason: contradicts(bool, failing(word)) };
    for (const t of caseVariants(word)) if (check(t)) return sat(t);
    return { status: 'unknown', reason: `${describeLiteral(bool)} with case-sensitive text comparisons` };
  }

  // A positive number: the value is one of its spellings ("5", "5.0", "05", "+5", "0x5"…).
  const num = pos.find((l) => kindOf(l.pred) === 'num');
  if (num) {
    const n = eqValue(num) as number;
    const other = pos.find((l) => kindOf(l.pred) === 'num' && eqValue(l) !== n);
    if (other) return { status: 'unsat', reason: contradicts(num, other) };
    const same = neg.find((l) => kindOf(l.pred) === 'num' && eqValue(l) === n);
    if (same) return { status: 'unsat', reason: contradicts(num, same) };
    const strOnly = solveText(field, pos.filter((l) => kindOf(l.pred) === 'str'), neg.filter((l) => kindOf(l.pred) === 'str'), why);
    if (strOnly.status === 'unsat') return strOnly;
    for (const t of numberSpellings(n)) if (check(t)) return sat(t);
    return { status: 'unknown', reason: `${describeLiteral(num)} together with text comparisons of ${field}` };
  }

  // Only contains / startswith / endswith among the positives: the σ construction.
  const built = construct(pos, neg, fold, freshChar(all), why);
  if ('reason' in built) return { status: 'unsat', reason: built.reason };
  if (check(built.text)) return sat(built.text);
  return { status: 'unknown', reason: `the value built for ${field}, ${JSON.stringify(built.text)}, fails the evaluator (an unexpected case; please report it)` };
}

/** The σ construction (see the header). Positive literals are contains/startswith/endswith. */
function construct(pos: readonly Literal[], neg: readonly Literal[], fold: Fold, sigma: string, why: Literal): { text: string } | { reason: string } {
  let prefix = '';
  let prefixLit: Literal | undefined;
  let suffix = '';
  let suffixLit: Literal | undefined;
  const pieces: { value: string; lit: Literal }[] = [];
  for (const l of pos) {
    if (kindOf(l.pred) !== 'str') continue;
    const v = fold(strValue(l));
    if (l.pred.op === 'startswith') {
      if (v.length > prefix.length) {
        if (!v.startsWith(prefix)) return { reason: contradicts(prefixLit!, l) };
        prefix = v;
        prefixLit = l;
      } else if (!prefix.startsWith(v)) return { reason: contradicts(prefixLit!, l) };
    } else if (l.pred.op === 'endswith') {
      if (v.length > suffix.length) {
        if (!v.endsWith(suffix)) return { reason: contradicts(suffixLit!, l) };
        suffix = v;
        suffixLit = l;
      } else if (!suffix.endsWith(v)) return { reason: contradicts(suffixLit!, l) };
    } else if (l.pred.op === 'contains') {
      pieces.push({ value: v, lit: l });
    }
  }
  const never = (l: Literal) => `${describeLiteral(l)} never holds on a present value, and ${describeLiteral(why)} needs one`;
  for (const l of neg) {
    if (kindOf(l.pred) !== 'str') continue;
    const d = fold(strValue(l));
    if (l.pred.op === 'contains') {
      if (d === '') return { reason: never(l) };
      if (prefix.includes(d)) return { reason: contradicts(prefixLit!, l) };
      if (suffix.includes(d)) return { reason: contradicts(suffixLit!, l) };
      const piece = pieces.find((p) => p.value.includes(d));
      if (piece) return { reason: contradicts(piece.lit, l) };
    } else if (l.pred.op === 'startswith') {
      if (d === '') return { reason: never(l) };
      if (prefix.startsWith(d)) return { reason: contradicts(prefixLit!, l) };
    } else if (l.pred.op === 'endswith') {
      if (d === '') return { reason: never(l) };
      if (suffix.endsWith(d)) return { reason: contradicts(suffixLit!, l) };
    }
  }
  const middle = pieces.map((p) => p.value);
  return { text: `${prefix}${sigma}${middle.length ? `${middle.join(sigma)}${sigma}` : ''}${suffix}` };
}

/** Candidate values when case-sensitive and case-insensitive literals meet (checked by the caller). */
function* mixedCandidates(pos: readonly Literal[], sigma: string): Generator<string> {
  const strPos = pos.filter((l) => kindOf(l.pred) === 'str');
  const eqs = strPos.filter((l) => l.pred.op === 'eq');
  if (eqs.length) {
    const v = strValue(eqs[0]!);
    const variants = caseVariants(v);
    yield* variants.length ? variants : [v, v.toLowerCase(), v.toUpperCase()];
    return;
  }
  // The construction with case-insensitive values spelt in different cases: as written, lower,
  // upper, and the opposite case of the case-sensitive negatives.
  const styles: Fold[] = [same, lower, (s) => s.toUpperCase(), (s) => swapCase(s)];
  for (const style of styles) {
    const spelt = strPos.map((l) => (l.pred.cased ? l : { ...l, pred: { ...l.pred, value: style(strValue(l)) } as Pred }));
    const built = construct(spelt, [], same, sigma, spelt[0] ?? pos[0]!);
    if ('text' in built) yield built.text;
  }
}

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Every spelling of `s` with its letters in either case, if there are at most 2^10. */
function caseVariants(s: string): string[] {
  const chars = [...s];
  const letters = chars.map((c, i) => (c.toLowerCase() !== c.toUpperCase() && c.toLowerCase().length === 1 && c.toUpperCase().length === 1 ? i : -1)).filter((i) => i >= 0);
  if (letters.length > 10) return [];
  const out: string[] = [];
  for (let mask = 0; mask < 1 << letters.length; mask++) {
    const copy = [...chars];
    letters.forEach((pos, bit) => {
      copy[pos] = mask & (1 << bit) ? copy[pos]!.toUpperCase() : copy[pos]!.toLowerCase();
    });
    out.push(copy.join(''));
  }
  return out;
}

function numberSpellings(n: number): string[] {
  const base = String(n);
  const out = [base, ` ${base}`, `${base} `];
  if (Number.isInteger(n)) {
    out.push(`${base}.0`, `${base}e0`);
    if (n >= 0) out.push(`0${base}`, `+${base}`, `0x${n.toString(16)}`, `0X${n.toString(16).toUpperCase()}`);
    else out.push(`-0${base.slice(1)}`);
  } else {
    out.push(`${base}0`, n > 0 ? `+${base}` : base.replace('-', '-0'));
  }
  return out;
}
