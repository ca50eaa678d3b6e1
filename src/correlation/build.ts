// Resolved correlations as CorrelationQuery objects over the lowered base rules, for the
// evaluator (and the converters to come). Needs every document a correlation uses in memory.
import { span } from '../diagnostics/source.js';
import type { CorrelationInput, CorrelationQuery } from '../ir/correlation.js';
import type { RuleQuery } from '../ir/query.js';
import { queryMeta } from '../lower/index.js';
import type { SigmaCorrelation, SigmaDocument } from '../rule/types.js';
import { documentKey, type ReferenceResolution } from './resolve.js';

export interface BuildableDocument {
  readonly path: string;
  readonly index: number;
  readonly document?: SigmaDocument | undefined;
  readonly query?: RuleQuery | undefined;
}

/** One CorrelationQuery per correlation that resolved without errors (by document key). */
export function buildCorrelations(docs: readonly BuildableDocument[], resolution: ReferenceResolution): Map<string, CorrelationQuery> {
  const byKey = new Map(docs.map((d) => [documentKey(d), d]));
  const built = new Map<string, CorrelationQuery>();
  // Chains are acyclic once resolved, so the recursion ends.
  const build = (key: string): CorrelationQuery => {
    const done = built.get(key);
    if (done) return done;
    const c = byKey.get(key)!.document as SigmaCorrelation;
    const targets = resolution.targets.get(key)!;
    const inputs = targets.map((t, i): CorrelationInput => {
      const doc = byKey.get(t)!;
      const reference = c.rules[i]!;
      const { id, name } = doc.document!.meta;
      return doc.document!.kind === 'correlation' ? { reference, id, name, kind: 'correlation', correlation: build(t) } : { reference, id, name, kind: 'rule', query: doc.query! };
    });
    const aliases = resolution.aliases.get(key)!;
    const comparisons = c.condition.comparisons.length > 0 ? c.condition.comparisons.map(({ op, value }) => ({ op, value })) : [{ op: 'gte' as const, value: inputs.length }];
    const query: CorrelationQuery = {
      type: c.correlationType,
      inputs,
      groupBy: c.groupBy.map((g) => ({ name: g.value, fields: targets.map((t) => aliases.get(g.value)?.get(t) ?? g.value) })),
      timespan: c.timespan.duration,
      comparisons,
      field: c.condition.field?.value,
      percentile: c.condition.percentile?.value,
      generate: c.generate,
      meta: queryMeta(c.meta),
      span: span(c.source, c.key.start, c.key.end),
    };
    built.set(key, query);
    return query;
  };
  for (const key of resolution.targets.keys()) if (byKey.has(key)) build(key);
  return built;
}
