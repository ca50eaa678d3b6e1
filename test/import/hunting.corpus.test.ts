// The public Defender hunting queries (../shared/corpus/hunting-kql): every query imports or is
// refused with a located error naming the construct; the statistics are those of docs/kql-import.md
// (regenerate with `node scripts/kql-corpus.mjs`).
import { strict as assert } from 'node:assert';
import { huntingCorpus, huntingFolder } from './hunting.js';

describe('KQL import over the hunting-query corpus', () => {
  it('reads every document and imports or refuses every query', () => {
    const s = huntingCorpus();
    assert.ok(s.documents > 200, `only ${s.documents} documents found in ${huntingFolder}`);
    assert.equal(s.results.length, s.queries);
    assert.ok(s.imported > 0);
    assert.equal(s.queries - s.imported, s.stoppedBy.reduce((n, [, c]) => n + c, 0));
  });

  it('every refusal is located in its file and names the construct', () => {
    for (const r of huntingCorpus().results) {
      if (r.query) continue;
      assert.ok(r.error, r.path);
      assert.ok(r.construct, `${r.path}: ${r.error.message}`);
      if (r.error.code !== 'kql-no-query') {
        const sp = r.error.span;
        assert.ok(sp && sp.source.path === r.path && sp.end > sp.start && sp.end <= sp.source.text.length, `${r.path}: ${r.error.message}`);
      }
    }
  });

  it('every imported query has tables and a detection', () => {
    for (const r of huntingCorpus().results) {
      if (!r.query) continue;
      assert.ok(r.query.tables.length > 0, r.path);
    }
  });
});
