// Evaluates correlations over timestamped events: the reference the correlation queries of every
// target will be tested against. The semantics (docs/correlation.md):
//
// - The events of a correlation are those its rules match (a chained correlation contributes one
//   event per window on which it holds, at the window's last event, carrying its group values).
//   They are ordered by time, then by their place in the event file.
// - Each event of a group closes a window: the group's events from `timespan` before it (inclusive)
//   up to it. The correlation alerts, once per window, on every window where its condition holds.
// - An event lacking a group-by value (absent, null or empty) belongs to no group; values compare
//   exactly (case and type), as the SIEMs' `by` clauses do. An event several rules match is one
//   event in a group.
//
// Windows slide with two pointers per group: adding and dropping one event updates the count, the
// distinct values, the sum or the sorted values, so a group of n events costs O(n) updates (sums
// of non-integers are summed afresh per window, in order, so they equal the plain sum exactly).
import { RulecastError } from '../diagnostics/diagnostic.js';
import { compare, type CorrelationQuery } from '../ir/correlation.js';
import { durationSeconds } from '../ir/query.js';
import { asNumber, evaluate, fieldValues, type Event, type EventValue } from '../ir/evaluate.js';
import type { Expr } from '../ir/types.js';

export interface CorrelationOptions {
  /** The field holding each event's time (default `@timestamp`): ISO 8601 text (UTC when it names
   *  no offset) or epoch milliseconds. */
  readonly timeField?: string | undefined;
}

export const defaultTimeField = '@timestamp';

export interface CorrelationAlert {
  /** The group-by values of the window (empty without group-by). */
  readonly group: Readonly<Record<string, EventValue>>;
  /** Times of the window's first and last event, ISO 8601 in UTC. */
  readonly start: string;
  readonly end: string;
  /** event_count: events; value_count: distinct values; temporal types: distinct rules. */
  readonly count?: number | undefined;
  /** value_sum, value_avg, value_percentile, value_median: the aggregate the condition tests. */
  readonly value?: number | undefined;
  /** value_count: the distinct values; value_*: the numbers aggregated, in window order. */
  readonly values?: readonly EventValue[] | undefined;
  /** The window's events: 0-based indices in the event list. */
  readonly events: readonly number[];
}

/** An alert with its times in microseconds, before formatting (chains consume these). */
interface RawAlert {
  readonly group: Record<string, EventValue>;
  readonly groupKey: string;
  readonly start: number;
  readonly end: number;
  /** Event index that closed the window (orders alerts at the same time). */
  readonly closing: number;
  readonly count?: number;
  readonly value?: number;
  readonly values?: EventValue[];
  readonly events: number[];
}

/** One event of a correlation's stream, in one group. */
interface Occurrence {
  readonly time: number;
  readonly closing: number;
  /** The first input producing it (orders occurrences at the same time and place). */
  readonly rank: number;
  readonly record: Event;
  readonly events: readonly number[];
  /** Indices of the inputs (rules) it matches. */
  readonly inputs: number[];
  /** The scalars of `condition.field` in its record, once read. */
  scalars?: EventValue[];
  /** …and those that are numbers. */
  numbers?: number[];
}

/** Evaluates every correlation over the same events; chained correlations are evaluated once. */
export function evaluateCorrelations(correlations: readonly CorrelationQuery[], events: readonly Event[], options: CorrelationOptions = {}): CorrelationAlert[][] {
  const evaluator = new Evaluator(events, options.timeField ?? defaultTimeField);
  return correlations.map((c) => evaluator.alerts(c).map(formatAlert));
}

export function evaluateCorrelation(correlation: CorrelationQuery, events: readonly Event[], options: CorrelationOptions = {}): CorrelationAlert[] {
  return evaluateCorrelations([correlation], events, options)[0]!;
}

class Evaluator {
  private readonly times = new Map<number, number>();
  private readonly memo = new Map<CorrelationQuery, RawAlert[]>();

  constructor(
    private readonly events: readonly Event[],
    private readonly timeField: string,
  ) {}

