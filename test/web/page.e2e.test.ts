// The web page in a real browser (headless Chromium): what a user sees and does, compared with
// what bin/rulecast.js gives for the same files and options. Run by `npm run test:web`.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rulecast, tempRules } from '../support/cli.js';
import { projectRoot, seedDocument } from '../support/paths.js';
import { change, editorText, paste, ready, seq, startSite, text, visit, type Site, type Visit } from './browser.js';

const seedRule = readFileSync(join(projectRoot, 'rules/windows/proc_creation_win_nbtscan.yml'), 'utf8');
const seedExclusions = readFileSync(join(projectRoot, 'rules/windows/proc_creation_win_nbtscan.exclusions.yml'), 'utf8');
const seedFiles = { 'proc_creation_win_nbtscan.yml': seedRule, 'proc_creation_win_nbtscan.exclusions.yml': seedExclusions };

interface CliResult {
  target: string;
  query: string | null;
  status: string;
  error: { code: string; line: number | null; column: number | null } | null;
}

/** `rulecast <args> --json`, spawned in a folder holding the files. */
function cliJson<T>(files: Record<string, string>, args: string[]): T {
  const r = rulecast([...args, '--json'], { cwd: tempRules(files) });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return JSON.parse(r.stdout) as T;
}

function cliQueries(files: Record<string, string>, args: string[]): Map<string, CliResult> {
  return new Map(cliJson<{ results: CliResult[] }>(files, ['convert', ...args]).results.map((r) => [r.target, r]));
}

async function assertQueries(v: Visit, expected: Map<string, CliResult>, prefix = 'query'): Promise<void> {
  assert.deepEqual((await v.page.locator(`[data-testid^="${prefix}-"]`).evaluateAll((els: any[]) => els.map((e) => e.dataset.testid))) as string[], [...expected.keys()].map((t) => `${prefix}-${t}`));
  for (const [target, r] of expected) {
    assert.equal(await text(v.page, `${prefix}-${target}`), r.query ?? '', `${prefix} ${target}`);
    assert.equal(await v.page.getByTestId(`${prefix}-${target}`).getAttribute('data-status'), r.status, `${prefix} ${target} status`);
  }
}

async function verdicts(v: Visit): Promise<[string, string][]> {
  return (await v.page.getByTestId('exclusion').evaluateAll((els: any[]) => els.map((e) => [e.dataset.name, e.dataset.verdict]))) as [string, string][];
}

