// Sigma's regular expressions (the PCRE/RE2 subset rules are written in; rulecast evaluates them with
// RE2 semantics as an unanchored search) → Lucene regular expressions, which Elasticsearch's EQL
// `regex`/`regex~` use: always anchored to the whole value, `^`/`$` not operators, no lookaround,
// backreferences, inline flags or word boundaries, `. ? + * | { } [ ] ( ) " \ # @ & < > ~` reserved,
// `.` matching any character including a line break.
//
// The translation is a parser to a small syntax tree, then a rewrite of the tree, then a printer:
// - the unanchored search becomes an anchored match by opening the sides the pattern leaves open
//   (`.*` before and after), and an anchor at a side is dropped (`^abc` → `abc.*`); anchors inside
//   alternatives at that side work too (`(^|/)x` → `(.*/)?x.*`);
// - `.` without the `s` flag becomes `[^\n]`; `\d \w \s` (and negations) become explicit classes,
//   which every Lucene version reads the same way;
// - case-insensitive matching (`|re|i`, a leading `(?i)`) is `regex~`, whose folding covers ASCII
//   letters; character classes get both cases written out (Lucene does not fold ranges), and so do
//   letters outside ASCII;
// - lazy quantifiers lose their `?`: whether a pattern matches a whole value does not depend on
//   laziness;
// - anything Lucene cannot say exactly is refused with an error naming the construct.
import { foldVariants } from '../../ir/case.js';
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';

type Range = readonly [number, number];

export type Node =
  | { readonly t: 'empty' }
  | { readonly t: 'char'; readonly cp: number }
  | { readonly t: 'class'; readonly negated: boolean; readonly ranges: readonly Range[] }
  /** `.`; `dotall`: also a line break. */
  | { readonly t: 'any'; readonly dotall: boolean }
  /** Any run of characters, line breaks included (the open side of a search). */
  | { readonly t: 'anystar' }
  | { readonly t: 'start'; readonly multiline: boolean }
  | { readonly t: 'end'; readonly multiline: boolean }
  | { readonly t: 'seq'; readonly items: readonly Node[] }
  | { readonly t: 'alt'; readonly items: readonly Node[] }
  | { readonly t: 'group'; readonly item: Node }
  | { readonly t: 'repeat'; readonly item: Node; readonly min: number; readonly max: number | null };

export interface RegexFlags {
  /** Case-insensitive (`|re|i`, or a leading `(?i)`). */
  readonly i: boolean;
  readonly m: boolean;
  readonly s: boolean;
}

export interface LuceneRegex {
  /** The Lucene regular expression (before EQL string escaping). */
  readonly source: string;
  /** Whether it must run case-insensitively (`regex~`). */
  readonly caseInsensitive: boolean;
}

/** Elasticsearch's default `index.max_regex_length`. */
export const MAX_REGEX_LENGTH = 1000;

const MAX_CP = 0x10ffff;
const LF = 0x0a;

class RegexError extends Error {}

function fail(message: string): never {
  throw new RegexError(message);
}

// ───────────────────────────── parser ─────────────────────────────

const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
/** RE2's `\s`: `[\t\n\f\r ]` (no vertical tab). */
const SPACE: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];

