// The whole public corpus through the EQL backend, with -p none and the default pipeline: every
// query it writes parses with the grammar of Elasticsearch EQL and passes its verifier checks, and
// every rule it does not convert fails with one of the refusals the backend documents.
import { strict as assert } from 'node:assert';
import { convertCompiled } from '../../src/index.js';
import { checkEql } from '../checkers/eql.js';
import { corpus } from '../support/corpus.js';

/** Why a rule may not convert, per pipeline (docs/eql.md, "What is refused"). */
const allowed: Record<string, readonly string[]> = {
  none: ['unsupported-keyword', 'unsupported-fieldref', 'unsupported-regex', 'unsupported-modifier'],
  'ecs-windows': ['unsupported-keyword', 'unsupported-fieldref', 'unsupported-regex', 'unsupported-modifier', 'unsupported-logsource', 'unsupported-field', 'lossy-mapping'],
  'ecs-linux': ['unsupported-keyword', 'unsupported-fieldref', 'unsupported-regex', 'unsupported-modifier', 'unsupported-logsource', 'unsupported-field', 'unmapped-field', 'lossy-mapping'],
};

/** The query line(s) of an output (the default template may put a comment before it). */
function query(output: string): string {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('//'))
    .join('\n');
}

describe('EQL over the corpus', () => {
  for (const pipeline of Object.keys(allowed)) {
    it(`-p ${pipeline}: every output parses, every failure is a documented refusal`, function () {
      this.timeout(600_000);
      const docs = corpus().filter((d) => d.query);
      let converted = 0;
      const syntax: string[] = [];
      const unexpected: string[] = [];
      for (const doc of docs) {
        const r = convertCompiled(doc, 'eql', { pipelines: [pipeline] });
        if (r.error) {
          if (!allowed[pipeline]!.includes(r.error.code)) unexpected.push(`${doc.path}: ${r.error.code}: ${r.error.message}`);
          continue;
        }
        converted++;
        try {
          checkEql(query(r.query!), doc.path);
        } catch (err) {
          syntax.push(`${doc.path}: ${err instanceof Error ? err.message : String(err)}\n${r.query}`);
        }
      }
      assert.deepEqual(syntax.slice(0, 5), [], `${syntax.length} outputs do not parse`);
      assert.deepEqual(unexpected.slice(0, 5), [], `${unexpected.length} unexpected failures`);
      assert.ok(converted > 0);
    });
  }

  it('-f elastic-rule: one JSON object per line whose query parses', function () {
    this.timeout(600_000);
    const docs = corpus().filter((d, i) => d.query && i % 10 === 0);
    for (const doc of docs) {
      const r = convertCompiled(doc, 'eql', { format: 'elastic-rule' });
      if (r.error) continue;
      const lines = r.query!.trim().split('\n');
      assert.equal(lines.length, 1, doc.path);
      const rule = JSON.parse(lines[0]!) as { query: string; type: string; rule_id?: string; name: string };
      assert.equal(rule.type, 'eql');
      assert.equal(rule.name, doc.query!.meta.title);
      if (doc.query!.meta.id) assert.equal(rule.rule_id, doc.query!.meta.id);
      checkEql(rule.query, doc.path);
    }
  });
});
