// docs/templates.md names what each template is given: it must name exactly the contexts rulecast
// builds, or a user template written from it breaks (strict mode).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePipelines } from '../src/app/targets.js';
import { eqlBackend } from '../src/backends/eql/plan.js';
import { kqlBackend } from '../src/backends/kql/plan.js';
import { splBackend } from '../src/backends/spl/plan.js';
import type { Backend } from '../src/backends/contract.js';
import { compileSigma } from '../src/index.js';
import { getFormat } from '../src/output/formats/index.js';
import { combineExclusions } from '../src/passes/combine-exclusions.js';
import { applyPipelines } from '../src/pipelines/apply.js';
import { projectRoot } from './support/paths.js';

/** Template name → the names its section lists (the backticked names before each bullet's colon). */
function documented(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of readFileSync(join(projectRoot, 'docs', 'templates.md'), 'utf8').split('\n')) {
    const heading = /^### (\S+)$/.exec(line);
    if (heading) out.set(heading[1]!, (current = new Set()));
    else if (current && line.startsWith('- ')) {
      const head = line.slice(2).split(':')[0]!;
      for (const m of head.matchAll(/`([A-Za-z]+)`/g)) current.add(m[1]!);
    } else if (line.startsWith('## ')) current = undefined;
  }
  return out;
}

const rule = readFileSync(join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.yml'), 'utf8').replace(/\n {2}exclusions: .*\n/, '\n');
const doc = compileSigma(rule, 'nbtscan.yml')[0]!;

function plan<P>(backend: Backend<P>, format: string, pipelines?: string[]): P {
  const { pipelines: ps, bare } = resolvePipelines(backend.name, backend.defaultPipeline, pipelines);
  const mapped = applyPipelines(doc.query!, ps);
  return backend.plan({ ...mapped, branches: mapped.branches.map(combineExclusions) }, { bare, format, compact: false });
}

function context(target: string, format: string, p: unknown): object {
  const f = getFormat(target, format)!;
  return f.context!({ plan: p, query: 'q', rule: doc.query!, warn: () => {} });
}

describe('docs/templates.md', () => {
  const docs = documented();
  const actual: [string, object][] = [
    ['kql/query', plan(kqlBackend, 'default') as object],
    ['kql/sentinel-hunting', context('kql', 'sentinel-hunting', plan(kqlBackend, 'sentinel-hunting'))],
    ['kql/sentinel-rule', context('kql', 'sentinel-rule', plan(kqlBackend, 'sentinel-rule'))],
    ['kql/defender-rule', context('kql', 'defender-rule', plan(kqlBackend, 'defender-rule'))],
    ['spl/query', plan(splBackend, 'default', ['splunk-windows']) as object],
    ['spl/savedsearches', context('spl', 'savedsearches', plan(splBackend, 'savedsearches', ['splunk-windows']))],
    ['eql/query', plan(eqlBackend, 'default') as object],
    ['eql/elastic-rule', context('eql', 'elastic-rule', plan(eqlBackend, 'elastic-rule'))],
  ];
  for (const [name, ctx] of actual) {
    it(`${name}: the names documented are the names of its context`, () => {
      assert.ok(docs.has(name), `docs/templates.md has no section ${name}`);
      assert.deepEqual([...docs.get(name)!].sort(), Object.keys(ctx).sort());
    });
  }

  it('documents every template rulecast has', () => {
    const templates = readFileSync(join(projectRoot, 'docs', 'templates.md'), 'utf8');
    for (const name of ['kql/query', 'kql/sentinel-hunting', 'kql/sentinel-rule', 'kql/defender-rule', 'spl/query', 'spl/savedsearches', 'spl/data-model', 'eql/query', 'eql/elastic-rule']) {
      assert.match(templates, new RegExp(`^### ${name}$`, 'm'), name);
    }
  });
});
