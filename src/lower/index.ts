// Sigma rule → RuleQuery (IR plus context). Throws RulecastError on the first error; warnings are
// returned. `compileSigma` wraps load + lower and never throws for bad input.
import { error, isRulecastError, RulecastError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { QueryMeta, RuleQuery } from '../ir/query.js';
import { simplify } from '../ir/passes.js';
import { readExtensions } from '../rule/extensions.js';
import type { RuleMeta, SigmaCorrelation, SigmaDocument, SigmaRule } from '../rule/types.js';
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
    meta: queryMeta(rule.meta),
    fields: rule.meta.fields,
    span: { source: rule.source, start: rule.node.start, end: rule.node.start + 1 },
  };
  return { query, diagnostics };
}

/** A rule's metadata as the backends see it (rules and correlations alike). */
export function queryMeta(meta: RuleMeta): QueryMeta {
  return {
    title: meta.title,
    id: meta.id,
    name: meta.name,
    description: meta.description,
    status: meta.status,
    level: meta.level,
    author: meta.author,
    date: meta.date,
    modified: meta.modified,
    tags: meta.tags,
    references: meta.references,
    falsepositives: meta.falsepositives,
  };
}

/** The error of a correlation given to a converter: valid Sigma that no target renders yet. */
export function unsupportedCorrelation(doc: SigmaCorrelation): Diagnostic {
  return error('unsupported-correlation', `correlation rules are not converted yet: '${doc.meta.title}' is a${/^[aeiou]/.test(doc.correlationType) ? 'n' : ''} ${doc.correlationType} correlation (rulecast check validates it, rulecast match evaluates it on events)`, { source: doc.source, start: doc.key.start, end: doc.key.end });
}

/** Lowers a document, turning a thrown RulecastError into a diagnostic. */
export function tryLower(doc: SigmaDocument, options: LowerOptions = {}): { query?: RuleQuery; diagnostics: Diagnostic[] } {
  if (doc.kind === 'correlation') return { diagnostics: [unsupportedCorrelation(doc)] };
  if (doc.kind !== 'rule') {
    return {
      diagnostics: [{ severity: 'error', code: 'filter-document', message: 'this is a Sigma filter document: a filter is applied to rules, it is not converted on its own', span: { source: doc.source, start: doc.node.start, end: doc.node.start + 1 } }],
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
