// Lexical pieces of Elasticsearch EQL (8.x): string literals, field names, numbers, and the
// characters that make a value unfit for the wildcard operators.
//
// The EQL lexer (EqlBase.g4) accepts in a regular string only the escapes `\n \r \t \\ \"` (and
// `\b \f \'`, which the documentation does not list, so we never emit them) plus `\u{XXXX}` with 2–8
// hexadecimal digits; any other backslash sequence is a syntax error. A raw string `"""…"""` takes
// every character literally but cannot hold a line break or `"""`. We write a raw string when the
// value holds a backslash and nothing a raw string cannot carry (it saves doubling every backslash
// of a Windows path or a regular expression), and a regular string otherwise.
import { foldVariants, hasFoldVariants } from '../../ir/case.js';
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import { BoundedMemo } from '../../memo.js';

/** Characters written as `\u{…}` in a regular string, and that keep a value out of a raw string:
 *  C0/C1 controls, DEL, line/paragraph separators, the byte-order mark. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
const unsafeGlobal = new RegExp(unsafe.source, 'g');

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Anything that needs a look: a backslash or quote, an unsafe character, a surrogate. A value
 *  without any (nearly all of them) is written between quotes as it is. */
const special = /[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/;

/** An EQL string literal whose decoded value is exactly `value`. A lone surrogate (not a Unicode
 *  character) cannot be written: Elasticsearch refuses `\u{d800}`. */
export function eqlString(value: string, span?: Span): string {
  if (!special.test(value)) return `"${value}"`;
  if (loneSurrogate.test(value)) throw new RulecastError('unsupported-value', `the value ${JSON.stringify(value)} holds a lone UTF-16 surrogate, which an EQL string cannot hold`, span);
  if (value.includes('\\') && !value.includes('"') && !unsafe.test(value)) return `"""${value}"""`;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(unsafeGlobal, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u{${c.charCodeAt(0).toString(16).padStart(2, '0')}}`;
    }
  })}"`;
}

/** Words of the EQL grammar; a field name segment spelt like one is back-quoted. */
const keywords = new Set([
  'and', 'any', 'by', 'false', 'fork', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or', 'regex',
  'runs', 'sample', 'sequence', 'true', 'until', 'where', 'with',
]);

const identifier = /^[A-Za-z_@][A-Za-z0-9_]*$/;

/** Field names as written, by name: a rule names few fields, each many times. */
const writtenFields = new BoundedMemo<string, string>(4096);

/** A field name: plain when every dotted segment is an EQL identifier, back-quoted otherwise
 *  (`` `cs-uri-query` ``, `` `Logon Type` ``, `` `2fa` ``), with a back-quote inside doubled. */
export function eqlField(name: string, span?: Span): string {
  if (name === '') throw new RulecastError('invalid-field', 'an empty field name cannot be written in EQL', span);
  return writtenFields.get(name, writeField);
}

function writeField(name: string): string {
  const plain = name.split('.').every((s) => identifier.test(s) && !keywords.has(s.toLowerCase()));
  return plain ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** A number literal; EQL has no literal for NaN or infinity. */
export function eqlNumber(value: number, span?: Span): string {
  if (!Number.isFinite(value)) throw new RulecastError('unsupported-value', `the number ${value} has no EQL literal`, span);
  return String(value);
}

/**
 * Elasticsearch turns a `:`/`like` pattern into a SQL LIKE pattern with U+0001 as its escape
 * character (`StringUtils.toLikePattern`): `*` and `?` are always wildcards and cannot be escaped,
 * and a U+0001 in the value would be read as that escape. Such values need another form.
 */
export function fitsWildcardOperator(literal: string): boolean {
  return !/[*?\u0001]/.test(literal);
}

const nonAscii = /[^\u0000-\u007f]/;
const asciiLetter = /[A-Za-z]/;

/** A letter outside ASCII with another case (ir/case.ts), which Elasticsearch does not fold: its
 *  term, wildcard and regexp queries are case-insensitive for ASCII letters only. */
export function hasNonAsciiCase(text: string): boolean {
  if (!nonAscii.test(text)) return false;
  for (const c of text) {
    const cp = c.codePointAt(0)!;
    if (cp > 0x7f && foldVariants(cp).length > 1) return true;
  }
  return false;
}

/** Whether letter case can change the meaning of a comparison with this text. */
export function hasCase(text: string): boolean {
  if (!nonAscii.test(text)) return asciiLetter.test(text);
  return hasFoldVariants(text);
}
