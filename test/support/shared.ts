// The shared material (public Sigma corpus and its regression data, Defender hunting queries, the
// seed document, vendor schemas, the ATT&CK table), read in place and never copied into the
// project. Only the corpus suite (`npm run test:corpus`: the *.corpus.test.ts files) reads it;
// `npm test` runs without it (test/unit/suites.test.ts checks that no other test imports this).
import { join } from 'node:path';
import { findShared } from './shared-location.js';

const location = findShared();

/** The shared folder. The corpus suite checks it exists before any test file loads
 *  (test/support/corpus-setup.ts), so reading it here never fails in that suite. */
export const sharedRoot: string = (() => {
  if ('root' in location) return location.root;
  throw new Error(`the corpus suite needs the shared material: ${location.problem}`);
})();

/** A path inside the shared folder. */
export const shared = (...parts: string[]): string => join(sharedRoot, ...parts);
