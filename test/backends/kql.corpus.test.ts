// The whole public Sigma corpus through the KQL backend, each output parsed once by Microsoft's
// parser: zero syntax diagnostics for every pipeline, and for the Defender XDR and Sentinel
// pipelines zero analyzer diagnostics against the tables they declare (an unknown table or column,
// a string operator on a long…). A rule that does not convert must fail with a RulecastError (a
// located, coded message), never an exception. The coverage per pipeline is printed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { convertQuery, isRulecastError } from '../../src/index.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';
import { tableSchemas } from '../../src/pipelines/schema.js';
import { corpus } from '../support/corpus.js';
import { shared } from '../support/shared.js';
import { checkMany, defenderSchema, globalsFor } from './kql-support.js';

/** The Defender XDR tables of ../shared/schemas/defender-xdr.json (Microsoft Learn's advanced
 *  hunting schema reference): the analyzer checks the corpus against them, not against our copy. */
function referenceDefenderSchema(): Record<string, Record<string, string>> {
  const json = JSON.parse(readFileSync(shared('schemas', 'defender-xdr.json'), 'utf8')) as { tables: Record<string, string[]> };
  return Object.fromEntries(Object.entries(json.tables).map(([t, cols]) => [t, Object.fromEntries(cols.map((c) => c.split(':') as [string, string]))]));
}

describe('kql pipelines against the shared schemas', () => {
  it('defender-xdr declares exactly the columns and types of ../shared/schemas/defender-xdr.json', () => {
    const schemas = defenderSchema();
    const reference = referenceDefenderSchema();
    assert.deepEqual(Object.keys(schemas).sort(), Object.keys(reference).sort());
    for (const [table, cols] of Object.entries(reference)) assert.deepEqual(schemas[table], cols, table);
  });
});

function pipelineGlobals(name: string) {
  const schemas = tableSchemas(getBuiltinPipeline(name).layout);
  return globalsFor(Object.fromEntries([...schemas].map(([t, s]) => [t, Object.fromEntries(s.columns)])));
}

const runs = [
  { pipeline: 'none', globals: undefined },
  { pipeline: 'defender-xdr', globals: () => globalsFor(referenceDefenderSchema()) },
  { pipeline: 'sentinel-asim', globals: () => pipelineGlobals('sentinel-asim') },
];

describe('kql backend over the Sigma corpus', () => {
  for (const run of runs) {
    it(`${run.pipeline}: every output parses${run.globals ? ' and analyzes cleanly against the tables' : ''}; failures are located errors`, function () {
      this.timeout(600_000);
      const docs = corpus().filter((d) => d.query);
      const globals = run.globals?.();
      const problems: string[] = [];
      const reasons = new Map<string, number>();
      let converted = 0;
      const started = Date.now();
      const outputs: { path: string; query: string }[] = [];
      for (const doc of docs) {
        let query: string;
        try {
          query = convertQuery(doc.query!, 'kql', { pipelines: [run.pipeline] });
        } catch (err) {
          if (!isRulecastError(err)) throw new Error(`${doc.path}: ${String(err)}`);
          assert.ok(err.diagnostic.span || err.code === 'unsupported-logsource', `${doc.path}: error without a location: ${err.message}`);
          const key = `${err.code}: ${err.message.replace(/'[^']*'/g, "'…'").replace(/\{[^}]*\}/g, '{…}')}`;
          reasons.set(key, (reasons.get(key) ?? 0) + 1);
          continue;
        }
        converted++;
        outputs.push({ path: doc.path, query });
      }
      // Parsed once each, in scripts of 250 statements (the parser's per-call cost dominates).
      const t0 = Date.now();
      for (let i = 0; i < outputs.length; i += 250) {
        const batch = outputs.slice(i, i + 250);
        const results = checkMany(batch.map((o) => (run.pipeline === 'none' ? `T | where ${o.query}` : o.query)), globals);
        results.forEach((diagnostics, j) => {
          if (diagnostics.length) problems.push(`${batch[j]!.path}:\n${batch[j]!.query}\n${diagnostics.map((d) => `  ${d.code} ${d.message}`).join('\n')}`);
        });
      }
      const parseMs = Date.now() - t0;
      const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8);
      console.log(
        `      kql ${run.pipeline}: ${converted}/${docs.length} converted, ${problems.length} with diagnostics; ` +
          `${Date.now() - started} ms (${parseMs} ms in the Kusto parser)\n` +
          top.map(([k, n]) => `        ${String(n).padStart(5)} ${k.slice(0, 150)}`).join('\n'),
      );
      assert.deepEqual(problems.slice(0, 5), []);
    });
  }
});
