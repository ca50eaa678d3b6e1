// The exclusion analysis as warnings on a tuned rule, for every conversion: a tuned query that
// cannot fire, or whose exclusion does nothing, must never be written silently.
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleQuery } from '../ir/query.js';
import { exclusionsInRuleNamespace } from '../pipelines/namespace.js';
import { analyzeExclusionPairs } from './exclusion.js';

/**
 * Warnings for the exclusions of a tuned query, analysed in the rule's own field namespace (the
 * detection and the exclusions said in its names, before any target pipeline): `exclusion-total` (it removes every
 * detection: the tuned query never fires), `exclusion-dead` (it removes none) and
 * `exclusion-effectively-total` (partial, but every detection it keeps rests on a near-miss value).
 * Each names the exclusion and points at where it is written.
 */
export function tunedQueryWarnings(query: RuleQuery): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The exclusions in the rule's own names, per log source (ECS names mapped to Sigma's).
  const mapped = (query.exclusions ?? []).length ? (query.logsources.length ? query.logsources : [{}]).map((ls) => exclusionsInRuleNamespace(query, ls)) : [];
  for (const [i, e] of (query.exclusions ?? []).entries()) {
    const analysis = analyzeExclusionPairs(mapped.map((m) => ({ detection: query.expr, exclusion: m[i]!.expr })));
    const name = `exclusion '${e.name}'`;
    if (analysis.verdict === 'total') {
      out.push(warning('exclusion-total', `${name} removes every detection of the rule, so the tuned query never fires: ${analysis.reason}`, e.span));
    } else if (analysis.verdict === 'dead') {
      out.push(warning('exclusion-dead', `${name} removes nothing from the rule's detections: ${analysis.reason}`, e.span));
    } else {
      const effective = analysis.warnings.find((w) => w.code === 'effectively-total');
      if (effective) out.push(warning('exclusion-effectively-total', `${name} is ${effective.message}`, e.span));
    }
  }
  return out;
}
