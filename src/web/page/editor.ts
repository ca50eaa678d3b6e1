// One code editor (CodeMirror 6): a text with syntax highlighting, the diagnostics of the last
// conversion marked where they point, and `value` on its element for scripts (like a textarea's).
// Each editor lives in a shadow root: there CodeMirror puts its styles in a constructed style
// sheet (adoptedStyleSheets), where in the document itself it would add a <style> element, which
// the page's Content-Security-Policy (style-src 'self', no 'unsafe-inline') blocks.
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorSelection, EditorState, StateEffect, StateField, type Range } from '@codemirror/state';
import { Decoration, drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { languageExtension, type EditorLanguage } from './languages.js';

/** A diagnostic's place in the editor's text, as the worker reported it. */
export interface Mark {
  readonly from: number;
  readonly to: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly line: number | null;
  readonly column: number | null;
}

const setMarks = StateEffect.define<readonly Mark[]>();

/** The marks follow the text as it is edited until the next conversion replaces them. */
const marksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setMarks)) marks = decorations(e.value, tr.state.doc.length);
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function decorations(marks: readonly Mark[], length: number): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const m of marks) {
    // A mark needs a character: an empty span (the end of a line, of the text) marks the one
    // before or after it.
    let from = Math.min(m.from, length);
    let to = Math.min(Math.max(m.to, from), length);
    if (to === from) {
      if (to < length) to += 1;
      else if (from > 0) from -= 1;
      else continue;
    }
    const attributes: Record<string, string> = { 'data-code': m.code };
    if (m.line !== null) attributes['data-line'] = String(m.line);
    if (m.column !== null) attributes['data-column'] = String(m.column);
    ranges.push(Decoration.mark({ class: `rc-mark rc-mark-${m.severity}`, attributes }).range(from, to));
  }
  return Decoration.set(ranges, true);
}

export interface CodeEditor {
  readonly view: EditorView;
  text(): string;
  /** Replaces the whole text (a file opened, a state restored), as one undoable change. */
  setText(text: string): void;
  setLanguage(language: EditorLanguage): void;
  setMarks(marks: readonly Mark[]): void;
  /** Selects a range and scrolls it into view (a diagnostic clicked). */
  reveal(from: number, to: number): void;
}

export interface EditorOptions {
  readonly text: string;
  readonly label: string;
  readonly language: EditorLanguage;
  /** Called for every change of the text; `since` is when the user's input began (its event's
   *  time stamp, or now), for the keystroke-to-query measure. */
  readonly onChange: (text: string, since: number) => void;
}

/** The editor's own styles (the page's style sheet does not reach into the shadow root). */
const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace", fontSize: '12.5px' },
  '.rc-mark-error': { textDecoration: 'underline wavy #b3261e', backgroundColor: 'rgba(179, 38, 30, 0.12)' },
  '.rc-mark-warning': { textDecoration: 'underline wavy #c99400', backgroundColor: 'rgba(201, 148, 0, 0.1)' },
});

export function createEditor(host: HTMLElement, options: EditorOptions): CodeEditor {
  const root = host.attachShadow({ mode: 'open' });
  const language = new Compartment();
  let inputAt: number | undefined;
  const noteInput = (event: Event) => {
    inputAt ??= event.timeStamp;
    return false;
  };
  const view = new EditorView({
    parent: root,
    root,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        theme,
        EditorView.contentAttributes.of({ 'aria-label': options.label, spellcheck: 'false' }),
        EditorView.domEventHandlers({ keydown: noteInput, beforeinput: noteInput, paste: noteInput, drop: noteInput, cut: noteInput }),
        language.of(languageExtension(options.language)),
        marksField,
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          const since = inputAt ?? performance.now();
          inputAt = undefined;
          options.onChange(update.state.doc.toString(), since);
        }),
      ],
    }),
  });
  // A keystroke that changes nothing (an arrow key) must not count as the start of the next edit.
  view.contentDOM.addEventListener('keyup', () => queueMicrotask(() => (inputAt = undefined)));
  let current = options.language;
  const editor: CodeEditor = {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(next) {
      if (next === current) return;
      current = next;
      view.dispatch({ effects: language.reconfigure(languageExtension(next)) });
    },
    setMarks(marks) {
      view.dispatch({ effects: setMarks.of(marks) });
    },
    reveal(from, to) {
      const length = view.state.doc.length;
      view.dispatch({ selection: EditorSelection.single(Math.min(from, length), Math.min(to, length)), scrollIntoView: true });
      view.focus();
    },
  };
  // Scripts read and set the text as they would a textarea's (docs/web.md).
  Object.defineProperty(host, 'value', { get: () => editor.text(), set: (text: string) => editor.setText(String(text)) });
  return editor;
}
