// The acceptance check of tuned queries for a rule written in the Sigma taxonomy, tuned with
// exclusions written in ECS names: on Sysmon-named events (SPL, pipeline none; KQL, Defender rows
// built from them) and on their ECS versions (EQL, ecs-windows), each target's query keeps exactly
// the events the IR evaluator keeps: the detection on the Sysmon event, minus every exclusion as
// written, judged on the ECS version of the same event. Shared by the self-contained test and the
// corpus one (a SigmaHQ rule).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { compileSigma, convertQuery, formatDiagnostic, readExclusions, tuneWith, type RuleQuery } from '../../src/index.js';
import { and, not } from '../../src/ir/build.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { simplify } from '../../src/ir/passes.js';
import { applyPipelines } from '../../src/pipelines/apply.js';
import { parseEql } from '../checkers/eql.js';
import { parseSpl } from '../checkers/spl.js';
import { condition, defenderSchema, evalKql, type Row } from '../backends/kql-support.js';
import { evaluateEql } from './eql-evaluator.js';
import { evaluateSpl } from './spl-evaluator.js';

const images = ['C:\\Windows\\System32\\certutil.exe', 'C:\\Tools\\nbtscan', 'C:\\Tools\\NBTSCAN', 'nbtscan', 'C:\\nbtscan\\x.exe', 'C:\\Tools\\nbtscan.exe', undefined];
// SCCM in the folder only, in the file name, the seed's parents, and none.
const parents = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Program Files\\SCCM\\ccmexec.exe', 'C:\\Tools\\SCCMClient.exe', 'C:\\Tools\\adinsight64.exe', 'task scheduler', 'C:\\x\\task scheduler', undefined];
const commandLines = [
  'certutil -encode a.bat b.txt',
  'nbtscan -encode inventory.tmp',
  'x /encode patch.xml',
  'x -encode c.doc check',
  'x -encode scan.pdf discovery',
  'x -encode AD.png',
  'x -encode domain.gif status',
  'nbtscan -r 10.0.0.0/24',
  undefined,
];
const originalNames = ['CertUtil.exe', 'nbtscan.exe', undefined];

/** Sysmon process creation events: every combination of the values above. */
export function sysmonEvents(): Event[] {
  const out: Event[] = [];
  for (const Image of images)
    for (const ParentImage of parents)
      for (const CommandLine of commandLines)
        for (const OriginalFileName of originalNames) {
          const e: Record<string, string> = {};
          if (Image !== undefined) e.Image = Image;
          if (ParentImage !== undefined) e.ParentImage = ParentImage;
          if (CommandLine !== undefined) e.CommandLine = CommandLine;
          if (OriginalFileName !== undefined) e.OriginalFileName = OriginalFileName;
          out.push(e);
        }
  return out;
}

const fileName = (path: string) => path.slice(path.lastIndexOf('\\') + 1);

/** The ECS version of a Sysmon process creation event (ECS definitions: process.name is the file
 *  name of process.executable, process.args the command line's parts). */
export function ecsEvent(e: Event): Event {
  const out: Record<string, unknown> = { 'event.category': 'process', 'event.type': 'start' };
  const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  const image = text('Image');
  const parent = text('ParentImage');
  const line = text('CommandLine');
  if (image !== undefined) Object.assign(out, { 'process.executable': image, 'process.name': fileName(image) });
  if (parent !== undefined) Object.assign(out, { 'process.parent.executable': parent, 'process.parent.name': fileName(parent) });
  if (line !== undefined) Object.assign(out, { 'process.command_line': line, 'process.args': line.split(' ') });
  if (text('OriginalFileName') !== undefined) out['process.pe.original_file_name'] = text('OriginalFileName');
  return out;
}

/** The DeviceProcessEvents row of a Sysmon event (a missing string column reads as ""). */
function defenderRow(e: Event): Row {
  const named: Record<string, unknown> = {
    FolderPath: e.Image,
    FileName: typeof e.Image === 'string' ? fileName(e.Image) : undefined,
    InitiatingProcessFolderPath: e.ParentImage,
    InitiatingProcessFileName: typeof e.ParentImage === 'string' ? fileName(e.ParentImage) : undefined,
    ProcessCommandLine: e.CommandLine,
    ProcessVersionInfoOriginalFileName: e.OriginalFileName,
  };
  const row: Record<string, string | null> = {};
  for (const [column, type] of Object.entries(defenderSchema().DeviceProcessEvents!)) {
    const v = named[column];
    row[column] = type === 'string' ? (typeof v === 'string' ? v : '') : null;
  }
  return row;
}

export interface TunedOutcome {
  readonly events: number;
  readonly detected: number;
  readonly removed: number;
}

/** Tunes the rule with the exclusions file and checks every target on every event. */
export function checkTunedRule(rulePath: string, exclusionsPath: string): TunedOutcome {
  const [doc] = compileSigma(readFileSync(rulePath, 'utf8'), rulePath);
  assert.ok(doc?.query, doc?.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const file = readExclusions(readFileSync(exclusionsPath, 'utf8'), exclusionsPath);
  const { query } = tuneWith(doc.query, [file], { id: doc.id, logsource: doc.document!.logsource });
  const written = query.exclusions!;
  assert.ok(written.length > 0);
  const plain: RuleQuery = { ...query, lookback: undefined, fields: [] };
  const spl = parseSpl(convertQuery(plain, 'spl', { pipelines: ['none'] }));
  const eqlText = convertQuery(plain, 'eql', { pipelines: ['ecs-windows'] });
  const eql = parseEql(eqlText);
  const kqlText = convertQuery(plain, 'kql', { pipelines: ['defender-xdr'] });
  const kql = condition(kqlText);
  // The tuned query in the rule's own names (what every pipeline then maps).
  const [branch] = applyPipelines(plain, []).branches;
  const tunedInRuleNames = simplify(and(branch!.expr, ...branch!.exclusions.map((e) => not(e.expr))));
  let detected = 0;
  let removed = 0;
  const events = sysmonEvents();
  for (const e of events) {
    const ecs = ecsEvent(e);
    const detects = evaluate(query.expr, e);
    const excluded = written.some((x) => evaluate(x.expr, ecs));
    const expected = detects && !excluded;
    const on = JSON.stringify(e);
    assert.equal(evaluate(tunedInRuleNames, e), expected, `IR in the rule's names on ${on}`);
    assert.equal(evaluateSpl(spl, e), expected, `SPL (none) on ${on}`);
    for (const logic of ['kleene', 'lucene'] as const) assert.equal(evaluateEql(eql, ecs, { ignoreCategory: true, logic }), expected, `EQL (ecs-windows, ${logic}) on ${JSON.stringify(ecs)}:\n${eqlText}`);
    assert.equal(evalKql(kql, defenderRow(e)) === true, expected, `KQL (defender-xdr) on ${on}:\n${kqlText}`);
    if (detects) detected++;
    if (detects && excluded) removed++;
  }
  return { events: events.length, detected, removed };
}
