import { compileSigma, type CompiledDocument } from '../../src/index.js';
import { toJson } from '../../src/ir/dump.js';
import type { Expr } from '../../src/ir/types.js';
import type { LowerOptions } from '../../src/lower/index.js';

/** A complete rule around a detection section given as YAML lines (indented by the caller or not). */
export function ruleWith(detection: string, extra = ''): string {
  const body = detection
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `title: Test rule
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
logsource:
  category: process_creation
  product: windows
detection:
${body}
level: medium
${extra}`;
}

export function compileOne(text: string, options: LowerOptions = {}): CompiledDocument {
  const docs = compileSigma(text, 'test.yml', options);
  if (docs.length !== 1) throw new Error(`expected one document, got ${docs.length}`);
  return docs[0]!;
}

/** Lowers a detection and returns its IR; throws with the first error's code and message. */
export function lowerDetection(detection: string, options: LowerOptions = {}): Expr {
  const doc = compileOne(ruleWith(detection), options);
  const err = doc.diagnostics.find((d) => d.severity === 'error');
  if (err) throw new Error(`${err.code}: ${err.message}`);
  return doc.query!.expr;
}

/** The first error of a detection, as `code: message`. */
export function lowerError(detection: string, options: LowerOptions = {}): string {
  const doc = compileOne(ruleWith(detection), options);
  const err = doc.diagnostics.find((d) => d.severity === 'error');
  if (!err) throw new Error('expected an error');
  return `${err.code}: ${err.message}`;
}

/** Compact JSON of an expression (stable key order). */
export function ir(expr: Expr): string {
  return JSON.stringify(toJson(expr));
}
