// A new target is small: the test lab's SQL dialect (test/new-target/sql.ts) goes through the same
// driver as KQL, SPL and EQL (pipelines, tuned exclusions, passes, formats), over the golden rules,
// which between them use every IR construct.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { makeTarget } from '../src/app/targets.js';
import { isRulecastError } from '../src/diagnostics/diagnostic.js';
import { compileSigma, predicates, tuneQuery } from '../src/index.js';
import { compileExclusion } from '../src/lower/exclusion.js';
import type { PredOp } from '../src/ir/types.js';
import { expectFile, goldenCases } from './support/golden.js';
import { testData } from './support/paths.js';
import { sqlBackend, sqlDefault } from './new-target/sql.js';

const sql = makeTarget(sqlBackend, { pipelines: () => ['none'], formats: () => [sqlDefault] });

describe('a new target through the shared driver (SQL, in the test lab)', () => {
  const seen = new Set<PredOp>();
  for (const name of goldenCases()) {
    it(`golden: ${name}`, () => {
      const [doc] = compileSigma(readFileSync(testData('golden', name, 'rule.yml'), 'utf8'), `test/golden/${name}/rule.yml`);
      assert.ok(doc?.query);
      for (const p of predicates(doc.query.expr)) seen.add(p.op);
      let out: string;
      try {
        out = sql.convert(doc.query);
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        out = `error[${err.code}]: ${err.message}`;
      }
      expectFile(testData('new-target', 'golden', `${name}.sql`), out);
    });
  }

  it('the golden rules use every IR predicate operator but the KQL import\'s `has`', () => {
    assert.deepEqual([...seen].sort(), ['cidr', 'contains', 'endswith', 'eq', 'exists', 'fieldref', 'gt', 'gte', 'lt', 'lte', 'null', 're', 'startswith', 'wildcard']);
  });

  it('a tuned rule: the driver composes the exclusions; the null-guards pass keeps rows without the excluded column', () => {
    const [doc] = compileSigma('title: t\nlogsource: {category: process_creation, product: windows}\ndetection:\n  sel:\n    Image|endswith: \'\\nbtscan.exe\'\n  condition: sel\n', 't.yml');
    const tuned = tuneQuery(doc!.query!, [{ name: 'from cmd', expr: compileExclusion('ParentImage endswith "\\\\cmd.exe"').expr }]);
    assert.equal(sql.convert(tuned, { compact: true }), `SELECT * FROM events\nWHERE LOWER("Image") LIKE LOWER('%\\\\nbtscan.exe') ESCAPE '\\' AND NOT ("ParentImage" IS NOT NULL AND LOWER("ParentImage") LIKE LOWER('%\\\\cmd.exe') ESCAPE '\\')`);
  });

  it('unknown formats and what the dialect cannot say are refused, located', () => {
    const [doc] = compileSigma('title: t\nlogsource: {category: firewall}\ndetection:\n  sel:\n    dst_ip|cidr: 10.0.0.0/8\n  condition: sel\n', 't.yml');
    assert.throws(() => sql.convert(doc!.query!), (err: unknown) => isRulecastError(err) && err.code === 'unsupported-operator' && err.diagnostic.span?.start !== undefined);
    assert.throws(() => sql.convert(doc!.query!, { format: 'x' }), (err: unknown) => isRulecastError(err) && err.code === 'unknown-format');
  });
});
