// Exclusion filter syntax tree → IR (the language: docs/exclusion-language.md).
//
//   f == v          eq                       f != v          not(eq)   (a missing field satisfies it)
//   f contains v    contains                 f startswith v  startswith
//   f endswith v    endswith                 f matches v     re (RE2 syntax, unanchored search)
//   f in (a, b)     or(eq a, eq b)           f exists        exists
//   any operator + `_cs` (except exists)     the same predicate with cased = true
//
// Values are literal: a `*` is a star, not a wildcard. A number is compared as a number by
// ==, != and in, and as its text by the string operators.
// The value shorthand `f op v1 OR v2` is `f op (v1 OR v2)` = `(f op v1 OR f op v2)`; with AND the
// comparison must hold for each value. It is refused after != (ambiguous: suggest NOT f in (…)).
import { RE2JS } from 're2js';
import { RulecastError, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import { SourceFile } from '../diagnostics/source.js';
import { and, not, or, pred } from '../ir/build.js';
import type { Expr } from '../ir/types.js';
import { embeddedAt, embeddedSpan, type EmbeddedText } from '../parse/embedded.js';
import { parseExclusionFilter, type FilterLiteral, type FilterNode, type FilterValue } from '../parse/exclusion.js';
import { printExclusion } from '../ir/print.js';
import { nearest } from '../rule/load.js';

export interface LoweredExclusion {
  readonly expr: Expr;
  /** Warnings (`mixed-and-or`, `value-shorthand`); errors are thrown. */
  readonly diagnostics: readonly Diagnostic[];
}

type OperatorKind = 'eq' | 'ne' | 'contains' | 'startswith' | 'endswith' | 'matches' | 'in' | 'exists';

const baseOperators: readonly [string, OperatorKind][] = [
  ['==', 'eq'],
  ['!=', 'ne'],
  ['contains', 'contains'],
  ['startswith', 'startswith'],
  ['endswith', 'endswith'],
  ['matches', 'matches'],
  ['in', 'in'],
];

interface OperatorInfo {
  readonly kind: OperatorKind;
  readonly cased: boolean;
}

/** Every operator of the language, by its lowercase spelling. */
export const exclusionOperators: ReadonlyMap<string, OperatorInfo> = new Map<string, OperatorInfo>([
  ...baseOperators.flatMap(([name, kind]): [string, OperatorInfo][] => [
    [name, { kind, cased: false }],
    [`${name}_cs`, { kind, cased: true }],
  ]),
  ['exists', { kind: 'exists', cased: false }],
]);

/** Spellings from other languages (KQL, SQL, Sigma) and what to write instead. */
const operatorHints: Readonly<Record<string, string>> = {
  '=': "'==' (case-insensitive) or '==_cs'",
  '=~': "'==' (comparisons are case-insensitive by default)",
  '===': "'=='",
  '!~': "'!=' (comparisons are case-insensitive by default)",
  '<>': "'!='",
  ':': "'==' or 'contains'",
  has: "'contains' (the language has no term search)",
  has_cs: "'contains_cs' (the language has no term search)",
  like: "'contains', 'startswith', 'endswith' or 'matches'",
  equals: "'=='",
  eq: "'=='",
  ne: "'!='",
  regex: "'matches'",
  matches_regex: "'matches'",
  re: "'matches'",
  'in~': "'in' (comparisons are case-insensitive by default)",
  'contains~': "'contains' (comparisons are case-insensitive by default)",
};

/** Parses and lowers a filter embedded in a file. Throws RulecastError for bad filters. */
export function lowerExclusion(embedded: EmbeddedText): LoweredExclusion {
  const tree = parseExclusionFilter(embedded);
  const diagnostics: Diagnostic[] = [];
  const shorthand: { node: Extract<FilterNode, { type: 'cmp' }>; expr: Expr }[] = [];

  const walk = (node: FilterNode): Expr => {
    switch (node.type) {
      case 'or':
        return or(...node.args.map(walk));
      case 'and':
        return and(...node.args.map(walk));
      case 'not':
        return not(walk(node.arg));
      case 'group':
        return walk(node.expr);
      case 'cmp': {
        const expr = lowerComparison(embedded, node);
        if (node.value && (node.value.type === 'vor' || node.value.type === 'vand')) shorthand.push({ node, expr });
        return expr;
      }
    }
  };
  const expr = walk(tree);

  const mixed = findMixing(tree);
  if (mixed) {
    diagnostics.push(
      warning(
        'mixed-and-or',
        `AND and OR are mixed without parentheses; NOT binds tighter than AND, AND tighter than OR, and values joined after an operator ('contains "a" OR "b"') tighter than both, so the filter reads as: ${printExclusion(expr)}`,
        embeddedSpan(embedded, mixed.start, mixed.end),
        ['add parentheses to say which reading you mean'],
      ),
    );
  }
  for (const { node, expr: e } of shorthand) {
    const written = embedded.text.slice(node.start, node.end);
    const value = node.value as Extract<FilterValue, { type: 'vor' | 'vand' }>;
    const how = value.type === 'vor' ? 'any of the values' : 'every value';
    diagnostics.push(
      warning(
        'value-shorthand',
        `'${written}' applies '${node.op.text}' to ${how}: it reads as ${printExclusion(e)}`,
        embeddedSpan(embedded, node.start, node.end),
        [`write it that way, or with parentheses: ${node.field.name} ${node.op.text} (${embedded.text.slice(value.start, value.end)})`],
      ),
    );
  }
  return { expr, diagnostics };
}

/** A whole text as one filter (`path` names it in messages). */
export function compileExclusion(text: string, path = '<filter>'): LoweredExclusion {
  return lowerExclusion(embeddedAt(new SourceFile(path, text), text, 0));
}

function lowerComparison(embedded: EmbeddedText, node: Extract<FilterNode, { type: 'cmp' }>): Expr {
  const { field, op, value } = node;
  const at = (start: number, end: number) => embeddedSpan(embedded, start, end);
  const operator = exclusionOperators.get(op.text.toLowerCase());
  if (!operator) throw unknownOperator(embedded, node);
  const opName = op.text;

  if (operator.kind === 'exists') {
    if (value) throw new RulecastError('exists-value', `'exists' takes no value: write '${field.name} exists' (or 'NOT ${field.name} exists')`, at(value.start, value.end));
    return pred({ op: 'exists', field: field.name, span: at(field.start, op.end) });
  }
  if (!value) {
    throw new RulecastError('missing-value', `'${opName}' needs a value after it, e.g. ${field.name} ${opName} "value"`, at(op.start, op.end));
  }

  // A predicate for one literal; its span runs from the field to the end of that literal.
  const one = (lit: FilterLiteral, kind: Exclude<OperatorKind, 'in' | 'exists' | 'ne'>): Expr => {
    const span = at(field.start, lit.end);
    const text = lit.type === 'string' ? lit.value : lit.text;
    switch (kind) {
      case 'eq':
        return pred({ op: 'eq', field: field.name, value: literalValue(embedded, lit), cased: operator.cased, span });
      case 'contains':
      case 'startswith':
      case 'endswith':
        return pred({ op: kind, field: field.name, value: text, cased: operator.cased, span });
      case 'matches':
        checkRegex(text, at(lit.start, lit.end));
        return pred({ op: 're', field: field.name, value: { pattern: text, flags: { m: false, s: false } }, cased: operator.cased, span });
    }
  };

  if (operator.kind === 'in') {
    const items = value.type === 'list' ? value.items : value.type === 'vgroup' && isLiteral(value.expr) ? [value.expr] : undefined;
    if (!items) {
      throw new RulecastError('in-list', `'${opName}' takes a parenthesised, comma-separated list of values: ${field.name} ${opName} ("a", "b")`, at(value.start, value.end));
    }
    return or(...items.map((lit) => one(lit, 'eq')));
  }

  const list = findList(value);
  if (list) {
    throw new RulecastError('value-list', `a comma-separated list goes with 'in': write ${field.name} in (…), or join values with OR: ${field.name} ${opName} ("a" OR "b")`, at(list.start, list.end));
  }

  if (operator.kind === 'ne') {
    let single = value;
    while (single.type === 'vgroup') single = single.expr;
    if (!isLiteral(single)) {
      const values = literals(value).map((l) => embedded.text.slice(l.start, l.end));
      throw new RulecastError(
        'negated-shorthand',
        `'${opName}' takes a single value: '${embedded.text.slice(node.start, node.end)}' is ambiguous; to exclude all these values write NOT ${field.name} in${operator.cased ? '_cs' : ''} (${values.join(', ')})`,
        at(value.start, value.end),
      );
    }
    return not(one(single, 'eq'));
  }

  const kind = operator.kind;
  const lowerValue = (v: FilterValue): Expr => {
    switch (v.type) {
      case 'vor':
        return or(...v.args.map(lowerValue));
      case 'vand':
        return and(...v.args.map(lowerValue));
      case 'vgroup':
        return lowerValue(v.expr);
      case 'list':
        throw new Error('internal: lists are refused above');
      case 'string':
      case 'number':
        return one(v, kind);
    }
  };
  return lowerValue(value);
}

function isLiteral(v: FilterValue): v is FilterLiteral {
  return v.type === 'string' || v.type === 'number';
}

function literals(v: FilterValue): FilterLiteral[] {
  switch (v.type) {
    case 'vor':
    case 'vand':
      return v.args.flatMap(literals);
    case 'vgroup':
      return literals(v.expr);
    case 'list':
      return [...v.items];
    default:
      return [v];
  }
}

function findList(v: FilterValue): Extract<FilterValue, { type: 'list' }> | undefined {
  switch (v.type) {
    case 'list':
      return v;
    case 'vor':
    case 'vand':
      for (const a of v.args) {
        const found = findList(a);
        if (found) return found;
      }
      return undefined;
    case 'vgroup':
      return findList(v.expr);
    default:
      return undefined;
  }
}

function literalValue(embedded: EmbeddedText, lit: FilterLiteral): string | number {
  if (lit.type === 'string') return lit.value;
  const n = Number(lit.text);
  if (!Number.isFinite(n)) {
    throw new RulecastError('invalid-number', `the number ${lit.text} is too large; quote it to compare it as text`, embeddedSpan(embedded, lit.start, lit.end));
  }
  return n;
}

function checkRegex(pattern: string, where: ReturnType<typeof embeddedSpan>): void {
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new RulecastError('invalid-regex', `'${pattern}' is not a regular expression rulecast can use: ${reason}`, where, [
      'matches uses RE2 syntax (as KQL does): no lookaround, no backreferences',
    ]);
  }
}

