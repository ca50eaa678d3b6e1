// Every golden input that imports re-renders (-t kql) to a query that Kusto's parser reads and that
// imports again to the same query (roundtrip.ts; the corpus suite runs it on the hunting queries).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SourceFile } from '../../src/diagnostics/source.js';
import { importKql } from '../../src/import/kql.js';
import { testData } from '../support/paths.js';
import { roundTrip } from './roundtrip.js';

describe('KQL import: re-rendered queries parse with Kusto and mean the same', () => {
  it('every golden input', () => {
    const root = testData('import', 'golden');
    for (const name of readdirSync(root)) {
      const file = readdirSync(join(root, name)).find((f) => f.startsWith('input.'))!;
      for (const r of importKql(new SourceFile(file, readFileSync(join(root, name, file), 'utf8')))) {
        assert.equal(roundTrip(r, name.length), undefined, name);
      }
    }
  });
});
