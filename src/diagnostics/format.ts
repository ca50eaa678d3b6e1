import type { Diagnostic } from './diagnostic.js';

export interface FormatOptions {
  /** Wrap severity and carets in ANSI colours (only for a TTY; the CLI decides). */
  color?: boolean;
}

const ansi = {
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  blue: (s: string) => `\x1b[34m${s}\x1b[39m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
};

/**
 * Formats a diagnostic like a compiler does:
 * ```
 * error[unknown-identifier]: condition refers to 'bar', which no selection defines
 *  --> rules/x.yml:7:16
 *   |
 * 7 |     condition: bar
 *   |                ^^^
 * ```
 * Tabs are shown as single spaces so the caret lines up; control characters as '?'.
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const paint = options.color ? ansi : { red: id, yellow: id, blue: id, bold: id };
  const sev = d.severity === 'error' ? paint.red(paint.bold('error')) : paint.yellow(paint.bold('warning'));
  const out: string[] = [`${sev}${paint.bold(`[${d.code}]: ${d.message}`)}`];
  if (d.span) {
    const { source, start, end } = d.span;
    const from = source.position(start);
    const to = source.position(Math.max(start, end - 1));
    const gutter = String(from.line).length;
    const pad = ' '.repeat(gutter);
    out.push(`${pad}${paint.blue('-->')} ${source.path}:${from.line}:${from.column}`);
    if (source.text.length > 0 || from.line === 1) {
      const lineText = source.lineText(from.line);
      const shown = visible(lineText);
      const caretStart = from.column - 1;
      const caretEnd = to.line === from.line ? Math.max(to.column, from.column) : Math.max(lineText.length, from.column);
      const width = Math.max(1, caretEnd - caretStart);
      out.push(`${pad} ${paint.blue('|')}`);
      out.push(`${paint.blue(String(from.line))} ${paint.blue('|')} ${shown}`);
      const caretColor = d.severity === 'error' ? paint.red : paint.yellow;
      out.push(`${pad} ${paint.blue('|')} ${' '.repeat(caretStart)}${caretColor('^'.repeat(width))}`);
    }
  }
  for (const note of d.notes ?? []) out.push(`${' '.repeat(d.span ? String(d.span.source.position(d.span.start).line).length : 0)} = note: ${note}`);
  return out.join('\n');
}

function id(s: string): string {
  return s;
}

function visible(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\t/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
}
