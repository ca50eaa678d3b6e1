// Tuned queries (detection minus exclusions) for every target: the KQL parses with Microsoft's
// parser, and on events made for each scenario — one the exclusion removes, one it keeps (the
// analysis' witnesses, in the target's own field names) plus near variants — each target's query
// keeps exactly the events the IR evaluator keeps.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeExclusionPairs } from '../src/analysis/exclusion.js';
import { and, not } from '../src/ir/build.js';
import { evaluate, type Event } from '../src/ir/evaluate.js';
import { simplify } from '../src/ir/passes.js';
import { tuneQuery, type RuleQuery } from '../src/ir/query.js';
import type { Expr } from '../src/ir/types.js';
import { compileSigma, convertQuery, formatDiagnostic } from '../src/index.js';
import { readExclusions } from '../src/exclusions/read.js';
import { exclusionsFor } from '../src/exclusions/apply.js';
import { applyPipelines } from '../src/pipelines/apply.js';
import { getBuiltinPipeline } from '../src/pipelines/load.js';
import { parseSpl } from './checkers/spl.js';
import { parseEql } from './checkers/eql.js';
import { evaluateSpl } from './support/spl-evaluator.js';
import { evaluateEql } from './support/eql-evaluator.js';
import { analyze, defenderSchema, globalsFor, kqlKeeps, type Row } from './backends/kql-support.js';
import { projectRoot, seedDocument } from './support/paths.js';

const rulePath = join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.yml');
const exclusionsPath = join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.exclusions.yml');

/** The shipped rule over one log source (the union is covered by the KQL golden tests), without
 *  lookback or projection, so the query is one condition over the events given. */
function ruleQuery(category: 'process_creation' | 'file_event'): RuleQuery {
  const [doc] = compileSigma(readFileSync(rulePath, 'utf8'), rulePath);
  assert.ok(doc?.query, doc?.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const q = doc.query;
  return { ...q, logsources: [{ category, product: 'windows' }], lookback: undefined, fields: [] };
}

function exclusionsOf(path: string, text = readFileSync(path, 'utf8')) {
  const file = readExclusions(text, path);
  return exclusionsFor([file], { id: '28ebbb87-535b-4ba0-80f4-6fbf80b7c55a', logsource: { category: 'process_creation', product: 'windows' } }).exclusions;
}

interface Target {
  readonly name: 'kql' | 'spl' | 'eql';
  readonly pipeline: string;
  keeps(query: string, event: Event): boolean[];
}

/** The Defender table row for an event: every column of the table; a missing string column reads
 *  as "" (Kusto strings are never null; docs/kql.md), other types as null. */
function defenderRow(table: string, e: Event): Row {
  const columns = defenderSchema()[table]!;
  const row: Record<string, string | number | boolean | null> = {};
  for (const [name, type] of Object.entries(columns)) {
    const v = e[name];
    row[name] = type === 'string' ? (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)) : typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }
  return row;
}

const targets: Target[] = [
  {
    name: 'kql',
    pipeline: 'defender-xdr',
    keeps: (q, e) => [kqlKeeps(q, defenderRow(q.startsWith('DeviceFileEvents') || q.includes('\nDeviceFileEvents') ? 'DeviceFileEvents' : 'DeviceProcessEvents', e))],
  },
  { name: 'spl', pipeline: 'none', keeps: (q, e) => [evaluateSpl(parseSpl(q), e)] },
  {
    name: 'eql',
    pipeline: 'ecs-windows',
    // Both readings of Elasticsearch's null handling must give the same answer.
    keeps: (q, e) => {
      const parsed = parseEql(q);
      return [evaluateEql(parsed, e, { ignoreCategory: true, logic: 'kleene' }), evaluateEql(parsed, e, { ignoreCategory: true, logic: 'lucene' })];
    },
  },
];

/** The tuned condition in the target's field names, as the IR means it. */
function mappedTuned(query: RuleQuery, pipeline: string): { expr: Expr; pairs: { detection: Expr; exclusion: Expr }[][] } {
  const mapped = applyPipelines(query, pipeline === 'none' ? [] : [getBuiltinPipeline(pipeline)]);
  assert.equal(mapped.branches.length, 1);
  const b = mapped.branches[0]!;
  return {
    expr: simplify(and(b.expr, ...b.exclusions.map((e) => not(e.expr)))),
    pairs: b.exclusions.map((e) => [{ detection: b.expr, exclusion: e.expr }]),
  };
}

