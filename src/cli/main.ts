// The rulecast command line: dispatch, usage errors (exit 2) and a last-resort handler that
// reports an internal error without a stack trace unless RULECAST_DEBUG is set.
import { readFileSync } from 'node:fs';
import { checkCommand, checkHelp } from './commands/check.js';
import { convertCommand, convertHelp } from './commands/convert.js';
import { matchCommand, matchHelp } from './commands/match.js';
import { listCommand, listHelp } from './commands/list.js';
import { analyzeCommand, analyzeHelp } from './commands/analyze.js';
import { processTerminal, write, type Terminal } from './terminal.js';
import { UsageError } from './usage.js';
import { isRulecastError } from '../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../diagnostics/format.js';
import { nearest } from '../rule/load.js';

const commands: Record<string, { run: (argv: string[], term: Terminal) => number | Promise<number>; help: string; summary: string }> = {
  convert: { run: convertCommand, help: convertHelp, summary: 'convert Sigma rules into KQL, SPL or EQL queries' },
  check: { run: checkCommand, help: checkHelp, summary: 'validate and lint rules without converting them' },
  match: { run: matchCommand, help: matchHelp, summary: 'evaluate a rule on events (JSON) and list the matches' },
  analyze: { run: analyzeCommand, help: analyzeHelp, summary: 'what each exclusion does to a rule: dead, total, partial or unknown' },
  list: { run: listCommand, help: listHelp, summary: 'list targets, pipelines and output formats' },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return `Usage: rulecast <command> [options]

rulecast translates Sigma detection rules into Microsoft KQL, Splunk SPL and Elastic EQL.

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Run 'rulecast <command> --help' for the options of a command.`;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function run(argv: string[], term: Terminal = processTerminal()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      write(term.out, topic && commands[topic] ? commands[topic].help : mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      write(term.out, version());
      return 0;
    }
    const command = commands[name];
    if (!command) {
      const near = nearest(name, Object.keys(commands));
      throw new UsageError(`unknown command '${name}'${near ? `; did you mean '${near}'?` : `; commands: ${Object.keys(commands).join(', ')}`}`);
    }
    return await command.run(rest, term);
  } catch (err) {
    if (err instanceof UsageError) {
      write(term.err, `rulecast: ${err.message}`);
      write(term.err, `Run 'rulecast ${name && commands[name] ? `${name} ` : ''}--help' for usage.`);
      return 2;
    }
    // A bad file named by an option (placeholders, pipeline): located like a rule error.
    if (isRulecastError(err)) {
      write(term.err, formatDiagnostic(err.diagnostic, { color: term.color }));
      return 2;
    }
    if (err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'EISDIR')) {
      write(term.err, `rulecast: cannot read ${(err as NodeJS.ErrnoException).path ?? 'a file'}: ${err.code === 'ENOENT' ? 'no such file' : 'it is a folder'}`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    write(term.err, `rulecast: internal error: ${message}`);
    if (process.env.RULECAST_DEBUG && err instanceof Error) write(term.err, err.stack ?? '');
    else write(term.err, 'This is a bug in rulecast; set RULECAST_DEBUG=1 to see where it happened.');
    return 3;
  }
}
