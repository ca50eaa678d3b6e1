import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, convertCompiled } from './dist/src/index.js';
const dir = '/work/shared/corpus/sigma/rules';
const docs = fg.sync('**/*.yml', { cwd: dir }).sort().flatMap(f => compileSigma(readFileSync(join(dir,f),'utf8'), f));
const errs = new Map(); let n=0;
for (const d of docs) {
  if (!d.query || d.query.logsources[0].product !== 'windows') continue; n++;
  const r = convertCompiled(d, 'eql', { pipelines: ['ecs-windows'] });
  if (r.error) { const k = r.error.code + ': ' + r.error.message.slice(0, 160); errs.set(k, (errs.get(k) ?? 0) + 1); }
}
console.log('windows rules', n);
for (const [k, v] of [...errs].sort((a, b) => b[1] - a[1])) console.log(v, k);
