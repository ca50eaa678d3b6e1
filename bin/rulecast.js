#!/usr/bin/env node
// Entry point of the rulecast command; the implementation is compiled to dist/ by `npm ci`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('rulecast is not built yet: run `npm ci` (or `npm run build`) in the project folder.');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
