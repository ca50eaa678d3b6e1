// rulecast list targets|pipelines|formats [target] [--json]; list pipelines --show <name>
import { parseCommandArgs } from '../args.js';
import { getTarget, listTargets } from '../../app/targets.js';
import { builtinPipelineText, builtinPipelines, getBuiltinPipeline } from '../../pipelines/load.js';
import { formatFor } from '../../app/targets.js';
import { nearest } from '../../rule/load.js';
import { write, type Terminal } from '../terminal.js';
import { UsageError } from '../usage.js';

export const listHelp = `Usage: rulecast list targets|pipelines|formats [<target>] [--json]
       rulecast list pipelines --show <name>

Lists what convert can do: the targets, the built-in pipelines of each target (the default one
marked), and the output formats of each target. --show prints a built-in pipeline's YAML, to start
a pipeline of your own from (convert -p your.yml).

Examples:
  rulecast list targets
  rulecast list pipelines kql
  rulecast list pipelines --show defender-xdr > my-pipeline.yml
  rulecast list formats --json`;

export function listCommand(argv: string[], term: Terminal): number {
  const { values, positionals } = parseCommandArgs('list', argv, { json: { type: 'boolean' }, show: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    write(term.out, listHelp);
    return 0;
  }
  if (values.show !== undefined) {
    if (positionals[0] !== 'pipelines') throw new UsageError('--show prints a pipeline: rulecast list pipelines --show <name>');
    const names = builtinPipelines();
    const text = builtinPipelineText(values.show);
    if (text === undefined) {
      const near = nearest(values.show, names);
      throw new UsageError(`no built-in pipeline '${values.show}'${near ? `; did you mean '${near}'?` : ''} (pipelines: ${names.join(', ')})`);
    }
    term.out.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  const [what, targetName] = positionals;
  if (!what || !['targets', 'pipelines', 'formats'].includes(what)) throw new UsageError('list needs one of: targets, pipelines, formats');
  if (targetName && !getTarget(targetName)) throw new UsageError(`unknown target '${targetName}'`);
  const targets = targetName ? [getTarget(targetName)!] : listTargets();
  if (what === 'targets') {
    const rows = targets.map((t) => ({ name: t.name, description: t.description, defaultPipeline: t.defaultPipeline, extension: t.extension }));
    if (values.json) write(term.out, JSON.stringify({ targets: rows }, null, 2));
    else for (const r of rows) write(term.out, `${r.name.padEnd(6)} ${r.description} (default pipeline: ${r.defaultPipeline})`);
    return 0;
  }
  if (what === 'pipelines') {
    const rows = targets.flatMap((t) =>
      t.pipelines.map((p) => ({
        target: t.name,
        name: p,
        default: p === t.defaultPipeline,
        description: p === 'none' ? 'no mapping, no layout: field names as written, the bare expression' : getBuiltinPipeline(p).description,
      })),
    );
    if (values.json) write(term.out, JSON.stringify({ pipelines: rows }, null, 2));
    else for (const r of rows) write(term.out, `${r.target.padEnd(4)} ${r.name.padEnd(16)} ${r.default ? '(default) ' : ''}${r.description}`);
    return 0;
  }
  const rows = targets.flatMap((t) =>
    t.formats.map((f) => {
      const format = formatFor(t.name, f);
      return { target: t.name, name: f, description: format.description, extension: format.style.extension, scheduled: format.scheduled };
    }),
  );
  if (values.json) write(term.out, JSON.stringify({ formats: rows }, null, 2));
  else for (const r of rows) write(term.out, `${r.target.padEnd(5)} ${r.name.padEnd(16)} ${r.extension.padEnd(7)} ${r.description}`);
  return 0;
}
