// What the last stage knows about each output format apart from its template: the file extension
// its outputs are written with, and how several outputs share one stream (stdout, or one -o file):
// a comment naming the rule and target before each, in the format's own comment syntax, and a
// document separator where the format needs one to stay readable (YAML). Formats without a
// comment syntax (JSON, NDJSON) are written one after another, one per line group.

export interface FormatStyle {
  /** File extension of one output (`.kql`, `.yaml`). */
  readonly extension: string;
  /** A comment line for the stream, or undefined where the format has no comments. */
  readonly comment?: ((text: string) => string) | undefined;
  /** Written between two outputs (YAML's `---`), after the first. */
  readonly separator?: string | undefined;
}

/** Text made safe inside a comment: line comments lose every line break and control character. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

const slashes = (text: string) => `// ${oneLine(text)}`;
const hash = (text: string) => `# ${oneLine(text)}`;
// Splunk's ```…``` comment (8.1+); a backtick in the text would end it.
const backticks = (text: string) => `\`\`\` ${oneLine(text).replace(/`/g, "'")} \`\`\``;

const styles: Readonly<Record<string, FormatStyle>> = {
  'kql/default': { extension: '.kql', comment: slashes },
  'kql/sentinel-hunting': { extension: '.yaml', comment: hash, separator: '---' },
  'kql/sentinel-rule': { extension: '.yaml', comment: hash, separator: '---' },
  'kql/defender-rule': { extension: '.json' },
  'spl/default': { extension: '.spl', comment: backticks },
  'spl/data-model': { extension: '.spl', comment: backticks },
  'spl/savedsearches': { extension: '.conf', comment: hash },
  'eql/default': { extension: '.eql', comment: slashes },
  'eql/elastic-rule': { extension: '.ndjson' },
  'sigma/default': { extension: '.yml', comment: hash, separator: '---' },
};

/** The style of a target's format; a format this table does not know (a user's template) is
 *  written like the target's default format. */
export function formatStyle(target: string, format: string): FormatStyle {
  return styles[`${target}/${format}`] ?? styles[`${target}/default`] ?? { extension: '.txt' };
}

export interface StreamedOutput {
  readonly target: string;
  readonly format: string;
  readonly title: string | null;
  readonly path: string;
  readonly text: string;
}

/** Several outputs as one text: each preceded by a comment naming its rule and target (where the
 *  format has comments), YAML documents separated by `---`. One output is written as it is. */
export function joinOutputs(outputs: readonly StreamedOutput[]): string {
  if (outputs.length === 1) return outputs[0]!.text.replace(/\n+$/, '');
  return outputs
    .map((o, i) => {
      const style = formatStyle(o.target, o.format);
      const text = o.text.replace(/\n+$/, '');
      const head = style.comment ? `${style.comment(`rule: ${o.title ?? '(untitled)'} (${o.path}), target ${o.target}${o.format === 'default' ? '' : `, format ${o.format}`}`)}\n` : '';
      const separator = i > 0 && style.separator ? `${style.separator}\n` : '';
      return `${separator}${head}${text}`;
    })
    .join('\n\n');
}
