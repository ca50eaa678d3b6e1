import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { updateGolden } from './paths.js';

/** Compares `actual` with the golden file, or (UPDATE_GOLDEN=1) rewrites the file. */
export function expectGolden(file: string, actual: string): void {
  if (updateGolden) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden file ${file} (run with UPDATE_GOLDEN=1 to create it)`);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${file} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`);
}
