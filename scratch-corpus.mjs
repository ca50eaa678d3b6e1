import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, convertCompiled } from './dist/src/index.js';
import { checkEql } from './dist/src/verify/eql.js';
const dir = '/work/shared/corpus/sigma/rules';
const pipes = process.argv[2] ? [process.argv[2]] : ['none', 'ecs-windows'];
const docs = fg.sync('**/*.yml', { cwd: dir }).sort().flatMap(f => compileSigma(readFileSync(join(dir,f),'utf8'), f));
for (const p of pipes) {
  const errs = new Map(); let ok = 0, bad = 0; const badEx = [];
  for (const d of docs) {
    const r = convertCompiled(d, 'eql', { pipelines: [p] });
    if (r.error) { const k = r.error.code + ': ' + r.error.message.replace(/'[^']*'/g, "'…'").slice(0, 110); errs.set(k, (errs.get(k) ?? 0) + 1); continue; }
    ok++;
    try { checkEql(r.query); } catch (e) { bad++; if (badEx.length < 8) badEx.push(d.path + '\n  ' + e.message + '\n  ' + r.query.slice(0, 300)); }
  }
  console.log(`== ${p}: converted ${ok}, failed ${docs.length - ok}, syntax failures ${bad}`);
  for (const [k, v] of [...errs].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(v, k);
  console.log(badEx.join('\n'));
}