const posixClasses: Record<string, Range[]> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function normalise(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalise(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

class Parser {
  private i = 0;
  readonly flags: { i: boolean; m: boolean; s: boolean };

  constructor(
    private readonly src: string,
    flags: RegexFlags,
  ) {
    this.flags = { ...flags };
  }

  parse(): Node {
    // Inline flags are honoured at the very start only (`(?i)`, `(?is)`), where they mean the whole pattern.
    for (let m = /^\(\?([imsU]+)\)/.exec(this.src.slice(this.i)); m; m = /^\(\?([imsU]+)\)/.exec(this.src.slice(this.i))) {
      for (const f of m[1]!) if (f === 'i' || f === 'm' || f === 's') this.flags[f] = true;
      this.i += m[0].length;
    }
    const node = this.alt();
    if (this.i < this.src.length) fail(`unexpected '${this.src[this.i]}' at offset ${this.i}`);
    return node;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const items = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.seq());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.repeat());
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private repeat(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number | null;
      if (c === '*') [min, max] = [0, null];
      else if (c === '+') [min, max] = [1, null];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m) break; // RE2 reads a `{` that starts no repetition as a literal brace
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
        if (max !== null && max < min) fail(`bad repetition {${m[1]}${m[2]}}`);
        if (min > 1000 || (max ?? 0) > 1000) fail('repetition count above 1000');
        this.i += m[0].length - 1;
      } else break;
      this.i++;
      if (node.t === 'start' || node.t === 'end' || node.t === 'empty') fail('a repetition of an anchor or of nothing');
      if (this.peek() === '?') this.i++; // lazy: the same set of matched values
      else if (this.peek() === '+') fail('possessive quantifier');
      if (node.t === 'repeat') fail('a repetition of a repetition');
      node = { t: 'repeat', item: node, min, max };
    }
    return node;
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.cls();
      case '.':
        return { t: 'any', dotall: this.flags.s };
      case '^':
        return { t: 'start', multiline: this.flags.m };
      case '$':
        return { t: 'end', multiline: this.flags.m };
      case '\\':
        return this.escape(false) as Node;
      case '*':
      case '+':
      case '?':
        return fail(`nothing to repeat before '${c}'`);
      default:
        return { t: 'char', cp: this.codePointBefore() };
    }
  }

  /** The code point whose first unit was just consumed (surrogate pairs are one character). */
  private codePointBefore(): number {
    const cp = this.src.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    return cp;
  }

  private group(): Node {
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i);
      if (/^\?(=|!|<=|<!)/.test(rest)) fail('lookaround assertions');
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      if (named) this.i += named[0].length;
      else if (rest.startsWith('?:')) this.i += 2;
      else if (/^\?[imsU-]*[:)]/.test(rest)) fail('inline flags inside the pattern (only a leading (?i), (?m) or (?s) can be translated)');
      else fail(`unknown group syntax '(${rest.slice(0, 3)}'`);
    }
    const inner = this.alt();
    if (this.peek() !== ')') fail('missing )');
    this.i++;
    return { t: 'group', item: inner };
  }

  private hex(text: string): number {
    const cp = parseInt(text, 16);
    if (!(cp >= 0 && cp <= MAX_CP)) fail(`bad escape \\x{${text}}`);
    return cp;
  }

  /** After a backslash; in a class, returns ranges for the shorthands. */
  private escape(inClass: boolean): Node | Range[] {
    const c = this.src[this.i++];
    if (c === undefined) fail('trailing backslash');
    const cls = (ranges: Range[], negated: boolean): Node | Range[] => (inClass ? (negated ? complement(ranges) : ranges) : { t: 'class', negated, ranges });
    switch (c) {
      case 'd':
        return cls(DIGIT, false);
      case 'D':
        return cls(DIGIT, true);
      case 'w':
        return cls(WORD, false);
      case 'W':
        return cls(WORD, true);
      case 's':
        return cls(SPACE, false);
      case 'S':
        return cls(SPACE, true);
      case 'n':
        return this.literal(0x0a, inClass);
      case 't':
        return this.literal(0x09, inClass);
      case 'r':
        return this.literal(0x0d, inClass);
      case 'f':
        return this.literal(0x0c, inClass);
      case 'v':
        return this.literal(0x0b, inClass);
      case 'a':
        return this.literal(0x07, inClass);
      case 'x': {
        const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.src.slice(this.i));
        if (braced) {
          this.i += braced[0].length;
          return this.literal(this.hex(braced[1]!), inClass);
        }
        const two = /^[0-9A-Fa-f]{2}/.exec(this.src.slice(this.i));
        if (!two) fail('bad \\x escape');
        this.i += 2;
        return this.literal(this.hex(two[0]), inClass);
      }
      case 'A':
        if (inClass) fail('\\A inside a class');
        return { t: 'start', multiline: false };
      case 'z':
        if (inClass) fail('\\z inside a class');
        return { t: 'end', multiline: false };
      case 'b':
      case 'B':
        return fail(`word boundary \\${c} (Lucene regular expressions have no word boundaries)`);
      case 'p':
      case 'P':
        return fail(`Unicode class \\${c} (not in Lucene regular expressions)`);
      case 'Q':
        return fail('quoted text \\Q…\\E');
      case 'C':
        return fail('\\C (any byte)');
      default:
        if (/[0-9]/.test(c)) {
          if (c === '0') {
            const oct = /^[0-7]{0,2}/.exec(this.src.slice(this.i))![0];
            this.i += oct.length;
            return this.literal(parseInt(`0${oct}`, 8), inClass);
          }
          return fail(`backreference \\${c}`);
        }
        if (/[A-Za-z]/.test(c)) return fail(`unknown escape \\${c}`);
        return this.literal(this.codePointBefore(), inClass);
    }
  }

  private literal(cp: number, inClass: boolean): Node | Range[] {
    return inClass ? [[cp, cp]] : { t: 'char', cp };
  }

  private cls(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Range[] = [];
    let first = true;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) fail('missing ]');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.i));
      if (posix) {
        const set = posixClasses[posix[2]!];
        if (!set) fail(`unknown class [:${posix[2]}:]`);
        ranges.push(...(posix[1] ? complement(set) : set));
        this.i += posix[0].length;
        continue;
      }
      const lo = this.classAtom();
      if (lo.single === undefined) {
        ranges.push(...lo.ranges);
        continue;
      }
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classAtom();
        if (hi.single === undefined) fail('a class shorthand as the end of a range');
        if (hi.single < lo.single) fail('a range whose end comes before its start');
        ranges.push([lo.single, hi.single]);
      } else {
        ranges.push([lo.single, lo.single]);
      }
    }
    return { t: 'class', negated, ranges: normalise(ranges) };
  }

  /** One item of a class: a single character, or the ranges of a shorthand such as \d. */
  private classAtom(): { single?: number; ranges: Range[] } {
    const c = this.src[this.i++]!;
    if (c === '\\') {
      const shorthand = /^[dDwWsS]/.test(this.src[this.i] ?? '');
      const ranges = this.escape(true) as Range[];
      return shorthand ? { ranges } : { single: ranges[0]![0], ranges };
    }
    const cp = this.codePointBefore();
    return { single: cp, ranges: [[cp, cp]] };
  }
}

