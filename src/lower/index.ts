// Sigma rule → RuleQuery (IR plus context). Throws RulecastError on the first error; warnings are
// returned. `compileSigma` wraps load + lower and never throws for bad input.
import { isRulecastError, RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleQuery } from '../ir/query.js';
import { simplify } from '../ir/passes.js';
import { readExtensions } from '../rule/extensions.js';
import type { SigmaDocument, SigmaRule } from '../rule/types.js';
import { lowerConditions } from './condition.js';
import type { DetectionContext } from './detection.js';

export interface LowerOptions {
  /** Values for `|expand` placeholders, by name without the percent signs. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>> | undefined;
}

export interface LoweredRule {
  readonly query: RuleQuery;
  readonly diagnostics: readonly Diagnostic[];
}

export function lowerRule(rule: SigmaRule, options: LowerOptions = {}): LoweredRule {
  const diagnostics: Diagnostic[] = [];
  const { extensions, diagnostics: extDiagnostics } = readExtensions(rule);
  const firstError = extDiagnostics.find((d) => d.severity === 'error');
  if (firstError) throw RulecastError.fromDiagnostic(firstError);
  diagnostics.push(...extDiagnostics);
  const ctx: DetectionContext = { source: rule.source, placeholders: options.placeholders, diagnostics };
  const expr = simplify(lowerConditions(ctx, rule.detection));
  const { category, product, service, definition } = rule.logsource;
  const logsourceKey = rule.keys.get('logsource')?.key;
  const logsourceSpan = logsourceKey ? { source: rule.source, start: logsourceKey.start, end: logsourceKey.end } : undefined;
  const query: RuleQuery = {
    expr,
    logsources: [{ category, product, service, definition, span: logsourceSpan }, ...extensions.logsources],
    lookback: extensions.lookback,
    meta: {
      title: rule.meta.title,
      id: rule.meta.id,
      name: rule.meta.name,
      description: rule.meta.description,
      status: rule.meta.status,
      level: rule.meta.level,
      author: rule.meta.author,
      date: rule.meta.date,
      modified: rule.meta.modified,
      tags: rule.meta.tags,
      references: rule.meta.references,
      falsepositives: rule.meta.falsepositives,
    },
    fields: rule.meta.fields,
    span: { source: rule.source, start: rule.node.start, end: rule.node.start + 1 },
  };
  return { query, diagnostics };
}

/** Lowers a document, turning a thrown RulecastError into a diagnostic. */
export function tryLower(doc: SigmaDocument, options: LowerOptions = {}): { query?: RuleQuery; diagnostics: Diagnostic[] } {
  if (doc.kind !== 'rule') {
    const what = doc.kind === 'correlation' ? 'correlation rules are not supported yet' : 'a filter is applied to rules, it is not converted on its own';
    return {
      diagnostics: [{ severity: 'error', code: doc.kind === 'correlation' ? 'unsupported-correlation' : 'filter-document', message: `this is a Sigma ${doc.kind} document: ${what}`, span: { source: doc.source, start: doc.node.start, end: doc.node.start + 1 } }],
    };
  }
  try {
    const lowered = lowerRule(doc, options);
    return { query: lowered.query, diagnostics: [...lowered.diagnostics] };
  } catch (err) {
    if (isRulecastError(err)) return { diagnostics: [err.diagnostic] };
    throw err;
  }
}
