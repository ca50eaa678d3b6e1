// The last stage: a backend's plan → the output text of a format. The format checks what it needs
// of the plan, may adjust it (a scheduled rule's query has no lookback), the query is made from it
// (templates/<target>/query.hbs, or the format's own), and the format's template embeds it.
// Every output ends without a line break (a file gets one when it is written).
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleQuery } from '../ir/query.js';
import type { Format } from './formats/types.js';
import { renderTemplate, type UserTemplate } from './templates.js';

export interface RenderOutputOptions {
  /** Templates of the user's replacing built-in ones, by name (`kql/query`, `kql/sentinel-rule`). */
  readonly templates?: ReadonlyMap<string, UserTemplate> | undefined;
  readonly warn: (warning: Diagnostic) => void;
}

const trimmed = (text: string) => text.replace(/\n+$/, '');

export function renderOutput<P>(format: Format<P>, plan: P, rule: RuleQuery, options: RenderOutputOptions): string {
  format.check?.(plan, rule);
  const adjusted = format.adjust ? format.adjust(plan, rule) : plan;
  const queryTemplate = format.query ?? `${format.target}/query`;
  const query = trimmed(format.write ? format.write(adjusted) : renderTemplate(queryTemplate, adjusted as object, options.templates?.get(queryTemplate)));
  if (!format.context) return query;
  const name = `${format.target}/${format.name}`;
  return trimmed(renderTemplate(name, format.context({ plan: adjusted, query, rule, warn: options.warn }), options.templates?.get(name)));
}