  alerts(c: CorrelationQuery): RawAlert[] {
    let alerts = this.memo.get(c);
    if (!alerts) {
      alerts = this.compute(c);
      this.memo.set(c, alerts);
    }
    return alerts;
  }

  private compute(c: CorrelationQuery): RawAlert[] {
    const groups = new Map<string, { group: Record<string, EventValue>; occurrences: Occurrence[]; byEvent: Map<number, Occurrence> }>();
    const values: EventValue[] = [];
    /** Files the occurrence of input i in its group; `event` is the base event's index (an event
     *  several rules match is one occurrence of the group, matching each of them). */
    const place = (i: number, record: Event, event: number | undefined, make: () => Occurrence) => {
      values.length = 0;
      for (const g of c.groupBy) {
        const v = groupValue(record, g.fields[i]!);
        if (v === undefined) return; // no group
        values.push(v);
      }
      const groupKey = JSON.stringify(values);
      let bucket = groups.get(groupKey);
      if (!bucket) {
        const group: Record<string, EventValue> = {};
        c.groupBy.forEach((g, k) => (group[g.name] = values[k]));
        bucket = { group, occurrences: [], byEvent: new Map() };
        groups.set(groupKey, bucket);
      }
      const seen = event === undefined ? undefined : bucket.byEvent.get(event);
      if (seen) {
        if (!seen.inputs.includes(i)) seen.inputs.push(i);
        return;
      }
      const o = make();
      if (event !== undefined) bucket.byEvent.set(event, o);
      bucket.occurrences.push(o);
    };
    c.inputs.forEach((input, i) => {
      if (input.kind === 'rule') {
        for (const e of this.matching(input.query.expr)) {
          const record = this.events[e]!;
          place(i, record, e, () => ({ time: this.time(e, c), closing: e, rank: i, record, events: [e], inputs: [i] }));
        }
      } else {
        // A chained correlation: each alert is one event, at its window's end, with its group.
        for (const a of this.alerts(input.correlation)) place(i, a.group, undefined, () => ({ time: a.end, closing: a.closing, rank: i, record: a.group, events: a.events, inputs: [i] }));
      }
    });
    const alerts: RawAlert[] = [];
    for (const [groupKey, { group, occurrences }] of groups) {
      occurrences.sort(streamOrder);
      slide(c, occurrences, (lo, hi, report) => {
        const events = [...new Set(occurrences.slice(lo, hi + 1).flatMap((o) => o.events))].sort((a, b) => a - b);
        alerts.push({ group, groupKey, start: occurrences[lo]!.time, end: occurrences[hi]!.time, closing: occurrences[hi]!.closing, ...report, events });
      });
    }
    return alerts.sort((a, b) => a.end - b.end || a.closing - b.closing || (a.groupKey < b.groupKey ? -1 : a.groupKey > b.groupKey ? 1 : 0));
  }

  /** Indices of the events a base rule matches. */
  private matching(expr: Expr): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.events.length; e++) if (evaluate(expr, this.events[e]!)) out.push(e);
    return out;
  }

  /** The time of an event in microseconds; an event a correlation uses must have one. */
  private time(e: number, c: CorrelationQuery): number {
    let t = this.times.get(e);
    if (t !== undefined) return t;
    const { present, values } = fieldValues(this.events[e]!, this.timeField);
    const parsed = values.length === 1 ? parseTime(values[0]) : undefined;
    if (parsed === undefined) {
      const what = !present ? 'has no' : values.length === 1 ? `has an unreadable (${JSON.stringify(values[0])})` : 'has a list as its';
      throw new RulecastError('invalid-event-time', `event ${e} is used by correlation '${c.meta.title}' but ${what} '${this.timeField}'`, c.span, [
        'a time is ISO 8601 text (2024-05-01T10:00:00Z; UTC without an offset) or epoch milliseconds; --time-field names another field',
      ]);
    }
    t = parsed;
    this.times.set(e, t);
    return t;
  }
}

function streamOrder(a: Occurrence, b: Occurrence): number {
  return a.time - b.time || a.closing - b.closing || a.rank - b.rank;
}

