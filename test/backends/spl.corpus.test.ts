// SPL over the whole public Sigma corpus: every output of every pipeline and format parses with
// the grammar of the emitted subset (grammars/spl.peggy), and every rule that does not convert
// fails with one of the backend's stated refusals (never an internal error).
import { strict as assert } from 'node:assert';
import { convertQuery, formatDiagnostic, isRulecastError } from '../../src/index.js';
import { parseSpl } from '../checkers/spl.js';
import { corpus } from '../support/corpus.js';
import { confSearch } from './spl-support.js';

/** Why a corpus rule may not convert: the codes of deliberate, located refusals. */
const expectedRefusals = new Set([
  'spl-unsupported-keyword',
  'spl-unsupported-timepart',
  'spl-unsupported-fieldref',
  'spl-datamodel-needs-cim',
  'spl-datamodel-keyword',
  'spl-datamodel-filter',
  'unmapped-field',
  'unsupported-field',
  'unsupported-logsource',
  'lossy-mapping',
]);

export const corpusRuns: readonly { readonly pipeline: string; readonly format: string }[] = [
  { pipeline: 'none', format: 'default' },
  { pipeline: 'none', format: 'savedsearches' },
  { pipeline: 'splunk-windows', format: 'default' },
  { pipeline: 'splunk-windows', format: 'savedsearches' },
  { pipeline: 'splunk-cim', format: 'default' },
  { pipeline: 'splunk-cim', format: 'savedsearches' },
  { pipeline: 'splunk-cim', format: 'data-model' },
];

describe('spl backend: the Sigma corpus', () => {
  for (const { pipeline, format } of corpusRuns) {
    it(`every output parses (-p ${pipeline} -f ${format}), every refusal is a stated one`, () => {
      const docs = corpus().filter((d) => d.query);
      assert.ok(docs.length >= 3000);
      let converted = 0;
      const refusals = new Map<string, number>();
      const failures: string[] = [];
      for (const doc of docs) {
        let out: string;
        try {
          out = convertQuery(doc.query!, 'spl', { pipelines: [pipeline], format });
        } catch (err) {
          if (!isRulecastError(err) || !expectedRefusals.has(err.code)) {
            failures.push(`${doc.path}: ${isRulecastError(err) ? formatDiagnostic(err.diagnostic) : String(err)}`);
          } else refusals.set(err.code, (refusals.get(err.code) ?? 0) + 1);
          continue;
        }
        converted++;
        const query = format === 'savedsearches' ? confSearch(out) : out;
        try {
          parseSpl(query, doc.path);
        } catch (err) {
          failures.push(`${doc.path}:\n${query}\n${isRulecastError(err) ? formatDiagnostic(err.diagnostic) : String(err)}`);
        }
      }
      assert.deepEqual(failures.slice(0, 5), [], `${failures.length} failures`);
      // The coverage of this run, for the report (and a floor against regressions).
      const summary = [...refusals].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
      console.log(`      spl -p ${pipeline} -f ${format}: ${converted}/${docs.length} converted; refused: ${summary || 'none'}`);
      assert.ok(converted > 0);
    });
  }
});
