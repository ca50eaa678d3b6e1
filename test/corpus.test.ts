// The public Sigma corpus (../shared/corpus/sigma, read in place): every rule must load and lower,
// and the evaluator must find, for every regression test, at least match_count matching events.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fg from 'fast-glob';
import { load } from 'js-yaml';
import { compileSigma, evaluate, formatDiagnostic, readEvents, type CompiledDocument } from '../src/index.js';
import { sharedRoot } from './support/paths.js';

const rulesDir = join(sharedRoot, 'corpus', 'sigma', 'rules');
const regressionDir = join(sharedRoot, 'corpus', 'sigma', 'regression_data');

let compiled: CompiledDocument[] | undefined;
/** Every corpus rule, compiled once for all corpus tests. */
export function corpus(): CompiledDocument[] {
  if (!compiled) {
    const files = fg.sync('**/*.{yml,yaml}', { cwd: rulesDir }).sort();
    compiled = files.flatMap((f) => compileSigma(readFileSync(join(rulesDir, f), 'utf8'), `corpus/${f}`));
  }
  return compiled;
}

describe('Sigma corpus', () => {
  it('loads and lowers every rule (no rule of the public corpus violates the specification)', () => {
    const docs = corpus();
    assert.ok(docs.length >= 3000, `expected the full corpus, found ${docs.length} documents`);
    const failed = docs.filter((d) => !d.query);
    const report = failed.slice(0, 10).map((d) => d.diagnostics.filter((x) => x.severity === 'error').map((x) => formatDiagnostic(x)).join('\n'));
    assert.equal(failed.length, 0, `${failed.length} rules failed:\n${report.join('\n\n')}`);
  });

  it('every regression test finds at least match_count matching events', () => {
    const byId = new Map(corpus().filter((d) => d.id).map((d) => [d.id!, d]));
    const infos = fg.sync('**/info.yml', { cwd: regressionDir, absolute: true }).sort();
    let checked = 0;
    const failures: string[] = [];
    for (const info of infos) {
      const meta = load(readFileSync(info, 'utf8')) as {
        rule_metadata: { id: string }[];
        regression_tests_info?: { match_count?: number; path: string }[];
      };
      for (const test of meta.regression_tests_info ?? []) {
        const eventsPath = join(dirname(info), `${basename(test.path).replace(/\.[^.]+$/, '')}.json`);
        if (!existsSync(eventsPath)) continue; // raw (non-JSON) samples have no JSON rendering
        const rule = byId.get(meta.rule_metadata[0]!.id);
        assert.ok(rule?.query, `no rule with id ${meta.rule_metadata[0]!.id} for ${info}`);
        const events = readEvents(readFileSync(eventsPath, 'utf8'), eventsPath);
        const matched = events.filter((e) => evaluate(rule.query!.expr, e)).length;
        if (matched < (test.match_count ?? 1)) failures.push(`${rule.path}: ${matched} of ${events.length} events match, expected ${test.match_count ?? 1}`);
        checked++;
      }
    }
    assert.ok(checked >= 190, `expected the regression data, checked ${checked}`);
    assert.deepEqual(failures, []);
  });
});
