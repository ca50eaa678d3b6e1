import { RulecastError } from '../diagnostics/diagnostic.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';

interface PeggyExpectation {
  type: string;
  description?: string;
  text?: string;
}

interface PeggySyntaxError {
  message: string;
  expected: PeggyExpectation[] | null;
  found: string | null;
  location: { start: { offset: number }; end: { offset: number } };
}

function isPeggyError(err: unknown): err is PeggySyntaxError {
  return typeof err === 'object' && err !== null && 'location' in err && 'expected' in err;
}

/** Turns a Peggy syntax error into a RulecastError pointing into the enclosing file.
 *  `what` names the language ("condition", "exclusion filter"). */
export function peggyToRulecastError(err: unknown, embedded: EmbeddedText, what: string, code: string): RulecastError {
  if (!isPeggyError(err)) throw err;
  const start = err.location.start.offset;
  const end = Math.max(err.location.end.offset, start + 1);
  const where = embeddedSpan(embedded, start, Math.min(end, Math.max(embedded.text.length, start + 1)));
  if (err.expected === null) {
    // Raised by error() inside the grammar: the message is already written for people.
    return new RulecastError(code, `invalid ${what}: ${err.message}`, where);
  }
  const expected = [...new Set(err.expected.map(describe))].sort();
  const list = expected.length <= 1 ? (expected[0] ?? 'nothing') : `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]}`;
  const found = err.found === null ? 'end of input' : `'${err.found}'`;
  return new RulecastError(code, `invalid ${what}: expected ${list} but found ${found}`, where);
}

function describe(e: PeggyExpectation): string {
  if (e.type === 'end') return 'end of input';
  if (e.description) return e.description;
  if (e.type === 'literal' && e.text !== undefined) return `'${e.text}'`;
  return e.type;
}
