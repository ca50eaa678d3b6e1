// The IR step that moves predicates out of the search expression. A Splunk query is a search
// followed by filtering commands, each ANDed with what came before: `S | regex F="r" | where W`
// keeps the events of S AND r AND W. So only a top-level conjunct can leave the search without
// changing the meaning, and it leaves whole: a conjunct that holds a predicate the search cannot
// express exactly (a regex, |cased, `?`, a literal `*`, a field reference…) becomes
//   - `| regex F="r"` (or `F!="r"` for a negated regex: `regex` with `!=` keeps events without F,
//     as Sigma's negation does), when it is one regex predicate on a plainly named field;
//   - otherwise part of one `| where` eval expression, with everything it contains (search-only
//     keyword terms inside it become searchmatch()).
// A conjunct that must leave the search is first split where logic allows it without changing the
// meaning: `not (a or b)` is `not a and not b` (De Morgan) and `not not a` is `a`, so in the usual
// `selection and not filter` the filter's search-expressible parts stay in the search and only
// the others move. Conjuncts that the search expresses exactly stay in it whole. When nothing stays, the search is `*`
// (every event): a query must start with a search, and `*` is what Splunk itself runs for an
// empty one, so prefixing an index (`index=x *`) keeps it valid. A disjunction is never split: a
// regex under OR/NOT goes to `where` with its whole conjunct, so no predicate is ever dropped or
// re-associated.
import { and, not } from '../../ir/build.js';
import { predicates } from '../../ir/passes.js';
import type { Expr, PredOfOp } from '../../ir/types.js';
import { searchable } from './predicates.js';

export type SplPipe =
  | { readonly kind: 'regex'; readonly pred: PredOfOp<'re'>; readonly negated: boolean }
  | { readonly kind: 'where'; readonly expr: Expr };

export interface SplPlan {
  /** What stays in the search; null when nothing does (the search is then `*`). */
  readonly search: Expr | null;
  /** Filtering commands after the search, ANDed with it. */
  readonly pipes: readonly SplPipe[];
}

/** Field names `| regex` takes unquoted (it has no quoted form). */
const regexFieldName = /^[A-Za-z0-9_.:{}@-]+$/;

function regexPipe(e: Expr): SplPipe | undefined {
  const negated = e.kind === 'not';
  const p = negated ? e.arg : e;
  if (p.kind !== 'pred' || p.op !== 're' || p.field === null || !regexFieldName.test(p.field)) return undefined;
  return { kind: 'regex', pred: p, negated };
}

/** Whether the search can hold the whole expression. */
export function searchOnly(e: Expr): boolean {
  return predicates(e).every(searchable);
}

/** The top-level conjuncts of an expression; a conjunct the search cannot hold is split further
 *  through NOT (De Morgan), which keeps the meaning in two-valued logic. */
export function conjuncts(expr: Expr): Expr[] {
  if (expr.kind === 'and') return expr.args.flatMap(conjuncts);
  if (expr.kind === 'not' && !searchOnly(expr)) {
    if (expr.arg.kind === 'not') return conjuncts(expr.arg.arg);
    if (expr.arg.kind === 'or') return expr.arg.args.flatMap((a) => conjuncts(not(a)));
  }
  return [expr];
}

export function hoistPipes(expr: Expr): SplPlan {
  const search: Expr[] = [];
  const regexes: SplPipe[] = [];
  const where: Expr[] = [];
  for (const c of conjuncts(expr)) {
    if (searchOnly(c)) search.push(c);
    else {
      const r = regexPipe(c);
      if (r) regexes.push(r);
      else where.push(c);
    }
  }
  const pipes = where.length ? [...regexes, { kind: 'where' as const, expr: and(...where) }] : regexes;
  return { search: search.length ? and(...search) : null, pipes };
}

/** The whole expression as one `| where` (used to union branches whose pipes differ). */
export function whereOnly(expr: Expr): SplPlan {
  return searchOnly(expr) ? { search: expr, pipes: [] } : { search: null, pipes: [{ kind: 'where', expr }] };
}
