// The floor of the command-level bench, as a whole process: list the rule files of a folder, read
// them and parse them with js-yaml, nothing else (no rulecast module is loaded). Prints the number
// of YAML documents, so the work cannot be skipped.
import { readFileSync } from 'node:fs';
import fg from 'fast-glob';
import { loadAll, YAML11_SCHEMA } from 'js-yaml';

const files = fg.sync('**/*.{yml,yaml}', { cwd: process.argv[2]!, absolute: true }).sort();
let documents = 0;
for (const f of files) documents += loadAll(readFileSync(f, 'utf8'), { schema: YAML11_SCHEMA }).length;
process.stdout.write(`${documents}\n`);
