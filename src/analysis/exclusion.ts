// What an exclusion does to a detection, decided on the IR (both in one field namespace):
//
//   dead     detection AND exclusion is unsatisfiable: it can never remove a detection
//   total    detection AND NOT exclusion is unsatisfiable: it removes every detection
//   partial  both satisfiable: it removes some detections and keeps others (witnesses for each)
//   unknown  undecidable in the analysed fragment (src/analysis/satisfiable.ts); the reason names
//            the predicate or the limit that stopped it
//
// A partial exclusion is looked at more closely (warnings):
//   removes-alternative   it removes every detection of some alternative of the detection (a
//                         conjunction of its DNF, value lists kept whole), e.g. every name-based one
//   effectively-total     every detection it keeps has a near-miss value of the exclusion (a
//                         value the lint flags as a detection value with another case or without
//                         its file extension): the events it keeps are an artefact of how it is
//                         written, and in practice it removes every detection
//
// Plus warnings about how the exclusion is written (lintExclusion).
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import { and, not, or } from '../ir/build.js';
import type { Event } from '../ir/evaluate.js';
import { predicates } from '../ir/passes.js';
import type { Expr, Pred } from '../ir/types.js';
import { printExclusion } from '../ir/print.js';
import { describePred } from './describe.js';
import { satisfiable, type SatOptions, type SatResult } from './satisfiable.js';

export type Verdict = 'dead' | 'total' | 'partial' | 'unknown';

export interface AnalysisWarning {
  /** Stable, kebab-case: mixed-and-or, value-shorthand, short-contains, generic-contains,
   *  case-mismatch, missing-extension. */
  readonly code: string;
  readonly message: string;
  /** Where in the exclusion (when it came from a file). */
  readonly span?: Span | undefined;
}

export interface ExclusionAnalysis {
  readonly verdict: Verdict;
  readonly reason: string;
  /** Example events, each checked with the evaluator: one the detection matches and the
   *  exclusion removes, one the detection matches and the exclusion keeps. */
  readonly witnesses: { readonly removed?: Event | undefined; readonly kept?: Event | undefined };
  readonly warnings: readonly AnalysisWarning[];
}

export interface AnalyzeOptions extends SatOptions {
  /** The exclusion's parse diagnostics (mixed-and-or, value-shorthand), passed on as warnings. */
  readonly diagnostics?: readonly Diagnostic[] | undefined;
}

export function analyzeExclusion(detection: Expr, exclusion: Expr, options: AnalyzeOptions = {}): ExclusionAnalysis {
  return analyzeExclusionPairs([{ detection, exclusion }], options);
}

/** One detection/exclusion pair per event source of a rule (a rule over several tables has each
 *  mapped its own way). The sources hold different events, so the detection is the union of the
 *  pairs: the exclusion removes a detection if it does so in some source, keeps one likewise. */
