import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { testData, updateGolden } from './paths.js';

/** The golden cases: folders of test/golden holding a rule.yml. */
export function goldenCases(): string[] {
  return readdirSync(testData('golden')).filter((n) => existsSync(testData('golden', n, 'rule.yml'))).sort();
}

/** Compares `actual` with an expected file; UPDATE_GOLDEN=1 writes it (review the diff like code).
 *  A missing expected file is a failure, so a new case cannot pass without its expectation. */
export function expectFile(path: string, actual: string): void {
  // Files end with a line break; an output (a query, an error) is compared without it.
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (updateGolden) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  assert.ok(existsSync(path), `missing expected file ${path} (run UPDATE_GOLDEN=1 npm test and review it)`);
  assert.equal(text, readFileSync(path, 'utf8'), `expected file ${path} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}

export const expectGolden = expectFile;
