// The public Defender hunting queries (../shared/corpus/hunting-kql), imported once for every
// corpus test.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import fg from 'fast-glob';
import { importStats, type ImportStats } from '../import/stats.js';
import { shared } from '../support/shared.js';

export const huntingFolder = shared('corpus', 'hunting-kql');
const folder = huntingFolder;
const skip = /(^|\/)(README|SECURITY|CODE_OF_CONDUCT|LICENSE|00-query-submission-template)[^/]*$/i;

let cached: ImportStats | undefined;
/** The corpus imported once for every test that needs it. */
export function huntingCorpus(): ImportStats {
  if (!cached) {
    const paths = fg.sync(['**/*.md', '**/*.txt', '**/*.kql', '**/*.yaml'], { cwd: folder, absolute: true }).sort();
    const files = paths.filter((p) => !skip.test(p)).map((p) => ({ path: relative(folder, p), text: readFileSync(p, 'utf8') }));
    cached = importStats(files);
  }
  return cached;
}

