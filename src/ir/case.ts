// What "case-insensitive" means in rulecast: each character is compared by its lower case, one
// character for one, without context. JavaScript's String#toLowerCase is close but not that: it
// turns İ (U+0130) into two characters (i and a combining dot), lowers a word-final Σ to ς (so "ΑΣ"
// and "ασ" differ), and lowers the Kelvin sign to an ASCII k. Queries compare character by
// character (Elasticsearch folds only ASCII letters; rulecast writes classes for the others), so a
// backend could not render such a comparison exactly. Here a character outside ASCII whose lower
// case is not a single character outside ASCII (İ, the Kelvin sign) stands for itself.

const nonAscii = /[^\u0000-\u007f]/;

/** The lower case of one code point under rulecast's folding (the code point itself when it has none). */
export function foldCodePoint(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
  const lower = String.fromCodePoint(cp).toLowerCase();
  const first = lower.codePointAt(0)!;
  // One code point (a lone surrogate or astral letter is one too), and not ASCII.
  return first >= 0x80 && lower.length === (first > 0xffff ? 2 : 1) ? first : cp;
}

/** A text with every character folded (same number of code points and UTF-16 units). */
export function foldCase(text: string): string {
  if (!nonAscii.test(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) out += String.fromCodePoint(foldCodePoint(ch.codePointAt(0)!));
  return out;
}

/** Code points outside ASCII grouped by their folding (built on first use: a scan of the planes
 *  that have cased letters, U+0080–U+1FFFF). */
let groups: Map<number, number[]> | undefined;

function foldGroups(): Map<number, number[]> {
  if (groups) return groups;
  groups = new Map();
  // Only letters that fold to another code point are recorded (a group starts with its folding):
  // a map entry per code point would cost far more than the scan itself.
  for (let cp = 0x80; cp <= 0x1ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const folded = foldCodePoint(cp);
    if (folded === cp) continue;
    const group = groups.get(folded);
    if (group) group.push(cp);
    else groups.set(folded, [folded, cp]);
  }
  for (const group of groups.values()) group.sort((a, b) => a - b);
  return groups;
}

/** Every code point that folds like cp (cp included), ascending. */
export function foldVariants(cp: number): number[] {
  if (cp < 0x80) {
    const lower = foldCodePoint(cp);
    return lower >= 0x61 && lower <= 0x7a ? [lower - 0x20, lower] : [cp];
  }
  return foldGroups().get(foldCodePoint(cp)) ?? [cp];
}

/** Whether folding can make this text equal to another (it has a letter with another case). */
export function hasFoldVariants(text: string): boolean {
  for (const ch of text) if (foldVariants(ch.codePointAt(0)!).length > 1) return true;
  return false;
}

/** A regular expression character for a literal one (ASCII punctuation gets a backslash). */
export function regexChar(c: string): string {
  return /[!-/:-@[-`{-~]/.test(c) ? `\\${c}` : c;
}

/** An RE2 pattern that a case-sensitive `re` predicate uses to match exactly the texts equal to
 *  `text` under rulecast's folding: without `cased`, each character with case variants becomes a
 *  class of them (RE2's own case-insensitive mode folds differently: it matches the Kelvin sign
 *  for `k` and `ſ` for `s`, which the evaluator's comparisons do not). */
export function literalRegex(text: string, cased: boolean): string {
  let out = '';
  for (const ch of text) {
    const variants = cased ? [ch] : foldVariants(ch.codePointAt(0)!).map((cp) => String.fromCodePoint(cp));
    out += variants.length === 1 ? regexChar(ch) : `[${variants.map(regexChar).join('')}]`;
  }
  return out;
}
