// Typed front of the SPL syntax checker (grammars/spl.peggy): the subset of Splunk SPL that
// rulecast emits. It parses syntax only; test/support/spl-evaluator.ts gives the trees meaning.
// Offsets in every node are offsets in the query text.
import { parse as parseGenerated } from '../generated/spl.js';
import { RulecastError } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { embeddedAt } from '../../src/parse/embedded.js';
import { peggyToRulecastError } from '../../src/parse/peggy-error.js';

/** A string as written (`raw`, with its quotes if `quoted`) and what it means to the command
 *  (`value`: `\\`, `\"` and `\|` decoded, every other backslash sequence kept as written). */
export interface SplString {
  readonly raw: string;
  readonly value: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

/** A value in a search: `*` is always a wildcard in it (it cannot be escaped). `CASE(x)` asks
 *  for a case-sensitive match, `TERM(x)` for x as one indexed term. */
export interface SearchValue extends SplString {
  readonly directive: 'CASE' | 'TERM' | null;
}

export interface FieldName {
  /** The name as Splunk sees it (quotes removed). */
  readonly name: string;
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

export type SearchCompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A search expression (initial search, `| search`, tstats `where`). `and` covers both the
 *  explicit AND and juxtaposition; it binds looser than `or`. */
export type SearchNode =
  | { readonly type: 'and' | 'or'; readonly args: readonly SearchNode[]; readonly start: number; readonly end: number }
  | { readonly type: 'not'; readonly arg: SearchNode; readonly start: number; readonly end: number }
  | { readonly type: 'group'; readonly expr: SearchNode; readonly start: number; readonly end: number }
  | { readonly type: 'compare'; readonly field: FieldName; readonly op: SearchCompareOp; readonly value: SearchValue; readonly start: number; readonly end: number }
  | { readonly type: 'in'; readonly field: FieldName; readonly values: readonly SearchValue[]; readonly start: number; readonly end: number }
  | { readonly type: 'keyword'; readonly value: SearchValue; readonly start: number; readonly end: number };

export type EvalCompareOp = '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE';
export type EvalArithOp = '+' | '-' | '*' | '/' | '%' | '.';

/** An eval expression (`| where`, `| eval`): AND binds tighter than OR, OR tighter than XOR. */
export type EvalNode =
  | { readonly type: 'and' | 'or' | 'xor'; readonly args: readonly EvalNode[]; readonly start: number; readonly end: number }
  | { readonly type: 'not'; readonly arg: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'negate'; readonly arg: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'group'; readonly expr: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'compare'; readonly op: EvalCompareOp; readonly left: EvalNode; readonly right: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'in'; readonly arg: EvalNode; readonly values: readonly EvalNode[]; readonly start: number; readonly end: number }
  | { readonly type: 'arith'; readonly op: EvalArithOp; readonly left: EvalNode; readonly right: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly EvalNode[]; readonly start: number; readonly end: number }
  | { readonly type: 'field'; readonly field: FieldName; readonly start: number; readonly end: number }
  | { readonly type: 'string'; readonly value: SplString; readonly start: number; readonly end: number }
  | { readonly type: 'number'; readonly value: number; readonly raw: string; readonly start: number; readonly end: number };

export interface TstatsFunction {
  readonly name: string;
  readonly field: FieldName | null;
  readonly alias: FieldName | null;
  readonly start: number;
  readonly end: number;
}

export type SplCommand =
  | { readonly type: 'search'; readonly implicit: boolean; readonly expr: SearchNode | null; readonly start: number; readonly end: number }
  | { readonly type: 'where'; readonly expr: EvalNode; readonly start: number; readonly end: number }
  | { readonly type: 'regex'; readonly field: FieldName | null; readonly negated: boolean; readonly pattern: SplString; readonly start: number; readonly end: number }
  | { readonly type: 'table'; readonly fields: readonly FieldName[]; readonly start: number; readonly end: number }
  | { readonly type: 'fields'; readonly mode: '+' | '-'; readonly fields: readonly FieldName[]; readonly start: number; readonly end: number }
  | {
      readonly type: 'eval';
      readonly assignments: readonly { readonly field: FieldName; readonly expr: EvalNode; readonly start: number; readonly end: number }[];
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly type: 'tstats';
      readonly options: readonly { readonly name: string; readonly value: SplString; readonly start: number; readonly end: number }[];
      readonly functions: readonly TstatsFunction[];
      readonly datamodel: { readonly name: string; readonly start: number; readonly end: number } | null;
      readonly where: SearchNode | null;
      readonly by: readonly FieldName[];
      readonly span: string | null;
      readonly start: number;
      readonly end: number;
    };

export interface SplQuery {
  readonly type: 'query';
  /** The first command is the implied search (possibly empty: `expr` null) or a generating
   *  command written with a leading pipe (`| tstats`, `| search`). */
  readonly commands: readonly SplCommand[];
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

type StartRule = 'Query' | 'SearchOnly' | 'EvalOnly' | 'QuotedString';

function run(text: string, startRule: StartRule, path: string): unknown {
  try {
    return parseGenerated(text, { startRule, grammarSource: path });
  } catch (err) {
    throw toRulecastError(err, new SourceFile(path, text));
  }
}

/** Parses a whole query. Syntax errors are RulecastErrors (code `spl-syntax`) whose span points at
 *  the offending character of `text`. */
export function parseSpl(text: string, path = '<spl>'): SplQuery {
  const query = run(text, 'Query', path) as Omit<SplQuery, 'text'>;
  return { ...query, text };
}

/** Parses a search expression alone (the argument of searchmatch(), a `| search` body). */
export function parseSplSearch(text: string, path = '<spl search>'): SearchNode {
  return run(text, 'SearchOnly', path) as SearchNode;
}

/** Parses an eval expression alone (the body of `| where`). */
export function parseSplEval(text: string, path = '<spl eval>'): EvalNode {
  return run(text, 'EvalOnly', path) as EvalNode;
}

/** What a double-quoted SPL literal (quotes included) means: `"C:\\Windows\\*"` is `C:\Windows\*`
 *  (a backslash, then a wildcard). Throws `spl-syntax` when `literal` is not one whole literal. */
export function decodeSplString(literal: string): string {
  return (run(literal, 'QuotedString', '<spl string>') as SplString).value;
}

/** A search value split into literal text and `*` wildcards (the only wildcard of a search:
 *  `?` is a literal character). Adjacent stars collapse. */
export type SearchPatternPart = string | { readonly wildcard: '*' };

export const SEARCH_STAR: { readonly wildcard: '*' } = Object.freeze({ wildcard: '*' });

export function searchPattern(value: string): readonly SearchPatternPart[] {
  const parts: SearchPatternPart[] = [];
  value.split('*').forEach((literal, i) => {
    if (i > 0 && parts[parts.length - 1] !== SEARCH_STAR) parts.push(SEARCH_STAR);
    if (literal !== '') parts.push(literal);
  });
  return parts;
}

function toRulecastError(err: unknown, source: SourceFile): RulecastError {
  return peggyToRulecastError(err, embeddedAt(source, source.text, 0), 'SPL', 'spl-syntax', 'end of query');
}
