// `npm run build:web`: the static page in dist/web/, after `npm run build` (which generates the
// core's grammars, assets and templates) and the page's type check (tsconfig.web.json).
//
// esbuild bundles the page (src/web/page/main.ts: the editors) and its worker (worker.ts: the
// whole library), minified ES modules. It is one dependency with no plugins to configure, builds
// both in well under a second, and reads the TypeScript sources directly; the page needs nothing
// Vite adds on top (a dev server, HMR, a plugin pipeline). The static files get the
// Content-Security-Policy in a <meta> tag, and dist/web/_headers says it as an HTTP header
// (Netlify's and Cloudflare Pages' format; `npm run web` serves it too).
//
// The budget: the page's JavaScript, gzip-compressed (level 9), must stay within the figures
// below, or the build fails. Measured when they were set (esbuild 0.28, CodeMirror 6):
// main.js 121 KB and worker.js 199 KB, 320 KB together.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'web');

/** Compressed bytes (gzip -9) each bundle, and all the page's JavaScript, may take. */
export const budget = { 'main.js': 140_000, 'worker.js': 230_000, total: 360_000 };

/** No script but the page's own files, no eval, no inline script or style, no connection, font,
 *  frame or form anywhere: the core runs without run-time code generation, and the page talks
 *  to nothing after it has loaded. (frame-ancestors only works as a header.) */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  // The favicon is a data: URL in the page: browsers fetch a favicon again whenever the URL
  // changes (the state in the fragment does, as you type), which would be a request after load.
  "img-src data:",
  "connect-src 'none'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
const headerPolicy = [...contentSecurityPolicy, "frame-ancestors 'none'"].join('; ');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: { main: join(root, 'src/web/page/main.ts'), worker: join(root, 'src/web/page/worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // CompressionStream('deflate-raw') and module workers: Chrome 103, Firefox 113, Safari 16.4.
  target: ['chrome103', 'firefox113', 'safari16.4'],
  minify: true,
  charset: 'utf8',
  legalComments: 'eof',
  // The example rule and its exclusions, embedded as text (src/web/page/example.ts).
  loader: { '.yml': 'text' },
  metafile: true,
  logLevel: 'warning',
});

const staticDir = join(root, 'src/web/static');
for (const file of readdirSync(staticDir)) {
  if (file === 'index.html') {
    const html = readFileSync(join(staticDir, file), 'utf8').replace('%CONTENT_SECURITY_POLICY%', contentSecurityPolicy.join('; '));
    writeFileSync(join(out, file), html);
  } else copyFileSync(join(staticDir, file), join(out, file));
}
const headers = {
  'Content-Security-Policy': headerPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
writeFileSync(join(out, '_headers'), `/*\n${Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);

// Sizes, compressed as a server would send them; the budget is checked on gzip.
const sizes = {};
for (const file of readdirSync(out).filter((f) => /\.(js|css|html|svg)$/.test(f)).sort()) {
  const bytes = readFileSync(join(out, file));
  sizes[file] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
}
const js = Object.keys(sizes).filter((f) => f.endsWith('.js'));
const total = js.reduce((n, f) => n + sizes[f].gzip, 0);
writeFileSync(join(out, 'sizes.json'), `${JSON.stringify({ budget, files: sizes, jsGzip: total }, null, 2)}\n`);
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
for (const [file, s] of Object.entries(sizes)) console.log(`${file.padEnd(12)} ${kb(s.raw).padStart(9)} raw ${kb(s.gzip).padStart(9)} gzip ${kb(s.brotli).padStart(9)} brotli${budget[file] ? `   budget ${kb(budget[file])} gzip` : ''}`);
console.log(`JavaScript   ${kb(total).padStart(23)} gzip   budget ${kb(budget.total)} gzip`);
const over = [...js.filter((f) => budget[f] !== undefined && sizes[f].gzip > budget[f]).map((f) => `${f} is ${kb(sizes[f].gzip)} gzip, over its budget of ${kb(budget[f])}`), ...(total > budget.total ? [`the page's JavaScript is ${kb(total)} gzip, over its budget of ${kb(budget.total)}`] : [])];
if (process.env.RULECAST_WEB_METAFILE) writeFileSync(process.env.RULECAST_WEB_METAFILE, JSON.stringify(result.metafile));
if (over.length) {
  for (const o of over) console.error(`build:web: ${o}`);
  process.exit(1);
}
console.log(`build:web: dist/web/ (${js.length} scripts within the budget)`);