/** A group-by value of an event: absent, null, empty text and an empty list belong to no group.
 *  A list of several values is one value, compared whole (a list of one is its element). */
function groupValue(record: Event, field: string): EventValue | undefined {
  const { values } = fieldValues(record, field);
  const v = values.length === 1 ? values[0] : values.length > 1 ? values : undefined;
  return v === null || v === '' ? undefined : v;
}

/** The scalar values of `field` in an occurrence (a list gives each element), without null and ''. */
function fieldScalars(o: Occurrence, field: string): EventValue[] {
  o.scalars ??= fieldValues(o.record, field).values.filter((v) => v !== null && v !== '' && typeof v !== 'object');
  return o.scalars;
}

type Report = Pick<RawAlert, 'count' | 'value' | 'values'>;

/**
 * Slides the windows of one group (occurrences in stream order): for each occurrence `hi`, the
 * window is [lo, hi] with lo the first occurrence at most `timespan` before it. Calls `alert` for
 * each window where the condition holds, with what the alert reports.
 */
function slide(c: CorrelationQuery, occ: readonly Occurrence[], alert: (lo: number, hi: number, report: Report) => void): void {
  const span = durationSeconds(c.timespan) * 1_000_000;
  const holds = (x: number) => c.comparisons.every((k) => compare(k.op, x, k.value));
  const window = windowState(c);
  let lo = 0;
  for (let hi = 0; hi < occ.length; hi++) {
    const start = occ[hi]!.time - span;
    while (occ[lo]!.time < start) window.drop(occ[lo++]!);
    window.add(occ[hi]!, hi);
    const result = window.result(lo, hi, occ);
    if (result !== undefined && holds(result.test)) alert(lo, hi, result.report());
  }
}

interface WindowState {
  add(o: Occurrence, at: number): void;
  drop(o: Occurrence): void;
  /** The number the condition tests and what the alert reports; undefined: no value to test. */
  result(lo: number, hi: number, occ: readonly Occurrence[]): { test: number; report: () => Report } | undefined;
}

function windowState(c: CorrelationQuery): WindowState {
  switch (c.type) {
    case 'event_count': {
      let n = 0;
      return {
        add: () => void n++,
        drop: () => void n--,
        result: () => ({ test: n, report: () => ({ count: n }) }),
      };
    }
    case 'value_count': {
      const field = c.field!;
      const counts = new Map<string, number>();
      const change = (o: Occurrence, by: number) => {
        for (const key of new Set(fieldScalars(o, field).map(valueKey))) {
          const n = (counts.get(key) ?? 0) + by;
          if (n === 0) counts.delete(key);
          else counts.set(key, n);
        }
      };
      return {
        add: (o) => change(o, 1),
        drop: (o) => change(o, -1),
        result: (lo, hi, occ) => ({
          test: counts.size,
          report: () => ({ count: counts.size, values: distinct(occ.slice(lo, hi + 1).flatMap((o) => fieldScalars(o, field))) }),
        }),
      };
    }
    case 'temporal':
    case 'temporal_ordered':
      return temporalState(c);
    default:
      return numericState(c);
  }
}

function temporalState(c: CorrelationQuery): WindowState {
  const k = c.inputs.length;
  const perInput = new Array<number>(k).fill(0);
  let distinctInputs = 0;
  // temporal_ordered: best[r] = the latest position where a match of inputs 0..r (in order, on
  // distinct occurrences) can start, over the occurrences so far; -1 when there is none.
  const best = new Array<number>(k).fill(-1);
  return {
    add(o, at) {
      for (const i of o.inputs) if (perInput[i]!++ === 0) distinctInputs++;
      if (c.type !== 'temporal_ordered') return;
      // Highest input first, so one occurrence never takes two places of the same match.
      for (let r = k - 1; r >= 0; r--) {
        if (!o.inputs.includes(r)) continue;
        const start = r === 0 ? at : best[r - 1]!;
        if (start > best[r]!) best[r] = start;
      }
    },
    drop(o) {
      for (const i of o.inputs) if (--perInput[i]! === 0) distinctInputs--;
    },
    result(lo) {
      if (c.type === 'temporal_ordered' && best[k - 1]! < lo) return undefined;
      return { test: distinctInputs, report: () => ({ count: distinctInputs }) };
    },
  };
}

