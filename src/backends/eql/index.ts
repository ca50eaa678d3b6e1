// The Elasticsearch EQL target: the dialect table (dialect.ts), three-valued-logic guards, the query
// head (event category), and the values the output templates (templates/eql/*.hbs) lay out.
import { isRulecastError, RulecastError, warning, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { and, not, or, pred, TRUE } from '../../ir/build.js';
import { mapPredicates, simplify } from '../../ir/passes.js';
import type { Expr, Not, Pred } from '../../ir/types.js';
import { attackFromTags, attackVersion, techniquesUnder, techniquesWithoutTactic } from '../../output/attack.js';
import type { Branch, MappedQuery } from '../../pipelines/types.js';
import { guardNegatedNullables } from '../guards.js';
import { renderExpr } from '../render.js';
import { commentSafe } from '../../output/templates.js';
import { makeTarget, type RenderOptions } from '../target.js';
import type { Target } from '../types.js';
import { eqlDialect } from './dialect.js';
import { eqlString } from './strings.js';
import './transforms.js';

/** The field Elasticsearch reads event categories from (the EQL search API's default). */
export const CATEGORY_FIELD = 'event.category';

/**
 * Makes an expression exact under Elasticsearch's three-valued logic. A comparison on a missing
 * (or null) field is null there, and `not null` is null, so `selection and not filter` would drop
 * every event that lacks the filter's field, which Sigma keeps. Each nullable predicate under an odd
 * number of negations gets the guard `?f != null` (false exactly when the predicate would be null);
 * guards shared by the branches of an `or` are factored out, and a negated conjunction with guards
 * becomes `?f == null or not (…)`. Both rewrites are distributivity and De Morgan, which hold in
 * Kleene's logic, so the result means the same and reads like what an analyst would write.
 */
export function prepareExpr(expr: Expr): Expr {
  const plain = simplify(presenceForEmptyPatterns(expr));
  const guarded = simplify(guardNegatedNullables(plain, (p) => (p.field !== null && p.op !== 'null' && p.op !== 'exists' ? not(pred({ op: 'null', field: p.field })) : undefined)));
  return simplify(hoistGuards(guarded, true));
}

/** `contains ''` (a value `*`) is any value at all: written as a presence test, which needs no
 *  guard. Unchanged subtrees (nearly all) are returned as they are. */
function presenceForEmptyPatterns(e: Expr): Expr {
  return mapPredicates(e, (p) =>
    (p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith') && p.value === '' && p.field !== null ? not(pred({ op: 'null', field: p.field, span: p.span })) : p,
  );
}

function isGuard(e: Expr): e is Not {
  return e.kind === 'not' && e.arg.kind === 'pred' && e.arg.op === 'null';
}

/** Guards with the same key are the same condition (`?f != null`); the key distinguishes what
 *  irKey would (field and case flag) without building the predicate's whole key. */
function guardKey(g: Not): string {
  const p = g.arg as Pred;
  return `${p.cased ? 1 : 0}${p.field ?? '\u0001'}`;
}

function guardsOf(e: Expr): Not[] {
  if (isGuard(e)) return [e];
  if (e.kind === 'and') return e.args.filter(isGuard);
  return [];
}

/** guardsOf(e).length > 0, without building the list. */
function hasGuards(e: Expr): boolean {
  return isGuard(e) || (e.kind === 'and' && e.args.some(isGuard));
}

function withoutGuards(e: Expr, keys: ReadonlySet<string>): Expr {
  if (isGuard(e) && keys.has(guardKey(e))) return TRUE;
  if (e.kind === 'and') return and(...e.args.filter((a) => !(isGuard(a) && keys.has(guardKey(a)))));
  return e;
}

/** hoistGuards of each argument, or undefined when every one came back unchanged (most subtrees
 *  hold no guard, and allocating a copy of each node would dominate the pass). */
function hoistedArgs(args: readonly Expr[], simplified: boolean): Expr[] | undefined {
  let out: Expr[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const h = hoistGuards(a, simplified);
    if (out === undefined) {
      if (h === a) continue;
      out = args.slice(0, i);
    }
    out.push(h);
  }
  return out;
}

/**
 * Moves guards out to where they read well (see prepareExpr). `simplified`: the node is part of a
 * simplified tree (so are its descendants); the rewrites below build fresh nodes that are not.
 * Where nothing changes below a node and the node itself offers nothing to hoist, the node is
 * returned (simplified) rather than rebuilt: `simplify(n)` is what rebuilding it from the same
 * arguments and simplifying would give, and a simplified node is its own simplification.
 */
function hoistGuards(expr: Expr, simplified: boolean): Expr {
  switch (expr.kind) {
    case 'const':
    case 'pred':
      return expr;
    case 'and': {
      const args = hoistedArgs(expr.args, simplified);
      if (args === undefined) return simplified ? expr : simplify(expr);
      return simplify(and(...args));
    }
    case 'or': {
      const changed = hoistedArgs(expr.args, simplified);
      if (!(changed ?? expr.args).some(hasGuards)) {
        if (changed === undefined) return simplified ? expr : simplify(expr);
        return simplify(or(...changed));
      }
      return hoistOr(changed ?? [...expr.args]);
    }
    case 'not': {
      const arg = hoistGuards(expr.arg, simplified);
      // not (a or b), where the branches keep guards of their own: (not a) and (not b), each then
      // `?f == null or not …`.
      if (arg.kind === 'or' && arg.args.some(hasGuards)) return simplify(and(...arg.args.map((a) => hoistGuards(not(a), false))));
      if (!hasGuards(arg) || isGuard(arg)) {
        if (arg === expr.arg) return simplified ? expr : simplify(expr);
        return simplify(not(arg));
      }
      const guards = guardsOf(arg);
      const rest = arg.kind === 'and' ? arg.args.filter((a) => !isGuard(a)) : [];
      return simplify(or(...guards.map((g) => g.arg), ...(rest.length ? [not(and(...rest))] : [])));
    }
  }
}

/** An `or` whose (hoisted) branches carry guards. Guards shared by every branch come out in front
 *  of the `or`; branches that share the same guards are grouped under them (a or b) where the
 *  first of them stood. */
function hoistOr(args: readonly Expr[]): Expr {
  const sets = args.map((a) => new Set(guardsOf(a).map(guardKey)));
  const common = guardsOf(args[0]!).filter((g) => sets.every((s) => s.has(guardKey(g))));
  if (common.length > 0 && args.length > 1) {
    const keys = new Set(common.map(guardKey));
    return simplify(and(...common, hoistGuards(or(...args.map((a) => withoutGuards(a, keys))), false)));
  }
  const groups = new Map<string, Expr[]>();
  const order: (Expr | string)[] = [];
  args.forEach((a, i) => {
    const key = [...sets[i]!].sort().join('\u0000');
    if (key === '') return void order.push(a);
    const g = groups.get(key);
    if (g) g.push(a);
    else {
      groups.set(key, [a]);
      order.push(key);
    }
  });
  return simplify(
    or(
      ...order.map((x) => {
        if (typeof x !== 'string') return x;
        const members = groups.get(x)!;
        if (members.length === 1) return members[0]!;
        const guards = guardsOf(members[0]!);
        const keys = new Set(guards.map(guardKey));
        return and(...guards, or(...members.map((a) => withoutGuards(a, keys))));
      }),
    ),
  );
}

/** An event category as EQL writes it after `where`'s left side. */
function categoryHead(source: string | null): string {
  if (source === null || source === 'any') return 'any';
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(source) ? source : eqlString(source);
}

const rendered = new WeakMap<Expr, string>();

/** An expression in EQL; remembered per (immutable) node, since the union layout renders the
 *  branch a query has already rendered. */
export function renderEqlExpression(expr: Expr): string {
  let text = rendered.get(expr);
  if (text === undefined) {
    text = renderExpr(prepareExpr(expr), eqlDialect);
    rendered.set(expr, text);
  }
  return text;
}

/** Errors about the rule as a whole (a keyword) name the rule too. */
function inRule<T>(mapped: MappedQuery, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isRulecastError(err) && err.code === 'unsupported-keyword') {
      const d = err.diagnostic;
      throw new RulecastError(d.code, `rule '${mapped.query.meta.title}': ${d.message}`, d.span, d.notes);
    }
    throw err;
  }
}

