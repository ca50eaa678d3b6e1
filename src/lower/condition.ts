// Condition tree → IR: resolves identifiers and `1 of`/`all of` patterns against the selections.
import { RulecastError, warning } from '../diagnostics/diagnostic.js';
import { and, not, or } from '../ir/build.js';
import type { Expr } from '../ir/types.js';
import { embeddedSpan, embeddedScalar, type EmbeddedText } from '../parse/embedded.js';
import { parseCondition, type ConditionKeyword, type ConditionNode } from '../parse/condition.js';
import { nearest } from '../rule/load.js';
import type { ConditionText, Detection } from '../rule/types.js';
import { BoundedMemo } from '../memo.js';
import type { DetectionContext } from './detection.js';
import { lowerIdentifier } from './detection.js';

export interface ConditionLowering {
  readonly expr: Expr;
  /** Identifiers the condition used. */
  readonly used: ReadonlySet<string>;
}

export function lowerConditions(ctx: DetectionContext, detection: Detection): Expr {
  const cache = new Map<string, Expr>();
  const used = new Set<string>();
  const lowered = (name: string): Expr => {
    let e = cache.get(name);
    if (!e) {
      e = lowerIdentifier(ctx, detection.identifiers.get(name)!);
      cache.set(name, e);
    }
    used.add(name);
    return e;
  };
  const exprs = detection.conditions.map((c) => lowerOne(ctx, detection, c, lowered));
  for (const [name, id] of detection.identifiers) {
    if (!used.has(name)) {
      ctx.diagnostics.push(warning('unused-selection', `selection '${name}' is not used by the condition`, embeddedSpan(embeddedScalar(ctx.source, id.key), 0, id.key.text.length)));
    }
  }
  return or(...exprs);
}

function lowerOne(ctx: DetectionContext, detection: Detection, condition: ConditionText, lowered: (name: string) => Expr): Expr {
  const text = embeddedScalar(ctx.source, condition.node, condition.text);
  const tree = parseCondition(text);
  const names = [...detection.identifiers.keys()];

  const checkKeyword = (kw: ConditionKeyword): void => {
    if (kw.text !== kw.text.toLowerCase()) {
      ctx.diagnostics.push(warning('condition-keyword-case', `condition keyword '${kw.text}' should be lowercase ('${kw.text.toLowerCase()}'): other Sigma tools reject it`, embeddedSpan(text, kw.start, kw.end)));
    }
  };

  const walk = (node: ConditionNode): Expr => {
    switch (node.type) {
      case 'or':
      case 'and': {
        for (const kw of node.keywords) checkKeyword(kw);
        const args: Expr[] = [];
        for (const arg of node.args) args.push(walk(arg));
        return node.type === 'or' ? or(...args) : and(...args);
      }
      case 'not':
        for (const kw of node.keywords) checkKeyword(kw);
        return not(walk(node.arg));
      case 'group':
        return walk(node.expr);
      case 'id': {
        if (!detection.identifiers.has(node.name)) throw unknownIdentifier(text, node.name, node.start, node.end, names);
        return lowered(node.name);
      }
      case 'of': {
        for (const kw of node.keywords) checkKeyword(kw);
        const target = node.target;
        let matched: string[];
        if (target.kind === 'them') {
          matched = names.filter((n) => !n.startsWith('_'));
          if (node.quantifier === 'all') {
            ctx.diagnostics.push(warning('all-of-them', "'all of them' is discouraged by the specification: name the selections so a new one cannot silently join", embeddedSpan(text, node.start, node.end)));
          }
        } else {
          const re = patternRegex(target.pattern);
          matched = names.filter((n) => re.test(n) && (!n.startsWith('_') || target.pattern.startsWith('_')));
          if (matched.length === 0) {
            throw new RulecastError('unknown-identifier', `'${target.pattern}' matches no selection of this rule`, embeddedSpan(text, target.start, target.end), [`selections: ${names.join(', ')}`]);
          }
        }
        if (matched.length === 0) throw new RulecastError('unknown-identifier', "'them' matches no selection (names starting with '_' are left out)", embeddedSpan(text, target.start, target.end));
        const parts = matched.map(lowered);
        return node.quantifier === 'all' ? and(...parts) : or(...parts);
      }
    }
  };
  return walk(tree);
}

function unknownIdentifier(text: EmbeddedText, name: string, start: number, end: number, names: string[]): RulecastError {
  const suggestion = nearest(name, names);
  return new RulecastError(
    'unknown-identifier',
    `condition refers to '${name}', which no selection defines${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
    embeddedSpan(text, start, end),
    [`selections: ${names.join(', ')}`],
  );
}

/** `sel*` → /^sel.*$/ ; `?` is one character. Compiled once per pattern text: rules of a
 *  repository use the same few (`selection_*`, `filter_*`). */
function patternRegex(p: string): RegExp {
  return patternRegexes.get(p, compilePattern);
}

function compilePattern(p: string): RegExp {
  const body = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

const patternRegexes = new BoundedMemo<string, RegExp>(5000);
