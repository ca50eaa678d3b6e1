// Microsoft's Kusto parser (@kusto/language-service-next, CommonJS, Bridge.NET) for tests of the
// KQL import: syntax diagnostics of a query and the decoded value of a string literal.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const g = globalThis as any;
const Kusto = g.Kusto;
const Bridge = g.Bridge;

interface SyntaxNode {
  readonly ChildCount: number;
  GetChild(i: number): SyntaxNode | null;
  readonly LiteralValue?: unknown;
  readonly constructor: { $$name?: string };
}

/** Syntax errors Kusto's parser reports for a query (no schema: names are not checked). */
export function kustoSyntaxErrors(query: string): string[] {
  const code = Kusto.Language.KustoCode.Parse(query);
  return (Bridge.toArray(code.GetDiagnostics()) as { Severity: string; Code: string; Message: string }[]).map((d) => `${d.Code}: ${d.Message}`);
}

/** The value Kusto's parser gives the first string literal of `print x = <literal>`, or undefined
 *  when the literal is not valid KQL. */
export function kustoStringValue(literal: string): string | undefined {
  const query = `print x = ${literal}`;
  if (kustoSyntaxErrors(query).length) return undefined;
  const code = Kusto.Language.KustoCode.Parse(query);
  let value: string | undefined;
  const walk = (n: SyntaxNode | null): void => {
    if (!n || value !== undefined) return;
    if ((n.constructor.$$name ?? '').endsWith('LiteralExpression') && typeof n.LiteralValue === 'string') {
      value = n.LiteralValue;
      return;
    }
    for (let i = 0; i < n.ChildCount; i++) walk(n.GetChild(i));
  };
  walk(code.Syntax as SyntaxNode);
  return value;
}
