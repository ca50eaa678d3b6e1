// KQL syntax tree → IR, for detection-style queries: `let` bindings of scalars and lists, a table
// or a union of tables, `where` filters, an `ago()` lookback and a `project`. Everything else is
// refused with an error naming the construct and its place; nothing is translated partially.
//
// Kusto's semantics are kept exactly:
// - `==`, `!=`, `in`, `!in`, `*_cs` are case-sensitive (`cased: true`); `=~`, `!~`, `in~`,
//   `contains`, `startswith`, `endswith`, `has` are not;
// - `has` is a term match (IR `has`), never widened to `contains`;
// - `matches regex` is an unanchored, case-sensitive RE2 search (IR `re`, cased);
// - a string column is never null in Kusto: a missing value reads as "". So a string predicate
//   that holds on "" (`F == ""`, `F !contains "x"`, `F matches regex "^$"`) also holds where the
//   event lacks the field;
// - numeric and boolean comparisons are three-valued: on a null value the comparison is null, and
//   `not(null)` is null too, so `where` drops the row under any number of negations.
// Each boolean expression is lowered to the pair (when it is true, when it is false); `not` swaps
// them. For a two-valued predicate "false" is simply its negation; for a comparison that can be
// null, "false" also requires the field to be present.
import { RulecastError } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import { and, FALSE, not, or, pred, TRUE, type PredInit } from '../ir/build.js';
import { evaluate } from '../ir/evaluate.js';
import { RE2JS } from 're2js';
import { simplify } from '../ir/passes.js';
import type { Duration } from '../ir/query.js';
import type { Expr, Pred } from '../ir/types.js';
import { embeddedSpan, type EmbeddedText } from '../parse/embedded.js';
import type { KqlDynamic, KqlExpr, KqlOperator, KqlPipeline, KqlScript, KqlStatement } from '../parse/kql.js';

/** A construct rulecast does not translate, named for error messages and corpus statistics. */
export class KqlUnsupportedError extends RulecastError {
  constructor(
    /** Short name of the construct, e.g. `summarize`, `tolower()`, `join`. */
    readonly construct: string,
    message: string,
    where: Span,
    notes?: readonly string[],
  ) {
    super('kql-unsupported', message, where, notes);
  }
}

export interface KqlTable {
  readonly name: string;
  readonly span: Span;
}

/** The meaning of an imported query, in the query's own tables and columns. */
export interface KqlQuery {
  /** The tables read (several = union). */
  readonly tables: readonly KqlTable[];
  /** The detection: rows of these tables for which it holds. */
  readonly expr: Expr;
  /** `Timestamp > ago(7d)` (or TimeGenerated): only rows newer than this. */
  readonly lookback?: Duration | undefined;
  /** The time column the lookback was written on. */
  readonly timeColumn?: string | undefined;
  /** The `project`ed columns, in order (empty: all columns). */
  readonly fields: readonly string[];
  /** The query statement, for errors about the whole query. */
  readonly span: Span;
}

/** Columns a lookback may be written on. */
export const timeColumns = ['Timestamp', 'TimeGenerated'] as const;

type Binding =
  | { readonly kind: 'scalar'; readonly value: string | number | boolean; readonly span: Span }
  | { readonly kind: 'timespan'; readonly duration: Duration; readonly span: Span }
  /** `let since = ago(7d)`: a point in time, usable in a lookback. */
  | { readonly kind: 'ago'; readonly duration: Duration; readonly span: Span }
  | { readonly kind: 'list'; readonly values: readonly (string | number | boolean)[]; readonly span: Span };

/** A boolean expression as the pair (rows where it is true, rows where it is false). */
interface Tf {
  readonly t: Expr;
  readonly f: Expr;
}

const importNote = 'rulecast imports detection queries: let bindings of scalars and lists, a table or a union of tables, where filters, an ago() time filter and project';

export interface KqlLowerOptions {
  /** Column types of a table (Kusto type names: string, long, int, real, bool, datetime…), when
   *  known. Used only where the meaning depends on the type: isnull()/isnotnull(). */
  readonly columnTypes?: ((table: string) => Readonly<Record<string, string>> | undefined) | undefined;
}

export function lowerKql(script: KqlScript, embedded: EmbeddedText, options: KqlLowerOptions = {}): KqlQuery {
  return new KqlLowering(embedded, options).script(script);
}

