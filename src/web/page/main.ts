// The page: three editors, the target controls, and what the worker sends back rendered as text.
// The state lives in one object, is sent whole to the worker on every change (the worker is fast
// enough that the page never diffs), and is written to the URL fragment for sharing.
import type { AnalysisView, ConversionView, DocumentQueries, MatchView, PageInput, QueryOutcome, RegistryView, TargetQueries, WebDiagnostic, WorkReply, WorkRequest } from '../engine/protocol.js';
import { byTestId, h } from './dom.js';
import { createEditor, type CodeEditor, type Mark } from './editor.js';
import { example } from './example.js';
import { exclusionsLanguage, ruleLanguage } from './languages.js';
import { decodeState, encodeState } from './url-state.js';

interface Named {
  /** '' = the page names it (by content, as the worker settles it). */
  name: string;
  text: string;
}

interface TargetState {
  on: boolean;
  pipeline: string | null;
  format: string;
}

interface State {
  rule: Named;
  exclusions: Named;
  events: Named;
  targets: Record<string, TargetState>;
  /** The target whose names the analysis compares fields in. */
  analysis: string;
}

/** Targets shown at first: the three query languages (sigma is one checkbox away). */
const defaultTargets = ['kql', 'spl', 'eql'];

/** The example's texts under no name of their own: the page names them by their content (and the
 *  exclusions by the file the rule names), so text pasted over them is read for what it is. */
function exampleState(): State {
  return { rule: { name: '', text: example.rule }, exclusions: { name: '', text: example.exclusions }, events: { name: '', text: '' }, targets: {}, analysis: 'kql' };
}

/** A state read from a link, checked field by field (a link is input like any other). */
function readState(value: unknown): State | undefined {
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== 1) return undefined;
  const v = value as Record<string, unknown>;
  const named = (x: unknown): Named => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    return { name: typeof o.name === 'string' ? o.name : '', text: typeof o.text === 'string' ? o.text : '' };
  };
  const targets: Record<string, TargetState> = {};
  if (typeof v.targets === 'object' && v.targets !== null) {
    for (const [name, t] of Object.entries(v.targets as Record<string, unknown>)) {
      if (typeof t !== 'object' || t === null) continue;
      const o = t as Record<string, unknown>;
      targets[name] = { on: o.on === true, pipeline: typeof o.pipeline === 'string' ? o.pipeline : null, format: typeof o.format === 'string' ? o.format : 'default' };
    }
  }
  return { rule: named(v.rule), exclusions: named(v.exclusions), events: named(v.events), targets, analysis: typeof v.analysis === 'string' ? v.analysis : 'kql' };
}

const statusEl = byTestId('status');
const worker = new Worker('worker.js', { type: 'module' });
let registry: RegistryView | undefined;
let state: State = exampleState();
let editors: { rule: CodeEditor; exclusions: CodeEditor; events: CodeEditor } | undefined;

// --- requests: the latest state only; a change while one is in flight is sent when it returns.
let seq = 0;
let sent: { seq: number; since: number | undefined; input: PageInput } | undefined;
let inFlight = false;
let queued: { since: number | undefined } | undefined;

