// The two suites: `npm test` must pass on a fresh clone with no shared material, so no test it runs
// may import the module that reads it (test/support/shared.ts) — directly or through a helper;
// the corpus suite finds the material where its variables or the folder layout say.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import { testData } from '../support/paths.js';
import { findShared } from '../support/shared-location.js';

/** The test sources a test source imports, by path relative to test/ (`x.js` is `x.ts`). */
function localImports(file: string): string[] {
  const text = readFileSync(testData(file), 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gms)].map((m) => m[1]!);
  return found
    .map((spec) => relative(testData(), resolve(dirname(testData(file)), spec)).replace(/\.js$/, '.ts'))
    .filter((p) => !p.startsWith('..'));
}

function reaches(file: string, target: string, seen = new Set<string>()): string[] | undefined {
  if (file === target) return [file];
  if (seen.has(file)) return undefined;
  seen.add(file);
  for (const next of localImports(file)) {
    const path = reaches(next, target, seen);
    if (path) return [file, ...path];
  }
  return undefined;
}

describe('test suites', () => {
  it('no test of the self-contained suite imports the shared material (test/support/shared.ts)', () => {
    const files = fg.sync('**/*.test.ts', { cwd: testData() }).filter((f) => !f.endsWith('.corpus.test.ts'));
    assert.ok(files.length > 30, `only ${files.length} test files`);
    const offenders = files.map((f) => reaches(f, join('support', 'shared.ts'))).filter((p) => p !== undefined);
    assert.deepEqual(offenders.map((p) => p.join(' → ')), []);
  });

  it('the import scan sees imports through helpers (it would catch a corpus helper)', () => {
    assert.deepEqual(reaches(join('backends', 'spl.corpus.test.ts'), join('support', 'shared.ts')), [
      join('backends', 'spl.corpus.test.ts'),
      join('support', 'corpus.ts'),
      join('support', 'shared.ts'),
    ]);
  });

  describe('where the corpus suite finds the shared material', () => {
    const layout = () => {
      const root = mkdtempSync(join(tmpdir(), 'rulecast-shared-'));
      mkdirSync(join(root, 'shared', 'corpus', 'sigma', 'rules'), { recursive: true });
      mkdirSync(join(root, 'clone', 'deep'), { recursive: true });
      return root;
    };

    it('the nearest shared/ beside the project or one of its parents', () => {
      const root = layout();
      assert.deepEqual(findShared({}, join(root, 'clone')), { root: join(root, 'shared') });
      assert.deepEqual(findShared({}, join(root, 'clone', 'deep')), { root: join(root, 'shared') });
    });

    it('$RULECAST_CORPUS, then $RULECAST_SHARED, before any folder found by the layout', () => {
      const root = layout();
      const other = mkdtempSync(join(tmpdir(), 'rulecast-other-'));
      mkdirSync(join(other, 'corpus', 'sigma', 'rules'), { recursive: true });
      assert.deepEqual(findShared({ RULECAST_CORPUS: other }, join(root, 'clone')), { root: other });
      assert.deepEqual(findShared({ RULECAST_SHARED: other }, join(root, 'clone')), { root: other });
      assert.deepEqual(findShared({ RULECAST_CORPUS: other, RULECAST_SHARED: join(root, 'shared') }, join(root, 'clone')), { root: other });
    });

    it('a variable naming a folder without the corpus is an error, not a fallback', () => {
      const root = layout();
      const r = findShared({ RULECAST_CORPUS: join(root, 'clone') }, join(root, 'clone'));
      assert.ok('problem' in r && r.problem.includes('$RULECAST_CORPUS') && r.problem.includes(join('corpus', 'sigma', 'rules')), JSON.stringify(r));
    });

    it('nowhere: a message that names the variables', () => {
      const lonely = mkdtempSync(join(tmpdir(), 'rulecast-lonely-'));
      const r = findShared({}, lonely);
      // The walk goes up to the file system's root: only a shared/ beside tmpdir() or above it
      // would be found, which a test machine does not have.
      assert.ok('problem' in r && /RULECAST_CORPUS/.test(r.problem), JSON.stringify(r));
    });
  });
});