/** Variants of an event: as is, each field dropped, each text value in another case. */
function variants(event: Event): Event[] {
  const out: Event[] = [event];
  for (const k of Object.keys(event)) {
    const { [k]: _dropped, ...rest } = event;
    out.push(rest);
    const v = event[k];
    if (typeof v === 'string') out.push({ ...event, [k]: v.toUpperCase() }, { ...event, [k]: `${v}x` });
  }
  return out;
}

describe('tuned queries (detection minus exclusions)', () => {
  for (const category of ['process_creation', 'file_event'] as const) {
    for (const t of targets) {
      it(`${t.name} (${t.pipeline}), ${category}: every scenario's removed and kept events are judged as the IR judges them`, () => {
        const tuned = tuneQuery(ruleQuery(category), exclusionsOf(exclusionsPath));
        const query = convertQuery(tuned, t.name, { pipelines: [t.pipeline] });
        const { expr, pairs } = mappedTuned(tuned, t.pipeline);
        let events = 0;
        let removed = 0;
        let kept = 0;
        pairs.forEach((pair, i) => {
          const analysis = analyzeExclusionPairs(pair);
          const witnesses = [analysis.witnesses.removed, analysis.witnesses.kept].filter((w): w is Event => w !== undefined);
          assert.ok(witnesses.length > 0, `scenario ${i + 1} has no witness: ${analysis.reason}`);
          // The event category the query head stands for (EQL) is the branch's.
          for (const w of witnesses.flatMap(variants)) {
            const event = t.name === 'eql' ? { 'event.category': category === 'process_creation' ? 'process' : 'file', ...w } : w;
            const expected = evaluate(expr, event);
            for (const got of t.keeps(query, event)) assert.equal(got, expected, `${t.name} scenario ${i + 1} on ${JSON.stringify(event)}:\n${query}`);
            events++;
            if (expected) kept++;
            else removed++;
          }
        });
        assert.ok(events > 50 && kept > 0 && removed > 0, `${events} events, ${kept} kept, ${removed} removed`);
      });
    }
  }

  it('the tuned KQL parses and analyses cleanly against the Defender XDR schema (union, lookback, projection)', () => {
    const [doc] = compileSigma(readFileSync(rulePath, 'utf8'), rulePath);
    const tuned = tuneQuery(doc!.query!, exclusionsOf(exclusionsPath));
    for (const format of ['default', 'sentinel-hunting', 'sentinel-rule'] as const) {
      const out = convertQuery(tuned, 'kql', { format });
      const kql = format === 'default' ? out : out.split('\nquery: |\n')[1]!.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.slice(2)).join('\n');
      assert.match(kql, /\/\/ {3}- Scheduled NBTScan Job for Network Inventory/);
      assert.deepEqual(analyze(kql, globalsFor(defenderSchema())), [], kql);
    }
  });

  it('an exclusion name cannot break out of its comment in any target', () => {
    const ticks = '`'.repeat(3);
    const hostile = `exclusions:\n  - name: "evil\\n| where true\\n*/ ${ticks} x ${ticks} */ // end"\n    filter: process.name == "x"\n`;
    const tuned = tuneQuery(ruleQuery('process_creation'), exclusionsOf('hostile.yml', hostile));
    const kql = convertQuery(tuned, 'kql');
    assert.deepEqual(analyze(kql, globalsFor(defenderSchema())), [], kql);
    assert.equal(kql.split('\n').filter((l) => l.startsWith('| where')).length, 1, kql);
    const spl = convertQuery(tuned, 'spl', { pipelines: ['splunk-windows'] });
    parseSpl(spl);
    assert.equal((spl.match(/```/g) ?? []).length, 2, spl);
    const eql = convertQuery(tuned, 'eql', { compact: true });
    parseEql(eql);
    // The name stays on its own comment lines: one line of query after them.
    assert.equal(eql.split('\n').filter((l) => l && !l.startsWith('//')).length, 1, eql);
    assert.equal(eql.split('\n').filter((l) => l.startsWith('//')).length, 2, eql);
  });

  it('the seed document itself is a valid exclusions file with the same five scenarios', () => {
    const fromSeed = exclusionsOf(seedDocument);
    const shipped = exclusionsOf(exclusionsPath);
    assert.deepEqual(fromSeed.map((e) => e.name), shipped.map((e) => e.name));
    assert.equal(fromSeed.length, 5);
  });
});
