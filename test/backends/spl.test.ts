// SPL backend: golden outputs for every golden case (with -p none, splunk-windows and splunk-cim),
// each parsed with the SPL grammar of the emitted subset; table-driven precedence, escaping and
// hoisting tests.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, convertQuery, formatDiagnostic, isRulecastError, type RuleQuery } from '../../src/index.js';
import { parseSpl } from '../checkers/spl.js';
import { expectFile, goldenCases } from '../support/golden.js';
import { confSearch } from './spl-support.js';
import { testData, updateGolden } from '../support/paths.js';

/** The pipelines each golden case is rendered with, and the suffix of its expected files. */
export const goldenPipelines: readonly { readonly pipeline: string; readonly out: string; readonly error: string }[] = [
  { pipeline: 'none', out: 'out.spl', error: 'spl.error.txt' },
  { pipeline: 'splunk-windows', out: 'out.splunk-windows.spl', error: 'splunk-windows.error.txt' },
  { pipeline: 'splunk-cim', out: 'out.splunk-cim.spl', error: 'splunk-cim.error.txt' },
];

export function goldenQuery(name: string): RuleQuery {
  const path = `test/golden/${name}/rule.yml`;
  const docs = compileSigma(readFileSync(testData('golden', name, 'rule.yml'), 'utf8'), path);
  assert.equal(docs.length, 1);
  assert.ok(docs[0]!.query, `golden case ${name} does not lower`);
  return docs[0]!.query!;
}

/** Converts, returning the query or the formatted error. */
export function convertOrError(query: RuleQuery, pipeline: string, format?: string): { query?: string; error?: string } {
  try {
    return { query: convertQuery(query, 'spl', { pipelines: [pipeline], format }) };
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    return { error: `${formatDiagnostic(err.diagnostic)}\n` };
  }
}

/** Exactly one of the two expected files exists: the output, or the error. */
function expectOutcome(dir: string, outFile: string, errorFile: string, result: { query?: string; error?: string }): void {
  const [actualFile, otherFile, text] = result.query !== undefined ? [outFile, errorFile, `${result.query}\n`] : [errorFile, outFile, result.error!];
  if (updateGolden && existsSync(join(dir, otherFile))) unlinkSync(join(dir, otherFile));
  assert.ok(!existsSync(join(dir, otherFile)), `${otherFile} exists but the conversion gave ${actualFile === outFile ? 'a query' : 'an error'}`);
  expectFile(join(dir, actualFile), text);
}

/** Other output formats of some cases: out.<pipeline>.<format>.<spl|conf>, or the error. */
const otherFormats: Record<string, readonly { readonly pipeline: string; readonly format: string }[]> = {
  'basic-selection': [
    { pipeline: 'splunk-cim', format: 'data-model' },
    { pipeline: 'none', format: 'data-model' },
    { pipeline: 'splunk-windows', format: 'data-model' },
  ],
  'spl-formats': [
    { pipeline: 'none', format: 'savedsearches' },
    { pipeline: 'splunk-cim', format: 'savedsearches' },
    { pipeline: 'splunk-cim', format: 'data-model' },
  ],
  'spl-windows-service': [{ pipeline: 'splunk-windows', format: 'savedsearches' }],
  'spl-datamodel-filter': [{ pipeline: 'splunk-cim', format: 'data-model' }],
  'spl-regex-or': [{ pipeline: 'splunk-cim', format: 'data-model' }],
  'spl-precedence-and-or': [{ pipeline: 'splunk-cim', format: 'data-model' }],
  keywords: [{ pipeline: 'splunk-cim', format: 'data-model' }],
};

describe('spl backend: golden cases', () => {
  for (const name of goldenCases()) {
    for (const { pipeline, out, error } of goldenPipelines) {
      it(`${name} (-p ${pipeline})`, () => {
        const result = convertOrError(goldenQuery(name), pipeline);
        if (result.query !== undefined) parseSpl(result.query, `${name}/${out}`);
        expectOutcome(testData('golden', name), out, error, result);
      });
    }
    for (const { pipeline, format } of otherFormats[name] ?? []) {
      it(`${name} (-p ${pipeline} -f ${format})`, () => {
        const result = convertOrError(goldenQuery(name), pipeline, format);
        if (result.query !== undefined) parseSpl(format === 'savedsearches' ? confSearch(result.query) : result.query, name);
        const ext = format === 'savedsearches' ? 'conf' : 'spl';
        expectOutcome(testData('golden', name), `out.${pipeline}.${format}.${ext}`, `${pipeline}.${format}.error.txt`, result);
      });
    }
  }
});
