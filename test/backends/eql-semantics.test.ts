// Semantics of the EQL backend on the golden cases: the IR evaluator (Sigma's meaning) and the
// reference EQL evaluator (Elasticsearch's meaning) give the same verdict on every generated event
// (eql-semantics.ts says how events are made; the corpus suite runs the same comparison on the
// public corpus and its regression events: eql-semantics.corpus.test.ts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, evaluate } from '../../src/index.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { getBuiltinPipeline } from '../../src/pipelines/load.js';
import { eqlUnionQuery } from '../support/render.js';
import { parseEql } from '../checkers/eql.js';
import { evaluateEql } from '../support/eql-evaluator.js';
import { goldenCases } from '../support/golden.js';
import { testData } from '../support/paths.js';
import { seededRandom as rng } from '../support/random.js';
import { bare, compare, Generator, mapped, show } from './eql-semantics.js';

describe('EQL semantics: IR evaluator and EQL evaluator agree', () => {
  describe('golden cases', () => {
    for (const name of goldenCases()) {
      it(name, () => {
        const [doc] = compileSigma(readFileSync(join(testData('golden', name), 'rule.yml'), 'utf8'), `${name}.yml`);
        const b = bare(doc!);
        const targets = [...(b ? [b] : []), ...mapped(doc!)];
        for (const [i, t] of targets.entries()) {
          const d = compare(t.expr, t.query, 1000 + i, 400);
          assert.equal(d, undefined, d && show(d, t.query));
        }
      });
    }
  });

  it('a union over several log sources selects what one of its branches selects, in its category', () => {
    const [doc] = compileSigma(readFileSync(join(testData('golden', 'eql-categories-union'), 'rule.yml'), 'utf8'), 'u.yml');
    const branches = applyPipelines(doc!.query!, [getBuiltinPipeline('ecs-windows')]).branches;
    const query = parseEql(eqlUnionQuery(branches));
    const gen = new Generator(rng(7));
    const categories = [...branches.map((b) => b.source!), 'network'];
    let positives = 0;
    for (const b of branches) {
      for (const event of gen.events(b.expr, 200)) {
        event['event.category'] = gen.pick(categories);
        const sigma = branches.some((x) => x.source === event['event.category'] && evaluate(x.expr, event));
        if (sigma) positives++;
        for (const logic of ['kleene', 'lucene'] as const) assert.equal(evaluateEql(query, event, { logic }), sigma, JSON.stringify(event));
      }
    }
    assert.ok(positives > 50);
  });

  it('a negated filter keeps events that lack its field (both readings of Elasticsearch null handling)', () => {
    const [doc] = compileSigma(
      "title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: '\\\\a.exe'}\n  filter: {ParentImage|contains: x}\n  condition: sel and not filter\n",
      't.yml',
    );
    const { expr, query } = bare(doc!)!;
    const event = { Image: 'C:\\a.exe' };
    assert.equal(evaluate(expr, event), true);
    for (const logic of ['kleene', 'lucene'] as const) assert.equal(evaluateEql(parseEql(query), event, { logic }), true);
  });
});
