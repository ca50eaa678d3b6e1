// Option parsing for every command: node:util's parseArgs, with usage errors that suggest the
// option meant (`--exclusion` → `--exclusions`) instead of its generic message.
import { parseArgs } from 'node:util';
import { nearest } from '../rule/load.js';
import { UsageError } from './usage.js';

interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

type Parsed<O extends Record<string, OptionSpec>> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>>;

export function parseCommandArgs<const O extends Record<string, OptionSpec>>(command: string, argv: string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options }) as Parsed<O>;
  } catch (err) {
    if (!(err instanceof TypeError) || !('code' in err) || !String(err.code).startsWith('ERR_PARSE_ARGS')) throw err;
    throw new UsageError(explain(command, err, options));
  }
}

function explain(command: string, err: TypeError & { code?: unknown }, options: Record<string, OptionSpec>): string {
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /'(-[^']*)'/.exec(err.message)?.[1] ?? '';
    const option = given.split('=')[0]!;
    const near = option.startsWith('--') ? nearest(option, Object.keys(options).map((name) => `--${name}`)) : undefined;
    return `${command} has no option '${option}'${near ? `; did you mean '${near}'?` : ''}`;
  }
  return err.message;
}
