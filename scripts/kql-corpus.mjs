// Prints the KQL import statistics of a folder of hunting queries as markdown (for docs/kql-import.md):
//   npm run build && node scripts/kql-corpus.mjs [folder]   (default: ../shared/corpus/hunting-kql)
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fg from 'fast-glob';
import { importStats } from '../dist/src/import/stats.js';

const folder = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? new URL('../../shared/corpus/hunting-kql/', import.meta.url).pathname;
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
