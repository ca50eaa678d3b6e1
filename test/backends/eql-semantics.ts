// Semantics of the EQL backend: the IR evaluator (Sigma's meaning, src/ir/evaluate.ts) and the
// reference EQL evaluator (Elasticsearch's meaning, test/support/eql-evaluator.ts) must give the
// same verdict on every event, for the golden cases and a sample of the corpus, with -p none (field
// names as written) and with the default pipeline (the mapped IR against the mapped query).
//
// Events are derived from each rule's predicates: for a wanted outcome of the whole condition the
// generator walks the tree (and: all / one, or: one / all, not: the opposite) and gives each
// predicate's field a value that makes it true (a matching value, in a random case where case does
// not matter) or false (the field missing, a near miss, a case variant of a cased value). Missing
// fields under `not` are the three-valued trap. The EQL evaluator runs in both of its readings of
// Elasticsearch's null handling ('kleene' and 'lucene'); the backend's guards make them agree.
//
// This module holds the generator and the comparison; eql-semantics.test.ts runs them on the
// golden cases, eql-semantics.corpus.test.ts (corpus suite) on the public corpus.
import { evaluate } from '../../src/index.js';
import type { CompiledDocument } from '../../src/index.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';
import { renderEqlExpression } from '../support/render.js';
import { parseSigmaRegex, type Node } from '../../src/backends/eql/regex.js';
import { visit, type Expr, type Pred } from '../../src/ir/types.js';
import { predicates } from '../../src/ir/passes.js';
import { parseCidr } from '../../src/ir/ip.js';
import { parseEql } from '../checkers/eql.js';
import { evaluateEql } from '../support/eql-evaluator.js';
import { seededRandom as rng } from '../support/random.js';

export type Event = Record<string, unknown>;


export class Generator {
  /** Fields compared with a network (`cidr`): Elasticsearch keeps them in ip fields, which cannot
   *  hold anything but an address (such a document is rejected, or the value is not indexed), so
   *  the generated events give them addresses only, or nothing. */
  private ipFields = new Set<string>();
  /** Fields given a value while building the current event. */
  private assigned = new Set<string>();

  constructor(private readonly random: () => number) {}

  typeFields(expr: Expr): void {
    this.ipFields = new Set(predicates(expr).filter((p) => p.op === 'cidr' && p.field !== null).map((p) => p.field!));
    // An Elasticsearch field has one type: a field the rule compares as a number holds numbers
    // (a document with text there is rejected at index time, or the value dropped as malformed).
    this.numericFields = new Set(predicates(expr).filter((p) => p.field !== null && (['lt', 'lte', 'gt', 'gte'].includes(p.op) || (p.op === 'eq' && typeof p.value === 'number'))).map((p) => p.field!));
  }