function renderBranch(branch: Branch, mapped: MappedQuery, options: RenderOptions): string {
  const head = options.bare ? 'any' : categoryHead(branch.source);
  return inRule(mapped, () => `${head} where ${renderEqlExpression(branch.expr)}`);
}

/**
 * One query for all branches (a rule with several log sources is their union):
 * - one branch, or all with the same category and expression: that query;
 * - all with one category: `cat where (e1) or (e2)`;
 * - several categories: `any where (event.category == "process" and e1) or (…)`, a branch without
 *   a category (`any`) contributing its expression alone.
 */
export function unionQuery(branches: readonly Branch[], bare: boolean): string {
  const heads = branches.map((b) => (bare ? 'any' : categoryHead(b.source)));
  const uniqueHeads = [...new Set(heads)];
  if (uniqueHeads.length === 1) {
    return `${uniqueHeads[0]} where ${renderEqlExpression(or(...branches.map((b) => b.expr)))}`;
  }
  const parts = branches.map((b, i) => {
    const source = heads[i] === 'any' ? null : b.source!;
    return source === null ? b.expr : and(pred({ op: 'eq', field: CATEGORY_FIELD, value: source, cased: true }), b.expr);
  });
  return `any where ${renderEqlExpression(or(...parts))}`;
}

const severities: Record<string, { severity: string; risk: number }> = {
  informational: { severity: 'low', risk: 1 },
  low: { severity: 'low', risk: 21 },
  medium: { severity: 'medium', risk: 47 },
  high: { severity: 'high', risk: 73 },
  critical: { severity: 'critical', risk: 99 },
};

