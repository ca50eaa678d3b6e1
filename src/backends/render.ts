// The one generic expression renderer. A backend is a Dialect: precedence and tokens as data plus a
// table that renders each predicate operator. Parenthesisation follows elastic/eql's rule: a child is
// wrapped only when it binds looser than its parent (or, with `groupMixed`, whenever and/or mix, for
// languages whose readers disagree on precedence).
//
// Every dialect hook is told the predicate's polarity: whether it sits under an odd number of
// negations. A target whose comparisons can be null (Kusto's `<` on a missing value) writes its
// guards there, and keeps list forms it cannot guard out of negations, without marking IR nodes.
//
// Layout: the text of a node is always made on one line (the compact form). `layoutText` breaks a
// rendered expression over lines by structure for people: a node that does not fit the width puts
// each operand of its and/or on a line of its own (the operator first), and a parenthesised part
// that does not fit opens on its own line, indented.
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
  /** Longest and/or chain written flat: longer ones are written as parenthesised groups of this
   *  many operands (Kusto's analyzer gives up on left-deep trees a few hundred levels deep). */
  readonly maxChain?: number;
  readonly constant: (value: boolean) => string;
  /** For a predicate that can be null (not false) in the target: a two-valued condition that is
   *  false exactly when it would be null. Under an odd number of negations the predicate is then
   *  written `guard and P`, so `not(...)` sees false, as Sigma's two-valued logic wants. */
  readonly guard?: (p: Pred) => string | undefined;
  /** Renders one predicate; throws RulecastError for what the target cannot express exactly.
   *  `negated`: the predicate sits under an odd number of negations. */
  readonly pred: (p: Pred, negated: boolean) => string;
  /** A negated predicate in one piece (`F !contains "x"`), or undefined for the generic form.
   *  `negated`: the negation itself sits under an odd number of negations (so the predicate, in
   *  the negation's scope, under an even one). */
  readonly negatedPred?: (p: Pred, negated: boolean) => string | undefined;
  /** Several equality predicates on one field, ORed, as one list form (`F in~ ("a", "b")`), or
   *  undefined when the target has no list form for them (there). */
  readonly list?: (preds: readonly EqPred[], negated: boolean) => string | undefined;
  /** The negation of such a list in one piece (`F !in~ (…)`), or undefined. */
  readonly negatedList?: (preds: readonly EqPred[], negated: boolean) => string | undefined;
  /** Optional grouping of any predicates of an `or` into one list form (EQL's `F : ("a", "*b*")`,
   *  `cidrMatch(F, "…", "…")`): a key for a predicate that can share a list with the others of the
   *  same key, or undefined to keep the default grouping. Two or more of a key go to `keyedList`. */
  readonly listKey?: (p: Pred) => string | undefined;
  readonly keyedList?: (preds: readonly Pred[]) => string | undefined;
}

/** A rendered node: its text on one line, and enough structure to lay it out over lines. */
export interface Rendered {
  readonly text: string;
  /** Binding strength of the rendered form's top operator (Infinity for an atom). */
  readonly prec: number;
  readonly kind: 'and' | 'or' | 'not' | 'atom';
  /** and/or: the operands as written (each already parenthesised where needed), and the token. */
  readonly operands?: readonly Operand[] | undefined;
  /** not: the negated operand (`prefix` form: parenthesised where needed). */
  readonly negated?: Operand | undefined;
}

/** An operand as it stands in its parent: the rendered child, and whether it is wrapped in `( )`
 *  (or in the dialect's `not(…)` function). */
interface Operand {
  readonly child: Rendered;
  readonly wrapped: boolean;
}

const ATOM = Number.POSITIVE_INFINITY;

export function renderExpr(expr: Expr, d: Dialect): string {
  return render(expr, d, false).text;
}

/** The rendered tree of an expression, for `layoutText`. */
export function renderTree(expr: Expr, d: Dialect): Rendered {
  return render(expr, d, false);
}

