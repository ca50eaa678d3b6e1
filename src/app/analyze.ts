// The exclusion analysis of a rule as `rulecast analyze` and the web page run it: every exclusion
// of a tuned rule decided against its detection, both mapped to one namespace by the pipelines
// (a field they cannot map stays as written).
import { analyzeExclusionPairs, type ExclusionAnalysis } from '../analysis/exclusion.js';
import type { ExclusionFile } from '../exclusions/read.js';
import { importedExclusions, nativePipeline, nativeQuery } from './kql-import.js';
import type { ImportedKql } from '../import/kql.js';
import { tuneQuery, type QueryExclusion, type RuleQuery } from '../ir/query.js';
import { applyPipelines } from '../pipelines/apply.js';
import type { MappedQuery, Pipeline } from '../pipelines/types.js';

export interface AnalysedExclusion {
  readonly exclusion: QueryExclusion;
  readonly analysis: ExclusionAnalysis;
}

function analyseMapped(files: readonly ExclusionFile[], exclusions: readonly QueryExclusion[], mapped: MappedQuery): AnalysedExclusion[] {
  return exclusions.map((exclusion, i) => {
    // The exclusion's own parse warnings (mixed AND/OR, the value shorthand) come along.
    const source = files.flatMap((f) => f.exclusions).find((e) => e.name === exclusion.name && e.span === exclusion.span);
    const pairs = mapped.branches.map((b) => ({ detection: b.expr, exclusion: b.exclusions[i]!.expr }));
    return { exclusion, analysis: analyzeExclusionPairs(pairs, { diagnostics: source?.diagnostics }) };
  });
}

/** A Sigma rule's exclusions (already chosen for it: exclusionsFor), in the namespace of `pipelines`. */
export function analyseRule(query: RuleQuery, files: readonly ExclusionFile[], exclusions: readonly QueryExclusion[], pipelines: readonly Pipeline[]): AnalysedExclusion[] {
  return analyseMapped(files, exclusions, applyPipelines(tuneQuery(query, exclusions), pipelines, { lenient: true }));
}

/** An imported KQL query's exclusions over its own tables and columns, each exclusion mapped to
 *  each table's columns as `convert -t kql` tunes it. */
export function analyseImported(imported: ImportedKql, files: readonly ExclusionFile[]): { exclusions: readonly QueryExclusion[]; analyses: AnalysedExclusion[] } {
  const kql = imported.query!;
  const { exclusions } = importedExclusions(files, imported);
  const mapped = applyPipelines(tuneQuery(nativeQuery(imported, kql), exclusions), [nativePipeline(kql)], { lenient: true });
  return { exclusions, analyses: analyseMapped(files, exclusions, mapped) };
}
