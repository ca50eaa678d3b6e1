// Correlation goldens, through the command line: test/correlation/golden/<case>/ holds rules.yml
// and events.jsonl; match.json is `rulecast match --json` (alerts included), convert.json what
// `rulecast convert -t kql -p none --json` reports (base rules a correlation uses are absent),
// and `rulecast check` must accept the file. UPDATE_GOLDEN=1 rewrites the expected files.
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { rulecast } from '../support/cli.js';
import { expectFile } from '../support/golden.js';
import { testData } from '../support/paths.js';

describe('correlation goldens (command line)', () => {
  const root = testData('correlation', 'golden');
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const rules = join('test', 'correlation', 'golden', name, 'rules.yml');
      const events = join('test', 'correlation', 'golden', name, 'events.jsonl');
      const check = rulecast(['check', rules]);
      assert.equal(check.status, 0, check.stderr);
      const match = rulecast(['match', rules, '-e', events, '--json']);
      assert.equal(match.status, 0, match.stderr);
      expectFile(join(root, name, 'match.json'), `${JSON.stringify(JSON.parse(match.stdout), null, 2)}\n`);
      const convert = rulecast(['convert', rules, '-t', 'kql', '-p', 'none', '--json']);
      const out = JSON.parse(convert.stdout) as { results: { title: string; status: string; query: string | null; error: { code: string; line: number; column: number } | null }[]; summary: unknown };
      const brief = { results: out.results.map((r) => ({ title: r.title, status: r.status, query: r.query, error: r.error && { code: r.error.code, line: r.error.line, column: r.error.column } })), summary: out.summary };
      expectFile(join(root, name, 'convert.json'), `${JSON.stringify(brief, null, 2)}\n`);
    });
  }
});
