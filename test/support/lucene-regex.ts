// Lucene regular expressions (what Elasticsearch's `regexp` query runs, and so what EQL `regex` and
// `regex~` mean) translated to RE2 syntax, so that the reference evaluator can run them with re2js.
//
// The parser is a port of the parsing methods of Lucene 9's org.apache.lucene.util.automaton.RegExp
// (the Lucene of Elasticsearch 8), called with the syntax flags Elasticsearch's regexp query uses by
// default (ALL), so that odd inputs mean what they mean there:
// - the match is always anchored: the whole value must match; `^` and `$` are ordinary characters;
// - `.` is any code point, line breaks included; `"..."` is a literal string; `()` the empty string;
// - `\d \D \s \S \w \W` are classes ([0-9], [ \t\n\r], [a-zA-Z_0-9] and complements; `\s` has no
//   \f or \v, unlike RE2's), `\\` is a backslash, `\` before another letter is an error, `\` before
//   any other character makes it literal; there are no `\n`-style escapes;
// - a reserved character in a position where no operator is expected is literal (`*a` is `\*a`, a
//   lone `)` or `]` is literal), exactly as Lucene's recursive descent reads it;
// - the optional operators enabled by ALL: `@` any string, `#` the empty language (translated);
//   `~` complement, `&` intersection, `<n-m>` numeric intervals and `<name>` automata cannot be
//   expressed in RE2 and are refused with a LuceneRegexError of kind 'unsupported';
// - case-insensitive matching (`regex~`, ASCII_CASE_INSENSITIVE): single characters and literal
//   strings match both ASCII cases; ranges such as [a-z] do NOT (RegExp.toAutomaton folds only
//   REGEXP_CHAR and REGEXP_STRING nodes), and code points above 128 are never folded.
// Reference: RegExp.java (parseUnionExp ... parseCharExp, toAutomatonInternal,
// toCaseInsensitiveChar) and Elasticsearch's "Regular expression syntax" page
// (https://www.elastic.co/guide/en/elasticsearch/reference/8.18/regexp-syntax.html).

export class LuceneRegexError extends Error {
  constructor(
    /** 'invalid': Lucene refuses the pattern (so Elasticsearch fails the query);
     *  'unsupported': valid Lucene that has no RE2 equivalent. */
    readonly kind: 'invalid' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'LuceneRegexError';
  }
}

type Range = readonly [number, number];

type Node =
  | { kind: 'union' | 'concat'; a: Node; b: Node }
  | { kind: 'repeat'; exp: Node; min: number; max: number | null }
  | { kind: 'optional'; exp: Node }
  | { kind: 'set'; ranges: readonly Range[] }
  | { kind: 'char'; c: number }
  | { kind: 'string'; s: string }
  | { kind: 'anychar' | 'anystring' | 'empty' };

const MAX_CODE_POINT = 0x10ffff;