function pageInput(): PageInput {
  const targets = registry!.targets
    .filter((t) => state.targets[t.name]!.on)
    .map((t) => ({ name: t.name, pipeline: state.targets[t.name]!.pipeline, format: state.targets[t.name]!.format }));
  return { rule: state.rule, exclusions: state.exclusions, events: state.events, targets, analysis: { target: state.analysis, pipeline: state.targets[state.analysis]?.pipeline ?? null } };
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function changed(since?: number): void {
  saveSoon();
  if (!registry || !editors) return;
  if (inFlight) {
    queued = { since: earliest(queued?.since, since) };
    return;
  }
  send(since);
}

function send(since: number | undefined): void {
  const request: WorkRequest = { seq: ++seq, input: pageInput() };
  sent = { seq: request.seq, since, input: request.input };
  inFlight = true;
  statusEl.dataset.state = 'busy';
  statusEl.dataset.analysis = 'busy';
  statusEl.textContent = 'converting…';
  worker.postMessage(request);
}

function settled(): void {
  inFlight = false;
  if (queued) {
    const { since } = queued;
    queued = undefined;
    send(since);
  }
}

worker.onmessage = ({ data: reply }: MessageEvent<WorkReply>) => {
  switch (reply.kind) {
    case 'registry':
      registry = reply.registry;
      startWhenReady();
      return;
    case 'conversion': {
      if (reply.seq !== sent?.seq) return;
      const received = performance.now();
      renderConversion(reply.view, sent.input);
      statusEl.dataset.state = 'ready';
      statusEl.dataset.seq = String(reply.seq);
      statusEl.textContent = `converted in ${reply.ms.toFixed(0)} ms`;
      // Keystroke to queries in the DOM (docs/web.md: measured by the e2e suite).
      if (sent.since !== undefined) performance.measure('rulecast:keystroke-to-queries', { start: sent.since, end: performance.now(), detail: { worker: reply.ms, render: performance.now() - received } });
      settled();
      return;
    }
    case 'analysis':
      if (reply.seq !== sent?.seq || inFlight) return;
      renderAnalysis(reply.analysis, sent.input);
      renderMatch(reply.match, sent.input);
      statusEl.dataset.analysis = 'ready';
      return;
    case 'failure':
      if (reply.seq !== sent?.seq) return;
      statusEl.dataset.state = 'ready';
      statusEl.dataset.analysis = 'ready';
      statusEl.textContent = `internal error: ${reply.message}`;
      settled();
      return;
  }
};
worker.onerror = (event) => {
  statusEl.dataset.state = 'failed';
  statusEl.textContent = `the converter could not start: ${event.message}`;
};

// --- the state in the URL
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let saving = Promise.resolve();

function saveSoon(): void {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => (saving = saving.then(save)), 250);
}