function unknownOperator(embedded: EmbeddedText, node: Extract<FilterNode, { type: 'cmp' }>): RulecastError {
  const text = node.op.text;
  const lower = text.toLowerCase();
  let hint = operatorHints[lower];
  if (!hint && lower.startsWith('!') && lower.length > 1) {
    const positive = lower.slice(1).replace(/~$/, '');
    if (exclusionOperators.has(positive) || positive === 'has' || positive === 'has_cs') {
      const op = positive.startsWith('has') ? positive.replace('has', 'contains') : positive;
      hint = `NOT ${node.field.name} ${op} …`;
    }
  }
  if (!hint) {
    const near = nearest(lower, [...exclusionOperators.keys()]);
    if (near) hint = `'${near}'`;
  }
  return new RulecastError(
    'unknown-operator',
    `unknown operator '${text}'${hint ? `; did you mean ${hint}?` : ''}`,
    embeddedSpan(embedded, node.op.start, node.op.end),
    ['operators: ==, !=, contains, startswith, endswith, matches, in, exists; add _cs for a case-sensitive comparison (==_cs, contains_cs, …)'],
  );
}

/**
 * The first place where AND and OR meet without parentheses: an OR directly holding an AND (or
 * the reverse is impossible by precedence), a comparison whose value shorthand uses the other
 * keyword than the AND/OR around it (`A AND f contains "x" OR "y"`), or a value expression
 * mixing both (`f contains "a" AND "b" OR "c"`). Returns the enclosing node's range.
 */
