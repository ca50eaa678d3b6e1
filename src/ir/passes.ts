// IR → IR passes that keep meaning exactly.
import { and, FALSE, not, or, TRUE } from './build.js';
import { samePred } from './dump.js';
import type { And, Expr, Or, Pred } from './types.js';

/**
 * Flattens nested and/or, folds constants, removes double negation and duplicate siblings, and
 * unwraps single-child groups. Sibling order is kept, so output stays recognisable.
 */
export function simplify(expr: Expr): Expr {
  // Leaves are simplified by definition; keeping them out of the set keeps it small (weak sets
  // cost the garbage collector per entry).
  if (expr.kind === 'pred' || expr.kind === 'const' || simplified.has(expr)) return expr;
  const result = simplifyOnce(expr);
  if (hasInnerGroups(result) || (result.kind !== 'not' && result.kind !== 'pred' && result.kind !== 'const' && result.args.length > LINEAR_SCAN_LIMIT)) simplified.add(result);
  return result;
}

/** Whether a node has and/or/not below it. A short group of leaves is simplified again in one
 *  cheap pass, so it is not worth an entry in the set (adding to a weak set is what costs). */
function hasInnerGroups(expr: Expr): boolean {
  switch (expr.kind) {
    case 'not':
      return expr.arg.kind !== 'pred' && expr.arg.kind !== 'const';
    case 'and':
    case 'or':
      for (let i = 0; i < expr.args.length; i++) {
        const kind = expr.args[i]!.kind;
        if (kind !== 'pred' && kind !== 'const') return true;
      }
      return false;
    default:
      return false;
  }
}

/** Nodes known to be simplified already (simplify is idempotent and nodes are immutable), so the
 *  passes that simplify after each rewrite do not walk the same subtrees again and again. */
const simplified = new WeakSet<Expr>();

function simplifyOnce(expr: Expr): Expr {
  // A switch rather than a visitor table: this runs for every node of every rule, several times.
  switch (expr.kind) {
    case 'const':
    case 'pred':
      return expr;
    case 'not': {
      const arg = simplify(expr.arg);
      if (arg.kind === 'const') return arg.value ? FALSE : TRUE;
      if (arg.kind === 'not') return arg.arg;
      return arg === expr.arg ? expr : not(arg);
    }
    case 'and':
    case 'or':
      return combine(expr);
  }
}

function combine(node: Extract<Expr, { kind: 'and' | 'or' }>): Expr {
  const kind = node.kind;
  const identity = kind === 'and';
  const out = new Siblings();
  // Whether the result differs from the node's own arguments (then a new node is built).
  let changed = false;
  const push = (e: Expr): boolean => {
    if (e.kind === 'const') {
      changed = true;
      return e.value === identity; // false → short-circuit
    }
    if (e.kind === kind) {
      changed = true;
      for (let i = 0; i < e.args.length; i++) if (!push(e.args[i]!)) return false;
      return true;
    }
    if (!out.add(e)) changed = true;
    return true;
  };
  // Indexed loops here and below: this runs for every group of every rule, and for-of allocates
  // iterator results until the optimizer has seen the loop often enough.
  for (let i = 0; i < node.args.length; i++) {
    const arg = node.args[i]!;
    const s = simplify(arg);
    if (s !== arg) changed = true;
    if (!push(s)) return identity ? FALSE : TRUE;
  }
  const args = out.list;
  if (!changed && args.length === node.args.length) return node;
  return kind === 'and' ? and(...args) : or(...args);
}

const LINEAR_SCAN_LIMIT = 16;

/**
 * The distinct operands of a group: predicates compared by value, other nodes by identity (a
 * selection used twice is one node; comparing whole subtrees on every rule costs more than it
 * saves). A linear scan, since nearly every group is small; a long list (hundreds of hashes) is
 * indexed by each predicate's value (or field), and only predicates in one bucket are compared.
 */
class Siblings {
  readonly list: Expr[] = [];
  private index: Map<unknown, Expr[]> | undefined;

  /** Adds an operand; false when an equal one is there already. */
  add(e: Expr): boolean {
    if (this.index) {
      if (this.index.get(bucketKey(e))?.some((s) => same(s, e))) return false;
    } else {
      for (let i = 0; i < this.list.length; i++) if (same(this.list[i]!, e)) return false;
      if (this.list.length === LINEAR_SCAN_LIMIT) {
        this.index = new Map();
        for (const s of this.list) this.file(s);
      }
    }
    if (this.index) this.file(e);
    this.list.push(e);
    return true;
  }

  private file(e: Expr): void {
    const key = bucketKey(e);
    const bucket = this.index!.get(key);
    if (bucket) bucket.push(e);
    else this.index!.set(key, [e]);
  }
}

function same(a: Expr, b: Expr): boolean {
  return a === b || (a.kind === 'pred' && b.kind === 'pred' && samePred(a, b));
}

/** Equal operands have equal bucket keys: a scalar value itself, else the field (or the node). */
function bucketKey(e: Expr): unknown {
  if (e.kind !== 'pred') return e;
  if (e.op === 'exists' || e.op === 'null') return e.field;
  const value: unknown = e.value;
  return typeof value === 'object' ? e.field : value;
}

/** Every predicate of an expression, in order. */
export function predicates(expr: Expr): Pred[] {
  const out: Pred[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'const':
        return;
      case 'pred':
        out.push(e);
        return;
      case 'not':
        walk(e.arg);
        return;
      case 'and':
      case 'or':
        for (const a of e.args) walk(a);
    }
  };
  walk(expr);
  return out;
}

/** Rewrites every predicate with `fn` (which may return any expression), rebuilding only the
 *  parts that changed. Pipelines use it to rename fields and transform values. */
export function mapPredicates(expr: Expr, fn: (p: Pred) => Expr): Expr {
  switch (expr.kind) {
    case 'const':
      return expr;
    case 'pred':
      return fn(expr);
    case 'not': {
      const arg = mapPredicates(expr.arg, fn);
      return arg === expr.arg ? expr : not(arg);
    }
    case 'and':
    case 'or':
      return mapArgs(expr, (a) => mapPredicates(a, fn));
  }
}

/** An and/or with `fn` applied to each operand: the node itself when every operand comes back
 *  unchanged (no copy is made until one differs; most subtrees of a rewrite are untouched). */
export function mapArgs(node: And | Or, fn: (e: Expr) => Expr): Expr {
  let args: Expr[] | undefined;
  for (let i = 0; i < node.args.length; i++) {
    const a = node.args[i]!;
    const r = fn(a);
    if (args === undefined) {
      if (r === a) continue;
      args = node.args.slice(0, i);
    }
    args.push(r);
  }
  if (args === undefined) return node;
  return node.kind === 'and' ? and(...args) : or(...args);
}
