// npm run bench, on the Node it runs on. First the command line as users wait for it, whole
// processes: the corpus command (convert <corpus> -t kql -t spl -t eql --json > /dev/null) against
// the floor (a fresh process listing, reading and js-yaml-parsing the same files), one rule against
// a bare `node -e 0`, and a re-run with a warm --cache against the floor; wall times and peak RSS.
// Then the in-process pass: rulecast's time split into reading, YAML, lowering and each target,
// against the floor's reading and parsing in the same kind of process. Each measurement runs
// several times, alternated with the others; the medians are printed. Figures, never assertions.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { loadAll, YAML11_SCHEMA } from 'js-yaml';
import { SourceFile } from '../src/diagnostics/source.js';
import { parseYaml } from '../src/parse/yaml.js';
import { loadYamlDocuments } from '../src/rule/load.js';
import { tryLower } from '../src/lower/index.js';
import { conversionBatchSize, convertQuery } from '../src/index.js';
import type { RuleQuery } from '../src/ir/query.js';
import { isRulecastError } from '../src/diagnostics/diagnostic.js';
import { findShared } from '../test/support/shared-location.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = join(here, '..', '..');

/** The public corpus's rules, in the shared material the corpus suite reads (test/support). */
function corpusDir(): string {
  const location = findShared(process.env, projectRoot);
  if ('problem' in location) throw new Error(`the bench converts the public corpus: ${location.problem}`);
  return join(location.root, 'corpus', 'sigma', 'rules');
}

interface Sample {
  mode: string;
  files: number;
  rules: number;
  totalMs: number;
  readMs: number;
  yamlMs: number;
  restMs: number;
  converted: Record<string, number>;
  /** Time spent lowering, and rendering each target (the rest, split). */
  lowerMs: number;
  targetMs: Record<string, number>;
  maxRssMb: number;
  /** The whole pass run a second and a third time in the same process. */
  secondPassMs: number;
  thirdPassMs: number;
}

function child(mode: string): Sample {
  const dir = corpusDir();
  const files = fg.sync('**/*.{yml,yaml}', { cwd: dir, absolute: true }).sort();
  const first = pass(mode, files);
  // The same work again in the same process, twice: what the corpus costs while and once V8 has
  // compiled the code (the second pass still runs partly unoptimized code; the third is steady).
  // Reported apart; every other figure, peak memory included, is the first, fresh-process pass.
  const second = pass(mode, files);
  const third = pass(mode, files);
  return { ...first, secondPassMs: second.totalMs, thirdPassMs: third.totalMs };
}

