// Which exclusions tune which rule, and the tuned query itself (composition on the IR).
import { RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { tuneQuery, type QueryExclusion, type RuleQuery } from '../ir/query.js';
import { checkExclusionNamespaces } from '../pipelines/namespace.js';
import type { Exclusion, ExclusionFile } from './read.js';

export interface RuleIdentity {
  readonly id?: string | null | undefined;
  readonly name?: string | null | undefined;
  readonly logsource: { readonly category?: string | undefined; readonly product?: string | undefined; readonly service?: string | undefined };
}

/** Our YAML and text forms apply to every rule they are given for. A Sigma filter document
 *  applies only to the rules it names (by id or name, or `any`) whose log source has every
 *  category/product/service the filter's log source gives (pySigma's reading). */
export function exclusionAppliesTo(exclusion: Exclusion, rule: RuleIdentity): boolean {
  const scope = exclusion.scope;
  if (!scope) return true;
  if (scope.rules !== 'any') {
    const names = [rule.id, rule.name].filter((x): x is string => typeof x === 'string').map((x) => x.toLowerCase());
    if (!scope.rules.some((r) => names.includes(r.toLowerCase()))) return false;
  }
  for (const key of ['category', 'product', 'service'] as const) {
    const want = scope.logsource[key];
    if (want !== undefined && want.toLowerCase() !== (rule.logsource[key] ?? '').toLowerCase()) return false;
  }
  return true;
}

export interface AppliedExclusions {
  readonly exclusions: readonly QueryExclusion[];
  readonly warnings: readonly Diagnostic[];
}

/** The exclusions of some files that apply to a rule. A file or an applicable exclusion with an
 *  error throws it: an exclusion is never dropped silently, so the rule fails instead. */
export function exclusionsFor(files: readonly ExclusionFile[], rule: RuleIdentity): AppliedExclusions {
  const exclusions: QueryExclusion[] = [];
  const warnings: Diagnostic[] = [];
  for (const file of files) {
    const fileError = file.diagnostics.find((d) => d.severity === 'error');
    if (fileError) throw RulecastError.fromDiagnostic(fileError);
    warnings.push(...file.diagnostics);
    for (const e of file.exclusions) {
      if (!exclusionAppliesTo(e, rule)) continue;
      const error = e.diagnostics.find((d) => d.severity === 'error');
      if (error || !e.expr) throw RulecastError.fromDiagnostic(error ?? { severity: 'error', code: 'invalid-exclusion', message: `exclusion '${e.name}' has no filter`, span: e.span });
      warnings.push(...e.diagnostics);
      // A Sigma filter is written against the rules it names, in their names.
      exclusions.push({ name: e.name, description: e.description, expr: e.expr, span: e.span, namespace: file.format === 'sigma-filter' ? 'rule' : 'ecs' });
    }
  }
  return { exclusions, warnings };
}

/** The rule's query tuned by the exclusions of the files that apply to it. Throws when an
 *  exclusion cannot be said in the rule's own names for one of its log sources (an unknown field,
 *  an ECS field without a counterpart there), before any target is rendered. */
export function tuneWith(query: RuleQuery, files: readonly ExclusionFile[], rule: RuleIdentity): { query: RuleQuery; warnings: readonly Diagnostic[] } {
  const { exclusions, warnings } = exclusionsFor(files, rule);
  const tuned = tuneQuery(query, exclusions);
  checkExclusionNamespaces(tuned);
  return { query: tuned, warnings };
}
