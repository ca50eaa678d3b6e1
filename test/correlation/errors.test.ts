// Correlation error messages (golden): test/correlation/errors/<code>-<reason>/rules.yml, loaded and
// resolved, must fail with exactly error.txt (every error, code frames included). UPDATE_GOLDEN=1
// rewrites error.txt.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, formatDiagnostic, resolveCorrelations } from '../../src/index.js';
import { expectFile } from '../support/golden.js';
import { testData } from '../support/paths.js';

describe('correlation error messages (golden)', () => {
  const root = testData('correlation', 'errors');
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const path = join('test', 'correlation', 'errors', name, 'rules.yml');
      const docs = resolveCorrelations(compileSigma(readFileSync(join(root, name, 'rules.yml'), 'utf8'), path));
      const errors = docs.flatMap((d) => d.diagnostics.filter((x) => x.severity === 'error'));
      assert.ok(errors.length > 0, 'expected an error');
      expectFile(join(root, name, 'error.txt'), `${errors.map((e) => formatDiagnostic(e)).join('\n\n')}\n`);
      assert.ok(name.startsWith(`${errors[0]!.code}-`), `case folder should start with the error code '${errors[0]!.code}'`);
    });
  }
});
