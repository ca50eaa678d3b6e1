// rulecast check <files|dirs|globs...> [--json]: validation and linting only.
import { parseCommandArgs } from '../args.js';
import { formatDiagnostic } from '../../diagnostics/format.js';
import { isRulecastError, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { compileSigma, CorrelationRun, documentKey } from '../../index.js';
import { SourceFile } from '../../diagnostics/source.js';
import { importKql } from '../../import/kql.js';
import { queryMeta } from '../../app/kql-import.js';
import { expandInputs, readPlaceholders, readTextFile } from '../files.js';
import { jsonDiagnostic } from '../report.js';
import { RuleExclusions } from '../exclusions.js';
import { documentScenarios, inputKind } from '../../app/inputs.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const checkHelp = `Usage: rulecast check <files|folders|globs...> [--json]

Loads, validates and lowers every rule, reporting errors and the linter's warnings with
file:line:column. Nothing is converted. Correlation rules are validated with the rules they
use, which may be in any of the files checked. KQL hunting documents (.kql, .md, .txt, Sentinel
YAML) are imported as convert reads them, one result per query; Scenario / Filter/Exclusion
blocks they carry are checked too (reported with the document's first query).

Options:
      --json     print {"results": [{"path", "title", "id", "valid", "errors", "warnings"}], "summary"}
      --placeholders <file>  values for |expand placeholders (YAML: name: [values])
  -h, --help     show this help

Exit status: 0 every rule is valid, 1 some rule has an error, 2 usage error.

Examples:
  rulecast check rules/
  rulecast check rule.yml --json`;

interface CheckedDocument {
  path: string;
  index: number;
  title: string | null;
  id: string | null;
  diagnostics: readonly Diagnostic[];
}

export function checkCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseCommandArgs('check', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, placeholders: { type: 'string' } });
  if (values.help) {
    write(term.out, checkHelp);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('check needs at least one rule file, folder or glob');
  const placeholders = values.placeholders ? readPlaceholders(values.placeholders) : undefined;
  const docs: CheckedDocument[] = [];
  const ruleExclusions = new RuleExclusions();
  // Correlations may use rules of any checked file: their references are resolved at the end.
  const correlations = new CorrelationRun();
  for (const file of expandInputs(positionals)) {
    try {
      const text = readTextFile(file.path, file.absolute).text;
      const input = inputKind(file.path, text);
      if (input.kind === 'exclusions') continue; // checked with the rules that name it
      if (input.kind === 'kql') {
        const scenarios = documentScenarios(text, file.path);
        importKql(new SourceFile(file.path, text), input.format).forEach((q, i) => {
          const own = i === 0 && scenarios ? [...scenarios.diagnostics, ...scenarios.exclusions.flatMap((e) => e.diagnostics)] : [];
          const meta = queryMeta(q);
          docs.push({ path: file.path, index: i, title: meta.title, id: meta.id ?? null, diagnostics: [...(q.error ? [q.error] : []), ...own] });
        });
        continue;
      }
      for (const d of compileSigma(text, file.path, { placeholders })) {
        correlations.add(d);
        // A rule's own exclusions file must read cleanly too.
        const diagnostics = [...d.diagnostics];
        try {
          const own = ruleExclusions.forRule(d, file.path);
          if (own) diagnostics.push(...own.diagnostics, ...own.exclusions.flatMap((e) => e.diagnostics));
        } catch (err) {
          if (!isRulecastError(err)) throw err;
          diagnostics.push(err.diagnostic);
        }
        docs.push({ path: file.path, index: d.index, title: d.title, id: d.id, diagnostics });
      }
    } catch (err) {
      if (!isRulecastError(err)) throw err;
      docs.push({ path: file.path, index: 0, title: null, id: null, diagnostics: [err.diagnostic] });
    }
  }
  if (correlations.hasCorrelations) {
    const resolution = correlations.resolve();
    for (const d of docs) {
      const found = resolution.diagnostics.get(documentKey(d));
      if (found) d.diagnostics = [...d.diagnostics, ...found];
    }
  }
  const invalid = docs.filter((d) => d.diagnostics.some((x) => x.severity === 'error')).length;
  const warnings = docs.reduce((n, d) => n + d.diagnostics.filter((x) => x.severity === 'warning').length, 0);
  if (values.json) {
    const json = {
      results: docs.map((d) => ({
        path: d.path,
        title: d.title,
        id: d.id,
        valid: !d.diagnostics.some((x) => x.severity === 'error'),
        errors: d.diagnostics.filter((x) => x.severity === 'error').map(jsonDiagnostic),
        warnings: d.diagnostics.filter((x) => x.severity === 'warning').map(jsonDiagnostic),
      })),
      summary: { rules: docs.length, valid: docs.length - invalid, invalid, warnings },
    };
    write(term.out, JSON.stringify(json, null, 2));
  } else {
    for (const d of docs) for (const x of d.diagnostics) write(term.err, formatDiagnostic(x, { color: term.color }));
    write(term.err, `rulecast: ${docs.length} rules checked: ${docs.length - invalid} valid, ${invalid} invalid, ${warnings} warnings`);
  }
  return invalid > 0 ? 1 : 0;
}
