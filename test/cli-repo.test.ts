// Whole-repository conversion through the command line (spawned as a process): several targets,
// the output tree, the JSON shape, exit codes, fault isolation, atomic writes, colours and progress.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rulecast, tempRules } from './support/cli.js';
import { projectRoot } from './support/paths.js';

const rule = (title: string, detection: string, logsource = 'category: process_creation\n  product: windows') =>
  `title: ${title}\nlogsource:\n  ${logsource}\ndetection:\n${detection}\n`;
const good = rule('Good', "  selection:\n    Image|endswith: '\\\\whoami.exe'\n  condition: selection");
const alsoGood = rule('Also good', "  selection:\n    CommandLine|contains: ' -enc '\n  condition: selection");
// Valid Sigma that EQL cannot express (keywords: EQL has no full-text search).
const keywords = rule('Keywords', '  keywords:\n    - mimikatz\n  condition: keywords');
const broken = 'title: Broken\nlogsource: [unclosed\n';

function repo(): string {
  return tempRules({
    'windows/process/good.yml': good,
    'windows/process/also_good.yml': alsoGood,
    'windows/keywords.yml': keywords,
    'broken/broken.yml': broken,
  });
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe('CLI: whole repositories', () => {
  it('several targets from one parse: one result per rule and target, each with its target', () => {
    const dir = repo();
    const r = rulecast(['convert', dir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '--json']);
    const json = JSON.parse(r.stdout) as {
      results: { path: string; target: string; status: string; query: string | null; error: { code: string; line: number | null } | null }[];
      summary: { converted: number; failed: number; unsupported: number; invalid: number; targets: Record<string, { converted: number; unsupported: number; invalid: number }> };
    };
    assert.equal(json.results.length, 4 * 3);
    const byFile = (name: string) => json.results.filter((x) => x.path.endsWith(name)).map((x) => `${x.target}:${x.status}`);
    assert.deepEqual(byFile('good.yml').slice(0, 3), ['kql:converted', 'spl:converted', 'eql:converted']);
    assert.deepEqual(byFile('keywords.yml'), ['kql:converted', 'spl:converted', 'eql:unsupported']);
    assert.deepEqual(byFile('broken.yml'), ['kql:invalid', 'spl:invalid', 'eql:invalid']);
    const brokenResult = json.results.find((x) => x.path.endsWith('broken.yml'))!;
    assert.equal(brokenResult.error!.code, 'yaml-syntax');
    assert.equal(brokenResult.error!.line, 3);
    assert.deepEqual(json.summary.targets.eql, { converted: 2, unsupported: 1, invalid: 1 });
    assert.equal(json.summary.converted + json.summary.failed, 12);
    assert.equal(json.summary.failed, json.summary.unsupported + json.summary.invalid);
    assert.equal(r.status, 1, 'some rules failed');
  });

  it('exit codes: 0 all converted, 1 some failed, 2 usage; --skip-unsupported forgives only unsupported rules', () => {
    const dir = tempRules({ 'good.yml': good, 'keywords.yml': keywords });
    assert.equal(rulecast(['convert', join(dir, 'good.yml'), '-t', 'eql']).status, 0);
    assert.equal(rulecast(['convert', dir, '-t', 'eql']).status, 1);
    const skipped = rulecast(['convert', dir, '-t', 'eql', '--skip-unsupported']);
    assert.equal(skipped.status, 0);
    assert.doesNotMatch(skipped.stderr, /unsupported-keyword/);
    assert.match(skipped.stderr, /skipped/);
    assert.equal(rulecast(['convert', repo(), '-t', 'eql', '--skip-unsupported']).status, 1, 'the broken rule is invalid, not unsupported');
    assert.equal(rulecast(['convert', dir, '-t', 'eql', '-p', 'no-such-pipeline']).status, 2);
    assert.equal(rulecast(['convert', dir, '-t', 'eql', '-f', 'no-such-format']).status, 2);
    assert.equal(rulecast(['convert', dir, '-t', 'kql', '-p', 'spl:splunk-cim']).status, 2, 'scoped to a target not asked for');
  });

  it('-o <folder>/ mirrors the input tree, one file per rule and target with the target extension', () => {
    const dir = repo();
    const out = join(dir, '..', `${relative(join(dir, '..'), dir)}-out`);
    const r = rulecast(['convert', dir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '-o', `${out}/`]);
    assert.equal(r.status, 1);
    assert.deepEqual(files(out), [
      'windows/keywords.kql',
      'windows/keywords.spl',
      'windows/process/also_good.eql',
      'windows/process/also_good.kql',
      'windows/process/also_good.spl',
      'windows/process/good.eql',
      'windows/process/good.kql',
      'windows/process/good.spl',
    ]);
    assert.match(readFileSync(join(out, 'windows/process/good.kql'), 'utf8'), /^DeviceProcessEvents\n\| where FolderPath endswith @"\\whoami\.exe"\n$/);
  });

  it('--jobs gives the same results as one thread', () => {
    const dir = repo();
    const one = rulecast(['convert', dir, '-t', 'kql', '-t', 'eql', '--json', '-j', '1']);
    const two = rulecast(['convert', dir, '-t', 'kql', '-t', 'eql', '--json', '-j', '2']);
    assert.equal(two.stdout, one.stdout);
    assert.equal(two.status, one.status);
  });

  it('no colours and no progress bar when piped; colours on a terminal unless NO_COLOR', () => {
    const dir = tempRules(Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`r${i}.yml`, i === 0 ? broken : good])));
    const piped = rulecast(['convert', dir, '-t', 'kql'], { env: { NO_COLOR: '' } });
    assert.doesNotMatch(piped.stderr, /\x1b\[/);
    assert.doesNotMatch(piped.stderr, /[█░]|\r/);
    // On a pseudo-terminal (util-linux `script`): the progress bar and colours appear…
    const tty = (env: string) =>
      spawnSync('script', ['-qec', `${env} ${process.execPath} ${join(projectRoot, 'bin', 'rulecast.js')} convert ${dir} -t kql -o ${join(dir, 'out.kql')}`, '/dev/null'], { encoding: 'utf8' }).stdout;
    const colored = tty('');
    assert.match(colored, /\x1b\[31m/, 'errors in red on a terminal');
    assert.match(colored, /█/, 'a progress bar on a terminal');
    // …and NO_COLOR turns the colours off.
    assert.doesNotMatch(tty('NO_COLOR=1'), /\x1b\[3\dm/);
  });

  it('an interrupted run leaves only whole output files (written to a temporary file, then renamed)', async () => {
    // Enough rules that the run is still writing when it is stopped, each one different, so that a
    // partial file or one holding another rule's query differs from the reference.
    const values = (i: number) => Array.from({ length: 8 }, (_, k) => `      - ' -opt${i}-${k} '`).join('\n');
    const corpus = tempRules(
      Object.fromEntries(
        Array.from({ length: 1200 }, (_, i) => [`rule_${i}.yml`, rule(`Rule ${i}`, `  selection:\n    Image|endswith: '\\\\tool${i}.exe'\n    CommandLine|contains:\n${values(i)}\n  condition: selection`)]),
      ),
    );
    const reference = tempRules({});
    rulecast(['convert', corpus, '-t', 'kql', '-o', `${reference}/`]);
    const out = tempRules({});
    mkdirSync(out, { recursive: true });
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'rulecast.js'), 'convert', corpus, '-t', 'kql', '-o', `${out}/`], { stdio: 'ignore' });
    // Stop it while it is writing.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        // After the first whole output (renamed from its temporary file), while others are written.
        if (existsSync(out) && readdirSync(out).some((f) => f.endsWith('.kql') && !f.startsWith('.'))) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const written = files(out).filter((f) => f.endsWith('.kql') && !f.split('/').pop()!.startsWith('.'));
    // Some outputs were written, and the run was stopped before the last.
    assert.ok(written.length > 0 && written.length < 1200, `${written.length} outputs`);
    for (const f of written) assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(reference, f), 'utf8'), f);
  });

  it('--filter applies Sigma filter documents to the rules they name (sigma-cli\'s option)', () => {
    const dir = tempRules({
      'rule.yml': `id: 929a690e-bef0-4204-a928-ef5e620d6fcc\n${good}`,
      'other.yml': alsoGood,
    });
    const filter = tempRules({
      'filter.yml': 'title: Not the admins\nlogsource:\n  product: windows\nfilter:\n  rules:\n    - 929a690e-bef0-4204-a928-ef5e620d6fcc\n  selection:\n    User|startswith: adm_\n  condition: not selection\n',
    });
    const r = rulecast(['convert', dir, '-t', 'kql', '--json', '--filter', join(filter, 'filter.yml')]);
    const json = JSON.parse(r.stdout) as { results: { path: string; query: string }[] };
    const tuned = json.results.find((x) => x.path.endsWith('rule.yml'))!.query;
    const untouched = json.results.find((x) => x.path.endsWith('other.yml'))!.query;
    assert.match(tuned, /\/\/ {3}- Not the admins\n/);
    assert.match(tuned, /and AccountDomainAndName !startswith "adm_"$/);
    assert.doesNotMatch(untouched, /adm_/);
  });

  it('list targets, pipelines and formats', () => {
    assert.deepEqual(
      (JSON.parse(rulecast(['list', 'targets', '--json']).stdout) as { targets: { name: string }[] }).targets.map((t) => t.name),
      ['kql', 'spl', 'eql', 'sigma'],
    );
    const pipelines = JSON.parse(rulecast(['list', 'pipelines', 'kql', '--json']).stdout) as { pipelines: { name: string; default: boolean }[] };
    assert.deepEqual(pipelines.pipelines.map((p) => `${p.name}${p.default ? '*' : ''}`), ['defender-xdr*', 'sentinel-asim', 'none']);
    const formats = JSON.parse(rulecast(['list', 'formats', 'spl', '--json']).stdout) as { formats: { name: string }[] };
    assert.deepEqual(formats.formats.map((f) => f.name), ['default', 'data-model', 'savedsearches']);
    assert.equal(rulecast(['list', 'nothing']).status, 2);
  });

  it('an exclusions file in a rule folder is skipped, and the rule that names it is tuned', () => {
    const dir = tempRules({
      'rule.yml': `${good}rulecast:\n  exclusions: fp.yml\n`,
      'fp.yml': 'exclusions:\n  - name: Admin scripts\n    filter: process.parent.name == "admin.exe"\n',
    });
    const r = rulecast(['convert', dir, '-t', 'kql', '--json', '--compact']);
    const json = JSON.parse(r.stdout) as { results: { path: string; query: string }[]; summary: { exclusionFiles: number } };
    assert.equal(json.results.length, 1);
    assert.equal(json.summary.exclusionFiles, 1);
    assert.match(json.results[0]!.query, /\/\/ {3}- Admin scripts\n/);
    // The rule is written in Sigma names: process.parent.name is the file name of ParentImage.
    assert.match(json.results[0]!.query, /and not\(InitiatingProcessFolderPath =~ "admin\.exe" or InitiatingProcessFolderPath endswith @"\\admin\.exe"\)$/);
    writeFileSync(join(dir, 'fp.yml'), 'exclusions:\n  - name: Bad\n    filter: process.name === "x"\n');
    const bad = rulecast(['convert', dir, '-t', 'kql', '--json']);
    assert.equal(bad.status, 1);
    assert.equal((JSON.parse(bad.stdout) as { results: { status: string }[] }).results[0]!.status, 'invalid');
  });
});
