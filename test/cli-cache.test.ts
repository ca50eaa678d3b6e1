// convert --cache: a file's outcome is reused exactly when nothing it depends on changed (hits, a
// miss for each dependency, correlations across files), corrupt entries are never trusted, and
// concurrent runs never leave an entry that is trusted wrongly. Outputs with and without the
// cache are compared whole; hits and misses are read from the cache's own counts, never timed.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ConversionCache, treeDigest } from '../src/cli/cache.js';
import { contentDigest } from '../src/cli/digest.js';
import type { RunSettings } from '../src/cli/convert-run.js';
import { expandInputs } from '../src/cli/files.js';
import { convertFiles } from '../src/cli/parallel.js';
import { rulecast, tempRules } from './support/cli.js';
import { projectRoot } from './support/paths.js';

const rule = (title: string, image: string, extra = '') =>
  `title: ${title}\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  selection:\n    Image|endswith: '\\\\${image}'\n  condition: selection\n${extra}`;
const failed = `title: Failed logon\nname: failed_logon\nlogsource:\n  product: windows\n  service: security\ndetection:\n  selection:\n    EventID: 4625\n  condition: selection\n`;
const processRule = failed.replace('Failed logon', 'Process').replace('failed_logon', 'process').replace('4625', '4688');
const brute = (ref: string) => `title: Brute force\ncorrelation:\n  type: event_count\n  rules:\n    - ${ref}\n  group-by:\n    - TargetUserName\n  timespan: 10m\n  condition:\n    gte: 2\n`;
const exclusions = (value: string) => `exclusions:\n  - name: Not the updater\n    filter: process.args contains "${value}"\n`;
const pipeline = (field: string) => `name: my-names\ndescription: test\nfieldmaps:\n  main:\n    Image: ${field}\nfields: main\n`;

const baseSettings: RunSettings = { targets: ['kql', 'spl', 'eql'], pipelines: { kql: [], spl: [], eql: [] }, formats: { kql: 'default', spl: 'default', eql: 'default' }, exclusionFiles: [], color: false };

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'rulecast-cache-'));
}

/** A run in this process, as the command line makes it: the outcomes' results as the JSON output
 *  shows them, and which files the cache reused, converted, and rejected. */
async function run(dir: string, cacheDir: string | undefined, settings: Partial<RunSettings> = {}, optionFiles: string[] = []) {
  const warnings: string[] = [];
  const cache = cacheDir === undefined ? undefined : new ConversionCache(cacheDir, optionFiles, (m) => warnings.push(m));
  const outcomes = await convertFiles(expandInputs([dir]), { ...baseSettings, ...settings }, { cache });
  const names = (paths: readonly string[]) => paths.map((p) => relative(dir, p)).sort();
  return {
    output: JSON.stringify(outcomes.map((o) => ({ results: o.results, correlated: o.correlated ?? 0, exclusionsFile: o.exclusionsFile }))),
    reused: names(cache?.stats.reused ?? []),
    converted: names(cache?.stats.converted ?? []),
    rejected: cache?.stats.rejected.length ?? 0,
    written: cache?.stats.written ?? 0,
    warnings,
  };
}

/** A run with the cache, checked against the same run without it. */
async function cached(dir: string, cacheDir: string, settings: Partial<RunSettings> = {}, optionFiles: string[] = []) {
  const r = await run(dir, cacheDir, settings, optionFiles);
  assert.equal(r.output, (await run(dir, undefined, settings)).output, 'the same outcomes as without the cache');
  return r;
}

function entries(cacheDir: string): string[] {
  const folder = join(cacheDir, 'v1');
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(folder, f));
}

