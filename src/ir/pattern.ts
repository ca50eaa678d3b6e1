import { ONE, STAR, type Pattern, type PatternPart, type Wildcard } from './types.js';

export function isWildcard(part: PatternPart): part is Wildcard {
  return typeof part !== 'string';
}

/** Normalises parts: adjacent literals merged, empty literals dropped, runs of `*` collapsed
 *  (`**` means the same as `*`). `?` is never merged: `??` is exactly two characters. */
export function pattern(parts: readonly PatternPart[]): Pattern {
  const out: PatternPart[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      if (part === '') continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + part;
      else out.push(part);
    } else if (part.wildcard === '*') {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else {
      out.push(ONE);
    }
  }
  return Object.freeze({ parts: Object.freeze(out) });
}

export function literalPattern(text: string): Pattern {
  return pattern([text]);
}

export function hasWildcards(p: Pattern): boolean {
  return p.parts.some(isWildcard);
}

/** The literal text of a pattern without wildcards, or undefined if it has any. */
export function patternLiteral(p: Pattern): string | undefined {
  if (hasWildcards(p)) return undefined;
  return p.parts.join('');
}

/** Writes a pattern in Sigma's own notation (`\*`, `\?` and `\\` for literal characters), which is
 *  unambiguous and readable in golden files and messages. */
export function patternToSigma(p: Pattern): string {
  return p.parts
    .map((part) => (typeof part === 'string' ? part.replace(/[\\*?]/g, (c) => `\\${c}`) : part.wildcard))
    .join('');
}

/** Parses a Sigma string value: `*` and `?` are wildcards, `\*` `\?` `\\` escape them, and a
 *  backslash before any other character (or at the end) is a literal backslash, as the
 *  specification and pySigma define it (so `C:\Windows` needs no doubling). */
export function parseSigmaString(text: string): Pattern {
  const parts: PatternPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else {
        literal += '\\';
      }
    } else if (c === '*' || c === '?') {
      parts.push(literal, c === '*' ? STAR : ONE);
      literal = '';
    } else {
      literal += c;
    }
  }
  parts.push(literal);
  return pattern(parts);
}