function findMixing(root: FilterNode): { start: number; end: number } | undefined {
  const valueKind = (v: FilterValue | null): 'and' | 'or' | undefined => (v?.type === 'vor' ? 'or' : v?.type === 'vand' ? 'and' : undefined);
  const mixedValue = (v: FilterValue): { start: number; end: number } | undefined => {
    if (v.type === 'vor' || v.type === 'vand') {
      const other = v.type === 'vor' ? 'vand' : 'vor';
      if (v.args.some((a) => a.type === other)) return v;
      for (const a of v.args) {
        const m = mixedValue(a);
        if (m) return m;
      }
    }
    if (v.type === 'vgroup') return mixedValue(v.expr);
    return undefined;
  };
  const visitNode = (node: FilterNode): { start: number; end: number } | undefined => {
    switch (node.type) {
      case 'or':
      case 'and': {
        const other = node.type === 'or' ? 'and' : 'or';
        for (const arg of node.args) {
          if (arg.type === other) return node;
          let inner: FilterNode = arg;
          while (inner.type === 'not') inner = inner.arg;
          if (inner.type === 'cmp' && valueKind(inner.value) === other) return node;
        }
        for (const arg of node.args) {
          const m = visitNode(arg);
          if (m) return m;
        }
        return undefined;
      }
      case 'not':
        return visitNode(node.arg);
      case 'group':
        return visitNode(node.expr);
      case 'cmp':
        return node.value ? mixedValue(node.value) : undefined;
    }
  };
  return visitNode(root);
}
