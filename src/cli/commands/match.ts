// rulecast match <rules…> --events <file> [-x <exclusions>]… [--json]: which events each rule
// selects (IR evaluator), tuned by its exclusions as convert tunes it, and the alerts of the
// correlations among the rules (correlation evaluator).
import { parseCommandArgs } from '../args.js';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { isRulecastError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { compileSigma, evaluate, evaluateCorrelations, readEvents, resolveCorrelations, type CompiledDocument, type CorrelationAlert, type Event } from '../../index.js';
import type { RuleQuery } from '../../ir/query.js';
import { readOptionExclusions, RuleExclusions } from '../exclusions.js';
import { inputKind } from '../../app/inputs.js';
import { tuneDocument } from '../../app/tune.js';
import { expandInputs, readPlaceholders, readTextFile } from '../files.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const matchHelp = `Usage: rulecast match <rules|folders|globs...> --events <file> [options]

Evaluates rules on events with Sigma's semantics and lists the events each matches (0-based). A
rule is tuned as convert tunes it: by the exclusions of its own file (rulecast: {exclusions}) and
of --exclusions, so you see what the tuned query still matches and what each exclusion removes.
Events are JSON Lines of flat objects, a JSON array, or JSON objects one after another; Windows
event-log objects ({"Event": {"System": ..., "EventData": ...}}) are flattened to EventData/UserData
fields plus EventID, Channel, Provider_Name and Computer.

Correlation rules are evaluated over the events' times: each event of a group closes a window
holding the group's events of the 'timespan' before it (inclusive), and every window where the
condition holds is an alert (docs/correlation.md). The rules a correlation uses are not listed on
their own unless it says 'generate: true'; their references may be in any of the files given.

Options:
  -e, --events <file>      the events
  -x, --exclusions <file>  tune every rule with these exclusions too (repeatable)
      --no-exclusions      the untuned detection, even for rules that name their own exclusions
      --time-field <name>  the field holding each event's time for correlations (default
                           @timestamp): ISO 8601 text (UTC without an offset) or epoch milliseconds
      --json               print {"matches": [indices], "rules": [{"title", "id", "path", "matches",
                           "exclusions": [{"name", "removed": [indices]}]}], "correlations":
                           [{"title", "id", "type", "alerts": [{"group", "start", "end",
                           "count" | "value", "values", "events"}]}]}
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help               show this help

Exit status: 0 done (whether or not events matched), 1 a rule or the events are invalid, 2 usage error.