describe('web page (Chromium)', function () {
  this.timeout(120_000);
  let site: Site;
  const visits: Visit[] = [];
  const open = async (url?: string) => {
    const v = await visit(site, url);
    visits.push(v);
    return v;
  };

  before(async () => {
    site = await startSite();
  });
  afterEach(async () => {
    for (const v of visits.splice(0)) await v.context.close();
  });
  after(async () => {
    await site?.close();
  });

  it("a first visit shows the seed's nbtscan rule with its five scenarios, converted as the CLI converts it", async () => {
    const v = await open();
    assert.equal(await editorText(v.page, 'rule-editor'), seedRule);
    assert.equal(await editorText(v.page, 'exclusions-editor'), seedExclusions);
    await assertQueries(v, cliQueries(seedFiles, ['proc_creation_win_nbtscan.yml', '-t', 'kql', '-t', 'spl', '-t', 'eql']));
    await assertQueries(v, cliQueries(seedFiles, ['proc_creation_win_nbtscan.yml', '-t', 'kql', '-t', 'spl', '-t', 'eql', '--no-exclusions']), 'untuned');
    assert.match(await text(v.page, 'exclusions-role'), /the file the rule names: proc_creation_win_nbtscan\.exclusions\.yml/);
    if (process.env.RULECAST_WEB_SCREENSHOT) await v.page.screenshot({ path: process.env.RULECAST_WEB_SCREENSHOT, fullPage: true });
  });

  it('a rule typed in, targets, pipelines and formats switched: every query is the CLI\'s, tuned and untuned', async () => {
    const v = await open();
    const rule = [
      'title: Suspicious Certutil Decode',
      'id: 3f1c2b9a-6e0d-4f7a-9b8e-2d5c4a1b0f33',
      'status: test',
      'logsource:',
      '  category: process_creation',
      '  product: windows',
      'detection:',
      '  selection:',
      "    Image|endswith: '\\certutil.exe'",
      '    CommandLine|contains:',
      "      - ' -decode '",
      "      - ' -urlcache '",
      '  condition: selection',
      'level: high',
      '',
    ].join('\n');
    const exclusions = 'exclusions:\n  - name: Software distribution\n    filter: process.parent.name == "ccmexec.exe" OR process.args contains "C:\\\\Windows\\\\ccmcache"\n';
    await paste(v.page, 'rule-editor', rule);
    await paste(v.page, 'exclusions-editor', exclusions);
    await change(v.page, () => v.page.getByTestId('target-eql').uncheck());
    await change(v.page, () => v.page.getByTestId('target-sigma').check());
    await change(v.page, () => v.page.getByTestId('pipeline-kql').selectOption('sentinel-asim'));
    await change(v.page, () => v.page.getByTestId('format-spl').selectOption('savedsearches'));
    await change(v.page, () => v.page.getByTestId('pipeline-spl').selectOption('splunk-windows'));
    assert.match(await text(v.page, 'exclusions-role'), /as with -x exclusions\.yml/);
    const files = { 'rule.yml': rule, 'exclusions.yml': exclusions };
    const options = ['rule.yml', '-t', 'kql', '-t', 'spl', '-t', 'sigma', '-p', 'kql:sentinel-asim', '-p', 'spl:splunk-windows', '-f', 'spl:savedsearches'];
    await assertQueries(v, cliQueries(files, [...options, '-x', 'exclusions.yml']));
    await assertQueries(v, cliQueries(files, [...options, '--no-exclusions']), 'untuned');
  });

  it('a hunting query and scenarios opened from disk (rule-file, exclusions-file) convert as the CLI converts those files', async () => {
    const v = await open();
    const seed = readFileSync(seedDocument, 'utf8');
    const dir = tempRules({ 'detect-nbtscan-activity.txt': seed, 'scenarios.txt': seed });
    await change(v.page, () => v.page.getByTestId('rule-file').setInputFiles(join(dir, 'detect-nbtscan-activity.txt')));
    await change(v.page, () => v.page.getByTestId('exclusions-file').setInputFiles(join(dir, 'scenarios.txt')));
    assert.equal(await v.page.getByTestId('rule-name').inputValue(), 'detect-nbtscan-activity.txt');
    assert.equal(await text(v.page, 'rule-kind'), 'KQL document (text)');
    const files = { 'detect-nbtscan-activity.txt': seed, 'scenarios.txt': seed };
    await assertQueries(v, cliQueries(files, ['detect-nbtscan-activity.txt', '-t', 'kql', '-t', 'spl', '-t', 'eql', '-x', 'scenarios.txt']));
    const analysis = cliJson<{ exclusions: { name: string; verdict: string }[] }>(files, ['analyze', 'detect-nbtscan-activity.txt', '-x', 'scenarios.txt']);
    assert.deepEqual(await verdicts(v), analysis.exclusions.map((e) => [e.name, e.verdict]));
  });

  it("a diagnostic shows the CLI's code, line and column, and its span is highlighted in the rule editor", async () => {
    const v = await open();
    const rule = seedRule.replace('or file_event and (file_name or file_hash)', 'or file_event and (file_name or file_hsh)');
    await paste(v.page, 'rule-editor', rule);
    const cli = cliQueries({ ...seedFiles, 'proc_creation_win_nbtscan.yml': rule }, ['proc_creation_win_nbtscan.yml', '-t', 'kql']).get('kql')!;
    assert.equal(cli.error?.code, 'unknown-identifier');
    const shown = v.page.locator('[data-testid=diagnostics] [data-testid=diagnostic][data-severity=error]');
    assert.equal(await shown.count(), 1);
    assert.equal(await shown.getAttribute('data-code'), 'unknown-identifier');
    assert.equal(await shown.getAttribute('data-line'), String(cli.error!.line));
    assert.equal(await shown.getAttribute('data-column'), String(cli.error!.column));
    assert.equal(await text(v.page, 'query-kql'), '');
    const mark = v.page.locator('[data-testid=rule-editor] .rc-mark-error');
    assert.equal(await mark.count(), 1);
    assert.equal(await mark.textContent(), 'file_hsh');
    assert.equal(await mark.getAttribute('data-line'), String(cli.error!.line));
    assert.equal(await mark.getAttribute('data-column'), String(cli.error!.column));
    // The column is the CLI's: the mark's line starts with the condition, and the mark sits at that column.
    const line = (await v.page.locator('[data-testid=rule-editor] .cm-line', { has: v.page.locator('.rc-mark-error') }).textContent()) ?? '';
    assert.equal(line.slice(cli.error!.column! - 1, cli.error!.column! - 1 + 'file_hsh'.length), 'file_hsh');
    assert.ok(line.trimStart().startsWith('condition:'));
  });

  it('the analysis: a verdict per scenario of the seed, as rulecast analyze gives it, in the names of the target chosen', async () => {
    const v = await open();
    const kql = cliJson<{ exclusions: { name: string; verdict: string; witnesses: { removed?: unknown; kept?: unknown }; warnings: { code: string }[] }[] }>(seedFiles, ['analyze', 'proc_creation_win_nbtscan.yml']);
    assert.equal(kql.exclusions.length, 5);
    assert.deepEqual(await verdicts(v), kql.exclusions.map((e) => [e.name, e.verdict]));
    const first = v.page.getByTestId('exclusion').first();
    assert.equal(await first.getByTestId('witness-removed').textContent(), JSON.stringify(kql.exclusions[0]!.witnesses.removed));
    assert.deepEqual(await first.getByTestId('lint').evaluateAll((els: any[]) => els.map((e) => e.dataset.code)), kql.exclusions[0]!.warnings.map((w) => w.code));
    await change(v.page, () => v.page.getByTestId('analysis-target').selectOption('eql'));
    const eql = cliJson<{ exclusions: { name: string; verdict: string; reason: string }[] }>(seedFiles, ['analyze', 'proc_creation_win_nbtscan.yml', '-t', 'eql']);
    assert.deepEqual(await verdicts(v), eql.exclusions.map((e) => [e.name, e.verdict]));
    assert.deepEqual(await v.page.locator('[data-testid=exclusion] .reason').allTextContents(), eql.exclusions.map((e) => e.reason));
  });

  it('match: pasted events show which the tuned rule matches, as rulecast match gives it', async () => {
    const v = await open();
    const events = [
      { event: { category: 'process' }, process: { name: 'nbtscan.exe', args: ['-r', '10.0.0.0/24'], parent: { name: 'cmd.exe' } } },
      { event: { category: 'process' }, process: { name: 'nbtscan.exe', args: ['inventory'], parent: { name: 'task scheduler' } } },
      { event: { category: 'process' }, process: { name: 'notepad.exe' } },
    ];
    const jsonl = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    await paste(v.page, 'events-editor', jsonl);
    const cli = cliJson<{ matches: number[] }>({ ...seedFiles, 'events.jsonl': jsonl }, ['match', 'proc_creation_win_nbtscan.yml', '-e', 'events.jsonl']);
    const shown = (await v.page.getByTestId('match-event').evaluateAll((els: any[]) => els.map((e) => e.dataset.matched))) as string[];
    assert.deepEqual(shown, events.map((_, i) => String(cli.matches.includes(i))));
  });

  it('a shared link reopens the page in the same state: texts, targets, pipelines, formats, queries and verdicts', async () => {
    const v = await open();
    const rule = seedRule.replace('level: medium', 'level: high');
    await paste(v.page, 'rule-editor', rule);
    await change(v.page, () => v.page.getByTestId('target-spl').uncheck());
    await change(v.page, () => v.page.getByTestId('target-sigma').check());
    await change(v.page, () => v.page.getByTestId('pipeline-kql').selectOption('sentinel-asim'));
    await change(v.page, () => v.page.getByTestId('format-eql').selectOption('elastic-rule'));
    await change(v.page, () => v.page.getByTestId('analysis-target').selectOption('eql'));
    await v.page.getByTestId('share').click();
    await v.page.getByTestId('share').filter({ hasText: 'Copied' }).waitFor();
    const link = String(await v.page.evaluate(() => (globalThis as any).navigator.clipboard.readText()));
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#z=[\w-]+$/);
    const again = await open(link);
    assert.equal(await editorText(again.page, 'rule-editor'), rule);
    assert.equal(await editorText(again.page, 'exclusions-editor'), seedExclusions);
    for (const t of ['kql', 'spl', 'eql', 'sigma']) {
      assert.equal(await again.page.getByTestId(`target-${t}`).isChecked(), await v.page.getByTestId(`target-${t}`).isChecked(), t);
      assert.equal(await again.page.getByTestId(`pipeline-${t}`).inputValue(), await v.page.getByTestId(`pipeline-${t}`).inputValue(), t);
      assert.equal(await again.page.getByTestId(`format-${t}`).inputValue(), await v.page.getByTestId(`format-${t}`).inputValue(), t);
    }
    assert.equal(await again.page.getByTestId('analysis-target').inputValue(), 'eql');
    await assertQueries(again, cliQueries({ ...seedFiles, 'proc_creation_win_nbtscan.yml': rule }, ['proc_creation_win_nbtscan.yml', '-t', 'kql', '-t', 'eql', '-t', 'sigma', '-p', 'kql:sentinel-asim', '-f', 'eql:elastic-rule']));
    assert.deepEqual(await verdicts(again), await verdicts(v));
  });

  it('Content-Security-Policy: no eval, no inline script or style, no connections; nothing violates it and nothing is fetched after load', async () => {
    const v = await open();
    const response = await v.page.goto(site.url);
    await ready(v.page);
    const header = response!.headers()['content-security-policy']!;
    const meta = (await v.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'))!;
    for (const policy of [header, meta]) {
      assert.ok(policy, 'a policy');
      assert.doesNotMatch(policy, /unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|\*/);
      assert.match(policy, /(^|; )script-src 'self'(;|$)/);
      assert.match(policy, /(^|; )connect-src 'none'(;|$)/);
      assert.match(policy, /(^|; )default-src 'none'(;|$)/);
    }
    // The browser enforces it: an inline script does not run, nor does code given as a string
    // (setTimeout's string form is eval; code Playwright evaluates itself is exempt, so the
    // test hands the page a string to run later, outside that exemption).
    await v.page.addScriptTag({ content: '(globalThis).__inline = 1' }).catch(() => undefined);
    await v.page.evaluate(() => void setTimeout('globalThis.__evaluated = 1' as unknown as () => void, 0));
    await v.page.waitForTimeout(200);
    assert.equal(await v.page.evaluate(() => (globalThis as any).__inline), undefined);
    assert.equal(await v.page.evaluate(() => (globalThis as any).__evaluated), undefined);
    const blocked = (await v.page.evaluate(() => (globalThis as any).__cspViolations.splice(0))) as string[];
    assert.ok(blocked.some((b) => b.startsWith('script-src-elem inline')), blocked.join(', '));
    assert.ok(blocked.some((b) => b.startsWith('script-src eval')), blocked.join(', '));
    const origin = new URL(site.url).origin;
    assert.deepEqual(v.requests.filter((r) => new URL(r.url()).origin !== origin).map((r) => r.url()), []);
    // Once the page has loaded (its favicon too, which the browser fetches last), everything a
    // user does stays in the page.
    await v.page.waitForLoadState('networkidle');
    v.requests.length = 0;
    await paste(v.page, 'rule-editor', seedRule.replace('nbtscan.exe', 'nbtscan64.exe'));
    await change(v.page, () => v.page.getByTestId('target-sigma').check());
    await change(v.page, () => v.page.getByTestId('pipeline-spl').selectOption('splunk-cim'));
    await paste(v.page, 'events-editor', '{"process": {"name": "nbtscan64.exe"}}\n');
    await v.page.getByTestId('share').click();
    await v.page.getByTestId('copy-kql').click();
    await v.page.getByTestId('share').filter({ hasText: 'Copied' }).waitFor();
    assert.deepEqual(v.requests.map((r) => r.url()), []);
    assert.deepEqual(await v.page.evaluate(() => (globalThis as any).__cspViolations), []);
  });

  it('a rule whose title holds <img src=x onerror=…> (and exclusions named with markup) renders as text', async () => {
    const v = await open();
    const title = '<img src=x onerror="window.__injected=1">';
    const rule = seedRule.replace('title: NBTScan Network Discovery', `title: '${title}'`).replace(/exclusions: proc_creation_win_nbtscan.exclusions.yml/, '');
    const name = '<b id="injected">bold</b><script>window.__injected=2</script>';
    const exclusions = `exclusions:\n  - name: '${name}'\n    filter: process.parent.name == "<svg onload=alert(1)>"\n`;
    await paste(v.page, 'rule-editor', rule);
    await paste(v.page, 'exclusions-editor', exclusions);
    await change(v.page, () => v.page.getByTestId('format-kql').selectOption('sentinel-rule'));
    // In the Sentinel rule YAML (quotes escaped), the markup is there as the text it is.
    const query = await text(v.page, 'query-kql');
    assert.ok(query.includes('<img src=x onerror='), query.slice(0, 300));
    assert.ok(query.includes('<script>window.__injected=2</script>'), query);
    assert.equal(await v.page.getByTestId('exclusion').getAttribute('data-name'), name);
    assert.equal(await v.page.locator('[data-testid=exclusion] strong').textContent(), name);
    assert.equal(await v.page.locator('img, svg, script:not([src]), #injected').count(), 0);
    assert.equal(await v.page.evaluate(() => (globalThis as any).__injected), undefined);
    assert.deepEqual(v.dialogs, []);
    const files = { 'rule.yml': rule, 'exclusions.yml': exclusions };
    assert.equal(query, cliQueries(files, ['rule.yml', '-t', 'kql', '-f', 'sentinel-rule', '-x', 'exclusions.yml']).get('kql')!.query);
  });

  it('the copy button puts exactly the query on the clipboard', async () => {
    const v = await open();
    await v.page.getByTestId('copy-spl').click();
    await v.page.getByTestId('copy-spl').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await v.page.evaluate(() => (globalThis as any).navigator.clipboard.readText()), await text(v.page, 'query-spl'));
  });

  it('keystroke to updated queries (printed, not asserted): typed one key at a time, and in a burst', async () => {
    const v = await open();
    // The caret inside the detection's process.name value, so that each key changes every query.
    await v.page.locator('[data-testid=rule-editor] .cm-line', { hasText: "process.name: 'nbtscan.exe'" }).click();
    await v.page.keyboard.press('End');
    await v.page.keyboard.press('ArrowLeft');
    const keys = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (const key of keys) {
      const before = await seq(v.page);
      await v.page.keyboard.type(key);
      await ready(v.page, before);
    }
    const one = await v.page.evaluate(() => performance.getEntriesByName('rulecast:keystroke-to-queries').map((e) => e.duration));
    await v.page.evaluate(() => performance.clearMeasures());
    const before = await seq(v.page);
    await v.page.keyboard.type(keys, { delay: 15 });
    await ready(v.page, before);
    const burst = await v.page.evaluate(() => performance.getEntriesByName('rulecast:keystroke-to-queries').map((e) => e.duration));
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
      return `n=${s.length} median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
    };
    console.log(`      keystroke → queries in the DOM, one key at a time: ${stats(one)}`);
    console.log(`      keystroke → queries in the DOM, typing at 15 ms a key: ${stats(burst)}`);
    assert.equal(one.length, keys.length);
    // However fast the typing, the page ends on the CLI's queries for the final text.
    const rule = await editorText(v.page, 'rule-editor');
    assert.ok(rule.includes(`process.name: 'nbtscan.exe${keys}${keys}'`));
    await assertQueries(v, cliQueries({ ...seedFiles, 'proc_creation_win_nbtscan.yml': rule }, ['proc_creation_win_nbtscan.yml', '-t', 'kql', '-t', 'spl', '-t', 'eql']));
  });
});

// The build fails over budget; this states the figures in the suite's output too.
describe('web page build', () => {
  it('dist/web/sizes.json: the JavaScript within the budget the build states', () => {
    const sizes = JSON.parse(readFileSync(join(projectRoot, 'dist/web/sizes.json'), 'utf8')) as { budget: Record<string, number>; files: Record<string, { gzip: number }>; jsGzip: number };
    for (const file of ['main.js', 'worker.js']) assert.ok(sizes.files[file]!.gzip <= sizes.budget[file]!, `${file}: ${sizes.files[file]!.gzip} > ${sizes.budget[file]}`);
    assert.ok(sizes.jsGzip <= sizes.budget.total!);
    console.log(`      JavaScript, gzip -9: main.js ${sizes.files['main.js']!.gzip} B, worker.js ${sizes.files['worker.js']!.gzip} B, ${sizes.jsGzip} B in all (budget ${sizes.budget.total} B)`);
  });
});