class KqlLowering {
  private readonly lets = new Map<string, Binding>();
  private tables: readonly KqlTable[] = [];
  private lookback: { duration: Duration; column: string } | undefined;
  /** Columns available after a `project` (undefined: all). */
  private projected: Set<string> | undefined;

  constructor(
    private readonly embedded: EmbeddedText,
    private readonly options: KqlLowerOptions,
  ) {}

  /** The column's type in every table of the query, when all agree and all are known. */
  private columnType(column: string): string | undefined {
    let type: string | undefined;
    for (const t of this.tables) {
      const columns = this.options.columnTypes?.(t.name);
      const ct = columns && Object.prototype.hasOwnProperty.call(columns, column) ? columns[column] : undefined;
      if (ct === undefined || (type !== undefined && ct !== type)) return undefined;
      type = ct;
    }
    return type;
  }

  private span(node: { start: number; end: number }): Span {
    return embeddedSpan(this.embedded, node.start, node.end);
  }

  private unsupported(construct: string, message: string, node: { start: number; end: number }, notes: readonly string[] = [importNote]): never {
    throw new KqlUnsupportedError(construct, message, this.span(node), notes);
  }

  script(script: KqlScript): KqlQuery {
    let query: Extract<KqlStatement, { kind: 'query' }> | undefined;
    for (const st of script.statements) {
      if (st.kind === 'other-statement') this.unsupported(`${st.keyword} statement`, `the '${st.keyword}' statement is not supported`, st);
      if (query) this.unsupported('several query statements', 'a second query statement follows the first; rulecast imports one query (one tabular expression) per query text', st);
      if (st.kind === 'let') this.let(st);
      else query = st;
    }
    if (!query) {
      const at = script.statements.length ? script.statements[script.statements.length - 1]! : { start: this.embedded.text.length, end: this.embedded.text.length };
      throw new RulecastError('kql-no-query', 'the text has no query statement (only let bindings or nothing at all)', this.span(at));
    }
    return this.pipeline(query.pipeline, query);
  }

  private let(st: Extract<KqlStatement, { kind: 'let' }>): void {
    const v = st.value;
    if (v.kind === 'function') this.unsupported('user function', `let ${st.name} defines a function, which rulecast does not import`, v);
    const p = v.pipeline;
    if (p.ops.length > 0 || p.head.kind === 'union' || p.head.kind === 'other-source') {
      this.unsupported('tabular let', `let ${st.name} binds a tabular expression; rulecast imports let bindings of scalars and lists only`, v);
    }
    const e = p.head as KqlExpr;
    this.lets.set(st.name, this.binding(e, st.name));
  }

  private binding(e: KqlExpr, name: string): Binding {
    const span = this.span(e);
    switch (e.kind) {
      case 'paren':
        return this.binding(e.expr, name);
      case 'string':
        return { kind: 'scalar', value: e.value, span };
      case 'number':
        return { kind: 'scalar', value: e.value, span };
      case 'bool':
        return { kind: 'scalar', value: e.value, span };
      case 'unary':
        if (e.op === '-' && e.arg.kind === 'number') return { kind: 'scalar', value: -e.arg.value, span };
        break;
      case 'timespan':
        return { kind: 'timespan', duration: this.duration(e), span };
      case 'dynamic':
        return { kind: 'list', values: this.dynamicList(e.value, `let ${name}`), span };
      case 'call':
        if (e.name === 'pack_array') return { kind: 'list', values: e.args.flatMap((a) => this.listValues(a)), span };
        if (e.name === 'ago') return { kind: 'ago', duration: this.agoDuration(e), span };
        break;
      case 'name': {
        const b = this.lets.get(e.name);
        if (b) return b;
        this.unsupported('tabular let', `let ${name} = ${e.name} binds a table or a column; rulecast imports let bindings of scalars and lists only`, e);
      }
    }
    return this.unsupported(describeConstruct(e), `let ${name} binds ${describeExpr(e)}; rulecast imports let bindings of literals, dynamic([...]) and pack_array(...) only`, e);
  }

