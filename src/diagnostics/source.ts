/** A text the user wrote (a rule file, an exclusion file, a query), kept so that any offset can be
 *  reported as line:column with a code frame. Lines are found lazily, once per file. */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    /** Path as given by the user, or a label such as `<input>` for text without a file. */
    readonly path: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a 0-based offset; the column counts UTF-16 code units. */
  position(offset: number): { line: number; column: number } {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - starts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end -= 1;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.starts().length;
  }

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    return starts;
  }
}

/** A half-open range [start, end) of offsets in a source file. */
export interface Span {
  readonly source: SourceFile;
  readonly start: number;
  readonly end: number;
}

export function span(source: SourceFile, start: number, end: number = start): Span {
  return { source, start, end: Math.max(start, end) };
}
