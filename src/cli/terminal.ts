// What the command line may do to a terminal: colours only on a TTY and never with NO_COLOR.
import type { Writable } from 'node:stream';

export interface Terminal {
  readonly out: Writable & { isTTY?: boolean };
  readonly err: Writable & { isTTY?: boolean };
  /** Colours on stderr (diagnostics, summary). */
  readonly color: boolean;
}

export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true;
}

export function processTerminal(): Terminal {
  return { out: process.stdout, err: process.stderr, color: colorWanted(process.stderr) };
}

export function write(stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
