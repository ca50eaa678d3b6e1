// The web page's end-to-end tests drive Debian's Chromium (apt-get install chromium; .ci/run
// installs it) with playwright-core, against the built page (npm run build:web) served by
// src/web/serve.mjs on a free port of 127.0.0.1. No Chromium is a failure, never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { projectRoot } from '../support/paths.js';

export const chromiumPath = process.env.RULECAST_CHROMIUM ?? '/usr/bin/chromium';
const pageDir = join(projectRoot, 'dist', 'web');

export interface Site {
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function startSite(): Promise<Site> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install Debian's (apt-get install -y chromium; .ci/run does) or set RULECAST_CHROMIUM`);
  if (!existsSync(join(pageDir, 'index.html'))) throw new Error(`no page in ${pageDir}: run npm run build:web (npm run test:web does)`);
  const server = spawn(process.execPath, [join(projectRoot, 'src', 'web', 'serve.mjs'), '--port', '0', '--dir', pageDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the page's server stopped (exit ${code})`)));
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
  } catch (err) {
    stop(server);
    throw err;
  }
  return {
    url,
    browser,
    async close() {
      await browser.close();
      stop(server);
    },
  };
}

function stop(server: ChildProcess): void {
  if (server.exitCode === null) server.kill('SIGTERM');
}

export interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every request the page and its worker made. */
  readonly requests: Request[];
  /** Dialogs opened (an injected alert() would show up here). */
  readonly dialogs: string[];
}

/** A fresh browser context (own storage, clipboard allowed) with the page loaded and converted. */
export async function visit(site: Site, url = site.url): Promise<Visit> {
  const context = await site.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const requests: Request[] = [];
  const dialogs: string[] = [];
  context.on('request', (r) => requests.push(r));
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Content-Security-Policy violations, from the first script on.
  await page.addInitScript(() => {
    const w = globalThis as any;
    w.__cspViolations = [];
    w.document.addEventListener('securitypolicyviolation', (e: any) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(url);
  await ready(page);
  return { context, page, requests, dialogs };
}

/** Waits until the page shows the conversion, the analysis and the matches of its latest state,
 *  newer than the conversion numbered `after`; returns that number. */
export async function ready(page: Page, after = 0): Promise<number> {
  // Functions, not strings: the page's CSP forbids evaluating strings (Playwright's string
  // predicates are eval'd in the page). They run in the browser, where document exists.
  const handle = await page.waitForFunction(
    (min: number) => {
      const s = (globalThis as any).document.querySelector('[data-testid=status]');
      return s && s.dataset.state === 'ready' && s.dataset.analysis === 'ready' && Number(s.dataset.seq) > min && Number(s.dataset.seq);
    },
    after,
    { timeout: 30_000 },
  );
  return Number(await handle.jsonValue());
}

export async function seq(page: Page): Promise<number> {
  return Number(await page.getByTestId('status').getAttribute('data-seq'));
}

/** Replaces an editor's text as a user pasting would (select all, insert). */
export async function paste(page: Page, editor: string, text: string): Promise<void> {
  const before = await seq(page);
  await page.locator(`[data-testid=${editor}] .cm-content`).click();
  await page.keyboard.press('Control+A');
  if (text === '') await page.keyboard.press('Delete');
  else await page.keyboard.insertText(text);
  await ready(page, before);
}

/** An editor's text, read through the `value` its element offers scripts. */
export async function editorText(page: Page, editor: string): Promise<string> {
  return String(await page.getByTestId(editor).evaluate((el: any) => el.value));
}

export async function text(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? '';
}

/** Changes a control and waits for the page to show the result. */
export async function change(page: Page, act: () => Promise<unknown>): Promise<void> {
  const before = await seq(page);
  await act();
  await ready(page, before);
}
