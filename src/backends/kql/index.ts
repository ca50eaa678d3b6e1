// The KQL target: Microsoft Defender XDR advanced hunting and Microsoft Sentinel. A dialect table
// (dialect.ts) renders each branch's expression; branches on the same table are merged; the
// Handlebars templates under templates/kql/ lay out the query (table, union, lookback, projection)
// and the output formats (Sentinel hunting query and analytics rule YAML, Defender custom detection
// JSON).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, not, or, pred } from '../../ir/build.js';
import { irKey } from '../../ir/dump.js';
import { simplify } from '../../ir/passes.js';
import { durationSeconds, type RuleQuery } from '../../ir/query.js';
import { visit, type Expr } from '../../ir/types.js';
import { renderTemplate } from '../../output/templates.js';
import type { Branch, MappedQuery } from '../../pipelines/types.js';
import { guardNegatedNullables } from '../guards.js';
import { renderExpr, type Dialect } from '../render.js';
import { baseContext, makeTarget, type RenderOptions } from '../target.js';
import type { Target } from '../types.js';
import { kqlDialect, nullable, type KqlContext } from './dialect.js';
import { kqlName } from './literal.js';
import { tableSchemas, type TableSchema } from './schema.js';
import './transforms.js';

/** Field name a pipeline gives to a field that never exists in a source (transform `absent`):
 *  nothing to project. */
export const ABSENT_FIELD = '~absent';

function schemaFor(mapped: MappedQuery, source: string | null, bare: boolean): TableSchema | undefined {
  if (bare || source === null) return undefined;
  const schemas = tableSchemas(mapped.layout);
  if (schemas.size === 0) return undefined;
  const schema = schemas.get(source);
  if (!schema) {
    throw new RulecastError('invalid-pipeline', `pipeline ${mapped.pipelines.join(', ')} declares table schemas but none for ${source}`, mapped.query.span);
  }
  return schema;
}

/** Longest and/or chain written flat. Kusto parses `a or b or …` as a left-deep tree, and its
 *  analyzer gives up on trees deeper than a few hundred levels (KS245): longer chains are written
 *  as parenthesised groups of this many operands (the corpus has rules with 1,000+ values). */
const maxChain = 64;

function chunkChains(expr: Expr, ctx: KqlContext, dialect: Dialect): Expr {
  return visit<Expr>(expr, {
    const: (n) => n,
    pred: (n) => n,
    not: (n) => {
      const arg = chunkChains(n.arg, ctx, dialect);
      return arg === n.arg ? n : not(arg);
    },
    and: (n) => chunk('and', n.args.map((a) => chunkChains(a, ctx, dialect)), ctx, dialect),
    or: (n) => chunk('or', n.args.map((a) => chunkChains(a, ctx, dialect)), ctx, dialect),
  });
}

function chunk(kind: 'and' | 'or', args: Expr[], ctx: KqlContext, dialect: Dialect): Expr {
  const make = kind === 'and' ? and : or;
  while (args.length > maxChain) {
    const groups: Expr[] = [];
    for (let i = 0; i < args.length; i += maxChain) {
      const group = make(...args.slice(i, i + maxChain));
      const placeholder = pred({ op: 'exists', field: '~group' });
      ctx.raw.set(placeholder, group.kind === 'pred' ? renderExpr(group, dialect) : `(${renderExpr(group, dialect)})`);
      groups.push(placeholder);
    }
    args = groups;
  }
  return make(...args);
}

/** Renders one expression for one table: null guards under negation, then the dialect. With
 *  `computedRefs`, computed columns are written by name and collected there (see KqlContext). */
export function renderKql(expr: Expr, mapped: MappedQuery, source: string | null, bare: boolean, computedRefs?: Set<string>): string {
  const ctx: KqlContext = {
    schema: schemaFor(mapped, source, bare),
    source,
    pipelines: mapped.pipelines,
    guards: new WeakMap(),
    noList: new WeakSet(),
    raw: new WeakMap(),
    computedRefs,
  };
  const guarded = guardNegatedNullables(expr, (p) => {
    if (p.op === 'eq') ctx.noList.add(p);
    if (!nullable(p)) return undefined;
    const g = pred({ op: 'exists', field: p.field, span: p.span });
    ctx.guards.set(g, p);
    return g;
  });
  const dialect = kqlDialect(ctx);
  return renderExpr(chunkChains(guarded, ctx, dialect), dialect);
}

/** or(e1, e2, …) with the conjuncts every ei shares taken out: branches of one table that differ
 *  only in their log source's condition (file_event, file_delete… on DeviceFileEvents) become
 *  `ActionType in~ (…) and <detection>`. */
export function mergeBranches(exprs: readonly Expr[]): Expr {
  if (exprs.length === 1) return exprs[0]!;
  const conjuncts = exprs.map((e) => (e.kind === 'and' ? e.args : [e]));
  const keys = conjuncts.map((list) => new Set(list.map(irKey)));
  const common = conjuncts[0]!.filter((c) => keys.every((k) => k.has(irKey(c))));
  const commonKeys = new Set(common.map(irKey));
  const residuals = conjuncts.map((list) => and(...list.filter((c) => !commonKeys.has(irKey(c)))));
  return simplify(and(or(...residuals), ...common));
}

