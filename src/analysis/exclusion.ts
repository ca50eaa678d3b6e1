// What an exclusion does to a detection, decided on the IR (both in one field namespace):
//
//   dead     detection AND exclusion is unsatisfiable: it can never remove a detection
//   total    detection AND NOT exclusion is unsatisfiable: it removes every detection
//   partial  both satisfiable: it removes some detections and keeps others (witnesses for each)
//   unknown  undecidable in the analysed fragment (src/analysis/satisfiable.ts); the reason names
//            the predicate or the limit that stopped it
//
// Plus warnings about how the exclusion is written (lintExclusion).
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import { and, not, or } from '../ir/build.js';
import type { Event } from '../ir/evaluate.js';
import { predicates } from '../ir/passes.js';
import type { Expr, Pred } from '../ir/types.js';
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
  const lint = new Map<string, AnalysisWarning>();
  for (const p of pairs) for (const w of lintExclusion(p.detection, p.exclusion)) if (!lint.has(`${w.code}:${w.message}`)) lint.set(`${w.code}:${w.message}`, w);
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
    if (!isTextPred(p)) continue;
    for (const d of detectionPreds) {
      if (d.field !== p.field) continue;
      const a = p.value;
      const b = d.value;
      if (a !== b && a.toLowerCase() === b.toLowerCase() && (p.cased || d.cased)) {
        push({
          code: 'case-mismatch',
          message: `${describePred(p)} differs from the detection's ${describePred(d)} only by case, and the comparison is case-sensitive, so they never match the same value`,
          span: p.span,
        });
      }
      if ((p.op === 'eq' || p.op === 'endswith') && !extension.test(a)) {
        const base = b.slice(Math.max(b.lastIndexOf('\\'), b.lastIndexOf('/')) + 1);
        const m = extension.exec(base);
        if (m && base.slice(0, m.index).toLowerCase() === a.toLowerCase() && a !== '') {
          push({
            code: 'missing-extension',
            message: `${describePred(p)} lacks the file extension of the detection's ${describePred(d)}: "${a}" is not "${base}"; did you mean "${base}"?`,
            span: p.span,
          });
        }
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