/** Elastic's `threat` array from the rule's ATT&CK tags: one entry per tactic, each with the rule's
 *  techniques that ATT&CK lists under that tactic (src/output/attack.ts: Sigma tags do not pair
 *  them, so T1027 goes under Stealth, never under a Command and Control the rule also names). A
 *  technique paired with none of the rule's tactics cannot be listed, since every entry needs a
 *  tactic: it is left out, and `warn` says so. The technique name is its id: rulecast carries no
 *  ATT&CK technique catalogue. */
export function elasticThreat(tags: readonly string[], warn?: (warning: Diagnostic) => void): unknown[] {
  const attack = attackFromTags(tags);
  if (warn) {
    for (const t of techniquesWithoutTactic(attack)) {
      const why = t.tactics.length
        ? `ATT&CK ${attackVersion} lists it under ${t.tactics.map((x) => x.name).join(', ')}, which the rule's tags do not name`
        : `the ATT&CK ${attackVersion} table rulecast carries does not know it`;
      const tactics = attack.tactics.length ? `the rule's tactics: ${attack.tactics.map((x) => x.name).join(', ')}` : 'the rule names no tactic';
      warn(warning('attack-technique-without-tactic', `technique ${t.id} is left out of the Elastic rule's threat array, which lists a technique only under a tactic: ${why} (${tactics})`));
    }
  }
  return attack.tactics.map((tactic) => {
    const techniques = new Map<string, string[]>();
    for (const t of techniquesUnder(attack, tactic)) {
      const subs = techniques.get(t.technique) ?? [];
      if (t.subtechnique && !subs.includes(t.subtechnique)) subs.push(t.subtechnique);
      techniques.set(t.technique, subs);
    }
    return {
      framework: 'MITRE ATT&CK',
      tactic: { id: tactic.id, name: tactic.name, reference: `https://attack.mitre.org/tactics/${tactic.id}/` },
      technique: [...techniques].map(([id, subs]) => ({
        id,
        name: id,
        reference: `https://attack.mitre.org/techniques/${id}/`,
        ...(subs.length
          ? { subtechnique: subs.map((s) => ({ id: s, name: s, reference: `https://attack.mitre.org/techniques/${s.replace('.', '/')}/` })) }
          : {}),
      })),
    };
  });
}

const DEFAULT_INDEX = ['logs-*'];

export const eqlTarget: Target = makeTarget({
  name: 'eql',
  description: 'Elasticsearch Event Query Language',
  extension: '.eql',
  defaultPipeline: 'ecs-windows',
  renderBranch,
  context(mapped, _bodies, options) {
    const q = mapped.query;
    const level = q.meta.level ? severities[q.meta.level.toLowerCase()] : undefined;
    // The indexes named by the layout and the branches' layouts, each once, in order.
    const indexes = new Set<string>();
    const addIndexes = (x: unknown): void => {
      if (Array.isArray(x)) for (const i of x) indexes.add(String(i));
      else if (x !== undefined) indexes.add(String(x));
    };
    addIndexes(mapped.layout.index);
    for (const b of mapped.branches) addIndexes(b.layout.index);
    const index = indexes.size ? [...indexes] : DEFAULT_INDEX;
    const eql = inRule(mapped, () => unionQuery(mapped.branches, options.bare));
    // A tuned query names its exclusions in `//` comments (the EQL lexer skips them).
    const tuned = (q.exclusions ?? []).length
      ? `// tuned: the detection without the events of ${q.exclusions!.length} exclusion(s):\n${q.exclusions!.map((e) => `//   - ${commentSafe(e.name, 'line')}\n`).join('')}`
      : '';
    return {
      eql,
      eqlWithComments: `${tuned}${eql}`,
      index,
      severity: level?.severity ?? 'medium',
      riskScore: level?.risk ?? 47,
      threat: elasticThreat(q.meta.tags, options.format === 'elastic-rule' ? options.warn : undefined),
      from: q.lookback ? `now-${q.lookback.count}${q.lookback.unit}` : String(mapped.layout.from ?? 'now-6m'),
      interval: String(mapped.layout.interval ?? '5m'),
    };
  },
});
