// Several outputs in one stream (stdout, or one -o file): each preceded by a comment naming its
// rule and target, in its format's comment syntax, and YAML documents separated by `---`. Formats
// without a comment syntax (JSON, NDJSON) are written one after another.
import { formatStyle, type FormatStyle } from './formats/index.js';

/** Text made safe inside a line comment: it loses every line break and control character. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

const comments: Readonly<Record<NonNullable<FormatStyle['comment']>, (text: string) => string>> = {
  slashes: (text) => `// ${oneLine(text)}`,
  hash: (text) => `# ${oneLine(text)}`,
  // Splunk's ```…``` comment (8.1+); a backtick in the text would end it.
  backticks: (text) => `\`\`\` ${oneLine(text).replace(/`/g, "'")} \`\`\``,
};

export interface StreamedOutput {
  readonly target: string;
  readonly format: string;
  readonly title: string | null;
  readonly path: string;
  readonly text: string;
}

/** Several outputs as one text; one output is written as it is. */
export function joinOutputs(outputs: readonly StreamedOutput[]): string {
  if (outputs.length === 1) return outputs[0]!.text.replace(/\n+$/, '');
  return outputs
    .map((o, i) => {
      const style = formatStyle(o.target, o.format);
      const text = o.text.replace(/\n+$/, '');
      const comment = style.comment ? comments[style.comment] : undefined;
      const head = comment ? `${comment(`rule: ${o.title ?? '(untitled)'} (${o.path}), target ${o.target}${o.format === 'default' ? '' : `, format ${o.format}`}`)}\n` : '';
      const separator = i > 0 && style.separator ? `${style.separator}\n` : '';
      return `${separator}${head}${text}`;
    })
    .join('\n\n');
}