Examples:
  rulecast match rules/windows/proc_creation_win_nbtscan.yml --events events.jsonl
  rulecast match rules/ -e sample.json -x false-positives.yml --json
  rulecast match mr_brute_force.yml -e logons.jsonl --time-field TimeCreated`;

interface RuleMatches {
  readonly title: string | null;
  readonly id: string | null;
  readonly path: string;
  /** Events the (tuned) rule matches. */
  readonly matches: number[];
  /** Per exclusion, the detections it removes (an event may be removed by several). */
  readonly exclusions: { readonly name: string; readonly removed: number[] }[];
}

export function matchCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseCommandArgs('match', argv, {
    events: { type: 'string', short: 'e' },
    exclusions: { type: 'string', short: 'x', multiple: true },
    'no-exclusions': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    placeholders: { type: 'string' },
    'time-field': { type: 'string' },
  });
  if (values.help) {
    write(term.out, matchHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('match needs at least one rule file, folder or glob');
  if (!values.events) throw new UsageError('match needs --events <file>');
  const untuned = values['no-exclusions'] === true;
  if (untuned && values.exclusions?.length) throw new UsageError('--no-exclusions evaluates the untuned detection; it cannot be combined with --exclusions');
  const placeholders = values.placeholders ? readPlaceholders(values.placeholders) : undefined;
  const optionFiles = readOptionExclusions(values.exclusions ?? [], term);
  const inputs = expandInputs(positionals);
  let events: Event[];
  try {
    events = readEvents(readTextFile(values.events, resolve(values.events), 512 * 1024 * 1024).text, values.events);
  } catch (err) {
    if (isRulecastError(err)) {
      write(term.err, formatDiagnostic(err.diagnostic, { color: term.color }));
      return 1;
    }
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw new UsageError(`no such file: ${values.events}`);
    throw err;
  }

  const ruleExclusions = new RuleExclusions();
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const rules: RuleMatches[] = [];
  const compiled: CompiledDocument[] = [];
  for (const file of inputs) {
    let text: string;
    try {
      text = readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      errors.push(err.diagnostic);
      continue;
    }
    if (inputKind(file.path, text).kind === 'exclusions') continue;
    compiled.push(...compileSigma(text, file.path, { placeholders }));
  }
  // Correlations may use rules of any file given; the rules they use are their parts, not
  // detections of their own (unless generate: true).
  const resolved = resolveCorrelations(compiled);
  for (const compiledDoc of resolved) {
    let doc = compiledDoc;
    if (doc.correlated || doc.document?.kind === 'correlation') {
      // Evaluated with its correlation (below); its own findings are still reported.
      errors.push(...doc.diagnostics.filter((d) => d.severity === 'error').slice(0, 1));
      warnings.push(...doc.diagnostics.filter((d) => d.severity === 'warning'));
      continue;
    }
    if (!untuned && doc.query) {
      try {
        const own = ruleExclusions.forRule(doc, doc.path);
        const tuned = tuneDocument(doc, own ? [...optionFiles, own] : optionFiles);
        if (tuned.error) {
          errors.push(tuned.error);
          continue;
        }
        doc = tuned.doc;
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        errors.push(err.diagnostic);
        continue;
      }
    }
    const error = doc.diagnostics.find((d) => d.severity === 'error');
    if (error || !doc.query) {
      if (error) errors.push(error);
      continue;
    }
    warnings.push(...doc.diagnostics.filter((d) => d.severity === 'warning'));
    try {
      rules.push({ title: doc.title, id: doc.id, path: doc.path, ...matchesOf(doc.query, events) });
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      errors.push(err.diagnostic);
    }
  }
  const reported = resolved.filter((d) => d.correlation && !d.correlated);
  let alerts: CorrelationAlert[][] = [];
  if (errors.length === 0) {
    try {
      alerts = evaluateCorrelations(reported.map((d) => d.correlation!), events, { timeField: values['time-field'] });
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      errors.push(err.diagnostic);
    }
  }
  for (const d of [...warnings, ...errors]) write(term.err, formatDiagnostic(d, { color: term.color }));
  if (errors.length) return 1;
  const all = [...new Set(rules.flatMap((r) => r.matches))].sort((a, b) => a - b);
  const correlations = reported.map((d, i) => ({ title: d.title, id: d.id, type: d.correlation!.type, alerts: alerts[i]! }));
  if (values.json) {
    write(term.out, JSON.stringify({ matches: all, rules, correlations }));
  } else {
    for (const r of rules) {
      write(term.out, `${r.title ?? '(untitled)'}: ${r.matches.length} of ${events.length} events match${r.matches.length ? ` (${r.matches.join(', ')})` : ''}`);
      for (const e of r.exclusions) write(term.out, `  exclusion '${e.name}' removes ${e.removed.length}${e.removed.length ? ` (${e.removed.join(', ')})` : ''}`);
    }
    for (const c of correlations) {
      write(term.out, `${c.title ?? '(untitled)'} (${c.type}): ${c.alerts.length} alert${c.alerts.length === 1 ? '' : 's'}`);
      for (const a of c.alerts) write(term.out, `  ${describeAlert(a)}`);
    }
  }
  return 0;
}

function describeAlert(a: CorrelationAlert): string {
  const group = Object.entries(a.group).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  const measure = a.value !== undefined ? `value ${a.value}` : `count ${a.count}`;
  const values = a.values ? `, values ${a.values.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return `${group.length ? `${group.join(' ')}: ` : ''}${a.start} to ${a.end}, ${measure}${values} (events ${a.events.join(', ')})`;
}

/** The events the tuned query matches, and those each exclusion removes from the detection. */
function matchesOf(query: RuleQuery, events: readonly Event[]): { matches: number[]; exclusions: RuleMatches['exclusions'] } {
  const exclusions = (query.exclusions ?? []).map((e) => ({ name: e.name, expr: e.expr, removed: [] as number[] }));
  const matches: number[] = [];
  events.forEach((event, i) => {
    if (!evaluate(query.expr, event)) return;
    let kept = true;
    for (const e of exclusions) {
      if (evaluate(e.expr, event)) {
        e.removed.push(i);
        kept = false;
      }
    }
    if (kept) matches.push(i);
  });
  return { matches, exclusions: exclusions.map(({ name, removed }) => ({ name, removed })) };
}