function pass(mode: string, files: readonly string[]): Sample {
  const t0 = performance.now();
  let readMs = 0;
  let yamlMs = 0;
  let rules = 0;
  const converted: Record<string, number> = {};
  const targetMs: Record<string, number> = {};
  let lowerMs = 0;
  // The three query languages of the issue (the sigma target is a writer, not a SIEM).
  const targets = ['kql', 'spl', 'eql'];
  if (mode === 'yaml') {
    for (const f of files) {
      const r0 = performance.now();
      const text = readFileSync(f, 'utf8');
      const r1 = performance.now();
      readMs += r1 - r0;
      rules += loadAll(text, { schema: YAML11_SCHEMA }).length;
      yamlMs += performance.now() - r1;
    }
  } else {
    // As the command line and convertAll work: batches of files, stage by stage (read, YAML, then
    // validation and lowering, then each target), so each stage is timed on its own.
    for (let start = 0; start < files.length; start += conversionBatchSize) {
      const batch = files.slice(start, start + conversionBatchSize);
      const r0 = performance.now();
      const sources = batch.map((f) => new SourceFile(f, readFileSync(f, 'utf8')));
      const r1 = performance.now();
      readMs += r1 - r0;
      const parsed: { source: SourceFile; docs: ReturnType<typeof parseYaml> }[] = [];
      for (const source of sources) {
        try {
          parsed.push({ source, docs: parseYaml(source) });
        } catch (err) {
          if (!isRulecastError(err)) throw err;
        }
      }
      const r2 = performance.now();
      yamlMs += r2 - r1;
      const queries: RuleQuery[] = [];
      for (const { source, docs } of parsed) {
        for (const loaded of loadYamlDocuments(source, docs)) {
          rules++;
          if (!loaded.document) continue;
          const l0 = performance.now();
          const { query } = tryLower(loaded.document);
          lowerMs += performance.now() - l0;
          if (query) queries.push(query);
        }
      }
      for (const t of targets) {
        const c0 = performance.now();
        for (const query of queries) {
          try {
            convertQuery(query, t);
            converted[t] = (converted[t] ?? 0) + 1;
          } catch (err) {
            if (!isRulecastError(err)) throw err;
          }
        }
        targetMs[t] = (targetMs[t] ?? 0) + performance.now() - c0;
      }
    }
  }
  const totalMs = performance.now() - t0;
  return { mode, files: files.length, rules, totalMs, readMs, yamlMs, restMs: totalMs - readMs - yamlMs, converted, lowerMs, targetMs, maxRssMb: process.resourceUsage().maxRSS / 1024, secondPassMs: 0, thirdPassMs: 0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** One whole process, timed from the parent: wall time, and peak RSS (MB) and CPU time when `rss`
 *  (bench/peak-rss preloaded; left out where its module load would weigh, the one-rule pair).
 *  Output is discarded. */
function timed(args: readonly string[], rss: boolean): { ms: number; rssMb: number; cpuMs: number } {
  const devNull = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, rss ? ['--import', new URL('./peak-rss.js', import.meta.url).href, ...args] : args, { stdio: ['ignore', devNull, 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
    const ms = performance.now() - t0;
    // Exit status 1 is the corpus's own unsupported and invalid rules, not a failure of the run.
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    const [maxRss, cpuUs] = String(r.output[3] ?? '').trim().split(' ').map(Number);
    return { ms, rssMb: rss ? maxRss! / 1024 : 0, cpuMs: rss ? cpuUs! / 1000 : 0 };
  } finally {
    closeSync(devNull);
  }
}

/** The corpus rule the one-rule figure converts (BENCH_RULE: another, relative to the corpus). */
const oneRule = process.env.BENCH_RULE ?? 'windows/process_creation/proc_creation_win_whoami_all_execution.yml';

function commandLine(runs: number): void {
  const dir = corpusDir();
  const cli = join(projectRoot, 'bin', 'rulecast.js');
  const floorScript = fileURLToPath(new URL('./floor.js', import.meta.url));
  const cacheDir = mkdtempSync(join(tmpdir(), 'rulecast-bench-cache-'));
  const corpus = [cli, 'convert', dir, '-t', 'kql', '-t', 'spl', '-t', 'eql', '--json'];
  const one = [cli, 'convert', join(dir, oneRule), '-t', 'kql'];
  try {
    // Each command once with its output read, so a timed run that does not do the work (a wrong
    // path, a crash) cannot pass for a fast one; the cached command's run fills the cache.
    const results = (args: string[]) => (JSON.parse(spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout) as { results: unknown[] }).results.length;
    const expected = results(corpus);
    if (expected < 3000 || results([...corpus, '--cache', cacheDir]) !== expected) throw new Error('the corpus command did not convert the corpus');
    if (spawnSync(process.execPath, one, { encoding: 'utf8' }).stdout.length === 0) throw new Error(`convert ${oneRule} printed no query`);
    const m: Record<'floor' | 'command' | 'cached' | 'bare' | 'one', { ms: number; rssMb: number; cpuMs: number }[]> = { floor: [], command: [], cached: [], bare: [], one: [] };
    for (let i = 0; i < runs; i++) {
      m.floor.push(timed([floorScript, dir], true));
      m.command.push(timed(corpus, true));
      m.cached.push(timed([...corpus, '--cache', cacheDir], true));
      m.bare.push(timed(['-e', '0'], false));
      m.one.push(timed(one, false));
    }
    const ms = (k: keyof typeof m) => median(m[k].map((x) => x.ms));
    const mb = (k: keyof typeof m) => median(m[k].map((x) => x.rssMb));
    const cpu = (k: keyof typeof m) => median(m[k].map((x) => x.cpuMs));
    const ratio = (a: keyof typeof m, b: keyof typeof m) => median(m[a].map((x, i) => x.ms / m[b][i]!.ms));
    const cpuRatio = (a: keyof typeof m, b: keyof typeof m) => median(m[a].map((x, i) => x.cpuMs / m[b][i]!.cpuMs));
    const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const line = (label: string, value: string, rest = '') => console.log(`  ${label.padEnd(52)} ${value.padStart(8)}${rest}`);
    // CPU time (all threads) moves less than wall time when other work shares the machine.
    const withCpu = (k: keyof typeof m) => `   ${mb(k).toFixed(0).padStart(4)} MB   CPU ${s(cpu(k))}`;
    console.log('command line (whole processes: wall time; peak RSS and CPU time where measured):');
    line(`convert <corpus> -t kql -t spl -t eql --json`, s(ms('command')), withCpu('command'));
    line('floor: list + read + js-yaml parse, fresh process', s(ms('floor')), withCpu('floor'));
    line('ratio (pairwise median)', `${ratio('command', 'floor').toFixed(2)}x`, `   CPU ${cpuRatio('command', 'floor').toFixed(2)}x   target: at most 2.5x, peak RSS under 300 MB`);
    line(`convert <one rule> -t kql`, s(ms('one')));
    line('node -e 0', s(ms('bare')));
    line('ratio (pairwise median)', `${ratio('one', 'bare').toFixed(2)}x`, '   target: at most 3x');
    line('the corpus command again, --cache warm', s(ms('cached')), withCpu('cached'));
    line('ratio to the floor (pairwise median)', `${ratio('cached', 'floor').toFixed(2)}x`, `   CPU ${cpuRatio('cached', 'floor').toFixed(2)}x   target: at most 0.5x`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function main(): void {
  const mode = process.argv[2];
  if (mode === '--child') {
    process.stdout.write(JSON.stringify(child(process.argv[3]!)));
    return;
  }
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  console.log(`rulecast bench on Node ${process.version}: ${corpusDir()}, ${runs} runs of each measurement, alternated (medians)`);
  commandLine(runs);
  inProcess(runs);
}

function inProcess(runs: number): void {
  const once = (m: string): Sample => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', m], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Sample;
  };
  console.log('in-process pass (the conversion stages, timed inside a fresh process; as convertAll works):');
  // Alternating the modes spreads the machine's drift (other load, frequency) over both.
  const floor: Sample[] = [];
  const full: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    floor.push(once('yaml'));
    full.push(once('convert'));
  }
  const f = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k] as number));
  const floorMs = f(floor, 'totalMs');
  const fullMs = f(full, 'totalMs');
  console.log(`  floor  (read + js-yaml parse):  ${floorMs.toFixed(0)} ms  (read ${f(floor, 'readMs').toFixed(0)} ms, YAML ${f(floor, 'yamlMs').toFixed(0)} ms), peak RSS ${f(floor, 'maxRssMb').toFixed(0)} MB`);
  console.log(`  rulecast (kql + spl + eql): ${fullMs.toFixed(0)} ms  (read ${f(full, 'readMs').toFixed(0)} ms, YAML ${f(full, 'yamlMs').toFixed(0)} ms, the rest ${f(full, 'restMs').toFixed(0)} ms), peak RSS ${f(full, 'maxRssMb').toFixed(0)} MB`);
  const split = ['kql', 'spl', 'eql'].map((t) => `${t} ${median(full.map((x) => x.targetMs[t] ?? 0)).toFixed(0)} ms`).join(', ');
  console.log(`    the rest: lowering ${f(full, 'lowerMs').toFixed(0)} ms, validating and rendering ${split}`);
  const rules = full[0]!.rules;
  console.log(`  rules: ${rules}; ${((rules / fullMs) * 1000).toFixed(0)} rules/s; converted per target: ${JSON.stringify(full[0]!.converted)}`);
  const ratios = full.map((x, i) => x.totalMs / floor[i]!.totalMs);
  console.log(`  ratio to the floor: ${(fullMs / floorMs).toFixed(2)}x (per pair of runs: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  for (const [label, key] of [['second', 'secondPassMs'], ['third', 'thirdPassMs']] as const) {
    const warmFloor = f(floor, key);
    const warmFull = f(full, key);
    console.log(`  ${label} pass in the same process: floor ${warmFloor.toFixed(0)} ms, rulecast ${warmFull.toFixed(0)} ms, ratio ${(warmFull / warmFloor).toFixed(2)}x`);
  }
}

main();
