import fg from 'fast-glob';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma } from './dist/src/index.js';
import { predicates } from './dist/src/ir/passes.js';
const dir = '/work/shared/corpus/sigma/rules';
const want = new Set(process.argv.slice(2));
const out = new Map();
for (const f of fg.sync('**/*.yml', { cwd: dir })) for (const d of compileSigma(readFileSync(join(dir,f),'utf8'), f)) {
  if (!d.query) continue;
  for (const p of predicates(d.query.expr)) if (want.has(p.field)) {
    const v = p.op==='wildcard' ? p.value.parts.map(x=>typeof x==='string'?x:x.wildcard).join('') : JSON.stringify(p.value);
    const k = `${p.field} ${p.op}${p.cased?'/c':''} ${String(v).replace(/[0-9a-fA-F]{20,}/g,'<HEX'+'>')}`;
    out.set(k, (out.get(k)??0)+1);
  }
}
for (const [k,v] of [...out].sort((a,b)=>b[1]-a[1]).slice(0,60)) console.log(v,k);
