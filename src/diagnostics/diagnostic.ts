import type { Span } from './source.js';

export type Severity = 'error' | 'warning';

/** One finding about the user's input: a stable code, a message naming the thing and the fix,
 *  where it is, and optional notes. Errors stop a rule; warnings do not. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable, kebab-case; tools and tests key on it. */
  readonly code: string;
  readonly message: string;
  readonly span?: Span | undefined;
  readonly notes?: readonly string[] | undefined;
}

/** The one error type of rulecast. It carries a diagnostic, so callers can format it with a code
 *  frame or turn it into JSON; it never needs a stack trace to be understood. */
export class RulecastError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(code: string, message: string, span?: Span, notes?: readonly string[]) {
    // A RulecastError is about the user's input and carries its location; a stack trace would
    // never be shown, and capturing one costs more than the rest of a failed conversion.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'RulecastError';
    this.diagnostic = { severity: 'error', code, message, span, notes };
  }

  get code(): string {
    return this.diagnostic.code;
  }

  static fromDiagnostic(diagnostic: Diagnostic): RulecastError {
    return new RulecastError(diagnostic.code, diagnostic.message, diagnostic.span, diagnostic.notes);
  }
}

export function isRulecastError(value: unknown): value is RulecastError {
  return value instanceof RulecastError;
}

export function warning(code: string, message: string, span?: Span, notes?: readonly string[]): Diagnostic {
  return { severity: 'warning', code, message, span, notes };
}

export function error(code: string, message: string, span?: Span, notes?: readonly string[]): Diagnostic {
  return { severity: 'error', code, message, span, notes };
}

/** Where a diagnostic points, as the JSON interfaces report it (1-based). */
export function diagnosticLocation(d: Diagnostic): { path: string | null; line: number | null; column: number | null } {
  if (!d.span) return { path: null, line: null, column: null };
  const { line, column } = d.span.source.position(d.span.start);
  return { path: d.span.source.path, line, column };
}
