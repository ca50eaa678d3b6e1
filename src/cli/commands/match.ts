// rulecast match <rule.yml> --events <file> [--json]: which events the rule selects (IR evaluator),
// and the alerts of the file's correlations (correlation evaluator).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { compileSigma, evaluate, evaluateCorrelations, readEvents, resolveCorrelations, type CorrelationAlert } from '../../index.js';
import { readPlaceholders, readTextFile } from '../files.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const matchHelp = `Usage: rulecast match <rule.yml> --events <file> [--json]

Evaluates a rule on events with Sigma's semantics and lists the events it matches (0-based).
Events are JSON Lines of flat objects, a JSON array, or JSON objects one after another; Windows
event-log objects ({"Event": {"System": ..., "EventData": ...}}) are flattened to EventData/UserData
fields plus EventID, Channel, Provider_Name and Computer.

Correlation rules of the file are evaluated over the events' times: each event of a group closes
a window holding the group's events of the 'timespan' before it (inclusive), and every window
where the condition holds is an alert (docs/correlation.md). The rules a correlation uses are not
listed on their own unless it says 'generate: true'.

Options:
  -e, --events <file>   the events
      --time-field <name>  the field holding each event's time for correlations (default
                        @timestamp): ISO 8601 text (UTC without an offset) or epoch milliseconds
      --json            print {"matches": [indices], "rules": [{"title", "id", "matches"}],
                        "correlations": [{"title", "id", "type", "alerts": [{"group", "start",
                        "end", "count" | "value", "values", "events"}]}]}
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help            show this help

Exit status: 0 done (whether or not events matched), 1 the rule or events are invalid, 2 usage error.

Examples:
  rulecast match rules/windows/proc_creation_win_nbtscan.yml --events events.jsonl
  rulecast match rule.yml -e sample.json --json
  rulecast match mr_brute_force.yml -e logons.jsonl --time-field TimeCreated`;

export function matchCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { events: { type: 'string', short: 'e' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, placeholders: { type: 'string' }, 'time-field': { type: 'string' } },
  });
  if (values.help) {
    write(term.out, matchHelp);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('match needs exactly one rule file');
  if (!values.events) throw new UsageError('match needs --events <file>');
  const rulePath = positionals[0]!;
  const eventsPath = values.events;
  let docs;
  let events;
  try {
    const placeholders = values.placeholders ? readPlaceholders(values.placeholders) : undefined;
    docs = resolveCorrelations(compileSigma(readTextFile(rulePath, resolve(rulePath)).text, rulePath, { placeholders }));
    events = readEvents(readTextFile(eventsPath, resolve(eventsPath), 512 * 1024 * 1024).text, eventsPath);
  } catch (err) {
    if (err instanceof RulecastError) {
      write(term.err, formatDiagnostic(err.diagnostic, { color: term.color }));
      return 1;
    }
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw new UsageError(`no such file: ${(err as NodeJS.ErrnoException).path}`);
    throw err;
  }
  const errors = docs.flatMap((d) => d.diagnostics.filter((x) => x.severity === 'error'));
  if (errors.length > 0) {
    for (const e of errors) write(term.err, formatDiagnostic(e, { color: term.color }));
    return 1;
  }
  // The rules a correlation uses are its parts, not detections of their own (unless generate).
  const rules = docs.filter((d) => d.query && !d.correlated).map((d) => {
    try {
      return { title: d.title, id: d.id, matches: events.flatMap((ev, i) => (evaluate(d.query!.expr, ev) ? [i] : [])) };
    } catch (err) {
      if (err instanceof RulecastError) return { title: d.title, id: d.id, error: err };
      throw err;
    }
  });
  const failed = rules.filter((r): r is { title: string | null; id: string | null; error: RulecastError } => 'error' in r);
  if (failed.length) {
    for (const r of failed) write(term.err, formatDiagnostic(r.error.diagnostic, { color: term.color }));
    return 1;
  }
  const ok = rules as { title: string | null; id: string | null; matches: number[] }[];
  const all = [...new Set(ok.flatMap((r) => r.matches))].sort((a, b) => a - b);
  const reported = docs.filter((d) => d.correlation && !d.correlated);
  let alerts: CorrelationAlert[][];
  try {
    alerts = evaluateCorrelations(reported.map((d) => d.correlation!), events, { timeField: values['time-field'] });
  } catch (err) {
    if (!(err instanceof RulecastError)) throw err;
    write(term.err, formatDiagnostic(err.diagnostic, { color: term.color }));
    return 1;
  }
  const correlations = reported.map((d, i) => ({ title: d.title, id: d.id, type: d.correlation!.type, alerts: alerts[i]! }));
  if (values.json) {
    write(term.out, JSON.stringify({ matches: all, rules: ok, correlations }));
  } else {
    for (const r of ok) write(term.out, `${r.title ?? '(untitled)'}: ${r.matches.length} of ${events.length} events match${r.matches.length ? ` (${r.matches.join(', ')})` : ''}`);
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
