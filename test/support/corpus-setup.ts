// Loaded by .mocharc.corpus.json before any corpus test file: without the shared material the
// corpus suite stops here with one clear message and a failed count, never passing silently.
import { findShared } from './shared-location.js';

const location = findShared();
if ('problem' in location) {
  console.error(`The corpus suite (npm run test:corpus) needs the shared material: ${location.problem}.`);
  console.error('Set RULECAST_CORPUS to the folder that holds corpus/, seed/, schemas/ and attack/, or run the self-contained suite (npm test).');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
