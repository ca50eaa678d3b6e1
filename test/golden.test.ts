// Golden cases: test/golden/<case>/rule.yml → ir.json (the lowered IR). Backends add their own
// expected outputs beside it. UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, dumpIr } from '../src/index.js';
import { testData } from './support/paths.js';
import { expectFile, goldenCases } from './support/golden.js';

describe('golden: rule → IR', () => {
  for (const name of goldenCases()) {
    it(name, () => {
      const dir = testData('golden', name);
      const docs = compileSigma(readFileSync(join(dir, 'rule.yml'), 'utf8'), `test/golden/${name}/rule.yml`);
      assert.equal(docs.length, 1);
      const doc = docs[0]!;
      const errors = doc.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((e) => e.message), []);
      expectFile(join(dir, 'ir.json'), dumpIr(doc.query!.expr));
    });
  }
});