/** Each branch's rendering for the layout, from renderBranch (branches are made per conversion). */
const branchRenders = new WeakMap<Branch, { readonly text: string; readonly computed: ReadonlySet<string> }>();

interface Part {
  readonly source: string | null;
  readonly sourceText: string | null;
  readonly body: string;
  readonly fields: readonly string[];
  /** Computed columns the condition uses, in order of first use. */
  readonly computed: ReadonlySet<string>;
}

function parts(mapped: MappedQuery, bodies: readonly string[], bare: boolean): Part[] {
  if (bare) return [{ source: null, sourceText: null, body: bodies[0]!, fields: mapped.query.fields, computed: new Set() }];
  const order: (string | null)[] = [];
  const groups = new Map<string | null, number[]>();
  mapped.branches.forEach((b, i) => {
    if (!groups.has(b.source)) {
      groups.set(b.source, []);
      order.push(b.source);
    }
    groups.get(b.source)!.push(i);
  });
  return order.map((source) => {
    const idx = groups.get(source)!;
    // A table with one branch has been rendered already (renderBranch below).
    const once = idx.length === 1 ? branchRenders.get(mapped.branches[idx[0]!]!) : undefined;
    let body = once?.text;
    let computed = once?.computed;
    if (body === undefined || computed === undefined) {
      const refs = new Set<string>();
      body = renderKql(mergeBranches(idx.map((i) => mapped.branches[i]!.expr)), mapped, source, bare, refs);
      computed = refs;
    }
    // Branches of one table share its field names.
    const fields = mapped.branches[idx[0]!]!.fields;
    return { source, sourceText: source === null ? null : kqlName(source), body, fields, computed };
  });
}

/**
 * The projection: each rule field as the tables name it. A field only some tables of a union have
 * is projected from those (Kusto's union fills the column with empty values elsewhere); a field no
 * table has is an error. A computed column is added to its table's rows first (`| extend Name =
 * expression`, inside each table's subquery of a union, since the expression differs per table).
 */
function projection(mapped: MappedQuery, ps: readonly Part[], bare: boolean, query: RuleQuery): { project: string[]; extend: string[][] } {
  const project: string[] = [];
  const needed = ps.map((p) => new Set(p.computed));
  const seen = new Set<string>();
  const schemas = ps.map((p) => schemaFor(mapped, p.source, bare));
  const has = (i: number, name: string) => name === ABSENT_FIELD || !schemas[i] || schemas[i]!.columns.has(name) || schemas[i]!.computed.has(name);
  // Each rule field maps to one name per table (unless a field map gives several targets).
  const positional = ps.every((p) => p.fields.length === query.fields.length);
  if (positional) {
    query.fields.forEach((field, k) => {
      if (!ps.some((_, i) => has(i, ps[i]!.fields[k]!))) {
        throw new RulecastError('unknown-column', `field '${field}' of the rule's 'fields' is a column of none of ${ps.map((p) => p.source).join(', ')}`, query.span);
      }
    });
  }
  ps.forEach((part, i) => {
    for (const f of part.fields) {
      if (f === ABSENT_FIELD) continue;
      if (!has(i, f)) {
        if (positional) continue; // another table provides it (checked above)
        throw new RulecastError('unknown-column', `field '${f}' of the rule's 'fields' is not a column of ${part.source}`, query.span);
      }
      if (schemas[i]?.computed.has(f)) needed[i]!.add(f);
      if (seen.has(f)) continue;
      seen.add(f);
      project.push(kqlName(f));
    }
  });
  const extend = needed.map((names, i) => [...names].map((n) => `${kqlName(n)} = ${schemas[i]!.computed.get(n)!.kql}`));
  return { project, extend };
}

const severities: Record<string, string> = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'High' };

