// The public Sigma corpus (../shared/corpus/sigma, read in place), compiled once for every corpus
// test of a run. Corpus suite only (it reads the shared material).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fg from 'fast-glob';
import { load } from 'js-yaml';
import { compileSigma, readEvents, type CompiledDocument, type Event } from '../../src/index.js';
import { shared } from './shared.js';

export const rulesDir = shared('corpus', 'sigma', 'rules');
export const regressionDir = shared('corpus', 'sigma', 'regression_data');

let compiled: CompiledDocument[] | undefined;
/** Every corpus rule, compiled once for all corpus tests. */
export function corpus(): CompiledDocument[] {
  if (!compiled) {
    const files = fg.sync('**/*.{yml,yaml}', { cwd: rulesDir }).sort();
    compiled = files.flatMap((f) => compileSigma(readFileSync(join(rulesDir, f), 'utf8'), `corpus/${f}`));
  }
  return compiled;
}

export interface RegressionTest {
  /** The info.yml that describes it. */
  readonly info: string;
  readonly ruleId: string;
  readonly matchCount: number;
  readonly events: readonly Event[];
}

/** SigmaHQ's regression tests that have a JSON rendering of their events (raw samples have none). */
export function regressionTests(): RegressionTest[] {
  const tests: RegressionTest[] = [];
  for (const info of fg.sync('**/info.yml', { cwd: regressionDir, absolute: true }).sort()) {
    const meta = load(readFileSync(info, 'utf8')) as { rule_metadata: { id: string }[]; regression_tests_info?: { match_count?: number; path: string }[] };
    for (const test of meta.regression_tests_info ?? []) {
      const eventsPath = join(dirname(info), `${basename(test.path).replace(/\.[^.]+$/, '')}.json`);
      if (!existsSync(eventsPath)) continue;
      tests.push({ info, ruleId: meta.rule_metadata[0]!.id, matchCount: test.match_count ?? 1, events: readEvents(readFileSync(eventsPath, 'utf8'), eventsPath) });
    }
  }
  return tests;
}
