import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The project folder (tests run from dist/test/, fixtures live in test/). */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const testData = (...parts: string[]) => join(projectRoot, 'test', ...parts);
export const updateGolden = process.env.UPDATE_GOLDEN === '1';

/** The document the project started from (../shared/seed/detect-nbtscan-activity.txt: the hunting
 *  query and its five exclusion scenarios), kept as the input of the import golden case `seed`;
 *  test/import/seed.corpus.test.ts checks the copy is still the seed. */
export const seedDocument = testData('import', 'golden', 'seed', 'input.txt');