// ───────────────────────── opening the sides ─────────────────────────

function contains(node: Node, kind: 'start' | 'end'): boolean {
  switch (node.t) {
    case 'start':
    case 'end':
      return node.t === kind;
    case 'seq':
    case 'alt':
      return node.items.some((n) => contains(n, kind));
    case 'group':
    case 'repeat':
      return contains(node.item, kind);
    default:
      return false;
  }
}

const ANYSTAR: Node = { t: 'anystar' };
const seq = (...items: Node[]): Node => ({ t: 'seq', items });
const optional = (item: Node): Node => ({ t: 'repeat', item, min: 0, max: 1 });

/**
 * Σ*·node with `^` resolved: a `^` at the left edge (possibly inside alternatives there) leaves that
 * alternative closed; elsewhere the left side is open. A `^` anywhere else is refused.
 */
function openLeft(node: Node): Node {
  if (!contains(node, 'start')) return seq(ANYSTAR, node);
  switch (node.t) {
    case 'start':
      // Multi-line: at the start of the value or after a line break.
      return node.multiline ? optional(seq(ANYSTAR, { t: 'char', cp: LF })) : { t: 'empty' };
    case 'group':
      return openLeft(node.item);
    case 'alt':
      return { t: 'alt', items: node.items.map((n) => ({ t: 'group', item: openLeft(n) }) as Node) };
    case 'seq': {
      const [head, ...rest] = node.items;
      if (rest.some((n) => contains(n, 'start'))) fail('^ inside the pattern (it can only be translated at the start)');
      return seq({ t: 'group', item: openLeft(head!) }, ...rest);
    }
    default:
      return fail('^ inside a repetition');
  }
}

function openRight(node: Node): Node {
  if (!contains(node, 'end')) return seq(node, ANYSTAR);
  switch (node.t) {
    case 'end':
      return node.multiline ? optional(seq({ t: 'char', cp: LF }, ANYSTAR)) : { t: 'empty' };
    case 'group':
      return openRight(node.item);
    case 'alt':
      return { t: 'alt', items: node.items.map((n) => ({ t: 'group', item: openRight(n) }) as Node) };
    case 'seq': {
      const items = node.items;
      const last = items[items.length - 1]!;
      if (items.slice(0, -1).some((n) => contains(n, 'end'))) fail('$ inside the pattern (it can only be translated at the end)');
      return seq(...items.slice(0, -1), { t: 'group', item: openRight(last) });
    }
    default:
      return fail('$ inside a repetition');
  }
}

// ───────────────────────────── simplifying ─────────────────────────────

/** Flattens sequences, drops empty items and single-item wrappers, and lets Σ* swallow a starred
 *  neighbour (Σ*·X* = Σ*). */
