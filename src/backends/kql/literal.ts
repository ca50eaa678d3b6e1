// KQL lexical forms: string literals, column names, regular expressions. Everything a rule (or a
// pipeline) supplies reaches the query through these functions, so no value can leave its literal
// and no field name its quoting. Property tests parse the output with Microsoft's own parser
// (@kusto/language-service-next) and compare the literal's value with the original text.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import type { Pattern } from '../../ir/types.js';

/** Characters written as `\uXXXX` inside a regular string literal: control characters (C0, DEL,
 *  C1), line and paragraph separators, the byte-order mark, and the invisible formatting
 *  characters that reorder or hide text (bidi controls, zero-width characters). The parser reads
 *  them raw too, but a query must show what it means. */
const escapedChars = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/;
const escapedCharsGlobal = new RegExp(escapedChars.source, 'g');
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `what` names the text in the error; a function, so the message is only built on failure. */
function checkUnicode(text: string, what: () => string, span?: Span): void {
  if (loneSurrogate.test(text)) {
    throw new RulecastError('invalid-string', `${what()} contains an unpaired UTF-16 surrogate, which no KQL string can hold (Kusto strings are UTF-8)`, span);
  }
}

/** A KQL string literal meaning exactly `text`. Plain `"…"` with backslash escapes (`\\`, `\"`,
 *  `\n`, `\t`, `\r`, `\uXXXX`); when the text has backslashes and nothing that needs an escape,
 *  the verbatim form `@"…"` (quotes doubled) keeps Windows paths readable. */
export function kqlString(text: string, span?: Span): string {
  checkUnicode(text, () => `the value '${text}'`, span);
  if (text.includes('\\') && !escapedChars.test(text)) return `@"${text.replace(/"/g, '""')}"`;
  return quoted(text, '"');
}

/** Whether a quoted literal needs any escape at all (most values need none). */
const needsEscape = { '"': new RegExp(`["\\\\]|${escapedChars.source}`), "'": new RegExp(`['\\\\]|${escapedChars.source}`) };

function quoted(text: string, quote: '"' | "'"): string {
  if (!needsEscape[quote].test(text)) return quote + text + quote;
  let out = quote;
  for (const c of text) {
    if (c === '\\') out += '\\\\';
    else if (c === quote) out += `\\${quote}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (escapedChars.test(c)) out += c.replace(escapedCharsGlobal, (x) => `\\u${x.charCodeAt(0).toString(16).padStart(4, '0')}`);
    else out += c;
  }
  return out + quote;
}

/** Words that cannot be a bare column name in every position of a query (from Kusto.Language's
 *  KustoFacts.BracketNameIfNecessary over its keyword list, plus the contextual words `not`,
 *  `true`, `false`, `null`, `let` that read as something else in an expression). Checked against
 *  the parser in test/backends/kql-property.test.ts. */
const reserved = new Set(
  (
    'accumulate and anomalychart areachart as asc bagexpansion barchart between boolean by byte cachingpolicy callout cancel card char ' +
    'columnchart contains contains_cs containscs cycles dataexport datascope datatable date datetime decimal decodeblocks desc double dynamic ' +
    'earliest encodingpolicy endswith endswith_cs expandoutput extent_tags_retention external_data externaldata false find first flags float ' +
    'force_remote guid harddelete hardretention has has_all has_any has_cs hasprefix hasprefix_cs hassuffix hassuffix_cs hotcache in int ' +
    'int16 int32 int64 int8 invoke isfuzzy journal kind ladderchart last latest let like likecs linechart long materialize matches mdm missing ' +
    'nooptimization not notcontains notcontainscs notlike notlikecs null of or others pathformat piechart pivotchart print project ' +
    'queries query_results real regex relaxed restricted_view_access row_level_security rowstore rowstore_references rowstore_sealinfo ' +
    'rowstorepolicy rowstores sample scatterchart seal seals search set shards simple softdelete softretention sql stackedareachart ' +
    'startswith startswith_cs statistics storedqueryresultcontainers string tablepurge time timechart timeline timepivot timespan title to ' +
    'toscalar totable treemap true typeof uint uint16 uint32 uint64 uint8 ulong union uniqueid unrestrictedviewers verbose viewers views ' +
    'where with_itemindex with_match_id with_source with_step_name withsource writeaheadlog'
  ).split(' '),
);

const plainName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A column reference: the bare name when it is a plain identifier that is not a keyword, else the
 *  bracketed form `['Logon Type']` (a quoted string inside brackets; `'cs-uri'` alone would be a
 *  string literal). */
export function kqlName(name: string, span?: Span): string {
  if (plainName.test(name) && !name.startsWith('__') && !reserved.has(name.toLowerCase())) return name;
  if (name === '') throw new RulecastError('invalid-field-name', 'an empty field name cannot be a KQL column', span);
  checkUnicode(name, () => `the field name '${name}'`, span);
  return `[${quoted(name, "'")}]`;
}

/** A number as KQL writes it: integers as `long` literals, others as `real` (`4.5`, `1e+300`). */
export function kqlNumber(n: number, span?: Span): string {
  if (!Number.isFinite(n)) throw new RulecastError('invalid-number', `${n} is not a finite number`, span);
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) return `real(${n.toExponential()})`;
    return String(n);
  }
  return String(n);
}

/** RE2 metacharacters, escaped with a backslash to stand for themselves. */
const re2Special = /[\\.+*?()|[\]{}^$]/g;

export function escapeRe2(text: string): string {
  return text.replace(re2Special, (c) => `\\${c}`);
}

/**
 * An anchored RE2 pattern for a wildcard pattern: `*` any run of characters (newlines included:
 * `(?s)`), `?` exactly one character (RE2 matches code points, as the IR evaluator counts them),
 * literal text escaped. Case-insensitive unless `cased`. A leading or trailing `*` drops its anchor
 * instead (`^.*` and `.*$` mean nothing more), so `*a*b*` is `(?is)a.*b`.
 */
export function wildcardRegex(p: Pattern, cased: boolean): string {
  const parts = [...p.parts];
  let head = '^';
  let tail = '$';
  const isStar = (x: Pattern['parts'][number] | undefined): boolean => x !== undefined && typeof x !== 'string' && x.wildcard === '*';
  if (isStar(parts[0])) {
    parts.shift();
    head = '';
  }
  if (isStar(parts[parts.length - 1])) {
    parts.pop();
    tail = '';
  }
  const body = parts.map((x) => (typeof x === 'string' ? escapeRe2(x) : x.wildcard === '*' ? '.*' : '.')).join('');
  return `(?${cased ? '' : 'i'}s)${head}${body}${tail}`;
}

/** A regular expression as a KQL string literal: verbatim (`@"…"`) whenever the pattern has
 *  nothing that needs an escape, so the regex text reaches Kusto exactly as written. */
export function kqlRegexLiteral(pattern: string, span?: Span): string {
  checkUnicode(pattern, () => `the regular expression '${pattern}'`, span);
  if (!escapedChars.test(pattern)) return `@"${pattern.replace(/"/g, '""')}"`;
  return quoted(pattern, '"');
}