async function save(): Promise<void> {
  const hash = await encodeState({ v: 1, ...state });
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

async function stateFromUrl(): Promise<State> {
  try {
    const restored = readState(await decodeState(location.hash));
    if (restored) return restored;
  } catch {
    statusEl.textContent = 'the link holds no readable state: showing the example';
  }
  return exampleState();
}

// --- start: the state from the link (or the example), then the registry from the worker
let restored: State | undefined;

void stateFromUrl().then((s) => {
  restored = s;
  startWhenReady();
});

function startWhenReady(): void {
  if (!registry || !restored || editors) return;
  state = withTargets(restored);
  buildTargetControls();
  editors = {
    rule: createEditor(byTestId('rule-editor'), { text: state.rule.text, label: 'rule', language: ruleLanguage(state.rule.name || 'rule.yml'), onChange: (text, since) => ((state.rule.text = text), changed(since)) }),
    exclusions: createEditor(byTestId('exclusions-editor'), { text: state.exclusions.text, label: 'exclusions', language: exclusionsLanguage(state.exclusions.text), onChange: (text, since) => ((state.exclusions.text = text), changed(since)) }),
    events: createEditor(byTestId('events-editor'), { text: state.events.text, label: 'events', language: 'plain', onChange: (text, since) => ((state.events.text = text), changed(since)) }),
  };
  showNames();
  wireInputs();
  send(undefined);
}

/** Every target of the registry gets a state (a link may name fewer, or unknown ones). */
function withTargets(s: State): State {
  const targets: Record<string, TargetState> = {};
  const fresh = Object.keys(s.targets).length === 0;
  for (const t of registry!.targets) {
    const kept = s.targets[t.name];
    targets[t.name] = {
      on: kept ? kept.on : fresh && defaultTargets.includes(t.name),
      pipeline: kept?.pipeline !== null && kept?.pipeline !== undefined && t.pipelines.some((p) => p.name === kept.pipeline) ? kept.pipeline : null,
      format: kept && t.formats.includes(kept.format) ? kept.format : 'default',
    };
  }
  const analysis = registry!.targets.some((t) => t.name === s.analysis) ? s.analysis : registry!.targets[0]!.name;
  return { ...s, targets, analysis };
}

function buildTargetControls(): void {
  const bar = byTestId('targets');
  bar.replaceChildren();
  const analysis = byTestId<HTMLSelectElement>('analysis-target');
  analysis.replaceChildren();
  for (const t of registry!.targets) {
    const ts = state.targets[t.name]!;
    const box = h('input', { type: 'checkbox', 'data-testid': `target-${t.name}`, checked: ts.on });
    const pipeline = h('select', { 'data-testid': `pipeline-${t.name}`, 'aria-label': `${t.name} pipeline` }, h('option', { value: '' }, `default (${t.defaultPipeline})`), ...t.pipelines.map((p) => h('option', { value: p.name, title: p.description }, p.name)));
    pipeline.value = ts.pipeline ?? '';
    const format = h('select', { 'data-testid': `format-${t.name}`, 'aria-label': `${t.name} format` }, ...t.formats.map((f) => h('option', { value: f }, f)));
    format.value = ts.format;
    box.addEventListener('change', () => ((ts.on = box.checked), changed()));
    pipeline.addEventListener('change', () => ((ts.pipeline = pipeline.value || null), changed()));
    format.addEventListener('change', () => ((ts.format = format.value), changed()));
    bar.append(h('div', { class: 'target', title: t.description }, h('label', {}, box, ` ${t.name}`), pipeline, format));
    analysis.append(h('option', { value: t.name }, t.name));
  }
  analysis.value = state.analysis;
}

function showNames(): void {
  byTestId<HTMLInputElement>('rule-name').value = state.rule.name;
  byTestId<HTMLInputElement>('exclusions-name').value = state.exclusions.name;
  byTestId<HTMLInputElement>('events-name').value = state.events.name;
}

let wired = false;

function wireInputs(): void {
  if (wired) return;
  wired = true;
  const ed = editors!;
  for (const key of ['rule', 'exclusions', 'events'] as const) {
    const name = byTestId<HTMLInputElement>(`${key}-name`);
    name.addEventListener('input', () => ((state[key].name = name.value.trim()), changed(performance.now())));
    const file = byTestId<HTMLInputElement>(`${key}-file`);
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      const text = await chosen.text();
      file.value = '';
      // Opened as the CLI would read it: under its own name.
      state[key].name = chosen.name;
      name.value = chosen.name;
      if (text === ed[key].text()) changed();
      else ed[key].setText(text);
    });
  }
  const analysis = byTestId<HTMLSelectElement>('analysis-target');
  analysis.addEventListener('change', () => ((state.analysis = analysis.value), changed()));
  byTestId('example').addEventListener('click', () => load(withTargets(exampleState())));
  byTestId('share').addEventListener('click', async () => {
    await (saving = saving.then(save));
    await copy(location.href, byTestId('share'));
  });
  // A link pasted into this tab's address bar.
  window.addEventListener('hashchange', async () => {
    const s = readState(await decodeState(location.hash).catch(() => undefined));
    if (s) load(withTargets(s));
  });
}

/** Replaces the whole state (the example, a link), keeping the editors and their undo history. */
function load(next: State): void {
  state = next;
  buildTargetControls();
  showNames();
  editors!.rule.setText(state.rule.text);
  editors!.exclusions.setText(state.exclusions.text);
  editors!.events.setText(state.events.text);
  changed();
}

async function copy(text: string, button: HTMLElement): Promise<void> {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => (button.textContent = label), 1200);
}

// --- rendering
const kinds: Record<ConversionView['kind'], string> = {
  sigma: 'Sigma rule',
  kql: 'KQL query',
  markdown: 'KQL in markdown',
  'sentinel-yaml': 'Sentinel YAML',
  text: 'KQL document (text)',
  exclusions: 'an exclusions file',
};

function editorFor(d: WebDiagnostic): CodeEditor | undefined {
  return d.editor ? editors![d.editor] : undefined;
}

