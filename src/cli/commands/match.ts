// rulecast match <rule.yml> --events <file> [--json]: which events the rule selects (IR evaluator).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { compileSigma, evaluate, readEvents } from '../../index.js';
import { readPlaceholders, readTextFile } from '../files.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const matchHelp = `Usage: rulecast match <rule.yml> --events <file> [--json]

Evaluates a rule on events with Sigma's semantics and lists the events it matches (0-based).
Events are JSON Lines of flat objects, a JSON array, or JSON objects one after another; Windows
event-log objects ({"Event": {"System": ..., "EventData": ...}}) are flattened to EventData/UserData
fields plus EventID, Channel, Provider_Name and Computer.

Options:
  -e, --events <file>   the events
      --json            print {"matches": [indices], "rules": [{"title", "id", "matches"}]}
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help            show this help

Exit status: 0 done (whether or not events matched), 1 the rule or events are invalid, 2 usage error.

Examples:
  rulecast match rules/windows/proc_creation_win_nbtscan.yml --events events.jsonl
  rulecast match rule.yml -e sample.json --json`;

export function matchCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { events: { type: 'string', short: 'e' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, placeholders: { type: 'string' } },
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
    docs = compileSigma(readTextFile(rulePath, resolve(rulePath)).text, rulePath, { placeholders });
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
  const rules = docs.filter((d) => d.query).map((d) => {
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
  if (values.json) {
    write(term.out, JSON.stringify({ matches: all, rules: ok }));
  } else {
    for (const r of ok) write(term.out, `${r.title ?? '(untitled)'}: ${r.matches.length} of ${events.length} events match${r.matches.length ? ` (${r.matches.join(', ')})` : ''}`);
  }
  return 0;
}
