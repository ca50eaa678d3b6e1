// Handlebars for layout and output formats only: a query's table/index/time range around the
// rendered expression, Sentinel rule YAML, savedsearches.conf, Elastic rule NDJSON. Templates are
// precompiled at build time (scripts/build.mjs → src/generated/templates.ts) with `noEscape` (HTML
// escaping corrupts queries) and `strict` (a missing variable is an error, not an empty string),
// and rendered here with Handlebars' runtime alone: nothing compiles code at run time, so the core
// runs under --disallow-code-generation-from-strings and a CSP without 'unsafe-eval'. One isolated
// instance; templates never render expression logic.
import HandlebarsRuntime from 'handlebars/runtime.js';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span, type SourceFile } from '../diagnostics/source.js';
import { templateSpecs } from '../generated/templates.js';
import { yamlDoubleQuoted } from './yaml.js';

type Template = (context: object) => string;

const hbs = (HandlebarsRuntime as unknown as { create(): RuntimeInstance }).create();

interface RuntimeInstance {
  registerHelper(name: string, fn: (...args: unknown[]) => unknown): void;
  registerPartial(name: string, partial: Template): void;
  template(spec: unknown): Template;
}

/**
 * Text made safe inside a comment of the given style, so a name (user data) can never end the
 * comment and turn into query text: line comments (`//`, `#`) lose every line break and control
 * character; block comments (`/* … *\/`) also lose `*\/`; Splunk's ```…``` comments lose backticks.
 */
export function commentSafe(value: unknown, style: 'line' | 'block' | 'backticks' = 'line'): string {
  let s = String(value ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  if (style === 'block') s = s.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
  if (style === 'backticks') s = s.replace(/`/g, "'");
  return s.trim();
}

const helpers: Record<string, (...args: unknown[]) => unknown> = {
  /** `{{comment text "line"}}`: text that cannot break out of a comment of that style. */
  comment: (text: unknown, style: unknown) => commentSafe(text, typeof style === 'string' ? (style as 'line' | 'block' | 'backticks') : 'line'),
  /** `{{json value}}`: JSON text (strings quoted and escaped). */
  json: (value: unknown) => JSON.stringify(value ?? null),
  /** `{{yaml value}}`: a YAML double-quoted scalar. */
  yaml: (value: unknown) => yamlDoubleQuoted(value),
  /** `{{indent text 4}}`: every line but the first indented (for block scalars). */
  indent: (text: unknown, width: unknown) => String(text ?? '').replace(/\n/g, `\n${' '.repeat(Number(width) || 0)}`),
  join: (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''),
  lower: (s: unknown) => String(s ?? '').toLowerCase(),
  upper: (s: unknown) => String(s ?? '').toUpperCase(),
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
};
for (const [name, fn] of Object.entries(helpers)) hbs.registerHelper(name, fn);

const specs = templateSpecs as Readonly<Record<string, unknown>>;
const loaded = new Map<string, Template>();

// Partials (templates/partials/*.hbs): `{{> query}}` on a line of its own writes the query text
// with that line's indentation on every line (a YAML block scalar's content).
for (const name of Object.keys(specs)) {
  if (name.startsWith('partials/')) hbs.registerPartial(name.slice('partials/'.length), hbs.template(specs[name]));
}

/** Names of built-in templates of a target (`kql/default` → 'default'). */
export function templateFormats(target: string): string[] {
  const prefix = `${target}/`;
  return Object.keys(specs)
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort();
}

export function hasTemplate(name: string): boolean {
  return name in specs;
}

/** A template made elsewhere (a user's, compiled by the command line), rendered like a built-in
 *  one: with rulecast's helpers and partials. */
export interface UserTemplate {
  (context: object, options: { helpers: Record<string, unknown>; partials: Record<string, unknown> }): string;
  /** The template's text, to locate its errors. */
  readonly source?: SourceFile | undefined;
}

/** Renders the built-in template `templates/<name>.hbs` (e.g. `kql/query`) with a context, or the
 *  user's template given for that name. */
export function renderTemplate(name: string, context: object, override?: UserTemplate): string {
  if (override) {
    try {
      return override(context, { helpers, partials: partialsForUser() });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Handlebars' strict mode: `"x" not defined in [object Object] - 2:5` (line, 0-based column).
      const missing = /^"([^"]*)" not defined in .* - (\d+):(\d+)$/.exec(message);
      const source = override.source;
      if (missing && source) {
        const line = Number(missing[2]);
        const start = source.text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + Number(missing[3]);
        throw new RulecastError('template-error', `your template for ${name} uses '${missing[1]}', which its context does not have (docs/templates.md lists what ${name} is given)`, span(source, start, start + missing[1]!.length));
      }
      throw new RulecastError('template-error', `your template for ${name} failed: ${message}`);
    }
  }
  let template = loaded.get(name);
  if (!template) {
    const spec = specs[name];
    if (spec === undefined) throw new RulecastError('unknown-format', `no template '${name}'`);
    template = hbs.template(spec);
    loaded.set(name, template);
  }
  try {
    return template(context);
  } catch (err) {
    throw new RulecastError('template-error', `template ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function partialsForUser(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(specs)) if (name.startsWith('partials/')) out[name.slice('partials/'.length)] = hbs.template(specs[name]);
  return out;
}