function tidy(node: Node): Node {
  switch (node.t) {
    case 'group': {
      const inner = tidy(node.item);
      return inner.t === 'group' ? inner : { t: 'group', item: inner };
    }
    case 'repeat':
      return { ...node, item: tidy(node.item) };
    case 'alt': {
      // Alternatives need no parentheses of their own; an empty alternative makes the rest optional
      // (Lucene reads an empty branch badly).
      const items: Node[] = [];
      let empty = false;
      for (const item of node.items.map(tidy)) {
        const inner = item.t === 'group' ? item.item : item;
        if (inner.t === 'empty') empty = true;
        else if (inner.t === 'alt') items.push(...inner.items);
        else items.push(inner);
      }
      const alt: Node = items.length === 0 ? { t: 'empty' } : items.length === 1 ? items[0]! : { t: 'alt', items };
      return empty && alt.t !== 'empty' ? { t: 'repeat', item: { t: 'group', item: alt }, min: 0, max: 1 } : alt;
    }
    case 'seq': {
      const flat: Node[] = [];
      const push = (n: Node): void => {
        if (n.t === 'empty') return;
        if (n.t === 'seq') n.items.forEach(push);
        else if (n.t === 'group' && n.item.t !== 'alt') push(n.item);
        else flat.push(n);
      };
      node.items.map(tidy).forEach(push);
      const out: Node[] = [];
      for (const n of flat) {
        const prev = out[out.length - 1];
        if (n.t === 'anystar' && prev && (prev.t === 'anystar' || (prev.t === 'repeat' && prev.min === 0 && prev.max === null))) {
          out[out.length - 1] = n;
          continue;
        }
        if (prev?.t === 'anystar' && (n.t === 'anystar' || (n.t === 'repeat' && n.min === 0 && n.max === null))) continue;
        out.push(n);
      }
      if (out.length === 0) return { t: 'empty' };
      return out.length === 1 ? out[0]! : { t: 'seq', items: out };
    }
    default:
      return node;
  }
}

function atomic(node: Node): boolean {
  return node.t === 'char' || node.t === 'class' || node.t === 'any' || node.t === 'anystar';
}

// ───────────────────────────── printing ─────────────────────────────

/** Both cases of every letter in the ranges (so `[a-f]` also holds `A-F`). */
function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    // ASCII letters by range arithmetic; other letters from the table of cased code points.
    const a = Math.max(lo, 0x41);
    const b = Math.min(hi, 0x5a);
    if (a <= b) out.push([a + 0x20, b + 0x20]);
    const c = Math.max(lo, 0x61);
    const d = Math.min(hi, 0x7a);
    if (c <= d) out.push([c - 0x20, d - 0x20]);
    // The table is built on first use (a scan of the code space): a range within ASCII never needs it.
    if (hi < 0x80) continue;
    for (const cp of casedNonAscii()) {
      if (cp < lo) continue;
      if (cp > hi) break;
      for (const v of caseVariants(cp)) if (v !== cp) out.push([v, v]);
    }
  }
  return normalise(out);
}

let reverseLower: Map<number, number[]> | undefined;
let cased: number[] | undefined;

function tables(): void {
  if (reverseLower) return;
  reverseLower = new Map();
  const all = new Set<number>();
  // Unicode has no cased letters past the Supplementary Multilingual Plane (the last, Adlam, ends
  // at U+1E943), so the scan stops at U+1FFFF: a tenth of the code space, scanned once per process.
  for (let x = 0x80; x <= Math.min(MAX_CP, 0x1ffff); x++) {
    if (x >= 0xd800 && x <= 0xdfff) continue;
    const s = String.fromCodePoint(x);
    const l = s.toLowerCase();
    if (l !== s || s.toUpperCase() !== s) all.add(x);
    if (l === s || [...l].length !== 1) continue;
    const lc = l.codePointAt(0)!;
    let list = reverseLower.get(lc);
    if (!list) reverseLower.set(lc, (list = []));
    list.push(x);
  }
  cased = [...all].sort((a, b) => a - b);
}

/** Code points outside ASCII that have another case. */
function casedNonAscii(): readonly number[] {
  tables();
  return cased!;
}

/** The code points a case-insensitive comparison (lower-casing both sides) treats as equal to cp,
 *  cp included. A letter whose lower case is several code points stands alone. */
export function caseVariants(cp: number): number[] {
  const lower = String.fromCodePoint(cp).toLowerCase();
  if ([...lower].length !== 1) return [cp];
  const lowerCp = lower.codePointAt(0)!;
  tables();
  const set = new Set([cp, lowerCp, ...(reverseLower!.get(lowerCp) ?? [])]);
  if (lowerCp >= 0x61 && lowerCp <= 0x7a) set.add(lowerCp - 0x20);
  return [...set].sort((a, b) => a - b);
}

/** Lucene's reserved characters (with all optional operators on, as Elasticsearch runs it), plus
 *  `^` and `$`, which readers take for anchors. A backslash before any of them means the character. */