/** Sorted, merged, non-overlapping ranges. */
function normalize(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
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
  for (const [lo, hi] of normalize(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/** RegExp.toCaseInsensitiveChar: the other ASCII case of a letter; nothing above 128. */
function asciiCaseVariants(c: number): number[] {
  if (c >= 0x41 && c <= 0x5a) return [c, c + 0x20];
  if (c >= 0x61 && c <= 0x7a) return [c, c - 0x20];
  return [c];
}

/** RegExp.expandPredefined. */
function predefinedClass(letter: string): Range[] {
  const digit: Range[] = [[0x30, 0x39]];
  const space: Range[] = [[0x09, 0x0a], [0x0d, 0x0d], [0x20, 0x20]];
  const word: Range[] = normalize([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
  switch (letter) {
    case 'd':
      return digit;
    case 'D':
      return complement(digit);
    case 's':
      return space;
    case 'S':
      return complement(space);
    case 'w':
      return word;
    case 'W':
      return complement(word);
    default:
      throw new LuceneRegexError('invalid', `invalid character class \\${letter}`);
  }
}

class Parser {
  private pos = 0;

  constructor(
    private readonly s: string,
    private readonly caseInsensitive: boolean,
  ) {}

  parse(): Node {
    if (this.s.length === 0) return { kind: 'string', s: '' };
    const e = this.parseUnionExp();
    if (this.pos < this.s.length) throw new LuceneRegexError('invalid', `end-of-string expected at position ${this.pos}`);
    return e;
  }

  private more(): boolean {
    return this.pos < this.s.length;
  }

  private peek(chars: string): boolean {
    return this.more() && chars.includes(String.fromCodePoint(this.s.codePointAt(this.pos)!));
  }

  private match(c: string): boolean {
    if (this.more() && this.s.codePointAt(this.pos) === c.codePointAt(0)) {
      this.pos += c.length;
      return true;
    }
    return false;
  }

  private next(): number {
    if (!this.more()) throw new LuceneRegexError('invalid', 'unexpected end-of-string');
    const c = this.s.codePointAt(this.pos)!;
    this.pos += c > 0xffff ? 2 : 1;
    return c;
  }

  private parseUnionExp(): Node {
    const e = this.parseInterExp();
    if (this.match('|')) return { kind: 'union', a: e, b: this.parseUnionExp() };
    return e;
  }

  private parseInterExp(): Node {
    const e = this.parseConcatExp();
    if (this.match('&')) throw new LuceneRegexError('unsupported', "the intersection operator '&' has no RE2 equivalent (escape it as \\& for a literal '&')");
    return e;
  }

  private parseConcatExp(): Node {
    const e = this.parseRepeatExp();
    if (this.more() && !this.peek(')|') && !this.peek('&')) return { kind: 'concat', a: e, b: this.parseConcatExp() };
    return e;
  }

  private parseRepeatExp(): Node {
    let e = this.parseComplExp();
    while (this.peek('?*+{')) {
      if (this.match('?')) e = { kind: 'optional', exp: e };
      else if (this.match('*')) e = { kind: 'repeat', exp: e, min: 0, max: null };
      else if (this.match('+')) e = { kind: 'repeat', exp: e, min: 1, max: null };
      else if (this.match('{')) {
        let start = this.pos;
        while (this.peek('0123456789')) this.next();
        if (start === this.pos) throw new LuceneRegexError('invalid', `integer expected at position ${this.pos}`);
        const n = Number(this.s.slice(start, this.pos));
        let m: number | null;
        if (this.match(',')) {
          start = this.pos;
          while (this.peek('0123456789')) this.next();
          m = start !== this.pos ? Number(this.s.slice(start, this.pos)) : null;
        } else {
          m = n;
        }
        if (!this.match('}')) throw new LuceneRegexError('invalid', `expected '}' at position ${this.pos}`);
        e = { kind: 'repeat', exp: e, min: n, max: m };
      }
    }
    return e;
  }

  private parseComplExp(): Node {
    if (this.match('~')) throw new LuceneRegexError('unsupported', "the complement operator '~' has no RE2 equivalent (escape it as \\~ for a literal '~')");
    return this.parseCharClassExp();
  }

  private parseCharClassExp(): Node {
    if (this.match('[')) {
      const negate = this.match('^');
      let ranges = this.parseCharClasses();
      if (negate) ranges = complement(ranges);
      if (!this.match(']')) throw new LuceneRegexError('invalid', `expected ']' at position ${this.pos}`);
      return { kind: 'set', ranges };
    }
    return this.parseSimpleExp();
  }

  private parseCharClasses(): Range[] {
    const ranges = [...this.parseCharClass()];
    while (this.more() && !this.peek(']')) ranges.push(...this.parseCharClass());
    return normalize(ranges);
  }

  private parseCharClass(): Range[] {
    const predefined = this.matchPredefinedCharacterClass();
    if (predefined) return predefined;
    const c = this.parseCharExp();
    if (this.match('-')) {
      const to = this.parseCharExp();
      if (c > to) throw new LuceneRegexError('invalid', `invalid range: from (${c}) cannot be > to (${to})`);
      return [[c, to]]; // ranges are never case-folded
    }
    return this.charRanges(c);
  }

  private charRanges(c: number): Range[] {
    return (this.caseInsensitive ? asciiCaseVariants(c) : [c]).map((x) => [x, x] as const);
  }

  /** `\d` ... `\W`; `\\` is a backslash; `\` before any other letter is an error. Like Lucene's,
   *  it consumes the backslash even when it returns nothing (then the next character is literal). */
  private matchPredefinedCharacterClass(): Range[] | null {
    if (this.match('\\')) {
      if (this.peek('dDwWsS')) return predefinedClass(String.fromCodePoint(this.next()));
      if (this.peek('\\')) return this.charRanges(this.next());
      if (this.peek('abcefghijklmnopqrtuvxyz') || this.peek('ABCEFGHIJKLMNOPQRTUVXYZ')) {
        throw new LuceneRegexError('invalid', `invalid character class \\${String.fromCodePoint(this.next())}`);
      }
    }
    return null;
  }

  private parseSimpleExp(): Node {
    if (this.match('.')) return { kind: 'anychar' };
    if (this.match('#')) return { kind: 'empty' };
    if (this.match('@')) return { kind: 'anystring' };
    if (this.match('"')) {
      const start = this.pos;
      while (this.more() && !this.peek('"')) this.next();
      if (!this.match('"')) throw new LuceneRegexError('invalid', `expected '"' at position ${this.pos}`);
      return { kind: 'string', s: this.s.slice(start, this.pos - 1) };
    }
    if (this.match('(')) {
      if (this.match(')')) return { kind: 'string', s: '' };
      const e = this.parseUnionExp();
      if (!this.match(')')) throw new LuceneRegexError('invalid', `expected ')' at position ${this.pos}`);
      return e;
    }
    if (this.match('<')) {
      if (!this.s.includes('>', this.pos)) throw new LuceneRegexError('invalid', `expected '>' after position ${this.pos}`);
      throw new LuceneRegexError('unsupported', "'<' starts a numeric interval <n-m> or a named automaton in Lucene, which RE2 cannot run (escape it as \\< for a literal '<')");
    }
    const predefined = this.matchPredefinedCharacterClass();
    if (predefined) return { kind: 'set', ranges: predefined };
    return { kind: 'char', c: this.parseCharExp() };
  }

  private parseCharExp(): number {
    this.match('\\');
    return this.next();
  }
}

const NEVER = '[^\\x{0}-\\x{10FFFF}]';

function hex(c: number): string {
  return `\\x{${c.toString(16).toUpperCase()}}`;
}

function literal(c: number, caseInsensitive: boolean): string {
  const variants = caseInsensitive ? asciiCaseVariants(c) : [c];
  if (variants.length > 1) return `[${variants.map(hex).join('')}]`;
  return /^[A-Za-z0-9]$/.test(String.fromCodePoint(c)) ? String.fromCodePoint(c) : hex(c);
}

function emit(n: Node, ci: boolean): string {
  switch (n.kind) {
    case 'union':
      return `(?:${emit(n.a, ci)}|${emit(n.b, ci)})`;
    case 'concat':
      return `${emit(n.a, ci)}${emit(n.b, ci)}`;
    case 'optional':
      return `(?:${emit(n.exp, ci)})?`;
    case 'repeat': {
      if (n.max !== null && n.min > n.max) return NEVER; // Operations.repeat(a, min, max) with min > max: the empty language
      if (n.min > 1000 || (n.max !== null && n.max > 1000)) {
        throw new LuceneRegexError('unsupported', `repetition counts above 1000 cannot be run with RE2 ({${n.min},${n.max ?? ''}})`);
      }
      const body = `(?:${emit(n.exp, ci)})`;
      if (n.max === null) return n.min === 0 ? `${body}*` : n.min === 1 ? `${body}+` : `${body}{${n.min},}`;
      return n.min === n.max ? `${body}{${n.min}}` : `${body}{${n.min},${n.max}}`;
    }
    case 'set':
      return n.ranges.length === 0 ? NEVER : `[${n.ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('')}]`;
    case 'char':
      return literal(n.c, ci);
    case 'string':
      return `(?:${[...n.s].map((ch) => literal(ch.codePointAt(0)!, ci)).join('')})`;
    case 'anychar':
      return '(?s:.)';
    case 'anystring':
      return '(?s:.*)';
    case 'empty':
      return NEVER;
  }
}

/** The RE2 pattern that matches exactly the strings the Lucene pattern matches (as a whole:
 *  use RE2's full match, `matches`, or anchor it). Throws LuceneRegexError. */
export function luceneRegexToRe2(pattern: string, caseInsensitive = false): string {
  return emit(new Parser(pattern, caseInsensitive).parse(), caseInsensitive);
}