  private dynamicList(d: KqlDynamic, where: string): (string | number | boolean)[] {
    if (d.kind !== 'array') this.unsupported('dynamic value', `${where}: dynamic(${d.kind === 'object' ? '{…}' : '…'}) is not a list; rulecast reads dynamic([...]) arrays of strings and numbers`, d);
    return d.items.map((item) => {
      if (item.kind === 'string' || item.kind === 'number' || item.kind === 'bool') return item.value;
      return this.unsupported('dynamic value', `${where}: a list element that is not a string, number or boolean`, item);
    });
  }

  /** The values an element of an `in (…)` / `has_any (…)` / `pack_array(…)` list stands for:
   *  a list variable or a dynamic array contributes its elements. */
  private listValues(e: KqlExpr): (string | number | boolean)[] {
    switch (e.kind) {
      case 'paren':
        return this.listValues(e.expr);
      case 'string':
      case 'number':
      case 'bool':
        return [e.value];
      case 'unary':
        if (e.op === '-' && e.arg.kind === 'number') return [-e.arg.value];
        break;
      case 'dynamic':
        return this.dynamicList(e.value, 'list');
      case 'call':
        if (e.name === 'pack_array') return e.args.flatMap((a) => this.listValues(a));
        break;
      case 'name': {
        const b = this.lets.get(e.name);
        if (!b) return this.unsupported('column in a list', `'${e.name}' in a list is a column (no let binding has that name); rulecast compares columns with literal values only`, e);
        if (b.kind === 'timespan' || b.kind === 'ago') return this.unsupported('time value', `'${e.name}' is a time value, which rulecast reads only in a lookback (Timestamp > ago(…))`, e);
        return b.kind === 'list' ? [...b.values] : [b.value];
      }
      case 'subquery':
        return this.unsupported('subquery', 'a subquery in a list (values computed from a table) is not supported', e);
    }
    return this.unsupported(describeConstruct(e), `${describeExpr(e)} in a list is not supported; lists hold literals and let-bound lists`, e);
  }