const reserved = /[.?+*|{}[\]()"\\#@&<>~^$]/;

/** A code point as a literal of a Lucene regular expression (`inClass`: also `-` escaped). */
function printChar(cp: number, inClass = false): string {
  const c = String.fromCodePoint(cp);
  if (cp < 0x80 && (reserved.test(c) || (inClass && c === '-'))) return `\\${c}`;
  return c;
}

function printRanges(ranges: readonly Range[]): string {
  const one = (cp: number) => printChar(cp, true);
  return ranges.map(([lo, hi]) => (lo === hi ? one(lo) : hi === lo + 1 ? one(lo) + one(hi) : `${one(lo)}-${one(hi)}`)).join('');
}

function printClass(negated: boolean, ranges: readonly Range[], ci: boolean): string {
  let set = normalise(ranges);
  if (ci) set = foldRanges(set);
  // A set that runs to the last code point reads better as the complement of the rest.
  if (!negated && set.length > 0 && set[set.length - 1]![1] === MAX_CP) {
    negated = true;
    set = complement(set);
  }
  if (negated) {
    if (set.length === 0) return '.';
    if (complement(set).length === 0) fail('a class that matches nothing');
    return `[^${printRanges(set)}]`;
  }
  if (set.length === 0) fail('a class that matches nothing');
  if (set.length === 1 && set[0]![0] === set[0]![1]) return printChar(set[0]![0]);
  return `[${printRanges(set)}]`;
}

function print(node: Node, ci: boolean): string {
  switch (node.t) {
    case 'empty':
      return '()';
    case 'char': {
      if (ci && node.cp > 0x7f) {
        const variants = caseVariants(node.cp);
        if (variants.length > 1) return printClass(false, variants.map((v) => [v, v] as Range), false);
      }
      return printChar(node.cp);
    }
    case 'class':
      return printClass(node.negated, node.ranges, ci);
    case 'any':
      return node.dotall ? '.' : `[^${String.fromCharCode(LF)}]`;
    case 'anystar':
      return '.*';
    case 'start':
    case 'end':
      return fail('anchor left after translation');
    case 'seq':
      return node.items.map((n) => (n.t === 'alt' ? `(${print(n, ci)})` : print(n, ci))).join('');
    case 'alt':
      return node.items.map((n) => print(n, ci)).join('|');
    case 'group':
      return `(${print(node.item, ci)})`;
    case 'repeat': {
      let inner = node.item;
      while (inner.t === 'group' && (atomic(inner.item) || inner.item.t === 'group')) inner = inner.item;
      const body = atomic(inner) || inner.t === 'group' ? print(inner, ci) : `(${print(inner, ci)})`;
      const q =
        node.min === 0 && node.max === null ? '*' : node.min === 1 && node.max === null ? '+' : node.min === 0 && node.max === 1 ? '?' : node.max === null ? `{${node.min},}` : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`;
      return body + q;
    }
  }
}

// ───────────────────────────── entry points ─────────────────────────────

/** Parses a Sigma regular expression into the tree, reading leading inline flags. */
export function parseSigmaRegex(pattern: string, flags: RegexFlags): { node: Node; flags: RegexFlags } {
  const p = new Parser(pattern, flags);
  const node = p.parse();
  return { node, flags: p.flags };
}

/** Translates a Sigma regular expression (unanchored search) into a Lucene regular expression
 *  (anchored match) selecting exactly the same values. */
export function sigmaRegexToLucene(pattern: string, flags: RegexFlags, span?: Span): LuceneRegex {
  try {
    const parsed = parseSigmaRegex(pattern, flags);
    let node = tidy(openRight(openLeft(parsed.node)));
    if (node.t === 'group') node = node.item;
    const source = print(node, parsed.flags.i);
    if (source.length > MAX_REGEX_LENGTH) {
      fail(`the Lucene translation has ${source.length} characters, above Elasticsearch's default index.max_regex_length of ${MAX_REGEX_LENGTH}`);
    }
    return { source, caseInsensitive: parsed.flags.i };
  } catch (err) {
    if (!(err instanceof RegexError)) throw err;
    throw new RulecastError('unsupported-regex', `regular expression '${pattern}' cannot be written as an Elasticsearch (Lucene) regular expression: ${err.message}`, span, [
      'Lucene regular expressions are anchored and have no lookaround, backreferences, inline flags or word boundaries',
    ]);
  }
}

/** A literal text as a Lucene regular expression (punctuation escaped; with `ci`, letters outside
 *  ASCII as classes of the letters that fold like them, as rulecast compares strings: ir/case.ts;
 *  `regex~` folds the ASCII ones). */
export function luceneLiteral(text: string, ci: boolean): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const variants = ci && cp > 0x7f ? foldVariants(cp) : undefined;
    out += variants && variants.length > 1 ? printClass(false, variants.map((v) => [v, v] as Range), false) : printChar(cp);
  }
  return out;
}