/** value_sum, value_avg, value_percentile, value_median over the numbers of `field`. */
function numericState(c: CorrelationQuery): WindowState {
  const field = c.field!;
  const numbersOf = (o: Occurrence): number[] =>
    (o.numbers ??= fieldScalars(o, field).flatMap((v) => {
      const n = asNumber(v);
      return n === undefined ? [] : [n];
    }));
  const sorted: number[] = [];
  let count = 0;
  let sum = 0;
  // Integers sum exactly while the total stays a safe integer; otherwise sums are redone in order.
  let inexact = 0;
  let overflowed = false;
  const sorting = c.type === 'value_percentile' || c.type === 'value_median';
  const change = (o: Occurrence, by: 1 | -1) => {
    for (const n of numbersOf(o)) {
      count += by;
      if (!Number.isSafeInteger(n)) inexact += by;
      else {
        sum += by * n;
        if (!Number.isSafeInteger(sum)) overflowed = true;
      }
      if (sorting) {
        const at = lowerBound(sorted, n);
        if (by === 1) sorted.splice(at, 0, n);
        else sorted.splice(at, 1);
      }
    }
  };
  return {
    add: (o) => change(o, 1),
    drop: (o) => change(o, -1),
    result(lo, hi, occ) {
      if (count === 0) return undefined; // no number to aggregate: the condition cannot hold
      const numbers = () => occ.slice(lo, hi + 1).flatMap(numbersOf);
      let value: number;
      if (c.type === 'value_sum' || c.type === 'value_avg') {
        const total = inexact === 0 && !overflowed ? sum : numbers().reduce((a, b) => a + b, 0);
        value = c.type === 'value_sum' ? total : total / count;
      } else if (c.type === 'value_median') {
        const mid = count >> 1;
        value = count % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
      } else {
        value = sorted[nearestRank(c.percentile!, count) - 1]!;
      }
      return { test: value, report: () => ({ value, values: numbers() }) };
    },
  };
}

/** The nearest-rank percentile's 1-based rank: the smallest rank with at least p % of the values
 *  at or below it (the 0th percentile is the smallest value). */
export function nearestRank(p: number, n: number): number {
  return Math.max(1, Math.ceil((p * n) / 100));
}

function lowerBound(sorted: readonly number[], n: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Exact comparison of values: type and value ("5" and 5 differ, "Alice" and "alice" too). */
function valueKey(v: EventValue): string {
  return `${typeof v}:${String(v)}`;
}

function distinct(values: readonly EventValue[]): EventValue[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = valueKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const isoTime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An event time in microseconds since 1970 (UTC): epoch milliseconds, or ISO 8601 text (a date,
 *  or a date and time; UTC unless it names an offset; fractions of a second to the microsecond). */
export function parseTime(value: EventValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = isoTime.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(ms).getUTCDate() !== day) return undefined; // 2023-02-30
  const fraction = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  let offset = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5) || '0');
    if (hours > 23 || minutes > 59) return undefined;
    offset = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000_000;
  }
  return ms * 1000 + fraction - offset;
}

/** ISO 8601 in UTC, with microseconds only when there are some. */
export function formatTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  const micro = us - ms * 1000;
  return micro === 0 ? iso : `${iso.slice(0, -1)}${String(micro).padStart(3, '0')}Z`;
}

function formatAlert(a: RawAlert): CorrelationAlert {
  // Keys in a fixed order: the group and window, what was measured, then the events.
  return {
    group: a.group,
    start: formatTime(a.start),
    end: formatTime(a.end),
    ...(a.count !== undefined && { count: a.count }),
    ...(a.value !== undefined && { value: a.value }),
    ...(a.values !== undefined && { values: a.values }),
    events: a.events,
  };
}
