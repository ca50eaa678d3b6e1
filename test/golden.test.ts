// Golden cases: test/golden/<case>/rule.yml → ir.json (the lowered IR). Backends add their own
// expected outputs beside it. UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, dumpIr } from '../src/index.js';
import { testData, updateGolden } from './support/paths.js';

export function goldenCases(): string[] {
  return readdirSync(testData('golden')).filter((n) => existsSync(testData('golden', n, 'rule.yml'))).sort();
}

export function expectFile(path: string, actual: string): void {
  if (updateGolden || !existsSync(path)) writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'));
}

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
