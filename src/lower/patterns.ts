// Patterns made while lowering, without the general normalisation of ir/pattern.ts when the result
// is known to be normal already: most values are plain text, and adding a `*` to a normal pattern
// keeps it normal. Results are frozen like the ones `pattern()` makes.
import { parseSigmaString } from '../ir/pattern.js';
import { STAR, type Pattern, type PatternPart } from '../ir/types.js';

const BACKSLASH = 0x5c;
const ASTERISK = 0x2a;
const QUESTION = 0x3f;

const EMPTY: Pattern = Object.freeze({ parts: Object.freeze([]) });

function frozen(parts: PatternPart[]): Pattern {
  return Object.freeze({ parts: Object.freeze(parts) });
}

/** `parseSigmaString(text)`, skipping the parser when the text has no wildcard and no escape
 *  (then the pattern is the text itself). */
export function sigmaStringPattern(text: string): Pattern {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === ASTERISK || c === QUESTION) return parseSigmaString(text);
    if (c === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === ASTERISK || next === QUESTION || next === BACKSLASH) return parseSigmaString(text);
    }
  }
  return text === '' ? EMPTY : frozen([text]);
}

/** A normal pattern with `*` added at the start and/or end unless one is already there. */
export function withStars(p: Pattern, lead: boolean, trail: boolean): Pattern {
  const parts = p.parts;
  if (parts.length === 0) return lead || trail ? frozen([STAR]) : p;
  const addLead = lead && parts[0] !== STAR;
  const addTrail = trail && parts[parts.length - 1] !== STAR;
  if (!addLead && !addTrail) return p;
  const out: PatternPart[] = addLead ? [STAR] : [];
  for (const part of parts) out.push(part);
  if (addTrail) out.push(STAR);
  return frozen(out);
}
