// convert --cache on the public corpus: the command's outputs without the cache, with a cold one
// and with a warm one are identical, byte for byte (JSON, and queries with their messages), and the
// warm run reuses every file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConversionCache } from '../src/cli/cache.js';
import { expandInputs } from '../src/cli/files.js';
import { convertFiles } from '../src/cli/parallel.js';
import { rulesDir } from './support/corpus.js';
import { projectRoot } from './support/paths.js';

function rulecast(args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'rulecast.js'), ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('convert --cache on the corpus', () => {
  it('outputs with and without the cache are identical, and a warm run reuses every file', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'rulecast-cache-'));
    const json = ['convert', rulesDir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '--json'];
    const plain = rulecast(json);
    assert.ok(plain.stdout.length > 1e6, 'the whole corpus converted');
    for (const pass of ['cold', 'warm']) assert.deepEqual(rulecast([...json, '--cache', cacheDir]), plain, `--json, ${pass} cache`);
    // The command line's queries and messages (the same run key as --json: output shape is not an
    // option of the conversion).
    const text = json.slice(0, -1);
    assert.deepEqual(rulecast([...text, '--cache', cacheDir]), rulecast(text), 'queries and messages, warm cache');
    // The same run in this process (same folder, options and rulecast): every file reused.
    const cache = new ConversionCache(cacheDir, [], () => {});
    const inputs = expandInputs([rulesDir]);
    await convertFiles(inputs, { targets: ['kql', 'spl', 'eql'], pipelines: { kql: [], spl: [], eql: [] }, formats: { kql: 'default', spl: 'default', eql: 'default' }, exclusionFiles: [], untuned: false, color: false }, { cache });
    assert.deepEqual([cache.stats.reused.length, cache.stats.converted.length, cache.stats.rejected.length], [inputs.length, 0, 0]);
  });
});
