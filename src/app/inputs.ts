// What an input text is: an exclusions file, a KQL hunting document, or Sigma rules. One registry
// of readers, asked in order, decides once per file for every command (convert, check, analyze,
// match, the web page).
import { readExclusions, type ExclusionFile } from '../exclusions/read.js';
import { kqlDocumentFormat, type KqlDocumentFormat } from '../import/document.js';

export type InputKind =
  /** Our exclusions YAML (`exclusions:` without `detection:`): read with the rules that name it. */
  | { readonly kind: 'exclusions' }
  /** A KQL hunting query: a .kql file, markdown with kusto blocks, a text document, Sentinel YAML. */
  | { readonly kind: 'kql'; readonly format: KqlDocumentFormat }
  /** Sigma rules, filters and correlations (YAML). */
  | { readonly kind: 'sigma' };

interface InputReader {
  readonly name: InputKind['kind'];
  recognise(path: string, text: string): InputKind | undefined;
}

const readers: readonly InputReader[] = [
  { name: 'exclusions', recognise: (_path, text) => (/^exclusions\s*:/m.test(text) && !/^detection\s*:/m.test(text) ? { kind: 'exclusions' } : undefined) },
  {
    name: 'kql',
    recognise: (path, text) => {
      const format = kqlDocumentFormat(path, text);
      return format === undefined ? undefined : { kind: 'kql', format };
    },
  },
  { name: 'sigma', recognise: () => ({ kind: 'sigma' }) },
];

/** The kind of an input: the first reader that recognises it decides. */
export function inputKind(path: string, text: string): InputKind {
  for (const r of readers) {
    const kind = r.recognise(path, text);
    if (kind) return kind;
  }
  return { kind: 'sigma' };
}

/** The Scenario / Filter/Exclusion blocks a KQL hunting document carries (the seed's form): its
 *  own exclusions, or undefined when it has none. */
export function documentScenarios(text: string, path: string): ExclusionFile | undefined {
  if (!/^[ \t]*Filter\/Exclusion[ \t]*:/im.test(text)) return undefined;
  const file = readExclusions(text, path);
  return file.format === 'text' && file.exclusions.length > 0 ? file : undefined;
}