export function analyzeExclusionPairs(pairs: readonly { readonly detection: Expr; readonly exclusion: Expr }[], options: AnalyzeOptions = {}): ExclusionAnalysis {
  const removed = satisfiable(or(...pairs.map((p) => and(p.detection, p.exclusion))), options);
  const kept = satisfiable(or(...pairs.map((p) => and(p.detection, not(p.exclusion)))), options);
  // One warning per place in the exclusion: each source names the same predicate its own way.
  const lint = new Map<string, AnalysisWarning>();
  for (const p of pairs) {
    for (const w of lintExclusion(p.detection, p.exclusion)) {
      const key = w.span ? `${w.code}@${w.span.source.path}:${w.span.start}-${w.span.end}` : `${w.code}:${w.message}`;
      if (!lint.has(key)) lint.set(key, w);
    }
  }
  const warnings: AnalysisWarning[] = [
    ...(options.diagnostics ?? []).filter((d) => d.severity === 'warning').map((d) => ({ code: d.code, message: d.message, span: d.span })),
    ...lint.values(),
  ];
  const witnesses = { removed: removed.status === 'sat' ? removed.witness : undefined, kept: kept.status === 'sat' ? kept.witness : undefined };
  const base = { witnesses, warnings };

  if (removed.status === 'unsat') {
    if (kept.status === 'unsat') {
      return { ...base, verdict: 'dead', reason: `the detection matches no event at all, so the exclusion has nothing to remove: ${conflictText([...removed.conflicts, ...kept.conflicts])}` };
    }
    return { ...base, verdict: 'dead', reason: `the exclusion can never remove a detection: no event matches both (${conflictText(removed.conflicts)})` };
  }
  if (kept.status === 'unsat') {
    return { ...base, verdict: 'total', reason: `the exclusion removes every detection: every event the detection matches also matches the exclusion (${conflictText(kept.conflicts)})` };
  }
  if (removed.status === 'sat' && kept.status === 'sat') {
    warnings.push(...partialWarnings(pairs, options));
    return {
      ...base,
      verdict: 'partial',
      reason: `the exclusion removes some detections, e.g. ${JSON.stringify(removed.witness)}, and keeps others, e.g. ${JSON.stringify(kept.witness)}`,
    };
  }
  const why = (r: SatResult) => (r.status === 'unknown' ? r.reasons.slice(0, 3).join('; ') : '');
  let reason: string;
  if (removed.status === 'sat') reason = `the exclusion removes some detections, e.g. ${JSON.stringify(removed.witness)}, but whether it keeps any cannot be decided: ${why(kept)}`;
  else if (kept.status === 'sat') reason = `the exclusion keeps some detections, e.g. ${JSON.stringify(kept.witness)}, but whether it removes any cannot be decided: ${why(removed)}`;
  else reason = `cannot decide whether the exclusion removes or keeps detections: ${[...new Set([why(removed), why(kept)])].join('; ')}`;
  return { ...base, verdict: 'unknown', reason };
}

/** Most alternatives a detection is split into for removes-alternative (beyond: not reported). */
const maxAlternatives = 32;

/** The removes-alternative and effectively-total warnings of a partial exclusion. */
function partialWarnings(pairs: readonly { readonly detection: Expr; readonly exclusion: Expr }[], options: SatOptions): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const removedWhole: string[] = [];
  for (const p of pairs) {
    for (const alt of alternatives(p.detection, maxAlternatives) ?? []) {
      if (satisfiable(and(alt, not(p.exclusion)), options).status !== 'unsat') continue;
      if (satisfiable(alt, options).status !== 'sat') continue;
      const text = describeExpr(alt);
      if (!removedWhole.includes(text)) removedWhole.push(text);
    }
  }
  const removedText = removedWhole.length ? `it removes every detection of ${removedWhole.slice(0, 3).join('; of ')}${removedWhole.length > 3 ? `; and of ${removedWhole.length - 3} more` : ''}` : '';
  // Kept detections that avoid every near-miss value: none means the rest is an artefact.
  const misses = new Map<string, { pred: Pred; near: string }>();
  for (const p of pairs) for (const m of nearMisses(p.detection, p.exclusion, true)) if (!misses.has(describePred(m.pred))) misses.set(describePred(m.pred), m);
  if (misses.size > 0) {
    const avoid = [...misses.values()].map((m) => not(m.pred));
    const rest = satisfiable(or(...pairs.map((p) => and(p.detection, not(p.exclusion), ...avoid))), options);
    if (rest.status === 'unsat') {
      const byNear = new Map<string, string[]>();
      for (const m of misses.values()) byNear.set(m.near, [...(byNear.get(m.near) ?? []), describePred(m.pred)]);
      const values = [...byNear].map(([near, preds]) => `${preds.join(' or ')} (a near miss of the detection's ${near})`).join(', or ');
      out.push({
        code: 'effectively-total',
        message: `partial, effectively total: ${removedText ? `${removedText}, and ` : ''}every detection it keeps has ${values}, so in practice it removes every detection`,
      });
      return out;
    }
  }
  if (removedText) out.push({ code: 'removes-alternative', message: `${removedText}; it keeps detections of the others` });
  return out;
}

