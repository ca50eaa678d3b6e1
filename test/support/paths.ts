import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project folder (tests run from dist/test/, fixtures live in test/). */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The shared material (corpus, research) is read in place, never copied into the project:
 *  $RULECAST_SHARED, else the nearest `shared/` folder beside the project or one of its parents. */
function findShared(): string {
  const fromEnv = process.env.RULECAST_SHARED;
  if (fromEnv) return fromEnv;
  for (let dir = projectRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared');
    if (existsSync(join(candidate, 'corpus'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  if (existsSync('/work/shared/corpus')) return '/work/shared';
  throw new Error('cannot find the shared corpus: set RULECAST_SHARED to the folder holding corpus/');
}

export const sharedRoot = findShared();
export const testData = (...parts: string[]) => join(projectRoot, 'test', ...parts);
export const updateGolden = process.env.UPDATE_GOLDEN === '1';
