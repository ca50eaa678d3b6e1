// rulecast match <rules…> --events <file> [-x <exclusions>]… [--json]: which events each rule
// selects (IR evaluator), tuned by its exclusions as convert tunes it.
import { parseCommandArgs } from '../args.js';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { isRulecastError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { compileSigma, evaluate, readEvents, type Event } from '../../index.js';
import type { RuleQuery } from '../../ir/query.js';
import { isExclusionsFile, readOptionExclusions, RuleExclusions, tuneDocument } from '../exclusions.js';
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

Options:
  -e, --events <file>      the events
  -x, --exclusions <file>  tune every rule with these exclusions too (repeatable)
      --no-exclusions      the untuned detection, even for rules that name their own exclusions
      --json               print {"matches": [indices], "rules": [{"title", "id", "path", "matches",
                           "exclusions": [{"name", "removed": [indices]}]}]}
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help               show this help

Exit status: 0 done (whether or not events matched), 1 a rule or the events are invalid, 2 usage error.

Examples:
  rulecast match rules/windows/proc_creation_win_nbtscan.yml --events events.jsonl
  rulecast match rules/ -e sample.json -x false-positives.yml --json`;

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
  for (const file of inputs) {
    let text: string;
    try {
      text = readTextFile(file.path, file.absolute).text;
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      errors.push(err.diagnostic);
      continue;
    }
    if (isExclusionsFile(text)) continue;
    for (const compiled of compileSigma(text, file.path, { placeholders })) {
      let doc = compiled;
      if (!untuned && doc.query) {
        try {
          const own = ruleExclusions.forRule(doc, file.path);
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
        rules.push({ title: doc.title, id: doc.id, path: file.path, ...matchesOf(doc.query, events) });
      } catch (err) {
        if (!isRulecastError(err)) throw err;
        errors.push(err.diagnostic);
      }
    }
  }
  for (const d of [...warnings, ...errors]) write(term.err, formatDiagnostic(d, { color: term.color }));
  if (errors.length) return 1;
  const all = [...new Set(rules.flatMap((r) => r.matches))].sort((a, b) => a - b);
  if (values.json) {
    write(term.out, JSON.stringify({ matches: all, rules }));
  } else {
    for (const r of rules) {
      write(term.out, `${r.title ?? '(untitled)'}: ${r.matches.length} of ${events.length} events match${r.matches.length ? ` (${r.matches.join(', ')})` : ''}`);
      for (const e of r.exclusions) write(term.out, `  exclusion '${e.name}' removes ${e.removed.length}${e.removed.length ? ` (${e.removed.join(', ')})` : ''}`);
    }
  }
  return 0;
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
