// Typed front of the generated Sigma condition parser (grammars/sigma-condition.peggy).
import { parse as parseGenerated } from '../generated/sigma-condition.js';
import { peggyToRulecastError } from './peggy-error.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';
import { RulecastError } from '../diagnostics/diagnostic.js';

/** A keyword as written, with its offsets in the condition text. */
export interface ConditionKeyword {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type ConditionTarget =
  | { readonly kind: 'them'; readonly start: number; readonly end: number }
  | { readonly kind: 'pattern'; readonly pattern: string; readonly start: number; readonly end: number };

export type ConditionNode =
  | { readonly type: 'or' | 'and'; readonly args: readonly ConditionNode[]; readonly keywords: readonly ConditionKeyword[]; readonly start: number; readonly end: number }
  | { readonly type: 'not'; readonly arg: ConditionNode; readonly keywords: readonly ConditionKeyword[]; readonly start: number; readonly end: number }
  | { readonly type: 'group'; readonly expr: ConditionNode; readonly start: number; readonly end: number }
  | { readonly type: 'of'; readonly quantifier: 'one' | 'all'; readonly target: ConditionTarget; readonly keywords: readonly ConditionKeyword[]; readonly start: number; readonly end: number }
  | { readonly type: 'id'; readonly name: string; readonly start: number; readonly end: number };

/** Parses a condition; offsets in the tree are offsets in `embedded.text`. Syntax errors are
 *  RulecastErrors (code `condition-syntax`) pointing at the column in the rule file. */
/** Deepest nesting of parentheses and `not` accepted: real conditions use a handful; thousands
 *  would overflow the recursive parser and every pass after it. */
export const maxConditionDepth = 64;

export function parseCondition(embedded: EmbeddedText): ConditionNode {
  checkDepth(embedded);
  try {
    return parseGenerated(embedded.text, {}) as ConditionNode;
  } catch (err) {
    throw peggyToRulecastError(err, embedded, 'condition', 'condition-syntax');
  }
}

/** Refuses conditions nested deeper than maxConditionDepth before the recursive parser sees them. */
function checkDepth(embedded: EmbeddedText): void {
  const text = embedded.text;
  let depth = 0;
  let nots = 0;
  const tokens = /\(|\)|\bnot\b|[A-Za-z0-9_.*?-]+/gi;
  for (const m of text.matchAll(tokens)) {
    const t = m[0];
    if (t === '(') depth++;
    else if (t === ')') depth = Math.max(0, depth - 1);
    if (t.toLowerCase() === 'not') nots++;
    else if (t !== '(') nots = 0;
    if (depth + nots > maxConditionDepth) {
      const at = m.index ?? 0;
      throw new RulecastError('condition-too-deep', `the condition nests parentheses and 'not' more than ${maxConditionDepth} levels deep; rulecast refuses it`, embeddedSpan(embedded, at, at + t.length));
    }
  }
}
