// The two boolean languages of SPL as data for the generic renderer.
//
// Search (initial search, tstats where): ( ) > NOT > OR > AND, AND implied by a space: `a b OR c`
// is `a AND (b OR c)`. Eval (`| where`): ( ) > NOT > AND > OR. Both dialects set `groupMixed`, so
// every AND/OR that mixes with the other is parenthesised and the text reads the same under both
// precedences: a reader (or a later edit that moves it between search and where) cannot misread
// it. NOT binds tightest in both, so `NOT x` never needs parentheses around x when x is an atom.
import { and, pred } from '../../ir/build.js';
import type { Expr, Pred } from '../../ir/types.js';
import { guardNegatedNullables } from '../../passes/null-guards.js';
import { renderExpr, type Dialect } from '../render.js';
import { evalField, numberText, quote, searchField } from './literals.js';
import { searchForm, whereForm } from './predicates.js';

export const searchDialect: Dialect = {
  precedence: { or: 2, and: 1, not: 3 },
  tokens: { and: ' ', or: ' OR ' },
  not: { form: 'prefix', token: 'NOT ' },
  groupMixed: true,
  // `*` alone matches every event; the planner only meets constants in degenerate rules.
  constant: (value) => (value ? '*' : 'NOT *'),
  pred: (p) => {
    const text = searchForm(p);
    if (text === undefined) throw new Error(`internal: predicate ${p.op} on ${p.field} has no search form (the planner should have moved it)`);
    return text;
  },
  negatedPred: (p) => {
    // `not null` is presence: `F=*` rather than `NOT NOT F=*`.
    if (p.op === 'null' && p.field !== null) {
      const f = searchField(p.field);
      return f === undefined ? undefined : `${f}=*`;
    }
    return undefined;
  },
  list: (preds) => {
    const field = preds[0]!.field;
    if (field === null) return undefined;
    const f = searchField(field);
    if (f === undefined) return undefined;
    const values: string[] = [];
    for (const p of preds) {
      if (searchForm(p) === undefined) return undefined;
      values.push(typeof p.value === 'number' ? numberText(p.value) : quote(String(p.value)));
    }
    return `${f} IN (${values.join(', ')})`;
  },
};

export const whereDialect: Dialect = {
  precedence: { or: 1, and: 2, not: 3 },
  tokens: { and: ' AND ', or: ' OR ' },
  not: { form: 'prefix', token: 'NOT ' },
  groupMixed: true,
  constant: (value) => (value ? 'true()' : 'false()'),
  pred: whereForm,
  negatedPred: (p) => {
    if (p.field === null) return undefined;
    if (p.op === 'null') return `isnotnull(${evalField(p.field)})`;
    if (p.op === 'exists') return `isnull(${evalField(p.field)})`;
    return undefined;
  },
};

/** The condition under which a predicate's where form is not null (its fields are present), or
 *  undefined when the form is never null (presence tests, searchmatch, the isnum() comparisons). */
function presence(p: Pred): Expr | undefined {
  if (p.field === null) return undefined;
  switch (p.op) {
    case 'exists':
    case 'null':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return undefined;
    case 'contains':
      // Its where form for the empty string is isnotnull(F) itself.
      return p.value === '' ? undefined : pred({ op: 'exists', field: p.field });
    case 'fieldref':
      return and(pred({ op: 'exists', field: p.field }), pred({ op: 'exists', field: p.value.field }));
    default:
      return pred({ op: 'exists', field: p.field });
  }
}

/** An expression for `| where`, with three-valued logic made two-valued where it matters: a
 *  negated predicate on a missing field is null in eval and `NOT null` drops the event, where
 *  Sigma keeps it; under odd negation each predicate becomes `isnotnull(F) AND P` (the pass
 *  null-guards). */
export function whereExpr(expr: Expr): Expr {
  return guardNegatedNullables(expr, presence);
}

export function renderWhere(expr: Expr): string {
  return renderExpr(whereExpr(expr), whereDialect);
}

export function renderSearch(expr: Expr): string {
  return renderExpr(expr, searchDialect);
}
