// Golden KQL imports: test/import/golden/<case>/input.{kql,md,txt,yaml} → import.json (tables,
// lookback, fields, metadata and the IR of every query), and one output per target (`out.<target>.<ext>`,
// or `<target>.error.txt` with the full message when the target must refuse). Error cases:
// test/import/errors/<code>-<reason>/input.* → error.txt, the whole formatted message.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, isRulecastError } from '../../src/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { toJson } from '../../src/ir/dump.js';
import { importKql } from '../../src/import/kql.js';
import { queryMeta, renderImported } from '../../src/app/kql-import.js';
import { expectFile } from '../support/golden.js';
import { testData, updateGolden } from '../support/paths.js';

/** The outputs each golden case pins, with each target's default pipeline (the Sigma view through
 *  the inverse of defender-xdr). */
const outputs: { target: string; ext: string }[] = [
  { target: 'kql', ext: 'kql' },
  { target: 'sigma', ext: 'yml' },
  { target: 'spl', ext: 'spl' },
  { target: 'eql', ext: 'eql' },
];

function inputOf(dir: string): string {
  const name = readdirSync(dir).find((f) => f.startsWith('input.'));
  assert.ok(name, `no input.* in ${dir}`);
  return name;
}

describe('golden: KQL imports', () => {
  const root = testData('import', 'golden');
  for (const name of readdirSync(root).sort()) {
    describe(name, () => {
      const dir = join(root, name);
      const file = inputOf(dir);
      const path = `test/import/golden/${name}/${file}`;
      const imported = importKql(new SourceFile(path, readFileSync(join(dir, file), 'utf8')));

      it('imports to import.json', () => {
        for (const r of imported) assert.equal(r.error, undefined, r.error ? formatDiagnostic(r.error) : '');
        const json = imported.map((r) => {
          const meta = queryMeta(r);
          const q = r.query!;
          return { title: meta.title, id: meta.id ?? null, level: meta.level ?? null, tags: meta.tags, tables: q.tables.map((t) => t.name), lookback: q.lookback ?? null, timeColumn: q.timeColumn ?? null, fields: q.fields, expr: toJson(q.expr) };
        });
        expectFile(join(dir, 'import.json'), `${JSON.stringify(json, null, 2)}\n`);
      });

      for (const { target, ext } of outputs) {
        it(`→ ${target}`, () => {
          const okPath = join(dir, `out.${target}.${ext}`);
          const errorPath = join(dir, `${target}.error.txt`);
          let text: string;
          let ok = true;
          try {
            text = imported.map((r) => renderImported(r, r.query!, target).text).join(target === 'sigma' ? '---\n' : '\n');
          } catch (err) {
            if (!isRulecastError(err)) throw err;
            text = `${formatDiagnostic(err.diagnostic)}\n`;
            ok = false;
          }
          if (updateGolden) for (const stale of [okPath, errorPath]) if (existsSync(stale)) unlinkSync(stale);
          expectFile(ok ? okPath : errorPath, text);
        });
      }
    });
  }
});

describe('error messages of KQL imports (golden)', () => {
  const root = testData('import', 'errors');
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const file = inputOf(join(root, name));
      const path = `test/import/errors/${name}/${file}`;
      const [r] = importKql(new SourceFile(path, readFileSync(join(root, name, file), 'utf8')));
      assert.ok(r?.error, 'expected an error');
      const actual = `${formatDiagnostic(r.error)}\n`;
      const expected = join(root, name, 'error.txt');
      if (updateGolden) writeFileSync(expected, actual);
      assert.equal(actual, readFileSync(expected, 'utf8'));
      assert.ok(name.startsWith(`${r.error.code}-`), `case folder should start with the error code '${r.error.code}'`);
    });
  }
});
