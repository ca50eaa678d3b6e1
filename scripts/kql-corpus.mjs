// Prints the KQL import statistics of a folder of hunting queries as markdown (for docs/kql-import.md):
//   npm run build && node scripts/kql-corpus.mjs [folder]   (default: corpus/hunting-kql of the shared
//   material: $RULECAST_CORPUS, $RULECAST_SHARED or the nearest ../shared, as for the corpus suite)
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fg from 'fast-glob';
import { importStats } from '../dist/test/import/stats.js';
import { findShared } from '../dist/test/support/shared-location.js';

function sharedFolder() {
  const location = findShared();
  if ('problem' in location) throw new Error(`give a folder of hunting queries: ${location.problem}`);
  return join(location.root, 'corpus', 'hunting-kql');
}
const folder = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? sharedFolder();
const paths = fg.sync(['**/*.md', '**/*.txt', '**/*.kql', '**/*.yaml'], { cwd: folder, absolute: true }).sort();
// Repository boilerplate is not a hunting query.
const skip = /(^|\/)(README|SECURITY|CODE_OF_CONDUCT|LICENSE|00-query-submission-template)[^/]*$/i;
const files = paths.filter((p) => !skip.test(p)).map((p) => ({ path: relative(folder, p), text: readFileSync(p, 'utf8') }));
const s = importStats(files);
const pct = (n) => `${((100 * n) / s.queries).toFixed(1)} %`;
console.log(`${s.documents} documents, ${s.queries} queries: ${s.imported} import (${pct(s.imported)}), ${s.queries - s.imported} do not.\n`);
console.log('| construct that stopped the import | queries |\n|---|---:|');
for (const [c, n] of s.stoppedBy) console.log(`| ${c.replace(/\|/g, '\\|')} | ${n} |`);
console.log('\n| unsupported tabular operator or source used anywhere in the query | queries |\n|---|---:|');
for (const [c, n] of s.uses) console.log(`| ${c} | ${n} |`);
if (process.argv.includes('--list')) for (const r of s.results) console.log(`${r.query ? 'ok  ' : 'FAIL'} ${r.path}#${r.index} ${r.construct ?? ''}`);

// Conversions of the imported queries, per target (default pipelines; Sigma view through the
// inverse of defender-xdr), with the reasons of refusals ranked.
const { renderImported } = await import('../dist/src/import/convert.js');
console.log('\n| target | converted | refused | reasons of refusal (count) |\n|---|---:|---:|---|');
for (const target of ['kql', 'sigma', 'spl', 'eql']) {
  let ok = 0;
  const reasons = new Map();
  for (const r of s.results) {
    if (!r.query) continue;
    try {
      renderImported(r, r.query, target);
      ok++;
    } catch (err) {
      if (!err?.diagnostic) throw err;
      // The reason without the names that vary (tables, columns, log sources).
      const m = err.diagnostic.message
        .replace(/column \S+ of \S+( and \S+)*/, 'column C of T')
        .replace(/table \S+/, 'table T')
        .replace(/logsource \{[^}]*\}/, (x) => x)
        .replace(/'[^']*'/g, "'…'");
      const key = `${err.diagnostic.code}: ${m.slice(0, 110)}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  const list = [...reasons].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n})`).join('; ');
  console.log(`| ${target} | ${ok} | ${s.imported - ok} | ${list.replace(/\|/g, '\\|')} |`);
}
