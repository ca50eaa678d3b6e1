import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { testData, updateGolden } from './paths.js';

/** The golden cases: folders of test/golden holding a rule.yml. */
export function goldenCases(): string[] {
  return readdirSync(testData('golden')).filter((n) => existsSync(testData('golden', n, 'rule.yml'))).sort();
}

/** Compares with an expected file; UPDATE_GOLDEN=1 writes it. A missing file is a failure. */
export function expectFile(path: string, actual: string): void {
  if (updateGolden) writeFileSync(path, actual);
  assert.ok(existsSync(path), `missing expected file ${path} (run UPDATE_GOLDEN=1 npm test and review it)`);
  assert.equal(actual, readFileSync(path, 'utf8'));
}
