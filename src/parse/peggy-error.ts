import { RulecastError } from '../diagnostics/diagnostic.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';

interface PeggyExpectation {
  type: string;
  description?: string;
  text?: string;
  /** For a character class: single characters and [from, to] ranges. */
  parts?: (string | [string, string])[];
  inverted?: boolean;
}

interface PeggySyntaxError {
  message: string;
  expected: PeggyExpectation[] | null;
  found: string | null;
  location: { start: { offset: number }; end: { offset: number } };
}

export function isPeggyError(err: unknown): err is PeggySyntaxError {
  return typeof err === 'object' && err !== null && 'location' in err && 'expected' in err;
}

/** Turns a Peggy syntax error into a RulecastError pointing into the enclosing file:
 *  "invalid <what>: expected X, Y or Z but found 'w'". `end` names the end of the text. */
export function peggyToRulecastError(err: unknown, embedded: EmbeddedText, what: string, code: string, end = 'end of input'): RulecastError {
  if (!isPeggyError(err)) throw err;
  const start = err.location.start.offset;
  const stop = Math.max(err.location.end.offset, start + 1);
  const where = embeddedSpan(embedded, start, Math.min(stop, Math.max(embedded.text.length, start + 1)));
  if (err.expected === null) {
    // Raised by error() inside the grammar: the message is already written for people.
    return new RulecastError(code, `invalid ${what}: ${err.message}`, where);
  }
  let expected = [...new Set(err.expected.map((e) => describe(e, end)))];
  // Whitespace is allowed almost everywhere; naming it only hides what is really missing.
  if (expected.length > 1) expected = expected.filter((e) => e !== 'whitespace');
  expected.sort();
  const list = expected.length <= 1 ? (expected[0] ?? 'nothing') : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
  const found = err.found === null ? end : `'${foundText(embedded.text, start, err.found)}'`;
  return new RulecastError(code, `invalid ${what}: expected ${list} but found ${found}`, where);
}

/** Peggy reports one character; a whole word reads better ("found 'where'", not "found 'w'"). */
function foundText(text: string, start: number, found: string): string {
  const word = /^[A-Za-z0-9_]+/.exec(text.slice(start, start + 40));
  return word ? word[0] : found;
}

function describe(e: PeggyExpectation, end: string): string {
  if (e.type === 'end') return end;
  if (e.description) return e.description;
  if (e.type === 'literal' && e.text !== undefined) return `'${e.text}'`;
  // Peggy merges `"+" / "-"` into a class: name its characters.
  if (e.type === 'class' && !e.inverted && e.parts?.every((p) => typeof p === 'string')) return e.parts.map((p) => `'${p}'`).join(', ');
  return e.type;
}
