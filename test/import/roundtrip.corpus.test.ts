// The re-rendering round trip (roundtrip.ts) over every imported query of the hunting-query corpus.
import { strict as assert } from 'node:assert';
import { huntingCorpus } from './hunting.js';
import { roundTrip } from './roundtrip.js';

describe('KQL import: re-rendered queries parse with Kusto and mean the same', () => {
  it('every imported corpus query', () => {
    const failures: string[] = [];
    let checked = 0;
    huntingCorpus().results.forEach((r, i) => {
      if (!r.query) return;
      checked++;
      const problem = roundTrip(r, i + 1);
      if (problem) failures.push(`${r.path}#${r.index}: ${problem}`);
    });
    assert.ok(checked > 0);
    assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${checked} queries`);
  });
});
