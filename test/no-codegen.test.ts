// The core never compiles code at run time (templates are precompiled at build time), so it runs
// where code generation from strings is forbidden: a browser page whose Content-Security-Policy
// has no 'unsafe-eval', or Node with --disallow-code-generation-from-strings.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './support/paths.js';

describe('no code generation at run time', () => {
  it('every target and format converts the bundled rules under --disallow-code-generation-from-strings', () => {
    const formats = [
      ['kql', 'default'], ['kql', 'sentinel-hunting'], ['kql', 'sentinel-rule'], ['kql', 'defender-rule'],
      ['spl', 'default'], ['spl', 'savedsearches'], ['eql', 'default'], ['eql', 'elastic-rule'], ['sigma', 'default'],
    ];
    for (const [target, format] of formats) {
      const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', join(projectRoot, 'bin', 'rulecast.js'), 'convert', 'rules', '-t', target!, '-f', format!, '--json'], {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      assert.equal(r.status, 0, `${target}/${format}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as { results: { status: string; query: string | null }[] };
      assert.ok(out.results.length > 0 && out.results.every((x) => x.status === 'converted' && x.query), `${target}/${format}`);
    }
  });

  it('the check itself is real: code generation from strings fails in such a process', () => {
    const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', 'new Function("return 1")()'], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Code generation from strings disallowed/);
  });
});