/** A diagnostic's place as a button that selects it in its editor. */
function place(d: WebDiagnostic): HTMLElement | null {
  if (d.line === null) return null;
  const where = `${d.path ?? ''}:${d.line}:${d.column}`;
  const editor = editorFor(d);
  if (!editor || d.from === null) return h('span', { class: 'loc' }, where);
  const button = h('button', { type: 'button', class: 'loc', title: 'show in the editor' }, where);
  button.addEventListener('click', () => editor.reveal(d.from!, d.to!));
  return button;
}

/** A diagnostic as the CLI prints it; `testId` tells the conversion's (`diagnostic`) from the
 *  analysis' and the matching's own errors. */
function diagnosticItem(d: WebDiagnostic, testId = 'diagnostic'): HTMLElement {
  return h(
    'li',
    { 'data-testid': testId, class: `diag diag-${d.severity}`, 'data-severity': d.severity, 'data-code': d.code, 'data-line': d.line ?? '', 'data-column': d.column ?? '', 'data-path': d.path ?? '', 'data-target': d.target },
    h('div', { class: 'diag-head' }, h('span', { class: 'sev' }, d.severity), h('code', {}, d.code), place(d)),
    h('pre', { class: 'frame' }, d.formatted),
  );
}

function marksOf(diagnostics: readonly WebDiagnostic[], editor: 'rule' | 'exclusions' | 'events'): Mark[] {
  return diagnostics.filter((d) => d.editor === editor && d.from !== null).map((d) => ({ from: d.from!, to: d.to!, severity: d.severity, code: d.code, line: d.line, column: d.column }));
}

const shownMarks: Record<string, string> = {};

/** Marks only where the editor still holds the text they were computed for (and only when they
 *  changed: a text edited since moved them along already). */
function mark(editor: 'rule' | 'exclusions' | 'events', diagnostics: readonly WebDiagnostic[], input: PageInput): void {
  if (editors![editor].text() !== input[editor].text) return;
  const marks = marksOf(diagnostics, editor);
  const key = `${input[editor].text.length}:${JSON.stringify(marks)}`;
  if (shownMarks[editor] === key) return;
  shownMarks[editor] = key;
  editors![editor].setMarks(marks);
}

let shownDiagnostics = '';

function renderConversion(view: ConversionView, input: PageInput): void {
  byTestId('rule-kind').textContent = kinds[view.kind];
  byTestId<HTMLInputElement>('rule-name').placeholder = view.names.rule;
  byTestId<HTMLInputElement>('exclusions-name').placeholder = view.names.exclusions;
  editors!.rule.setLanguage(ruleLanguage(view.names.rule));
  editors!.exclusions.setLanguage(exclusionsLanguage(input.exclusions.text));
  const role = view.exclusions;
  byTestId('exclusions-role').textContent =
    role.role === 'rule-file'
      ? `the file the rule names: ${role.named.join(', ')}`
      : role.role === 'option'
        ? `every rule is tuned by it, as with -x ${view.names.exclusions}`
        : 'none: the queries are untuned';
  renderQueries(view);
  const list = byTestId('diagnostics');
  const diagnostics = [...view.diagnostics];
  if (view.kind === 'exclusions') diagnostics.push(pageNote('not-a-rule', 'the rule editor holds an exclusions file (the CLI skips such files): put it in the exclusions editor'));
  if (view.correlated > 0) diagnostics.push(pageNote('correlated', `${view.correlated} rule(s) are used by correlations and not converted on their own ('generate: true' on the correlation converts them)`));
  // Typing rarely changes the diagnostics: rebuilt only when they differ.
  const key = JSON.stringify(diagnostics);
  if (key !== shownDiagnostics) {
    shownDiagnostics = key;
    list.replaceChildren(...diagnostics.map((d) => diagnosticItem(d)));
  }
  byTestId('diagnostics-empty').hidden = diagnostics.length > 0;
  mark('rule', view.diagnostics, input);
  mark('exclusions', view.diagnostics, input);
}

function pageNote(code: string, message: string): WebDiagnostic {
  return { severity: 'warning', code, message, path: null, line: null, column: null, editor: null, from: null, to: null, formatted: `warning[${code}]: ${message}` };
}