describe('convert --cache', () => {
  it('a second run reuses every file, with the same outcomes; a third too', async () => {
    const dir = tempRules({ 'a.yml': rule('A', 'a.exe'), 'sub/b.yml': rule('B', 'b.exe'), 'bad.yml': 'title: Bad\nlogsource: [unclosed\n', 'not-text.yml': 'title: \0binary' });
    const cacheDir = join(tempDir(), 'made/when/missing');
    const first = await cached(dir, cacheDir);
    // A file that is not text is converted as without a cache (and reports why), never stored.
    assert.deepEqual(first.converted, ['a.yml', 'bad.yml', 'sub/b.yml']);
    assert.deepEqual(first.reused, []);
    assert.equal(first.written, 3);
    const second = await cached(dir, cacheDir);
    assert.deepEqual(second.reused, ['a.yml', 'bad.yml', 'sub/b.yml']);
    assert.deepEqual(second.converted, []);
    assert.equal(second.output, first.output);
    assert.deepEqual((await cached(dir, cacheDir)).reused, second.reused);
  });

  it('an edited rule is converted again, and only it; a copied one is converted (its path is in its results)', async () => {
    const dir = tempRules({ 'a.yml': rule('A', 'a.exe'), 'b.yml': rule('B', 'b.exe') });
    const cacheDir = tempDir();
    await cached(dir, cacheDir);
    writeFileSync(join(dir, 'a.yml'), rule('A', 'changed.exe'));
    const edited = await cached(dir, cacheDir);
    assert.deepEqual([edited.converted, edited.reused], [['a.yml'], ['b.yml']]);
    assert.match(edited.output, /changed\.exe/);
    cpSync(join(dir, 'b.yml'), join(dir, 'c.yml'));
    assert.deepEqual((await cached(dir, cacheDir)).converted, ['c.yml']);
  });

  it("a rule's own exclusions file: editing it converts again the rules that name it, only them; creating a missing one too", async () => {
    const named = rule('Named', 'a.exe', 'rulecast:\n  exclusions: own.exclusions.yml\n');
    const dir = tempRules({ 'named.yml': named, 'other.yml': rule('Other', 'b.exe'), 'missing.yml': rule('Missing', 'c.exe', 'rulecast:\n  exclusions: later.exclusions.yml\n'), 'own.exclusions.yml': exclusions('first-value') });
    const cacheDir = tempDir();
    const first = await cached(dir, cacheDir);
    assert.match(first.output, /missing-exclusions/);
    assert.match(first.output, /first-value/);
    writeFileSync(join(dir, 'own.exclusions.yml'), exclusions('second-value'));
    const edited = await cached(dir, cacheDir);
    // The exclusions file is a file of the run too (skipped as one: cached as one).
    assert.deepEqual(edited.converted, ['named.yml', 'own.exclusions.yml']);
    assert.match(edited.output, /second-value/);
    assert.doesNotMatch(edited.output, /first-value/);
    writeFileSync(join(dir, 'later.exclusions.yml'), exclusions('later'));
    const created = await cached(dir, cacheDir);
    assert.deepEqual(created.converted, ['later.exclusions.yml', 'missing.yml'], 'the new file is searched too (an exclusions file: skipped)');
    assert.doesNotMatch(created.output, /missing-exclusions/);
    assert.deepEqual((await cached(dir, cacheDir)).converted, []);
  });

  it('every option that shapes output is part of the key: targets, pipelines by name and by content, formats, templates by content, --compact, placeholders, exclusions files by content, --no-exclusions, colours', async () => {
    const long = rule('Long', 'l.exe').replace('  condition:', `    CommandLine|contains:\n${Array.from({ length: 12 }, (_, i) => `      - ' -option-number-${i} '`).join('\n')}\n  condition:`);
    const dir = tempRules({ 'long.yml': long, 'bad.yml': 'title: Bad\nlogsource: [unclosed\n', 'a.yml': rule('A', 'a.exe', 'rulecast:\n  exclusions: own.exclusions.yml\n'), 'p.yml': rule('P', '%tools%', '').replace("Image|endswith: '\\\\%tools%'", 'Image|expand: "%tools%"'), 'own.exclusions.yml': exclusions('own') });
    const files = tempRules({ 'x.yml': exclusions('x'), 'pipeline.yml': pipeline('process.executable'), 'query.hbs': 'MINE {{#each parts}}{{body}}{{/each}}' });
    const template = join(files, 'query.hbs');
    const x = join(files, 'x.yml');
    const pipelineFile = join(files, 'pipeline.yml');
    const cacheDir = tempDir();
    const variants: [string, Partial<RunSettings>][] = [
      ['defaults', { placeholders: { tools: ['a.exe'] } }],
      ['targets', { targets: ['kql', 'spl'], placeholders: { tools: ['a.exe'] } }],
      ['a built-in pipeline', { pipelines: { kql: ['sentinel-asim'], spl: [], eql: [] }, placeholders: { tools: ['a.exe'] } }],
      ['a pipeline file', { pipelines: { kql: [{ file: pipelineFile }], spl: [], eql: [] }, placeholders: { tools: ['a.exe'] } }],
      ['a format', { formats: { kql: 'sentinel-rule', spl: 'default', eql: 'default' }, placeholders: { tools: ['a.exe'] } }],
      ['placeholder values', { placeholders: { tools: ['b.exe'] } }],
      ['--exclusions', { exclusionFiles: [x], placeholders: { tools: ['a.exe'] } }],
      ['--no-exclusions', { untuned: true, placeholders: { tools: ['a.exe'] } }],
      ['a template file', { templates: { 'kql/query': template }, placeholders: { tools: ['a.exe'] } }],
      ['--compact', { compact: true, placeholders: { tools: ['a.exe'] } }],
      ['colours', { color: true, placeholders: { tools: ['a.exe'] } }],
    ];
    const outputs = new Set<string>();
    for (const [name, settings] of variants) {
      const first = await cached(dir, cacheDir, settings, [x, pipelineFile]);
      assert.deepEqual(first.converted, ['a.yml', 'bad.yml', 'long.yml', 'own.exclusions.yml', 'p.yml'], `${name}: a new key`);
      outputs.add(first.output);
      assert.deepEqual((await cached(dir, cacheDir, settings, [x, pipelineFile])).reused, ['a.yml', 'bad.yml', 'long.yml', 'own.exclusions.yml', 'p.yml'], `${name}: reused`);
    }
    assert.equal(outputs.size, variants.length, 'each variant changes the output: the test would see a wrong reuse');
    // A file named by an option, by its content.
    const withX = { exclusionFiles: [x], placeholders: { tools: ['a.exe'] } };
    writeFileSync(x, exclusions('y'));
    assert.deepEqual((await cached(dir, cacheDir, withX, [x])).converted, ['a.yml', 'bad.yml', 'long.yml', 'own.exclusions.yml', 'p.yml'], '--exclusions file edited');
    const withPipeline = { pipelines: { kql: [{ file: pipelineFile }], spl: [], eql: [] }, placeholders: { tools: ['a.exe'] } };
    writeFileSync(pipelineFile, pipeline('process.name'));
    const edited = await cached(dir, cacheDir, withPipeline, [pipelineFile]);
    assert.deepEqual(edited.converted, ['a.yml', 'bad.yml', 'long.yml', 'own.exclusions.yml', 'p.yml'], 'pipeline file edited');
    assert.match(edited.output, /process\.name/);
    const withTemplate = { templates: { 'kql/query': template }, placeholders: { tools: ['a.exe'] } };
    writeFileSync(template, 'OURS {{#each parts}}{{body}}{{/each}}');
    const retemplated = await cached(dir, cacheDir, withTemplate);
    assert.deepEqual(retemplated.converted, ['a.yml', 'bad.yml', 'long.yml', 'own.exclusions.yml', 'p.yml'], 'template file edited');
    assert.match(retemplated.output, /OURS/);
  });

  it('correlations across files: a cached rule is output, or not, as the correlations of this run say', async () => {
    const dir = tempRules({ 'rules/failed.yml': failed, 'rules/process.yml': processRule, 'correlations/brute.yml': brute('failed_logon') });
    const cacheDir = tempDir();
    const first = await cached(dir, cacheDir);
    assert.doesNotMatch(first.output, /4625/, 'the failed-logon rule is used by the correlation');
    assert.match(first.output, /4688/);
    // The correlation now uses the other rule: only its file is converted again, and the rules'
    // cached outcomes are settled anew.
    writeFileSync(join(dir, 'correlations/brute.yml'), brute('process'));
    const switched = await cached(dir, cacheDir);
    assert.deepEqual(switched.converted, ['correlations/brute.yml']);
    assert.match(switched.output, /4625/);
    assert.doesNotMatch(switched.output, /4688/);
    rmSync(join(dir, 'correlations'), { recursive: true });
    const gone = await cached(dir, cacheDir);
    assert.deepEqual([gone.converted, gone.reused], [[], ['rules/failed.yml', 'rules/process.yml']]);
    assert.match(gone.output, /4625[\s\S]*4688|4688[\s\S]*4625/);
  });

  describe('an entry is trusted only when whole and for this file', () => {
    const corruptions: [string, (text: string) => string, boolean][] = [
      ['truncated', (t) => t.slice(0, Math.floor(t.length / 2)), true],
      ['a byte of the payload changed', (t) => t.replace('"query":"', '"query":"x'), true],
      ['the payload replaced by other JSON', (t) => `${t.split('\n')[0]}\n{"results":[]}\n`, true],
      ['other JSON with its own checksum', (t) => {
        const payload = '{"results":"not a list"}';
        return `${JSON.stringify({ ...(JSON.parse(t.split('\n')[0]!) as object), sha256: contentDigest(payload) })}\n${payload}\n`;
      }, true],
      ['the checksum changed', (t) => t.replace(/"sha256":"[0-9a-f]/, '"sha256":"g'), true],
      ['empty', () => '', true],
      ['not JSON', () => 'garbage\n\n', true],
      // Another key at this slot is an entry for other content of the file: a plain miss.
      ['the key changed', (t) => t.replace(/"key":"[0-9a-f]/, '"key":"g'), false],
    ];
    for (const [name, corrupt, rejected] of corruptions) {
      it(`${name}: converted again, the same outcome, the entry rewritten`, async () => {
        const dir = tempRules({ 'a.yml': rule('A', 'a.exe') });
        const cacheDir = tempDir();
        await cached(dir, cacheDir);
        const [entry] = entries(cacheDir);
        writeFileSync(entry!, corrupt(readFileSync(entry!, 'utf8')));
        const r = await cached(dir, cacheDir);
        assert.deepEqual([r.converted, r.rejected], [['a.yml'], rejected ? 1 : 0]);
        assert.deepEqual((await cached(dir, cacheDir)).reused, ['a.yml'], 'rewritten whole');
      });
    }

    it("another file's entry, copied over this one's, is not trusted (the key names the slot)", async () => {
      // Same bytes, other paths: identical content must not make one file's entry another's.
      const dir = tempRules({ 'a.yml': rule('A', 'a.exe'), 'b.yml': rule('A', 'a.exe') });
      const cacheDir = tempDir();
      await cached(dir, cacheDir);
      const [one, two] = entries(cacheDir);
      writeFileSync(two!, readFileSync(one!));
      const r = await cached(dir, cacheDir);
      assert.equal(r.converted.length, 1);
    });

    it('an option file changed during the run: nothing is stored, and the run says so', async () => {
      const dir = tempRules({ 'a.yml': rule('A', 'a.exe') });
      const x = join(tempRules({ 'x.yml': exclusions('x') }), 'x.yml');
      const cacheDir = tempDir();
      const warnings: string[] = [];
      // Hashed before the command reads it, as convert does; then changed before it is read.
      const cache = new ConversionCache(cacheDir, [x], (m) => warnings.push(m));
      writeFileSync(x, exclusions('changed'));
      await convertFiles(expandInputs([dir]), { ...baseSettings, exclusionFiles: [x] }, { cache });
      assert.equal(cache.stats.written, 0);
      assert.match(warnings.join('\n'), /x\.yml changed during the run; no cache entries stored/);
      assert.deepEqual((await cached(dir, cacheDir, { exclusionFiles: [x] }, [x])).converted, ['a.yml']);
    });
  });

  it('rulecast itself is part of the key: every module and package.json, by content', () => {
    const root = tempRules({ 'src/a.js': 'a', 'src/sub/b.js': 'b', 'src/a.js.map': 'map', 'package.json': '{"version":"1"}' });
    const digest = () => treeDigest(join(root, 'src'), join(root, 'package.json'));
    const before = digest();
    writeFileSync(join(root, 'src/a.js.map'), 'other map');
    assert.equal(digest(), before, 'a source map is not code');
    const changes: [string, () => void][] = [
      ['a module edited', () => writeFileSync(join(root, 'src/sub/b.js'), 'b2')],
      ['a module added', () => writeFileSync(join(root, 'src/c.js'), '')],
      ['a module renamed', () => (rmSync(join(root, 'src/c.js')), writeFileSync(join(root, 'src/d.js'), ''))],
      ['the version', () => writeFileSync(join(root, 'package.json'), '{"version":"2"}')],
    ];
    const seen = new Set([before]);
    for (const [name, change] of changes) {
      change();
      const now = digest();
      assert.ok(!seen.has(now), name);
      seen.add(now);
    }
  });

  describe('the command line', () => {
    const corpus = () =>
      tempRules({
        ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`windows/r${i}.yml`, rule(`Rule ${i}`, `tool${i}.exe`, i % 7 === 0 ? 'rulecast:\n  exclusions: ../own.exclusions.yml\n' : '')])),
        'own.exclusions.yml': exclusions('first-value'),
        'keywords.yml': 'title: Keywords\nlogsource:\n  product: windows\ndetection:\n  keywords:\n    - mimikatz\n  condition: keywords\n',
        'broken.yml': 'title: Broken\nlogsource: [unclosed\n',
        'correlations/brute.yml': brute('failed_logon'),
        'failed.yml': failed,
      });

    it('outputs with and without the cache are identical: JSON, queries and messages, output folders; on worker threads too', () => {
      const dir = corpus();
      const cacheDir = tempDir();
      const same = (args: string[]) => {
        const plain = rulecast(args);
        for (const pass of ['cold', 'warm']) {
          const r = rulecast([...args, '--cache', cacheDir]);
          assert.deepEqual(r, plain, `${args.join(' ')} (${pass})`);
        }
        return plain;
      };
      assert.equal(same(['convert', dir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '--json']).status, 1);
      assert.match(same(['convert', dir, '-t', 'kql', '-t', 'eql']).stderr, /error\[yaml-syntax\]/);
      // Another run key (targets in another order), so the first pass on worker threads is cold.
      same(['convert', dir, '-t', 'eql', '-t', 'kql', '-j', '2', '--json']);
      const out = (name: string) => join(mkdtempSync(join(tmpdir(), 'rulecast-out-')), name);
      const plainOut = out('plain/');
      const cachedOut = out('cached/');
      rulecast(['convert', dir, '-t', 'spl', '-o', plainOut]);
      rulecast(['convert', dir, '-t', 'spl', '-o', cachedOut, '--cache', cacheDir]);
      rulecast(['convert', dir, '-t', 'spl', '-o', cachedOut, '--cache', cacheDir]);
      const tree = (root: string) => {
        const found: [string, string][] = [];
        const walk = (d: string) => {
          for (const e of readdirSync(d, { withFileTypes: true })) {
            if (e.isDirectory()) walk(join(d, e.name));
            else found.push([relative(root, join(d, e.name)), readFileSync(join(d, e.name), 'utf8')]);
          }
        };
        walk(root);
        return JSON.stringify(found.sort());
      };
      assert.ok(tree(plainOut).includes('tool39.exe'));
      assert.equal(tree(cachedOut), tree(plainOut));
    });

    it('concurrent runs on one cache: each output as without the cache, and every entry left whole', async () => {
      const dir = corpus();
      const cacheDir = tempDir();
      const args = ['convert', dir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '--json'];
      const reference = rulecast(args).stdout;
      const spawned = () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [join(projectRoot, 'bin', 'rulecast.js'), ...args, '--cache', cacheDir], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' } });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.once('error', reject);
          child.once('exit', () => resolve(out));
        });
      // Four runs writing the same entries at once, twice over (the second round reads entries
      // while others rewrite them).
      for (let round = 0; round < 2; round++) {
        const outs = await Promise.all([spawned(), spawned(), spawned(), spawned()]);
        for (const out of outs) assert.equal(out, reference);
      }
      assert.ok(!readdirSync(join(cacheDir, 'v1')).some((f) => f.endsWith('.tmp')), 'no temporary file left');
      // The same run key in this process (same folder, options, rulecast): every entry whole.
      const again = await cached(dir, cacheDir);
      assert.deepEqual([again.rejected, again.converted], [0, []]);
      assert.equal(again.reused.length, 45);
    });

    it('a cache that cannot be written: the run goes on, said once; --cache naming a file is a usage error', () => {
      const dir = corpus();
      const cacheDir = tempDir();
      writeFileSync(join(cacheDir, 'v1'), 'a file where the entries go');
      const args = ['convert', dir, '-t', 'kql', '--json'];
      const plain = rulecast(args);
      const r = rulecast([...args, '--cache', cacheDir]);
      assert.equal(r.stdout, plain.stdout);
      assert.equal(r.status, plain.status);
      assert.equal(r.stderr.match(/cannot write the cache/g)?.length, 1, r.stderr);
      const file = join(tempDir(), 'file');
      writeFileSync(file, '');
      const usage = rulecast([...args, '--cache', file]);
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /--cache .*file is a file; the cache is a folder/);
    });
  });
});
