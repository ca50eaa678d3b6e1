// Shapes shared by the commands' JSON outputs (interfaces other tools call: extend, never change).
import { diagnosticLocation, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface JsonDiagnostic {
  code: string;
  message: string;
  line: number | null;
  column: number | null;
  /** The file line and column are in (a rule's exclusions file, say), when known. */
  path?: string | null;
}

export function jsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const { path, line, column } = diagnosticLocation(d);
  return { code: d.code, message: d.message, line, column, path };
}