/** The detection as a disjunction of conjunctions (and distributed over or), with a list of values
 *  on one field kept as one alternative; undefined when that makes more than `max`. */
function alternatives(expr: Expr, max: number): Expr[] | undefined {
  switch (expr.kind) {
    case 'const':
      return expr.value ? [expr] : [];
    case 'pred':
    case 'not':
      return [expr];
    case 'or': {
      const first = expr.args[0];
      if (first?.kind === 'pred' && expr.args.every((a) => a.kind === 'pred' && a.field === first.field)) return [expr];
      const out: Expr[] = [];
      for (const a of expr.args) {
        const alts = alternatives(a, max);
        if (!alts || out.length + alts.length > max) return undefined;
        for (const x of alts) out.push(x);
      }
      return out;
    }
    case 'and': {
      let product: Expr[][] = [[]];
      for (const a of expr.args) {
        const alts = alternatives(a, max);
        if (!alts || product.length * alts.length > max) return undefined;
        const next: Expr[][] = [];
        for (const prefix of product) for (const x of alts) next.push([...prefix, x]);
        product = next;
      }
      return product.map((conjuncts) => and(...conjuncts));
    }
  }
}

function describeExpr(e: Expr): string {
  try {
    const text = printExclusion(e);
    return text.startsWith('(') && text.endsWith(')') && e.kind === 'and' ? text.slice(1, -1) : text;
  } catch {
    return predicates(e).map(describePred).join(' AND ');
  }
}

function conflictText(conflicts: readonly string[]): string {
  const distinct = [...new Set(conflicts)];
  if (distinct.length === 0) return 'no alternative is satisfiable';
  const shown = distinct.slice(0, 3).join('; ');
  return distinct.length > 3 ? `${shown}; and ${distinct.length - 3} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Lint

/** `contains` values this short match far more than intended (`contains "AD"` matches LOAD, ADD…). */
export const shortContainsLength = 3;

/** Words so common in command lines, paths and names that `contains` on them matches almost
 *  anything of the kind. Compared case-insensitively with the whole value. */
export const genericWords: readonly string[] = [
  'admin', 'app', 'bin', 'check', 'client', 'cmd', 'data', 'default', 'exe', 'file', 'host', 'local', 'microsoft', 'net',
  'program', 'run', 'scan', 'script', 'server', 'service', 'status', 'system', 'temp', 'test', 'tmp', 'tool', 'update', 'user',
  'users', 'windows',
];

/** Everyday words used to show what a short or generic `contains` also matches. */
const exampleWords = [
  'load', 'add', 'read', 'header', 'download', 'shadow', 'address', 'thread', 'upload', 'ready', 'scanner', 'scandisk', 'status',
  'statistics', 'checkpoint', 'patch', 'dispatcher', 'domain', 'inventory', 'administrator', 'update', 'system32', 'systemroot',
  'services', 'template', 'attempt', 'latest', 'contest', 'username', 'windows', 'programdata', 'microsoft', 'localhost',
  'metadata', 'profile', 'runtime', 'rundll32', 'appdata', 'cabinet', 'netstat', 'internet', 'svchost', 'server', 'toolbar',
  'default', 'description', 'transcript', 'scheduler', 'explorer', 'powershell', 'desktop',
];

/**
 * Warnings about how an exclusion is written, given the detection it tunes:
 * - `short-contains`: a `contains` value of at most 3 characters (after trimming);
 * - `generic-contains`: a `contains` value that is one of `genericWords`;
 * - `case-mismatch`: a value that differs from a detection value on the same field only by case,
 *   where either comparison is case-sensitive (so the two never meet);
 * - `missing-extension`: an `==`/`endswith` value that is a detection value's file name without
 *   its extension (`process.name == "nbtscan"` against `== "nbtscan.exe"` or
 *   `endswith "\\nbtscan.exe"`).
 */
export function lintExclusion(detection: Expr, exclusion: Expr): AnalysisWarning[] {
  const out: AnalysisWarning[] = [];
  const seen = new Set<string>();
  const push = (w: AnalysisWarning) => {
    const key = `${w.code}:${w.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(w);
    }
  };
  const detectionPreds = predicates(detection).filter(isTextPred);
  for (const p of predicates(exclusion)) {
    if (p.op === 'contains') {
      const value = p.value.trim();
      const examples = exampleWords.filter((w) => w.includes(value.toLowerCase()) && w !== value.toLowerCase()).slice(0, 3);
      const also = examples.length ? `: it also matches values such as ${examples.map((w) => JSON.stringify(w)).join(', ')}` : '';
      if (value.length <= shortContainsLength) {
        push({ code: 'short-contains', message: `${describePred(p)} is very short (${value.length} character${value.length === 1 ? '' : 's'})${also}; compare a longer, more specific value`, span: p.span });
      } else if (genericWords.includes(value.toLowerCase())) {
        push({ code: 'generic-contains', message: `${describePred(p)} tests a generic word${also}; compare a more specific value`, span: p.span });
      }
    }
    for (const m of nearMissesOf(p, detectionPreds, false)) {
      if (m.code === 'case-mismatch') {
        push({
          code: 'case-mismatch',
          message: `${describePred(p)} differs from the detection's ${m.near} only by case, and the comparison is case-sensitive, so they never match the same value`,
          span: p.span,
        });
      } else {
        push({
          code: 'missing-extension',
          message: `${describePred(p)} lacks the file extension of the detection's ${m.near}: "${m.pred.value}" is not "${m.base}"; did you mean "${m.base}"?`,
          span: p.span,
        });
      }
    }
  }
  return out;
}