function atom(text: string): Rendered {
  return { text, prec: ATOM, kind: 'atom', operands: undefined, negated: undefined };
}

function operand(d: Dialect, child: Rendered, parentPrec: number, parentKind: 'and' | 'or' | 'not'): Operand {
  const looser = child.prec < parentPrec;
  const mixed = d.groupMixed === true && parentKind !== 'not' && (child.kind === 'and' || child.kind === 'or') && child.kind !== parentKind;
  return { child, wrapped: looser || mixed };
}

function operandText(o: Operand): string {
  return o.wrapped ? `(${o.child.text})` : o.child.text;
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
function render(expr: Expr, d: Dialect, negated: boolean): Rendered {
  switch (expr.kind) {
    case 'const':
      return atom(d.constant(expr.value));
    case 'pred': {
      const guard = negated ? d.guard?.(expr) : undefined;
      if (guard === undefined) return atom(d.pred(expr, negated));
      return chain('and', d.precedence.and, [{ child: atom(guard), wrapped: false }, { child: atom(d.pred(expr, negated)), wrapped: false }], d);
    }
    case 'not':
      return renderNot(expr.arg, d, negated);
    case 'and':
    case 'or':
      return renderChain(expr.kind, expr.args, d, negated);
  }
}

function renderNot(arg: Expr, d: Dialect, negated: boolean): Rendered {
  if (arg.kind === 'pred' && d.negatedPred) {
    const text = d.negatedPred(arg, negated);
    if (text !== undefined) return atom(text);
  }
  if (arg.kind === 'or' && d.negatedList) {
    const groups = listGroups(arg.args, d);
    const g = groups[0];
    if (groups.length === 1 && g && isGroup(g) && !g.keyed && g.preds.length > 1) {
      const text = d.negatedList(g.preds, negated);
      if (text !== undefined) return atom(text);
    }
  }
  const inner = render(arg, d, !negated);
  if (d.not.form === 'function') {
    return { text: `${d.not.token}(${inner.text})`, prec: ATOM, kind: 'not', operands: undefined, negated: { child: inner, wrapped: true } };
  }
  const o = operand(d, inner, d.precedence.not, 'not');
  return { text: `${d.not.token}${operandText(o)}`, prec: d.precedence.not, kind: 'not', operands: undefined, negated: o };
}

/** An and/or: its operands (an `or`'s equality predicates grouped into lists where the dialect can),
 *  in groups of `maxChain` when there are more. */
function renderChain(kind: 'and' | 'or', args: readonly Expr[], d: Dialect, negated: boolean): Rendered {
  const max = d.maxChain;
  if (max !== undefined && args.length > max) return renderChunked(kind, args, d, negated, max);
  const prec = kind === 'and' ? d.precedence.and : d.precedence.or;
  const operands: Operand[] = [];
  if (kind === 'or' && (d.list || d.listKey)) {
    const groups = listGroups(args, d);
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (isGroup(g)) {
        const text = g.preds.length < 2 ? undefined : g.keyed ? d.keyedList?.(g.preds) : d.list?.(g.preds, negated);
        if (text !== undefined) operands.push({ child: atom(text), wrapped: false });
        else for (const p of g.preds) operands.push(operand(d, render(p, d, negated), prec, kind));
      } else {
        operands.push(operand(d, render(g, d, negated), prec, kind));
      }
    }
  } else {
    for (let i = 0; i < args.length; i++) operands.push(operand(d, render(args[i]!, d, negated), prec, kind));
  }
  // An `or` whose predicates all went into one list is that list.
  if (operands.length === 1) return atom(operandText(operands[0]!));
  return chain(kind, prec, operands, d);
}

function chain(kind: 'and' | 'or', prec: number, operands: readonly Operand[], d: Dialect): Rendered {
  const token = kind === 'and' ? d.tokens.and : d.tokens.or;
  let text = '';
  for (let i = 0; i < operands.length; i++) text += (i ? token : '') + operandText(operands[i]!);
  return { text, prec, kind, operands, negated: undefined };
}

