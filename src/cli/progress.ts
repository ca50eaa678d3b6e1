// Progress and the final summary, for people at a terminal. The caller only creates a progress
// bar on a TTY (never when piped or with --json).
import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number): void;
  done(): void;
}

export function progressBar(stream: Writable, total: number, color: boolean, label = 'rules'): Progress {
  const width = 30;
  let last = 0;
  const started = Date.now();
  const draw = (done: number) => {
    const filled = Math.round((done / total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r${color ? `\x1b[36m${bar}\x1b[39m` : bar} ${done}/${total} ${label} files  ${seconds}s`);
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 80 && done < total) return; // redraw at most ~12 times a second
      last = now;
      draw(done);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}

export interface SummaryRow {
  readonly target: string;
  readonly converted: number;
  readonly unsupported: number;
  readonly invalid: number;
}

export function summaryTable(rows: readonly SummaryRow[], skipUnsupported: boolean, color: boolean): string {
  const green = (s: string) => (color ? `\x1b[32m${s}\x1b[39m` : s);
  const yellow = (s: string) => (color ? `\x1b[33m${s}\x1b[39m` : s);
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[39m` : s);
  const head = ['target', 'converted', skipUnsupported ? 'skipped' : 'unsupported', 'invalid'];
  const body = rows.map((r) => [r.target, String(r.converted), String(r.unsupported), String(r.invalid)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[], paint?: ((s: string) => string)[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).map((c, i) => (paint?.[i] ? paint[i]!(c) : c)).join('  ');
  const id = (s: string) => s;
  return [
    line(head),
    ...body.map((b) => line(b, [id, green, Number(b[2]) > 0 ? yellow : id, Number(b[3]) > 0 ? red : id])),
  ].join('\n');
}
