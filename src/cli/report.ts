// Shapes shared by the commands' JSON outputs (interfaces other tools call: extend, never change).
import { diagnosticLocation, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface JsonDiagnostic {
  code: string;
  message: string;
  line: number | null;
  column: number | null;
}

export function jsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const { line, column } = diagnosticLocation(d);
  return { code: d.code, message: d.message, line, column };
}