/** A chain longer than `max`: its arguments in groups of `max`, each rendered as a chain of its own
 *  (lists formed within it) and parenthesised; groups of groups likewise, until one chain is short
 *  enough. A group of one predicate is written as it is. */
function renderChunked(kind: 'and' | 'or', args: readonly Expr[], d: Dialect, negated: boolean, max: number): Rendered {
  const prec = kind === 'and' ? d.precedence.and : d.precedence.or;
  let level: Operand[] = [];
  for (let i = 0; i < args.length; i += max) {
    const slice = args.slice(i, i + max);
    const only = slice.length === 1 ? slice[0]! : undefined;
    const child = only ? render(only, d, negated) : renderChain(kind, slice, d, negated);
    level.push({ child, wrapped: !(only?.kind === 'pred' && child.kind === 'atom') });
  }
  while (level.length > max) {
    const next: Operand[] = [];
    for (let i = 0; i < level.length; i += max) {
      const slice = level.slice(i, i + max);
      next.push(slice.length === 1 ? slice[0]! : { child: chain(kind, prec, slice, d), wrapped: true });
    }
    level = next;
  }
  return chain(kind, prec, level, d);
}

export interface LayoutOptions {
  /** Longest line wanted (the expression's own indentation counted, its first line's column not). */
  readonly width: number;
  /** Spaces per level of nesting. */
  readonly indent: number;
}

export const defaultLayout: LayoutOptions = { width: 100, indent: 4 };

/**
 * A rendered expression over lines: what fits the width stays on one line; an and/or that does not
 * puts each operand on a line of its own, the operator first (SPL's implicit AND has none), and a
 * parenthesised operand that does not fit opens `(` at its line's end, its content indented, `)` on
 * a line of its own. The first line starts where the caller puts it; every other line starts with
 * the spaces that place it (the caller indents them all further by its own column, e.g. with the
 * templates' `indent` helper). Meaning is unchanged: only spaces and line breaks differ from `text`.
 */
export function layoutText(r: Rendered, d: Dialect, options: LayoutOptions = defaultLayout): string {
  return lay(r, d, options, 0);
}

function lay(r: Rendered, d: Dialect, o: LayoutOptions, depth: number): string {
  if (depth * o.indent + r.text.length <= o.width) return r.text;
  if ((r.kind === 'and' || r.kind === 'or') && r.operands) {
    const word = (r.kind === 'and' ? d.tokens.and : d.tokens.or).trim();
    const pad = '\n' + ' '.repeat(depth * o.indent);
    let out = '';
    r.operands.forEach((op, i) => {
      const text = layOperand(op, d, o, depth, word && i ? word.length + 1 : 0);
      out += i === 0 ? text : `${pad}${word ? `${word} ` : ''}${text}`;
    });
    return out;
  }
  if (r.kind === 'not' && r.negated) {
    // `not(…)` (function form: the operand is wrapped in its parentheses) or `NOT …`.
    return `${d.not.token}${layOperand(r.negated, d, o, depth, d.not.token.length)}`;
  }
  return r.text;
}

/** An operand at `depth`, `lead` characters after its line's indentation. An and/or written
 *  without parentheses (it binds tighter than its parent) continues one level deeper, so its
 *  lines stand apart from the parent's. */
function layOperand(op: Operand, d: Dialect, o: LayoutOptions, depth: number, lead: number): string {
  const flat = op.wrapped ? `(${op.child.text})` : op.child.text;
  if (depth * o.indent + lead + flat.length <= o.width) return flat;
  if (!op.wrapped) return lay(op.child, d, o, op.child.kind === 'and' || op.child.kind === 'or' ? depth + 1 : depth);
  const inner = lay(op.child, d, o, depth + 1);
  const pad = ' '.repeat(depth * o.indent);
  const innerPad = ' '.repeat((depth + 1) * o.indent);
  return `(\n${innerPad}${inner}\n${pad})`;
}