interface NearMiss {
  readonly code: 'case-mismatch' | 'missing-extension';
  /** The exclusion's predicate. */
  readonly pred: TextPred;
  /** The detection predicate it nearly matches, described. */
  readonly near: string;
  /** missing-extension: the detection value's file name. */
  readonly base?: string;
}

/** Exclusion values that nearly, but never, meet a detection value on the same field; with
 *  `anyField`, a value without the file extension of a detection value on any field (the name of
 *  the process that wrote the detected file, say) counts too. */
function nearMisses(detection: Expr, exclusion: Expr, anyField = false): NearMiss[] {
  const detectionPreds = predicates(detection).filter(isTextPred);
  return predicates(exclusion).flatMap((p) => nearMissesOf(p, detectionPreds, anyField));
}

function nearMissesOf(p: Pred, detectionPreds: readonly TextPred[], anyField: boolean): NearMiss[] {
  const out: NearMiss[] = [];
  if (isTextPred(p)) {
    for (const d of detectionPreds) {
      if (d.field !== p.field && !anyField) continue;
      const a = p.value;
      const b = d.value;
      if (d.field === p.field && a !== b && a.toLowerCase() === b.toLowerCase() && (p.cased || d.cased)) out.push({ code: 'case-mismatch', pred: p, near: describePred(d) });
      if ((p.op === 'eq' || p.op === 'endswith') && !extension.test(a)) {
        const base = b.slice(Math.max(b.lastIndexOf('\\'), b.lastIndexOf('/')) + 1);
        const m = extension.exec(base);
        if (m && base.slice(0, m.index).toLowerCase() === a.toLowerCase() && a !== '') out.push({ code: 'missing-extension', pred: p, near: describePred(d), base });
      }
    }
  }
  return out;
}

const extension = /\.[A-Za-z0-9]{1,5}$/;

type TextPred = Extract<Pred, { op: 'eq' | 'contains' | 'startswith' | 'endswith' }> & { value: string };

function isTextPred(p: Pred): p is TextPred {
  return (p.op === 'eq' || p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith') && typeof p.value === 'string' && p.field !== null;
}
