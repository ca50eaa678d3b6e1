// Syntax highlighting for the editors: YAML from CodeMirror's own package; KQL and the seed's
// Scenario/Filter text form with small stream tokenizers (highlighting only: the worker's parsers
// say what the text means, and their diagnostics are marked in the editor).
import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import type { Extension } from '@codemirror/state';

export type EditorLanguage = 'yaml' | 'kql' | 'exclusions' | 'plain';

// Tabular operators, scalar operators and keywords of KQL that hunting queries use.
const kqlKeywords = new Set(
  (
    'where project project-away project-rename project-reorder extend summarize union join let and or not in in~ !in !in~ ' +
    'has has_cs !has has_any has_all hasprefix hassuffix contains contains_cs !contains !contains_cs startswith startswith_cs ' +
    '!startswith endswith endswith_cs !endswith matches regex between by on kind take limit top sort order asc desc distinct ' +
    'count datatable print parse parse-where mv-expand mv-apply invoke materialize evaluate range as with make-series render ' +
    'lookup getschema search find inner leftouter rightouter fullouter leftanti rightanti leftsemi rightsemi innerunique'
  ).split(' '),
);
const kqlAtoms = new Set(['true', 'false', 'null', 'dynamic']);

interface KqlState {
  /** Inside a string that began on an earlier line (KQL's multi-line ``` strings). */
  fence: boolean;
}

const kqlParser: StreamParser<KqlState> = {
  name: 'kql',
  startState: () => ({ fence: false }),
  token(stream: StringStream, state: KqlState): string | null {
    if (state.fence) {
      if (stream.skipTo('```')) {
        stream.pos += 3;
        state.fence = false;
      } else stream.skipToEnd();
      return 'string';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('```')) {
      state.fence = true;
      return 'string';
    }
    if (stream.match(/^[@hH]?"(?:[^"\\]|\\.)*"?/) || stream.match(/^[@hH]?'(?:[^'\\]|\\.)*'?/)) return 'string';
    if (stream.match(/^\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|microseconds?|ticks?|d|h|m|s)?\b/i)) return 'number';
    if (stream.match(/^[=!<>]=|^[=!]~|^[|<>=+\-*/%]/)) return 'operator';
    const word = stream.match(/^!?[A-Za-z_][\w-]*~?/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0].toLowerCase();
      if (kqlKeywords.has(w)) return 'keyword';
      if (kqlAtoms.has(w)) return 'atom';
      if (stream.peek() === '(') return 'variableName.function';
      return 'variableName';
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//' } },
};

const filterOperator = /^(?:==|!=)(?:_cs)?|^(?:contains|startswith|endswith|matches|in|exists)(?:_cs)?\b/i;

const exclusionParser: StreamParser<null> = {
  name: 'rulecast-exclusions',
  startState: () => null,
  token(stream: StringStream): string | null {
    if (stream.sol() && stream.match(/^\s*(?:Scenario|Description|Filter\/Exclusion)\s*:/i)) return 'heading';
    if (stream.eatSpace()) return null;
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(filterOperator)) return 'operator';
    if (stream.match(/^(?:AND|OR|NOT)\b/)) return 'keyword';
    if (stream.match(/^[A-Za-z_@][\w.@-]*/)) return 'propertyName';
    if (stream.match(/^-?\d+(?:\.\d+)?/)) return 'number';
    stream.next();
    return null;
  },
};

const languages: Record<EditorLanguage, () => Extension> = {
  yaml: () => yaml(),
  kql: () => StreamLanguage.define(kqlParser),
  exclusions: () => StreamLanguage.define(exclusionParser),
  plain: () => [],
};

const made = new Map<EditorLanguage, Extension>();

export function languageExtension(language: EditorLanguage): Extension {
  let ext = made.get(language);
  if (!ext) made.set(language, (ext = languages[language]()));
  return ext;
}

/** The language of a rule file, from the name it is read under (as the CLI reads it). */
export function ruleLanguage(name: string): EditorLanguage {
  if (/\.(kql|csl|kusto|txt)$/i.test(name)) return 'kql';
  if (/\.(md|markdown)$/i.test(name)) return 'plain';
  return 'yaml';
}

/** The language of an exclusions text: the seed's Scenario/Filter form, or YAML (ours, Sigma filters). */
export function exclusionsLanguage(text: string): EditorLanguage {
  return /^[ \t]*(?:Scenario|Filter\/Exclusion)[ \t]*:/im.test(text) && !/^exclusions\s*:/m.test(text) ? 'exclusions' : 'yaml';
}