/** Query cards are kept across renders (keyed by document and target), so an open "untuned"
 *  section and a scrolled query stay as they are while the user types. */
const cards = new Map<string, { root: HTMLElement; update(q: TargetQueries): void }>();

function suffix(doc: DocumentQueries): string {
  return doc.index === 0 ? '' : `.${doc.index}`;
}

function renderQueries(view: ConversionView): void {
  const grid = byTestId('queries');
  const seen = new Set<string>();
  const children: HTMLElement[] = [];
  const several = view.documents.length > 1;
  for (const doc of view.documents) {
    if (several) children.push(h('h3', { class: 'doc-title' }, `${doc.index}: ${doc.title ?? '(untitled)'}`));
    for (const q of doc.targets) {
      const key = `${q.target}${suffix(doc)}`;
      seen.add(key);
      let card = cards.get(key);
      if (!card) cards.set(key, (card = queryCard(key)));
      card.update(q);
      children.push(card.root);
    }
  }
  for (const key of [...cards.keys()]) if (!seen.has(key)) cards.delete(key);
  grid.replaceChildren(...children);
  grid.style.setProperty('--columns', String(Math.max(1, Math.min(4, view.documents[0]?.targets.length ?? 1))));
  byTestId('queries-empty').hidden = children.length > 0;
}

