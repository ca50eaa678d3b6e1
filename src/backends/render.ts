// The one generic expression renderer. A backend is a Dialect: precedence and tokens as data plus a
// table that renders each predicate operator. Parenthesisation follows elastic/eql's rule: a child is
// wrapped only when it binds looser than its parent (or, with `groupMixed`, whenever and/or mix, for
// languages whose readers disagree on precedence).
import type { EqPred, Expr, Pred } from '../ir/types.js';

export interface Dialect {
  /** Binding strength of each operator; higher binds tighter. Atoms bind tightest of all. */
  readonly precedence: { readonly or: number; readonly and: number; readonly not: number };
  /** Separators between operands, with their spaces (` and `, ` OR `, or ` ` for SPL's implicit AND). */
  readonly tokens: { readonly and: string; readonly or: string };
  /** `prefix`: `<token><operand>` (operand grouped by precedence); `function`: `<token>(<operand>)`. */
  readonly not: { readonly form: 'prefix' | 'function'; readonly token: string };
  /** Parenthesise an and/or operand of the other kind even when precedence does not need it. */
  readonly groupMixed?: boolean;
  readonly group?: (inner: string) => string;
  readonly constant: (value: boolean) => string;
  /** Renders one predicate; throws RulecastError for what the target cannot express exactly. */
  readonly pred: (p: Pred) => string;
  /** A negated predicate in one piece (`F !contains "x"`), or undefined for the generic form. */
  readonly negatedPred?: (p: Pred) => string | undefined;
  /** Several equality predicates on one field, ORed, as one list form (`F in~ ("a", "b")`), or
   *  undefined when the target has no list form for them. */
  readonly list?: (preds: readonly EqPred[]) => string | undefined;
  /** The negation of such a list in one piece (`F !in~ (…)`), or undefined. */
  readonly negatedList?: (preds: readonly EqPred[]) => string | undefined;
  /** Optional grouping of any predicates of an `or` into one list form (EQL's `F : ("a", "*b*")`,
   *  `cidrMatch(F, "…", "…")`): a key for a predicate that can share a list with the others of the
   *  same key, or undefined to keep the default grouping. Two or more of a key go to `keyedList`. */
  readonly listKey?: (p: Pred) => string | undefined;
  readonly keyedList?: (preds: readonly Pred[]) => string | undefined;
}

interface Rendered {
  readonly text: string;
  /** Binding strength of the rendered form's top operator (Infinity for an atom). */
  readonly prec: number;
  readonly kind: 'and' | 'or' | 'not' | 'atom';
}

const ATOM = Number.POSITIVE_INFINITY;

export function renderExpr(expr: Expr, d: Dialect): string {
  return render(expr, d).text;
}

function group(d: Dialect, text: string): string {
  return d.group ? d.group(text) : `(${text})`;
}

function operand(d: Dialect, child: Rendered, parentPrec: number, parentKind: 'and' | 'or' | 'not'): string {
  const looser = child.prec < parentPrec;
  const mixed = d.groupMixed === true && parentKind !== 'not' && (child.kind === 'and' || child.kind === 'or') && child.kind !== parentKind;
  return looser || mixed ? group(d, child.text) : child.text;
}

type Group = { readonly keyed: false; readonly preds: EqPred[] } | { readonly keyed: true; readonly preds: Pred[] };

/** Groups the predicates of an `or` that the dialect can render as one list: by its `listKey`, else
 *  equality predicates that share field, case and value type. Everything else keeps its place. */
function listGroups(args: readonly Expr[], d: Dialect): (Expr | Group)[] {
  const out: (Expr | Group)[] = [];
  const index = new Map<string, Group>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const listKey = a.kind === 'pred' ? d.listKey?.(a) : undefined;
    if (listKey !== undefined && a.kind === 'pred') {
      const key = `keyed\u0000${listKey}`;
      const existing = index.get(key);
      if (existing) (existing.preds as Pred[]).push(a);
      else {
        const g: Group = { keyed: true, preds: [a] };
        index.set(key, g);
        out.push(g);
      }
    } else if (d.list && a.kind === 'pred' && a.op === 'eq' && a.field !== null && !a.timePart) {
      const k = `${a.field}\u0000${a.cased}\u0000${typeof a.value}`;
      const existing = index.get(k);
      if (existing) (existing.preds as EqPred[]).push(a);
      else {
        const g: Group = { keyed: false, preds: [a] };
        index.set(k, g);
        out.push(g);
      }
    } else {
      out.push(a);
    }
  }
  return out;
}

function isGroup(x: Expr | Group): x is Group {
  return 'preds' in x;
}

// A switch rather than a visitor table: this runs for every node of every rule and target, and a
// table of closures per call is garbage the collector then pays for.
function render(expr: Expr, d: Dialect): Rendered {
  switch (expr.kind) {
    case 'const':
      return { text: d.constant(expr.value), prec: ATOM, kind: 'atom' };
    case 'pred':
      return { text: d.pred(expr), prec: ATOM, kind: 'atom' };
    case 'not':
      return renderNot(expr.arg, d);
    case 'and': {
      const parts = expr.args.map((a) => operand(d, render(a, d), d.precedence.and, 'and'));
      return { text: parts.join(d.tokens.and), prec: d.precedence.and, kind: 'and' };
    }
    case 'or':
      return renderOr(expr.args, d);
  }
}

function renderNot(arg: Expr, d: Dialect): Rendered {
  if (arg.kind === 'pred' && d.negatedPred) {
    const text = d.negatedPred(arg);
    if (text !== undefined) return { text, prec: ATOM, kind: 'atom' };
  }
  if (arg.kind === 'or' && d.negatedList) {
    const groups = listGroups(arg.args, d);
    const g = groups[0];
    if (groups.length === 1 && g && isGroup(g) && !g.keyed && g.preds.length > 1) {
      const text = d.negatedList(g.preds);
      if (text !== undefined) return { text, prec: ATOM, kind: 'atom' };
    }
  }
  const inner = render(arg, d);
  if (d.not.form === 'function') return { text: `${d.not.token}(${inner.text})`, prec: ATOM, kind: 'atom' };
  return { text: `${d.not.token}${operand(d, inner, d.precedence.not, 'not')}`, prec: d.precedence.not, kind: 'not' };
}

function renderOr(args: readonly Expr[], d: Dialect): Rendered {
  const parts: string[] = [];
  const groups = d.list || d.listKey ? listGroups(args, d) : args;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (isGroup(g)) {
      const text = g.preds.length < 2 ? undefined : g.keyed ? d.keyedList?.(g.preds) : d.list?.(g.preds);
      if (text !== undefined) parts.push(text);
      else for (const p of g.preds) parts.push(operand(d, render(p, d), d.precedence.or, 'or'));
    } else {
      parts.push(operand(d, render(g, d), d.precedence.or, 'or'));
    }
  }
  if (parts.length === 1) return { text: parts[0]!, prec: ATOM, kind: 'atom' };
  return { text: parts.join(d.tokens.or), prec: d.precedence.or, kind: 'or' };
}