  private numericFields = new Set<string>();

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** The text in a random mix of cases (only where the comparison ignores case). */
  recase(text: string, cased: boolean): string {
    if (cased) return text;
    const mode = this.pick(['as-is', 'upper', 'lower', 'mixed'] as const);
    if (mode === 'upper') return text.toUpperCase().length === text.length ? text.toUpperCase() : text;
    if (mode === 'lower') return text.toLowerCase().length === text.length ? text.toLowerCase() : text;
    if (mode === 'mixed') return [...text].map((c) => (this.chance(0.5) && c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join('');
    return text;
  }

  filler(): string {
    return this.pick(['', 'x', 'Zq 1', '\\', '\n', 'é', '*?']);
  }

  /** A string the regex tree matches (where it can tell), before the unanchored search's context. */
  fromRegex(node: Node, depth = 0): string {
    switch (node.t) {
      case 'empty':
      case 'start':
      case 'end':
        return '';
      case 'char':
        return String.fromCodePoint(node.cp);
      case 'class': {
        if (node.negated) {
          const candidates = ['x', 'Q', '7', ' ', '_', '"', '\\', 'é'].filter((c) => !node.ranges.some(([lo, hi]) => c.codePointAt(0)! >= lo && c.codePointAt(0)! <= hi));
          return candidates.length ? this.pick(candidates) : 'x';
        }
        const [lo, hi] = this.pick(node.ranges);
        return String.fromCodePoint(lo + Math.floor(this.random() * Math.min(hi - lo + 1, 50)));
      }
      case 'any':
        return this.pick(['a', 'Z', '5', ' ']);
      case 'anystar':
        return this.filler();
      case 'seq':
        return node.items.map((n) => this.fromRegex(n, depth + 1)).join('');
      case 'alt':
        return this.fromRegex(this.pick(node.items), depth + 1);
      case 'group':
        return this.fromRegex(node.item, depth + 1);
      case 'repeat': {
        const max = node.max ?? node.min + 2;
        const n = depth > 6 ? node.min : node.min + Math.floor(this.random() * (Math.min(max, node.min + 3) - node.min + 1));
        let s = '';
        for (let i = 0; i < n; i++) s += this.fromRegex(node.item, depth + 1);
        return s;
      }
    }
  }

  /** A value making the predicate true. */
  matching(p: Pred): unknown {
    switch (p.op) {
      case 'eq':
        if (typeof p.value === 'string') return this.recase(p.value, p.cased);
        if (typeof p.value === 'boolean') return p.value;
        return p.value;
      case 'contains':
        return this.filler() + this.recase(p.value, p.cased) + this.filler();
      case 'startswith':
        return this.recase(p.value, p.cased) + this.filler();
      case 'endswith':
        return this.filler() + this.recase(p.value, p.cased);
      case 'wildcard':
        return p.value.parts.map((x) => (typeof x === 'string' ? this.recase(x, p.cased) : x.wildcard === '*' ? this.filler() : this.pick(['a', 'Z', '\n', '*']))).join('');
      case 'has':
        return `${this.pick(['', 'x '])}${this.recase(p.value, p.cased)}${this.pick(['', ' y'])}`;
      case 're': {
        try {
          const { node, flags } = parseSigmaRegex(p.value.pattern, { i: !p.cased, m: p.value.flags.m, s: p.value.flags.s });
          const core = this.recase(this.fromRegex(node), !flags.i);
          return this.pick(['', 'ab ']) + core + this.pick(['', ' cd']);
        } catch {
          return 'x';
        }
      }
      case 'cidr': {
        const net = parseCidr(p.value.network);
        if (!net) return '10.0.0.1';
        if (p.value.family === 4) return p.value.network.split('/')[0];
        return p.value.network.split('/')[0]!.replace(/::$/, '::1');
      }
      case 'lt':
        return p.value - 1;
      case 'lte':
        return p.value;
      case 'gt':
        return p.value + 1;
      case 'gte':
        return p.value;
      case 'exists':
        return this.pick(['x', '']);
      case 'null':
        return undefined;
      case 'fieldref':
        return 'x';
    }
  }

  /** A value (or undefined = missing) meant to make the predicate false. */
  failing(p: Pred): unknown {
    const choice = this.pick(['missing', 'near', 'case', 'other'] as const);
    if (p.op === 'null') return this.pick(['x', '', 0]);
    if (p.op === 'exists' || choice === 'missing') return undefined;
    const m = this.matching(p);
    if (typeof m === 'number') return choice === 'near' ? m + 1000 : -m - 7;
    if (typeof m === 'boolean') return !m;
    if (typeof m !== 'string') return undefined;
    if (choice === 'near') return m.length > 1 ? m.slice(0, -1) : `${m}_`;
    if (choice === 'case') return m === m.toUpperCase() ? m.toLowerCase() : m.toUpperCase();
    return this.pick(['unrelated', '', 'C:\\Windows\\System32\\svchost.exe', '255.255.255.255']);
  }

  /** Sets fields so that expr tends to evaluate to `want` (later choices may undo earlier ones). */
  drive(expr: Expr, want: boolean, event: Event): void {
    visit<void>(expr, {
      const: () => {},
      not: (n) => this.drive(n.arg, !want, event),
      and: (n) => {
        if (want) n.args.forEach((a) => this.drive(a, true, event));
        else this.drive(this.pick(n.args), false, event);
      },
      or: (n) => {
        if (want) this.drive(this.pick(n.args), true, event);
        else n.args.forEach((a) => this.drive(a, false, event));
      },
      pred: (p) => {
        if (p.field === null) return;
        let v = want ? this.matching(p) : this.failing(p);
        // Several conditions on one field that must all hold (`|contains|all`): combine the texts.
        const prev = event[p.field];
        if (want && this.assigned.has(p.field) && typeof prev === 'string' && typeof v === 'string') {
          if (p.op === 'contains' || p.op === 'endswith' || p.op === 're') v = prev + v;
          else if (p.op === 'startswith') v = v + prev;
        }
        this.assigned.add(p.field);
        if (this.ipFields.has(p.field) && v !== undefined && (typeof v !== 'string' || !parseCidr(`${v}/0`))) v = this.pick([undefined, '203.0.113.7', '2001:db8::7']);
        if (this.numericFields.has(p.field) && v !== undefined && typeof v !== 'number') v = /^-?\d+$/.test(String(v)) ? Number(v) : this.pick([undefined, 77, 1001, 4]);
        if (v === undefined) delete event[p.field];
        else event[p.field] = v;
      },
    });
  }

  events(expr: Expr, count: number): Event[] {
    this.typeFields(expr);
    const out: Event[] = [];
    for (let i = 0; i < count; i++) {
      const event: Event = {};
      this.assigned = new Set();
      this.drive(expr, i % 3 !== 2, event);
      if (i % 5 === 4) this.drive(expr, this.chance(0.5), event); // a second pass mixes the outcomes
      out.push(event);
    }
    return out;
  }
}

export interface Disagreement {
  readonly event: Event;
  readonly sigma: boolean;
  readonly eql: boolean;
  readonly mode: string;
}

/** How many generated events each verdict had, over all comparisons (so that the tests can tell
 *  they saw both matching and non-matching events). */
export const seen = { queries: 0, withBoth: 0 };

/** Compares the verdicts on generated events; returns the first disagreement. */
export function compare(expr: Expr, query: string, seed: number, count: number): Disagreement | undefined {
  const parsed = parseEql(query);
  const gen = new Generator(rng(seed));
  let positives = 0;
  let negatives = 0;
  for (const event of gen.events(expr, count)) {
    const sigma = evaluate(expr, event);
    if (sigma) positives++;
    else negatives++;
    for (const mode of ['kleene', 'lucene'] as const) {
      const verdict = evaluateEql(parsed, event, { ignoreCategory: true, logic: mode });
      if (verdict !== sigma) return { event, sigma, eql: verdict, mode };
    }
  }
  seen.queries++;
  if (positives > 0 && negatives > 0) seen.withBoth++;
  return undefined;
}

export function show(d: Disagreement, query: string): string {
  return `Sigma says ${d.sigma}, EQL (${d.mode}) says ${d.eql} for ${JSON.stringify(d.event)}\nquery: ${query}`;
}

/** The rule's IR and its EQL query with -p none; undefined when the backend refuses the rule. */
export function bare(doc: CompiledDocument): { expr: Expr; query: string } | undefined {
  try {
    const expr = doc.query!.expr;
    return { expr, query: `any where ${renderEqlExpression(expr)}` };
  } catch (err) {
    if (isRulecastError(err)) return undefined;
    throw err;
  }
}

/** Every branch of the rule through its ECS pipeline (ecs-linux for Linux rules, else the default
 *  ecs-windows): the mapped IR (the pipeline's added
 *  conditions included) and its query. */
export function mapped(doc: CompiledDocument): { expr: Expr; query: string }[] {
  try {
    const pipeline = doc.query!.logsources[0]?.product === 'linux' ? 'ecs-linux' : 'ecs-windows';
    return applyPipelines(doc.query!, [getBuiltinPipeline(pipeline)]).branches.map((b) => ({ expr: b.expr, query: `any where ${renderEqlExpression(b.expr)}` }));
  } catch (err) {
    if (isRulecastError(err)) return [];
    throw err;
  }
}
