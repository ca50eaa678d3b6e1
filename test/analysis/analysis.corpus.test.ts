// Satisfiability and exclusion verdicts over every rule of the public Sigma corpus.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fg from 'fast-glob';
import { analyzeExclusion } from '../../src/analysis/exclusion.js';
import { satisfiable } from '../../src/analysis/satisfiable.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { compileExclusion } from '../../src/lower/exclusion.js';
import { compileSigma } from '../../src/index.js';
import { rulesDir } from '../support/corpus.js';

describe('analysis over the Sigma corpus', () => {
  it('every rule is satisfiable or undecided (never contradictory), and every witness checks', () => {
    const files = fg.sync('**/*.yml', { cwd: rulesDir }).sort();
    assert.ok(files.length > 1000);
    const exclusion = compileExclusion('User == "NT AUTHORITY\\\\SYSTEM" OR Image endswith "\\\\svchost.exe"').expr;
    const tally: Record<string, number> = {};
    for (const file of files) {
      const path = join(rulesDir, file);
      for (const doc of compileSigma(readFileSync(path, 'utf8'), file)) {
        if (!doc.query) continue;
        const detection = doc.query.expr;
        const alone = satisfiable(detection);
        assert.notEqual(alone.status, 'unsat', `${file}: ${alone.status === 'unsat' ? alone.conflicts.join('; ') : ''}`);
        if (alone.status === 'sat') assert.equal(evaluate(detection, alone.witness), true, file);
        const r = analyzeExclusion(detection, exclusion);
        tally[r.verdict] = (tally[r.verdict] ?? 0) + 1;
        if (r.witnesses.removed) assert.ok(evaluate(detection, r.witnesses.removed) && evaluate(exclusion, r.witnesses.removed), file);
        if (r.witnesses.kept) assert.ok(evaluate(detection, r.witnesses.kept) && !evaluate(exclusion, r.witnesses.kept), file);
      }
    }
    const total = Object.values(tally).reduce((a, b) => a + b, 0);
    // Most rules are decided; what is left is regular expressions and keywords.
    assert.ok((tally.unknown ?? 0) < total * 0.05, JSON.stringify(tally));
    assert.ok((tally.total ?? 0) > 0 && (tally.dead ?? 0) > 0, JSON.stringify(tally));
  });
});