function queryCard(key: string): { root: HTMLElement; update(q: TargetQueries): void } {
  const title = h('h3', {});
  const format = h('span', { class: 'format' });
  const status = h('span', { class: 'status-badge' });
  const pre = h('pre', { 'data-testid': `query-${key}`, class: 'query-text' });
  const error = h('div', { class: 'query-error', 'data-testid': `error-${key}` });
  const copyButton = h('button', { type: 'button', 'data-testid': `copy-${key}` }, 'Copy');
  const untunedPre = h('pre', { 'data-testid': `untuned-${key}`, class: 'query-text' });
  const untunedError = h('div', { class: 'query-error' });
  const untunedCopy = h('button', { type: 'button', 'data-testid': `copy-untuned-${key}` }, 'Copy');
  const untuned = h('details', { class: 'untuned' }, h('summary', {}, 'untuned (--no-exclusions)'), untunedCopy, untunedPre, untunedError);
  let text = '';
  let untunedText = '';
  copyButton.addEventListener('click', () => void copy(text, copyButton));
  untunedCopy.addEventListener('click', () => void copy(untunedText, untunedCopy));
  const root = h('article', { class: 'query' }, h('header', {}, title, format, status, copyButton), error, pre, untuned);
  const show = (outcome: QueryOutcome, into: HTMLElement, err: HTMLElement) => {
    if (into.textContent !== (outcome.query ?? '')) into.textContent = outcome.query ?? '';
    into.dataset.status = outcome.status;
    into.hidden = outcome.query === null;
    err.replaceChildren(...(outcome.error ? [h('code', {}, `${outcome.error.severity}[${outcome.error.code}]`), ` ${outcome.error.message} `, place(outcome.error) ?? ''] : []));
    err.hidden = outcome.error === null;
  };
  return {
    root,
    update(q) {
      title.textContent = q.target;
      format.textContent = q.format;
      status.textContent = q.untuned ? `${q.tuned.status}, tuned` : q.tuned.status;
      status.dataset.status = q.tuned.status;
      root.dataset.target = q.target;
      text = q.tuned.query ?? '';
      copyButton.hidden = q.tuned.query === null;
      show(q.tuned, pre, error);
      untuned.hidden = q.untuned === null;
      if (q.untuned) {
        untunedText = q.untuned.query ?? '';
        untunedCopy.hidden = q.untuned.query === null;
        show(q.untuned, untunedPre, untunedError);
      }
    },
  };
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function renderAnalysis(analysis: AnalysisView | null, input: PageInput): void {
  const box = byTestId('analysis');
  if (!analysis) {
    box.replaceChildren(h('p', { class: 'empty' }, 'No rule to analyse.'));
    return;
  }
  const rows = analysis.exclusions.map((row) =>
    h(
      'div',
      { 'data-testid': 'exclusion', class: `exclusion verdict-${row.verdict}`, 'data-name': row.name, 'data-verdict': row.verdict, 'data-document': row.rule.index },
      h('div', { class: 'exclusion-head' }, h('span', { class: 'verdict' }, row.verdict), h('strong', {}, row.name)),
      h('p', { class: 'reason' }, row.reason),
      row.witnesses.removed ? h('div', { class: 'witness' }, h('span', {}, 'removes, e.g.'), h('code', { 'data-testid': 'witness-removed' }, json(row.witnesses.removed))) : null,
      row.witnesses.kept ? h('div', { class: 'witness' }, h('span', {}, 'keeps, e.g.'), h('code', { 'data-testid': 'witness-kept' }, json(row.witnesses.kept))) : null,
      row.warnings.length
        ? h('ul', { class: 'lint' }, ...row.warnings.map((w) => h('li', { 'data-testid': 'lint', 'data-code': w.code }, h('code', {}, `warning[${w.code}]`), ` ${w.message} `, place(w))))
        : null,
    ),
  );
  const fields = [...new Set(analysis.fields)];
  const errors = analysis.errors.map((d) => diagnosticItem(d, 'analysis-error'));
  box.replaceChildren(
    ...(fields.length ? [h('p', { class: 'fields' }, `Compared in one namespace: ${fields.join('; ')}.`)] : []),
    ...rows,
    ...(errors.length ? [h('ul', { class: 'diagnostics' }, ...errors)] : []),
    ...(rows.length === 0 && errors.length === 0 ? [h('p', { class: 'empty' }, input.exclusions.text.trim() ? 'No exclusion applies to this rule.' : 'No exclusions: type or open some in the exclusions editor.')] : []),
  );
}

function renderMatch(match: MatchView | null, input: PageInput): void {
  const box = byTestId('match');
  mark('events', match?.errors ?? [], input);
  if (!match) {
    box.replaceChildren(h('p', { class: 'empty' }, 'Paste events (JSON Lines, a JSON array, or JSON objects) to see which the rule matches.'));
    return;
  }
  const removedBy = new Map<number, string[]>();
  for (const r of match.rules) for (const e of r.exclusions) for (const i of e.removed) removedBy.set(i, [...(removedBy.get(i) ?? []), e.name]);
  const matched = new Set(match.matches);
  const summary = match.rules.map((r) =>
    h(
      'div',
      { class: 'match-rule' },
      h('p', {}, `${r.title ?? '(untitled)'}: ${r.matches.length} of ${match.events} events match${r.matches.length ? ` (${r.matches.join(', ')})` : ''}`),
      ...r.exclusions.map((e) => h('p', { class: 'match-exclusion' }, `exclusion '${e.name}' removes ${e.removed.length}${e.removed.length ? ` (${e.removed.join(', ')})` : ''}`)),
    ),
  );
  const correlations = match.correlations.map((c) => h('p', {}, `${c.title ?? '(untitled)'} (${c.type}): ${c.alerts.length} alert(s)`, h('code', {}, json(c.alerts))));
  const events = Array.from({ length: match.events }, (_, i) =>
    h(
      'li',
      { 'data-testid': 'match-event', 'data-index': i, 'data-matched': matched.has(i) ? 'true' : 'false', class: matched.has(i) ? 'matched' : '' },
      `event ${i}: ${matched.has(i) ? 'matches' : 'no match'}`,
      removedBy.has(i) ? ` (the detection matches; removed by ${removedBy.get(i)!.map((n) => `'${n}'`).join(', ')})` : '',
    ),
  );
  box.replaceChildren(...summary, ...correlations, ...(events.length ? [h('ol', { class: 'events', start: 0 }, ...events)] : []), ...(match.errors.length ? [h('ul', { class: 'diagnostics' }, ...match.errors.map((d) => diagnosticItem(d, 'match-error')))] : []));
}
