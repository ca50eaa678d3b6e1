// Error cases: test/errors/<code>-<reason>/rule.yml must fail with exactly error.txt (the whole
// formatted message, code frame included). UPDATE_GOLDEN=1 rewrites error.txt.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, formatDiagnostic } from '../src/index.js';
import { testData, updateGolden } from './support/paths.js';

describe('error messages (golden)', () => {
  const root = testData('errors');
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const rulePath = join('test', 'errors', name, 'rule.yml');
      const text = readFileSync(join(root, name, 'rule.yml'), 'utf8');
      const docs = compileSigma(text, rulePath);
      const errors = docs.flatMap((d) => d.diagnostics.filter((x) => x.severity === 'error'));
      assert.ok(errors.length > 0, 'expected an error');
      const actual = `${errors.map((e) => formatDiagnostic(e)).join('\n\n')}\n`;
      const expectedPath = join(root, name, 'error.txt');
      if (updateGolden) writeFileSync(expectedPath, actual);
      assert.ok(existsSync(expectedPath), `missing ${expectedPath} (run UPDATE_GOLDEN=1 npm test and review it)`);
      assert.equal(actual, readFileSync(expectedPath, 'utf8'));
      assert.ok(name.startsWith(`${errors[0]!.code}-`), `case folder should start with the error code '${errors[0]!.code}'`);
    });
  }
});