/** A stable UUID-shaped id from a text (for rules without an id; Sentinel needs one). */
function derivedId(text: string): string {
  let h = [0x811c9dc5, 0x01000193, 0x2f1a3b4c, 0x9e3779b9];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h = h.map((x, j) => Math.imul(x ^ (c + j), 0x01000193) >>> 0);
  }
  const hex = h.map((x) => x.toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A YAML literal block scalar (`|`, `|-`, `|+` and the text indented by two) when the text can be
 *  one: printable characters only, no tab or carriage return, first line not starting with a space.
 *  Otherwise undefined (the template falls back to a double-quoted scalar, which holds anything). */
export function yamlBlock(text: string): string | undefined {
  if (text === '' || /[^\n\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(text) || /[\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
  if (/^[ \n]/.test(text)) return undefined;
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = text.slice(0, text.length - trailing);
  if (body.split('\n').some((line) => /\s$/.test(line))) return undefined;
  return `|${chomp}\n${(body + '\n'.repeat(trailing)).replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `  ${l}`)).join('\n')}`;
}

/** Sentinel's ISO-8601-like period text (`1h`, `7d`, `30m`) for a number of seconds. */
function period(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  return `${Math.ceil(seconds / 60)}m`;
}

function context(mapped: MappedQuery, bodies: readonly string[], options: RenderOptions): Record<string, unknown> {
  const bare = options.bare;
  const q = mapped.query;
  const ps = parts(mapped, bodies, bare);
  const layout = mapped.layout as Record<string, unknown>;
  const time = typeof layout.time === 'string' ? kqlName(layout.time) : null;
  const { project, extend } = projection(mapped, ps, bare, q);
  const withExtends = ps.map((p, i) => ({ ...p, extend: extend[i]! }));
  const anyExtend = extend.some((e) => e.length > 0);
  const sources = ps.map((p) => p.sourceText).filter((s): s is string => s !== null);
  const single = ps.length === 1 && ps[0]!.source !== null ? ps[0] : null;
  const sameBody = ps.length > 1 && !anyExtend && ps.every((p) => p.body === ps[0]!.body);
  const lookback = !bare && q.lookback && time ? { text: `${q.lookback.count}${q.lookback.unit}` } : null;

  const own = {
    time,
    parts: withExtends,
    single: single ? withExtends[0] : null,
    union: ps.length > 1,
    sameBody,
    body: sameBody || single ? ps[0]!.body : null,
    hasSource: sources.length > 0,
    kqlSources: sources,
    project,
    kqlLookback: lookback,
  };
  // The default format is this context rendered by kql/default itself; the rule formats embed the
  // query, so only they render it here.
  if (options.format === 'default') return own;
  const base = baseContext('kql', 'default', mapped, bodies, bare);
  const kql = renderTemplate('kql/default', { ...base, ...own }).replace(/\n+$/, '');

  // Metadata for the rule formats.
  const connectorsLayout = (layout.connectors ?? {}) as Record<string, unknown>;
  const connectors: { connectorId: string; dataTypes: string[] }[] = [];
  for (const p of ps) {
    if (p.source === null) continue;
    const id = connectorsLayout[p.source];
    if (typeof id !== 'string') continue;
    const entry = connectors.find((c) => c.connectorId === id) ?? connectors[connectors.push({ connectorId: id, dataTypes: [] }) - 1]!;
    if (!entry.dataTypes.includes(p.source)) entry.dataTypes.push(p.source);
  }
  const lookbackSeconds = q.lookback ? durationSeconds(q.lookback) : 0;
  // Defender custom detections need Timestamp, DeviceId and ReportId in the results (the impacted
  // device and the event); with a projection they are added to it.
  const defenderColumns = ['Timestamp', 'DeviceId', 'ReportId'];
  const defenderReady = !bare && ps.every((p) => {
    const schema = schemaFor(mapped, p.source, bare);
    return schema !== undefined && defenderColumns.every((c) => schema.columns.has(c));
  });
  const defenderProject = project.length ? [...project, ...defenderColumns.filter((c) => !project.includes(c))] : project;
  const defenderKql = defenderReady && options.format === 'defender-rule' ? renderTemplate('kql/default', { ...base, ...own, project: defenderProject }).replace(/\n+$/, '') : null;
  const attack = base.attack as { tactics: { sentinel: string }[]; techniques: { id: string }[] };
  const level = q.meta.level ?? 'medium';
  return {
    ...own,
    kql,
    id: q.meta.id ?? derivedId(q.meta.title),
    description: q.meta.description ?? q.meta.title,
    descriptionBlock: yamlBlock(q.meta.description ?? q.meta.title) ?? null,
    connectors,
    severity: severities[level] ?? 'Medium',
    defenderSeverity: (severities[level] ?? 'Medium').toLowerCase(),
    queryPeriod: period(Math.max(3600, lookbackSeconds)),
    queryPeriodTooLong: lookbackSeconds > 14 * 86_400,
    queryFrequency: '1h',
    defenderKql,
    defenderReady,
    defenderCategory: attack.tactics[0]?.sentinel ?? 'SuspiciousActivity',
    techniqueIds: attack.techniques.map((t) => t.id),
  };
}

export const kqlTarget: Target = makeTarget({
  name: 'kql',
  description: 'Kusto Query Language: Microsoft Defender XDR advanced hunting and Microsoft Sentinel',
  extension: '.kql',
  defaultPipeline: 'defender-xdr',
  renderBranch(branch, mapped, options) {
    // Rendered as the layout needs it (computed columns by name, collected), and kept for the
    // layout; the branch's own body writes computed columns inline, which only differs when the
    // expression uses one.
    const computed = new Set<string>();
    const text = renderKql(branch.expr, mapped, branch.source, options.bare, computed);
    branchRenders.set(branch, { text, computed });
    return computed.size === 0 ? text : renderKql(branch.expr, mapped, branch.source, options.bare);
  },
  context,
});
