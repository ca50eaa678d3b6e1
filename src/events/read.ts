// Event files for the evaluator: JSON Lines, a JSON array, or JSON objects one after another
// (pretty-printed or not). Windows event-log objects ({"Event": {"System", "EventData"}}) are
// flattened into the field names Sigma rules use. See README "Events".
import { RulecastError } from '../diagnostics/diagnostic.js';
import { SourceFile, span } from '../diagnostics/source.js';
import type { Event } from '../ir/evaluate.js';

/** Reads every event of a file. Errors carry the line and column of the bad JSON. */
export function readEvents(text: string, path = '<events>'): Event[] {
  const source = new SourceFile(path, text);
  const out: Event[] = [];
  for (const { value, start } of jsonValues(source)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new RulecastError('invalid-event', 'an event must be a JSON object', span(source, start, start + 1));
      }
      out.push(flattenEvent(item as Record<string, unknown>));
    }
  }
  return out;
}

/** Splits text into top-level JSON values by scanning brackets and strings, then parses each. */
function* jsonValues(source: SourceFile): Generator<{ value: unknown; start: number }> {
  const text = source.text;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return;
    const start = i;
    const open = text[i];
    if (open !== '{' && open !== '[') {
      throw new RulecastError('invalid-event', `expected a JSON object, found '${text[i]}'`, span(source, i, i + 1));
    }
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) throw new RulecastError('invalid-event', 'this JSON value is not closed', span(source, start, start + 1));
    const slice = text.slice(start, i);
    try {
      yield { value: JSON.parse(slice), start };
    } catch (err) {
      const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
      const at = start + (m ? Number(m[1]) : 0);
      throw new RulecastError('invalid-event', `invalid JSON: ${err instanceof Error ? err.message : String(err)}`, span(source, at, at + 1));
    }
  }
}

/**
 * A flat event. Plain objects stay as they are (nested objects are reached by dotted names in the
 * evaluator). An event-log object becomes: every leaf of EventData / UserData under its own name
 * (attributes skipped; `<Data Name="x">v</Data>` lists read as x = v), plus EventID, Channel,
 * Computer and Provider_Name from System. A name with spaces also answers without them
 * (`Source Name` → `SourceName`), as Sigma's field naming implies.
 */
export function flattenEvent(obj: Record<string, unknown>): Event {
  const ev = obj.Event;
  if (ev === null || typeof ev !== 'object' || Array.isArray(ev) || !('System' in ev)) return withAliases(obj);
  const e = ev as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const system = (e.System ?? {}) as Record<string, unknown>;
  const text = (v: unknown): unknown => (v !== null && typeof v === 'object' && '#text' in (v as object) ? (v as Record<string, unknown>)['#text'] : v);
  if ('EventID' in system) out.EventID = text(system.EventID);
  if ('Channel' in system) out.Channel = text(system.Channel);
  if ('Computer' in system) out.Computer = text(system.Computer);
  const provider = system.Provider as Record<string, unknown> | undefined;
  const providerName = (provider?.['#attributes'] as Record<string, unknown> | undefined)?.Name;
  if (providerName !== undefined) out.Provider_Name = providerName;
  for (const section of ['EventData', 'UserData']) {
    const data = e[section];
    if (data && typeof data === 'object') collectLeaves(data, out);
  }
  return withAliases(out);
}

function collectLeaves(value: unknown, out: Record<string, unknown>): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const attrs = item && typeof item === 'object' ? ((item as Record<string, unknown>)['#attributes'] as Record<string, unknown> | undefined) : undefined;
      if (attrs && typeof attrs.Name === 'string') out[attrs.Name] = (item as Record<string, unknown>)['#text'] ?? null;
      else if (item && typeof item === 'object') collectLeaves(item, out);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === '#attributes') continue;
    if (key === 'Data' && (Array.isArray(v) || (v && typeof v === 'object' && '#attributes' in (v as object)))) {
      collectLeaves(Array.isArray(v) ? v : [v], out);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      collectLeaves(v, out);
    } else {
      out[key] = v;
    }
  }
}

function withAliases(obj: Record<string, unknown>): Event {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    if (!key.includes(' ')) continue;
    const alias = key.replace(/ /g, '');
    if (alias in obj) continue;
    out ??= { ...obj };
    out[alias] = obj[key];
  }
  return out ?? obj;
}
