import { RulecastError } from '../../diagnostics/diagnostic.js';

// Every string that reaches an SPL query goes through this module: double-quoted literals (search
// values, eval strings, regexes), field names in searches and in eval expressions, and regular
// expressions built from literal text. Nothing a rule contains can end its literal early.
//
// Splunk's quoting ("Quotes and escaping characters", search command): inside double quotes `\\`
// is one backslash and `\"` a quote; every other backslash sequence is kept as written. So
// escaping backslash and quote is enough for the literal to decode to the original text. A `*`
// inside a search value is always a wildcard ("The backslash can't be used to escape the
// asterisk"), which is why callers check `searchSafe` before putting literal text in a search.

/** `"…"`: a double-quoted SPL string that decodes to `text`. */
export function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

/** Control characters (a newline would split a savedsearches.conf value across lines) are kept
 *  out of search terms and field names; regexes write them as escapes instead. */
const control = /[\u0000-\u001f\u007f]/;

export function hasControl(text: string): boolean {
  return control.test(text);
}

/** Literal text that a search value can hold exactly: no `*` (it cannot be escaped there) and no
 *  control character. */
export function searchSafe(text: string): boolean {
  return !text.includes('*') && !hasControl(text);
}

const searchReserved = new Set(['AND', 'OR', 'NOT', 'IN', 'XOR']);

/** A field name on the left of `=` in a search: bare when it is a plain name, else quoted
 *  (`"cs-uri-query"="x"`, as pySigma and Splunk's docs write names with other characters). A name
 *  with `*` or a control character has no exact search form (undefined). */
export function searchField(name: string): string | undefined {
  if (name === '' || name.includes('*') || hasControl(name)) return undefined;
  if (/^[A-Za-z0-9_][A-Za-z0-9_.]*$/.test(name) && !searchReserved.has(name)) return name;
  return quote(name);
}

const evalReserved = new Set(['AND', 'OR', 'NOT', 'XOR', 'LIKE', 'IN']);

/** A field name in an eval expression (`| where`): bare when it is an identifier, else in single
 *  quotes ("Field names with non-alphanumeric characters must be single-quoted", where command),
 *  with `\\` and `\'` escaped. A bare `.` would concatenate, so dotted names are quoted. */
export function evalField(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !evalReserved.has(name)) return name;
  return `'${name.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** A field name in `| table` / tstats lists. */
export function listField(name: string): string {
  if (name === '' || hasControl(name)) {
    throw new RulecastError('spl-unsupported-field-name', `the field name ${JSON.stringify(name)} cannot be written in SPL: it is empty or holds a control character`);
  }
  return /^[A-Za-z0-9_][A-Za-z0-9_.]*$/.test(name) ? name : quote(name);
}

/** Literal text as a PCRE fragment that matches exactly that text: metacharacters are escaped,
 *  control characters written as escapes (so no raw newline reaches the query). */
export function regexLiteral(text: string): string {
  let out = '';
  for (const c of text) {
    if (/[\\^$.|?*+()[\]{}]/.test(c)) out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (control.test(c)) out += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

/** A number as SPL writes it (`4688`, `-5`, `1.5`, `1e+21`). */
export function numberText(n: number): string {
  return String(n);
}

/** A rule's regular expression for PCRE. Raw control characters become `\xHH` escapes (a raw
 *  newline and `\x0a` mean the same to PCRE; `\` before a control character is that character).
 *  Without the multi-line flag, `$` becomes `\z`: rulecast's regexes are RE2's, where `$` is the
 *  end of the text, while PCRE's `$` also matches before a final newline. */
export function regexSource(pattern: string, multiline: boolean): string {
  const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && next !== undefined) {
      out += control.test(next) ? hex(next) : c + next;
      i++;
    } else if (control.test(c)) {
      out += hex(c);
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A `]` first in a class (after an optional `^`) is a literal.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
    } else if (c === '$' && !multiline) {
      out += '\\z';
    } else {
      out += c;
    }
  }
  return out;
}
