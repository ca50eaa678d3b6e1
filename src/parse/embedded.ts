// Text embedded in another file (a condition inside a YAML scalar, a filter on a line of a text
// document) is parsed on its own; errors must still point into the enclosing file.
import type { SourceFile, Span } from '../diagnostics/source.js';
import { span } from '../diagnostics/source.js';
import type { YScalar } from './yaml.js';

export interface EmbeddedText {
  readonly source: SourceFile;
  readonly text: string;
  /** Maps an offset in `text` to an offset in `source.text`. */
  toSource(offset: number): number;
}

export function embeddedSpan(e: EmbeddedText, start: number, end: number): Span {
  const s = e.toSource(start);
  const last = end > start ? e.toSource(end - 1) + 1 : s;
  return span(e.source, s, Math.max(s, last));
}

/** A plain substring of the source: offsets shift by a constant. */
export function embeddedAt(source: SourceFile, text: string, base: number): EmbeddedText {
  return { source, text, toSource: (offset) => base + offset };
}

/** The decoded value of a YAML scalar mapped back onto its raw text. When the raw text equals the
 *  value (plain and most quoted scalars) the map is exact; otherwise (escapes, folded lines) the
 *  value's characters are aligned greedily with the raw characters, which is exact for `''` in
 *  single quotes and for line folding, and close for the rest. */
export function embeddedScalar(source: SourceFile, scalar: YScalar, text: string = scalar.text): EmbeddedText {
  const raw = source.text.slice(scalar.start, scalar.end);
  if (raw === text) return embeddedAt(source, text, scalar.start);
  const map: number[] = new Array(text.length + 1);
  let r = 0;
  for (let i = 0; i < text.length; i++) {
    let j = r;
    while (j < raw.length && raw[j] !== text[i] && j - r < 16) j++;
    if (j < raw.length && raw[j] === text[i]) r = j;
    map[i] = scalar.start + Math.min(r, Math.max(0, raw.length - 1));
    if (r < raw.length) r++;
  }
  map[text.length] = scalar.start + raw.length;
  return { source, text, toSource: (offset) => map[Math.max(0, Math.min(offset, text.length))]! };
}
