// Recursive-descent parsers (Peggy's) and every pass after them recurse once per nesting level, so
// input nested thousands of levels deep would overflow the stack. Real conditions and filters nest
// a handful of levels; anything deeper than the limit is refused before parsing.
import { RulecastError } from '../diagnostics/diagnostic.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';

export const maxNesting = 64;

/** Counts open parentheses plus consecutive `not` keywords, skipping quoted strings when the
 *  language has them. Throws `<code>` (e.g. condition-too-deep) past maxNesting. */
export function checkNesting(embedded: EmbeddedText, code: string, what: string, quotes: boolean): void {
  const text = embedded.text;
  let depth = 0;
  let nots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quotes && (c === '"' || c === "'")) {
      // Skip the string with its escapes; an unterminated one is the parser's to report.
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      nots = 0;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth = Math.max(0, depth - 1);
      nots = 0;
    } else if (/[A-Za-z]/.test(c) && (i === 0 || !/[A-Za-z0-9_.-]/.test(text[i - 1]!))) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_.-]/.test(text[j]!)) j++;
      if (text.slice(i, j).toLowerCase() === 'not') nots++;
      else nots = 0;
      i = j - 1;
    }
    if (depth + nots > maxNesting) {
      throw new RulecastError(code, `the ${what} nests parentheses and 'not' more than ${maxNesting} levels deep; rulecast refuses it`, embeddedSpan(embedded, i, i + 1));
    }
  }
}
