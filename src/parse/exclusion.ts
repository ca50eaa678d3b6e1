// Typed front of the generated exclusion filter parser (grammars/exclusion-filter.peggy).
// Syntax only; src/lower/exclusion.ts gives the tree its meaning.
import { RulecastError } from '../diagnostics/diagnostic.js';
import { parse as parseGenerated } from '../generated/exclusion-filter.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';
import { checkNesting } from './nesting.js';
import { peggyToRulecastError } from './peggy-error.js';

/** A token as written, with its offsets in the filter text. */
export interface FilterToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface FilterField {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export type FilterLiteral =
  | { readonly type: 'string'; readonly value: string; readonly quote: '"' | "'"; readonly start: number; readonly end: number }
  /** A number as written; lowering decides whether it is compared as a number or as text. */
  | { readonly type: 'number'; readonly text: string; readonly start: number; readonly end: number };

/** The value side of a comparison: one value, values joined by OR/AND (the value shorthand),
 *  a parenthesised value expression, or a comma-separated list (for `in`). */
export type FilterValue =
  | FilterLiteral
  | { readonly type: 'vor' | 'vand'; readonly args: readonly FilterValue[]; readonly keywords: readonly FilterToken[]; readonly start: number; readonly end: number }
  | { readonly type: 'vgroup'; readonly expr: FilterValue; readonly start: number; readonly end: number }
  | { readonly type: 'list'; readonly items: readonly FilterLiteral[]; readonly start: number; readonly end: number };

export type FilterNode =
  | { readonly type: 'or' | 'and'; readonly args: readonly FilterNode[]; readonly keywords: readonly FilterToken[]; readonly start: number; readonly end: number }
  | { readonly type: 'not'; readonly arg: FilterNode; readonly keyword: FilterToken; readonly start: number; readonly end: number }
  | { readonly type: 'group'; readonly expr: FilterNode; readonly start: number; readonly end: number }
  | {
      readonly type: 'cmp';
      readonly field: FilterField;
      readonly op: FilterToken;
      /** Null when nothing follows the operator (right for `exists`, an error otherwise). */
      readonly value: FilterValue | null;
      readonly start: number;
      readonly end: number;
    };

interface PeggyError {
  message: string;
  expected: unknown[] | null;
  location: { start: { offset: number }; end: { offset: number } };
}

/** Parses an exclusion filter; offsets in the tree are offsets in `embedded.text`. Syntax errors
 *  are RulecastErrors pointing at the column in the enclosing file: `unterminated-string`,
 *  `invalid-escape`, `unquoted-value`, `empty-filter`, else `exclusion-syntax`. */
export function parseExclusionFilter(embedded: EmbeddedText): FilterNode {
  checkNesting(embedded, 'filter-too-deep', 'exclusion filter', true);
  try {
    return parseGenerated(embedded.text, {}) as FilterNode;
  } catch (err) {
    const e = err as PeggyError;
    if (e && typeof e === 'object' && e.expected === null && typeof e.message === 'string' && e.location) {
      // Raised by error() in the grammar, with its code in brackets.
      const m = /^\[([a-z-]+)\] ([\s\S]*)$/.exec(e.message);
      if (m) {
        const start = e.location.start.offset;
        const end = Math.max(e.location.end.offset, start + 1);
        const where = embeddedSpan(embedded, start, Math.min(end, Math.max(embedded.text.length, start + 1)));
        return throwError(new RulecastError(m[1]!, `invalid exclusion filter: ${m[2]!}`, where));
      }
    }
    throw peggyToRulecastError(err, embedded, 'exclusion filter', 'exclusion-syntax');
  }
}

function throwError(err: RulecastError): never {
  throw err;
}