  private duration(e: Extract<KqlExpr, { kind: 'timespan' }>): Duration {
    const unitSeconds: Record<string, number> = {
      d: 86_400, day: 86_400, days: 86_400,
      h: 3_600, hr: 3_600, hrs: 3_600, hour: 3_600, hours: 3_600,
      m: 60, min: 60, minute: 60, minutes: 60,
      s: 1, sec: 1, second: 1, seconds: 1,
    };
    const per = unitSeconds[e.unit];
    const seconds = per === undefined ? undefined : e.count * per;
    if (seconds === undefined || !Number.isInteger(seconds) || seconds <= 0) {
      this.unsupported('timespan', `the timespan ${e.text} is not a whole number of seconds; rulecast's lookback is counted in seconds, minutes, hours or days`, e);
    }
    for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
      if (seconds % size === 0) return { count: seconds / size, unit };
    }
    /* c8 ignore next */
    return { count: seconds, unit: 's' };
  }

  // ---------------------------------------------------------------------------------------------
  // Tabular part

  private pipeline(p: KqlPipeline, statement: { start: number; end: number }): KqlQuery {
    const tables = this.source(p.head);
    this.tables = tables;
    const conjuncts: Expr[] = [];
    let fields: string[] = [];
    for (const op of p.ops) {
      switch (op.kind) {
        case 'where':
          conjuncts.push(this.where(op));
          break;
        case 'project':
          fields = this.project(op);
          break;
        case 'sort':
          // Ordering does not change which rows a query selects; a rule has no order.
          break;
        case 'other':
          this.otherOperator(op);
      }
    }
    return {
      tables,
      expr: simplify(and(...conjuncts)),
      lookback: this.lookback?.duration,
      timeColumn: this.lookback?.column,
      fields,
      span: this.span(statement),
    };
  }

  private source(head: KqlPipeline['head']): KqlTable[] {
    if (head.kind === 'union') {
      if (head.options.length > 0) {
        const o = head.options[0]!;
        this.unsupported(`union ${o.name}=`, `union option ${o.name}=${o.value} is not supported; rulecast imports a plain union of tables`, o);
      }
      const tables: KqlTable[] = [];
      for (const item of head.items) {
        if (item.kind === 'name') {
          this.tableName(item);
          if (!tables.some((t) => t.name === item.name)) tables.push({ name: item.name, span: this.span(item) });
        } else if (item.kind === 'table-pattern') {
          this.unsupported('union with a wildcard', `union ${item.name} names tables by a wildcard; rulecast needs the tables by name`, item);
        } else {
          this.unsupported('union of subqueries', 'a union of subqueries (each table with its own filters) is not supported; write one union of tables with one where', item);
        }
      }
      return tables;
    }
    if (head.kind === 'other-source') return this.unsupported(head.name, `'${head.name}' is not supported as the source of a query; rulecast imports queries over tables`, head);
    if (head.kind === 'name') {
      this.tableName(head);
      return [{ name: head.name, span: this.span(head) }];
    }
    if (head.kind === 'call') return this.unsupported(`${head.name}()`, `${head.name}() as the source of a query is not supported; rulecast imports queries over tables`, head);
    if (head.kind === 'paren' || head.kind === 'subquery') return this.unsupported('subquery', 'a parenthesised subquery as the source is not supported; rulecast imports queries over tables', head);
    return this.unsupported(describeConstruct(head), `${describeExpr(head)} is not a table`, head);
  }

  private tableName(n: Extract<KqlExpr, { kind: 'name' }>): void {
    if (this.lets.has(n.name)) this.unsupported('let as a table', `'${n.name}' is a let binding, not a table`, n);
  }

  private otherOperator(op: Extract<KqlOperator, { kind: 'other' }>): never {
    const name = op.name;
    const why: Record<string, string> = {
      summarize: 'it aggregates rows',
      join: 'it combines rows of two tables',
      lookup: 'it combines rows of two tables',
      extend: 'it computes new columns',
      parse: 'it computes new columns',
      'parse-where': 'it computes new columns',
      'mv-expand': 'it expands dynamic arrays into rows',
      'mv-apply': 'it runs a subquery per row',
      top: 'it keeps only the first rows',
      take: 'it keeps only some rows',
      limit: 'it keeps only some rows',
      distinct: 'it removes duplicate rows',
      count: 'it counts rows',
      'project-away': 'it changes the columns',
      'project-rename': 'it renames columns',
      'project-reorder': 'it changes the columns',
      'project-keep': 'it changes the columns',
      'make-series': 'it aggregates rows',
      evaluate: 'it runs a plugin',
      invoke: 'it calls a function',
      render: 'it draws a chart',
      'top-nested': 'it aggregates rows',
      sample: 'it keeps only some rows',
      serialize: 'it orders rows for window functions',
      as: 'it names a result',
      getschema: 'it returns the schema',
    };
    const reason = why[name];
    return this.unsupported(name, `the '${name}' operator is not supported${reason ? ` (${reason})` : ''}; a detection rule selects rows of tables`, { start: op.nameStart, end: op.nameEnd });
  }

  private project(op: Extract<KqlOperator, { kind: 'project' }>): string[] {
    const fields: string[] = [];
    for (const item of op.items) {
      if (item.name !== null) this.unsupported('project with computed columns', `'project ${item.name} = …' names or computes a column; rulecast imports a project of existing columns`, item);
      if (item.expr.kind !== 'name') this.unsupported('project with computed columns', `project of ${describeExpr(item.expr)}; rulecast imports a project of existing columns`, item.expr);
      this.column(item.expr);
      if (!fields.includes(item.expr.name)) fields.push(item.expr.name);
    }
    this.projected = new Set(fields);
    return fields;
  }

  /** A column reference: checks it is available after a `project`. */
  private column(n: Extract<KqlExpr, { kind: 'name' }>): string {
    if (this.projected && !this.projected.has(n.name)) {
      throw new RulecastError('kql-unknown-column', `column '${n.name}' is not available here: the project before this operator does not keep it`, this.span(n));
    }
    return n.name;
  }

  // ---------------------------------------------------------------------------------------------
  // where

  private where(op: Extract<KqlOperator, { kind: 'where' }>): Expr {
    const conjuncts: KqlExpr[] = [];
    const split = (e: KqlExpr): void => {
      if (e.kind === 'binary' && e.op === 'and') chain(e, 'and').forEach(split);
      else if (e.kind === 'paren') split(e.expr);
      else conjuncts.push(e);
    };
    split(op.expr);
    const out: Expr[] = [];
    for (const c of conjuncts) {
      if (this.timeFilter(c)) continue;
      out.push(this.bool(c).t);
    }
    return and(...out);
  }

  private isTimeColumn(e: KqlExpr): e is Extract<KqlExpr, { kind: 'name' }> {
    return e.kind === 'name' && (timeColumns as readonly string[]).includes(e.name) && !this.lets.has(e.name);
  }

  /** `Timestamp > ago(7d)` / `>=` (or `ago(7d) < Timestamp`) at the top level of a where: the lookback. */
  private timeFilter(e: KqlExpr): boolean {
    if (e.kind !== 'binary') return false;
    let column: KqlExpr;
    let bound: KqlExpr;
    if ((e.op === '>' || e.op === '>=') && this.isTimeColumn(e.left)) {
      column = e.left;
      bound = e.right;
    } else if ((e.op === '<' || e.op === '<=') && this.isTimeColumn(e.right)) {
      column = e.right;
      bound = e.left;
    } else {
      return false;
    }
    let duration: Duration | undefined;
    const bound0 = unparen(bound);
    const binding = bound0.kind === 'name' ? this.lets.get(bound0.name) : undefined;
    if (binding?.kind === 'ago') duration = binding.duration;
    else if (bound0.kind === 'call' && bound0.name === 'ago') duration = this.agoDuration(bound0);
    else return this.unsupported('time filter', `only a lookback such as '${(column as { name: string }).name} > ago(7d)' is supported as a time filter; ${describeExpr(bound)} is not`, e);
    const name = (column as { name: string }).name;
    this.column(column as Extract<KqlExpr, { kind: 'name' }>);
    if (this.lookback && this.lookback.column !== name) {
      this.unsupported('time filter', `a second time filter on ${name} (the first is on ${this.lookback.column})`, e);
    }
    // Two lookbacks on one column: both hold only for the shorter.
    if (!this.lookback || seconds(duration) < seconds(this.lookback.duration)) this.lookback = { duration, column: name };
    return true;
  }

  /** The timespan of `ago(7d)` (or of `ago(lookback)` with a let-bound timespan). */
  private agoDuration(call: Extract<KqlExpr, { kind: 'call' }>): Duration {
    const arg = call.args.length === 1 ? unparen(call.args[0]!) : undefined;
    if (arg?.kind === 'timespan') return this.duration(arg);
    const b = arg?.kind === 'name' ? this.lets.get(arg.name) : undefined;
    if (b?.kind === 'timespan') return b.duration;
    return this.unsupported('ago()', 'ago() needs one timespan such as 7d or a let-bound timespan', call);
  }

  private bool(e: KqlExpr): Tf {
    switch (e.kind) {
      case 'paren':
        return this.bool(e.expr);
      case 'binary':
        if (e.op === 'and' || e.op === 'or') {
          // The parser builds a left-deep chain: its operands are collected without recursion, so a
          // long chain does not nest the lowering as deep.
          const tfs = chain(e, e.op).map((o) => this.bool(o));
          return e.op === 'and' ? { t: and(...tfs.map((x) => x.t)), f: or(...tfs.map((x) => x.f)) } : { t: or(...tfs.map((x) => x.t)), f: and(...tfs.map((x) => x.f)) };
        }
        return this.comparison(e);
      case 'list':
        return this.list(e);
      case 'between':
        return this.between(e);
      case 'call':
        return this.call(e);
      case 'name': {
        if (this.lets.has(e.name)) {
          const b = this.lets.get(e.name)!;
          if (b.kind === 'scalar' && typeof b.value === 'boolean') return b.value ? { t: TRUE, f: FALSE } : { t: FALSE, f: TRUE };
          return this.unsupported('non-boolean condition', `'${e.name}' is not a boolean`, e);
        }
        // A boolean column on its own.
        const field = this.column(e);
        return this.threeValued(pred({ op: 'eq', field, value: true, span: this.span(e) }), field);
      }
      case 'bool':
        return e.value ? { t: TRUE, f: FALSE } : { t: FALSE, f: TRUE };
      default:
        if (this.isTimeColumn(e)) return this.unsupported('time filter', 'a time filter is supported only as a lookback at the top level of a where', e);
        return this.unsupported(describeConstruct(e), `${describeExpr(e)} is not supported as a condition`, e);
    }
  }

  private call(e: Extract<KqlExpr, { kind: 'call' }>): Tf {
    const one = (): Extract<KqlExpr, { kind: 'name' }> => {
      if (e.args.length !== 1) this.unsupported(`${e.name}()`, `${e.name}() takes one column`, e);
      const arg = unparen(e.args[0]!);
      if (arg.kind !== 'name' || this.lets.has(arg.name)) return this.unsupported(`${e.name}() of an expression`, `${e.name}() of ${describeExpr(arg)}; rulecast imports ${e.name}() of a column`, arg);
      return arg;
    };
    switch (e.name) {
      case 'not': {
        if (e.args.length !== 1) this.unsupported('not()', 'not() takes one condition', e);
        const inner = this.bool(e.args[0]!);
        return { t: inner.f, f: inner.t };
      }
      case 'isempty':
      case 'isnotempty': {
        const col = one();
        const field = this.column(col);
        const span = this.span(e);
        // Empty: null (a missing value) or the empty string; never null itself.
        const empty = or(pred({ op: 'null', field, span }), pred({ op: 'eq', field, value: '', cased: true, span }));
        return e.name === 'isempty' ? { t: empty, f: not(empty) } : { t: not(empty), f: empty };
      }
      case 'isnull':
      case 'isnotnull': {
        // A string column is never null in Kusto: isnull() is false on it, whatever the event. Other
        // types are null where the value is missing.
        const col = one();
        const field = this.column(col);
        const type = this.columnType(field);
        if (type === undefined) return this.unsupported(`${e.name}()`, `${e.name}() depends on the column's type (a string column is never null in Kusto), and the type of ${field} is not known; use isempty() or isnotempty()`, e);
        const isNull: Expr = type === 'string' ? FALSE : pred({ op: 'null', field, span: this.span(e) });
        return e.name === 'isnull' ? { t: isNull, f: not(isNull) } : { t: not(isNull), f: isNull };
      }
      default:
        return this.unsupported(`${e.name}()`, `the function ${e.name}() is not supported in a condition`, { start: e.nameStart, end: e.nameEnd });
    }
  }

  /** The column on the left of a comparison. */
  private leftColumn(e: KqlExpr, op: string): string {
    const l = unparen(e);
    if (l.kind === 'name' && !this.lets.has(l.name)) return this.column(l);
    if (l.kind === 'call') return this.unsupported(`${l.name}()`, `the function ${l.name}() is not supported: rulecast compares columns as they are (${op} on ${l.name}(…))`, { start: l.nameStart, end: l.nameEnd });
    if (l.kind === 'member' || l.kind === 'index') return this.unsupported('dynamic column access', `${describeExpr(l)}: access into a dynamic column is not supported`, l);
    return this.unsupported(describeConstruct(l), `the left side of '${op}' must be a column, not ${describeExpr(l)}`, l);
  }

  /** A literal on the right of a comparison (or a let-bound scalar). */
  private rightValue(e: KqlExpr, op: string): string | number | boolean {
    const r = unparen(e);
    switch (r.kind) {
      case 'string':
      case 'number':
      case 'bool':
        return r.value;
      case 'unary':
        if (r.op === '-' && r.arg.kind === 'number') return -r.arg.value;
        break;
      case 'name': {
        const b = this.lets.get(r.name);
        if (!b) return this.unsupported('column comparison', `'${op}' compares two columns (${r.name} is a column); rulecast compares columns with literal values`, r);
        if (b.kind === 'scalar') return b.value;
        if (b.kind === 'list') return this.unsupported('list with a scalar operator', `'${r.name}' is a list; '${op}' needs a single value`, r);
        return this.unsupported('time value', `'${r.name}' is a time value, which rulecast reads only in a lookback (Timestamp > ago(…))`, r);
      }
      case 'call':
        return this.unsupported(`${r.name}()`, `the function ${r.name}() is not supported on the right of '${op}'; rulecast compares with literal values`, { start: r.nameStart, end: r.nameEnd });
    }
    return this.unsupported(describeConstruct(r), `${describeExpr(r)} on the right of '${op}' is not supported; rulecast compares with literal values`, r);
  }

  private comparison(e: Extract<KqlExpr, { kind: 'binary' }>): Tf {
    const op = e.op;
    const stringOp = parseStringOperator(op);
    if (!stringOp && !['==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>=', 'matches regex'].includes(op)) {
      return this.unsupported(op, `the operator '${op}' is not supported in a condition`, { start: e.opStart, end: e.opEnd });
    }
    if (this.isTimeColumn(unparen(e.left)) && ['<', '<=', '>', '>='].includes(op)) {
      return this.unsupported('time filter', 'a time filter is supported only as a lookback (Timestamp > ago(…)) at the top level of a where', e);
    }
    const field = this.leftColumn(e.left, op);
    const value = this.rightValue(e.right, op);
    const span = this.span(e);
    if (op === 'matches regex') {
      if (typeof value !== 'string') return this.unsupported('matches regex', "'matches regex' needs a string pattern", e.right);
      try {
        RE2JS.compile(value);
      } catch (err) {
        throw new RulecastError('kql-invalid-regex', `'${value}' is not a valid RE2 regular expression: ${err instanceof Error ? err.message : String(err)}`, this.span(e.right));
      }
      return this.stringTf(pred({ op: 're', field, value: { pattern: value, flags: { m: false, s: false } }, cased: true, span }), field);
    }
    if (stringOp) {
      if (typeof value !== 'string') return this.unsupported(`${op} with a number`, `'${op}' needs a string value, not ${JSON.stringify(value)}`, e.right);
      const positive = this.stringPred(stringOp, field, value, span, e);
      const tf = this.stringTf(positive, field);
      return stringOp.negated ? { t: tf.f, f: tf.t } : tf;
    }
    if (op === '==' || op === '!=' || op === '<>' || op === '=~' || op === '!~') {
      const negated = op === '!=' || op === '<>' || op === '!~';
      const cased = op === '==' || op === '!=' || op === '<>';
      let tf: Tf;
      if (typeof value === 'string') {
        tf = this.stringTf(pred({ op: 'eq', field, value, cased, span }), field);
      } else {
        if (!cased) return this.unsupported(`${op} with a ${typeof value}`, `'${op}' compares strings; ${JSON.stringify(value)} is a ${typeof value} (use == or !=)`, e);
        tf = this.threeValued(pred({ op: 'eq', field, value, span }), field);
      }
      return negated ? { t: tf.f, f: tf.t } : tf;
    }
    // < <= > >=
    if (typeof value !== 'number') return this.unsupported(`${op} with a ${typeof value}`, `'${op}' on a ${typeof value} value is not supported; rulecast compares numbers with <, <=, > and >=`, e);
    const cmp = ({ '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const)[op as '<' | '<=' | '>' | '>='];
    return this.threeValued(pred({ op: cmp, field, value, span }), field);
  }

  /** A two-valued string predicate: a string column is never null, a missing value is "". */
  private stringTf(p: Pred, field: string): Tf {
    const holdsOnEmpty = evaluate(p, { [field]: '' });
    const t = holdsOnEmpty ? or(pred({ op: 'null', field, span: p.span }), p) : p;
    return { t, f: not(t) };
  }

  /** A comparison that is null on a null value: false needs the field present. */
  private threeValued(p: Pred, field: string): Tf {
    return { t: p, f: and(not(pred({ op: 'null', field, span: p.span })), not(p)) };
  }

  private stringPred(op: StringOperator, field: string, value: string, span: Span, node: { start: number; end: number }): Pred {
    const init = { field, value, cased: op.cased, span };
    switch (op.base) {
      case 'contains':
      case 'startswith':
      case 'endswith':
      case 'has':
        return pred({ op: op.base, ...init } as PredInit);
      default:
        return this.unsupported(op.base, `the '${op.text}' operator has no exact equivalent in rulecast's rule language`, node);
    }
  }

  private list(e: Extract<KqlExpr, { kind: 'list' }>): Tf {
    const op = e.op;
    const field = this.leftColumn(e.left, op);
    const values = e.items.flatMap((i) => this.listValues(i));
    const span = this.span(e);
    const negated = op.startsWith('!');
    const base = negated ? op.slice(1) : op;
    let tf: Tf;
    if (base === 'has_any' || base === 'has_all') {
      const tfs = values.map((v) => {
        if (typeof v !== 'string') this.unsupported(`${base} with a number`, `${base} needs strings, not ${JSON.stringify(v)}`, e);
        return this.stringTf(pred({ op: 'has', field, value: v, span }), field);
      });
      tf = base === 'has_any' ? { t: or(...tfs.map((x) => x.t)), f: and(...tfs.map((x) => x.f)) } : { t: and(...tfs.map((x) => x.t)), f: or(...tfs.map((x) => x.f)) };
    } else {
      const cased = base === 'in';
      const tfs = values.map((v) => {
        if (typeof v === 'string') return this.stringTf(pred({ op: 'eq', field, value: v, cased, span }), field);
        if (!cased) return this.unsupported(`${op} with a ${typeof v}`, `'${op}' compares strings; ${JSON.stringify(v)} is a ${typeof v} (use in or !in)`, e);
        return this.threeValued(pred({ op: 'eq', field, value: v, span }), field);
      });
      tf = { t: or(...tfs.map((x) => x.t)), f: and(...tfs.map((x) => x.f)) };
    }
    return negated ? { t: tf.f, f: tf.t } : tf;
  }

  private between(e: Extract<KqlExpr, { kind: 'between' }>): Tf {
    const field = this.leftColumn(e.left, e.op);
    if (this.isTimeColumn(unparen(e.left))) return this.unsupported('time filter', 'a time filter is supported only as a lookback (Timestamp > ago(…)) at the top level of a where', e);
    const low = this.rightValue(e.low, e.op);
    const high = this.rightValue(e.high, e.op);
    if (typeof low !== 'number' || typeof high !== 'number') return this.unsupported('between', "'between' is supported on numbers only", e);
    const span = this.span(e);
    const inside = and(pred({ op: 'gte', field, value: low, span }), pred({ op: 'lte', field, value: high, span }));
    const tf = { t: inside, f: and(not(pred({ op: 'null', field, span })), not(inside)) };
    return e.op === '!between' ? { t: tf.f, f: tf.t } : tf;
  }
}

interface StringOperator {
  readonly text: string;
  readonly base: string;
  readonly negated: boolean;
  readonly cased: boolean;
}

function parseStringOperator(op: string): StringOperator | undefined {
  const m = /^(!?)(contains|startswith|endswith|has|hasprefix|hassuffix|like|notcontains|notlike)(_cs)?$/.exec(op);
  if (!m) return undefined;
  return { text: op, base: m[2]!, negated: m[1] === '!', cased: m[3] === '_cs' };
}

/** The operands of a chain `a op b op c` (left-deep, as the parser builds it), in order. */
function chain(e: KqlExpr, op: string): KqlExpr[] {
  const operands: KqlExpr[] = [];
  let cur = e;
  while (cur.kind === 'binary' && cur.op === op) {
    operands.push(cur.right);
    cur = cur.left;
  }
  operands.push(cur);
  return operands.reverse();
}

function unparen(e: KqlExpr): KqlExpr {
  return e.kind === 'paren' ? unparen(e.expr) : e;
}

function seconds(d: Duration): number {
  return d.count * { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[d.unit];
}

/** A short name of an expression's construct, for statistics. */
export function describeConstruct(e: KqlExpr | KqlDynamic): string {
  switch (e.kind) {
    case 'call':
      return `${e.name}()`;
    case 'binary':
      return e.op;
    case 'list':
    case 'between':
      return e.op;
    case 'member':
    case 'index':
      return 'dynamic column access';
    case 'subquery':
      return 'subquery';
    case 'typed-literal':
      return `${e.type}()`;
    case 'dynamic':
      return 'dynamic value';
    default:
      return e.kind;
  }
}

/** How an expression is named in messages. */
export function describeExpr(e: KqlExpr | KqlDynamic): string {
  switch (e.kind) {
    case 'call':
      return `${e.name}(…)`;
    case 'binary':
      return `an expression with '${e.op}'`;
    case 'list':
    case 'between':
      return `an expression with '${e.op}'`;
    case 'name':
      return `'${e.name}'`;
    case 'member':
      return `${describeExpr(e.object)}.${e.name}`;
    case 'index':
      return `${describeExpr(e.object)}[…]`;
    case 'string':
      return `the string ${JSON.stringify(e.value)}`;
    case 'number':
      return `the number ${e.text}`;
    case 'timespan':
      return `the timespan ${e.text}`;
    case 'typed-literal':
      return `${e.type}(${e.text})`;
    case 'paren':
      return describeExpr(e.expr);
    case 'subquery':
      return 'a subquery';
    case 'unary':
      return `an expression with unary '${e.op}'`;
    default:
      return `a ${e.kind} value`;
  }
}
