// Typed front of the generated Sigma condition parser (grammars/sigma-condition.peggy).
import { parse as parseGenerated } from '../generated/sigma-condition.js';
import { BoundedMemo } from '../memo.js';
import { peggyToRulecastError } from './peggy-error.js';
import type { EmbeddedText } from './embedded.js';
import { checkNesting } from './nesting.js';

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
export function parseCondition(embedded: EmbeddedText): ConditionNode {
  // Trees hold offsets into the text, not into the file, so one tree serves every rule with the
  // same condition text ("selection", "all of selection_*"…): a repository parses each text once.
  return parsed.get(embedded.text, (text) => {
    checkNesting(embedded, 'condition-too-deep', 'condition', false);
    try {
      return parseGenerated(text, {}) as ConditionNode;
    } catch (err) {
      throw peggyToRulecastError(err, embedded, 'condition', 'condition-syntax');
    }
  });
}

const parsed = new BoundedMemo<string, ConditionNode>(5000);

