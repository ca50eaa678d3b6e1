// The sigma target over the public Sigma corpus: every rule is written and read back by rulecast to
// the same detection (up to the order of and/or operands), the same log sources and fields.
import { strict as assert } from 'node:assert';
import { compileSigma, convertQuery } from '../../src/index.js';
import { irKey } from '../../src/ir/dump.js';
import type { Expr } from '../../src/ir/types.js';
import { corpus } from '../support/corpus.js';

function canonical(e: Expr): string {
  if (e.kind === 'and' || e.kind === 'or') return `${e.kind}(${e.args.map(canonical).sort().join(',')})`;
  if (e.kind === 'not') return `not(${canonical(e.arg)})`;
  return irKey(e);
}

describe('sigma target over the corpus', () => {
  it('every rule reads back to the same detection', () => {
    const failures: string[] = [];
    let converted = 0;
    for (const doc of corpus()) {
      if (!doc.query) continue;
      const yaml = convertQuery(doc.query, 'sigma');
      converted++;
      const [back] = compileSigma(yaml, `${doc.path} (sigma)`);
      const errors = back?.diagnostics.filter((d) => d.severity === 'error') ?? [];
      if (!back?.query || errors.length) failures.push(`${doc.path}: ${errors.map((e) => e.message).join('; ')}`);
      else if (canonical(back.query.expr) !== canonical(doc.query.expr)) failures.push(`${doc.path}: the detection differs`);
      else if (JSON.stringify(back.query.fields) !== JSON.stringify(doc.query.fields)) failures.push(`${doc.path}: the fields differ`);
    }
    assert.ok(converted > 3000, `${converted} rules`);
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} rules`);
  });
});
