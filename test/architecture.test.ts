// docs/architecture.md names the stages of src/: every file belongs to one, and every import goes
// from a stage to one above it (or the shared modules), never down: dependencies flow one way.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import fg from 'fast-glob';
import { projectRoot } from './support/paths.js';

/** The stage table of docs/architecture.md: each row's folders, in order. */
function stages(): { name: string; paths: string[] }[] {
  const doc = readFileSync(join(projectRoot, 'docs', 'architecture.md'), 'utf8');
  const rows = doc.split('\n').filter((l) => /^\| [a-z ]+ \| `src\//.test(l));
  return rows.map((row) => {
    const [, name, folders] = row.split('|').map((c) => c.trim());
    return { name: name!, paths: [...folders!.matchAll(/`(src\/[^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, '')) };
  });
}

const table = stages();
const shared = table.find((s) => s.name === 'shared')!;
const frontDoors = table.find((s) => s.name === 'front doors')!;

/** The stage of a file: its row's index (shared: -1), or undefined. */
function stageOf(file: string): number | undefined {
  const index = table.findIndex((s) => s.paths.some((p) => file === p || file.startsWith(`${p}/`)));
  if (index === -1) return undefined;
  return table[index] === shared ? -1 : index;
}

const sources = fg.sync('src/**/*.ts', { cwd: projectRoot, ignore: ['src/generated/**'] }).sort();

describe('architecture (docs/architecture.md)', () => {
  it('lists the stages in order, each with its folders', () => {
    assert.deepEqual(table.map((s) => s.name), ['shared', 'ir', 'parse', 'rule', 'lower', 'pipelines', 'passes', 'exclusions', 'events', 'analysis', 'correlation', 'import', 'backends', 'output', 'app', 'front doors']);
  });

  it('every file under src/ belongs to a stage it names', () => {
    const orphans = sources.filter((f) => stageOf(f) === undefined);
    assert.deepEqual(orphans, []);
  });

  it('every import goes to a stage above (or the same, or the shared modules); only front doors import front doors', () => {
    const wrong: string[] = [];
    for (const file of sources) {
      const from = stageOf(file)!;
      const text = readFileSync(join(projectRoot, file), 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(projectRoot, normalize(join(projectRoot, dirname(file), m[1]!))).replace(/\.js$/, '.ts');
        if (!target.startsWith('src/')) continue;
        const to = stageOf(target);
        if (to === undefined) continue;
        const front = frontDoors.paths.some((p) => target === p || target.startsWith(`${p}/`));
        const fromFront = table[from] === frontDoors;
        if (to === -1 || to === from && !front) continue;
        if (front && fromFront && target !== 'src/index.ts') {
          // A front door may use the library's export list, never another front door.
          if (!frontDoors.paths.some((p) => p !== 'src/index.ts' && file.startsWith(`${p}/`) && target.startsWith(`${p}/`))) wrong.push(`${file} → ${target}`);
          continue;
        }
        if (to > from) wrong.push(`${file} (${table[from]!.name}) → ${target} (${table[to]!.name})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
