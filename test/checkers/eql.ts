// Typed front of the Elasticsearch EQL grammar (grammars/eql.peggy): a syntax checker for the EQL
// that rulecast emits, and the tree the reference evaluator (test/support/eql-evaluator.ts) runs.
// What the grammar accepts and rejects, and why, is written at the top of the grammar.
import { parse as parseGenerated } from '../generated/eql.js';
import { RulecastError, error as errorDiagnostic, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { SourceFile, span } from '../../src/diagnostics/source.js';
import { embeddedAt } from '../../src/parse/embedded.js';
import { peggyToRulecastError } from '../../src/parse/peggy-error.js';

/** Offsets [start, end) of a node in the query text. */
export interface EqlNodeBase {
  readonly start: number;
  readonly end: number;
}

/** A string literal: `"..."` (escapes decoded) or `"""..."""` (raw). `value` is the decoded string. */
export interface EqlString extends EqlNodeBase {
  readonly type: 'string';
  readonly value: string;
  readonly form: 'escaped' | 'raw';
  /** The literal as written, quotes included. */
  readonly raw: string;
}

/** A number literal, with its sign when one was written (`-5` is folded to the value -5). */
export interface EqlNumber extends EqlNodeBase {
  readonly type: 'number';
  readonly value: number;
  /** Written without a decimal point or exponent (Elasticsearch types it integer or long). */
  readonly integer: boolean;
  readonly raw: string;
}

export interface EqlBoolean extends EqlNodeBase {
  readonly type: 'boolean';
  readonly value: boolean;
}

export interface EqlNull extends EqlNodeBase {
  readonly type: 'null';
}

export type EqlLiteral = EqlString | EqlNumber | EqlBoolean | EqlNull;

/** A field reference. `path` joins the segments with dots (`` `a.b`.c `` and `a.b.c` name the
 *  same field, as in Elasticsearch); `optional` is the `?` prefix. */
export interface EqlField extends EqlNodeBase {
  readonly type: 'field';
  readonly path: string;
  readonly segments: readonly string[];
  /** Per segment: written in backquotes. */
  readonly quoted: readonly boolean[];
  readonly optional: boolean;
}

/** `name(args)`; `startsWith~(...)` has name `startsWith` and `caseInsensitive` set. */
export interface EqlCall extends EqlNodeBase {
  readonly type: 'call';
  readonly name: string;
  readonly caseInsensitive: boolean;
  readonly args: readonly EqlExpr[];
}

export type EqlComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface EqlCompare extends EqlNodeBase {
  readonly type: 'compare';
  readonly op: EqlComparisonOperator;
  readonly left: EqlExpr;
  readonly right: EqlExpr;
}

export type EqlMatchOperator = ':' | 'like' | 'like~' | 'regex' | 'regex~';

/** `value : "a*"`, `value like~ ("a*", "b")`, `value regex "..."`: patterns are constants. */
export interface EqlMatch extends EqlNodeBase {
  readonly type: 'match';
  readonly op: EqlMatchOperator;
  readonly value: EqlExpr;
  readonly patterns: readonly EqlLiteral[];
  /** Written as a parenthesised list (even of one element). */
  readonly list: boolean;
}

/** `value in (...)`, `value in~ (...)`, `value not in (...)`. */
export interface EqlIn extends EqlNodeBase {
  readonly type: 'in';
  readonly negated: boolean;
  readonly caseInsensitive: boolean;
  readonly value: EqlExpr;
  readonly items: readonly EqlExpr[];
}

export interface EqlLogical extends EqlNodeBase {
  readonly type: 'and' | 'or';
  readonly args: readonly EqlExpr[];
}

export interface EqlNot extends EqlNodeBase {
  readonly type: 'not';
  readonly arg: EqlExpr;
}

/** Parentheses, kept so that tests can see how a query was grouped. */
export interface EqlGroup extends EqlNodeBase {
  readonly type: 'group';
  readonly expr: EqlExpr;
}

export type EqlExpr = EqlLiteral | EqlField | EqlCall | EqlCompare | EqlMatch | EqlIn | EqlLogical | EqlNot | EqlGroup;

/** `any`, an identifier (`process`) or a string (`"my-category"`); `name` is null for `any`. */
export interface EqlCategory extends EqlNodeBase {
  readonly type: 'category';
  readonly kind: 'any' | 'identifier' | 'string';
  readonly name: string | null;
  /** The string literal, when the category is written as one. */
  readonly literal?: EqlString;
}

export interface EqlPipe extends EqlNodeBase {
  readonly type: 'pipe';
  readonly name: 'head' | 'tail';
  readonly count: number;
}

export interface EqlQuery extends EqlNodeBase {
  readonly type: 'query';
  readonly category: EqlCategory;
  readonly condition: EqlExpr;
  readonly pipes: readonly EqlPipe[];
  /** The query text, for spans in diagnostics. */
  readonly source: SourceFile;
}

/** Parses an Elasticsearch 8.x EQL event query. Syntax errors are RulecastErrors with code
 *  `eql-syntax` and a span in the query text (`path` labels it in messages). */
export function parseEql(text: string, path = '<eql query>'): EqlQuery {
  const source = new SourceFile(path, text);
  try {
    const tree = parseGenerated(text, { grammarSource: path }) as Omit<EqlQuery, 'source'>;
    return { ...tree, source };
  } catch (err) {
    throw peggyToRulecastError(err, embeddedAt(source, text, 0), 'EQL query', 'eql-syntax');
  }
}

/** The value of one EQL string literal (`"a\\tb"`, `"""raw"""`), as Elasticsearch decodes it.
 *  Throws `eql-syntax` for anything Elasticsearch would refuse (an unknown escape such as `\*`,
 *  single quotes, a line break). Tests use it to check that a rendered literal means the
 *  original string: `decodeEqlString(render(s)) === s`. */
export function decodeEqlString(literal: string): string {
  const source = new SourceFile('<eql string>', literal);
  try {
    return (parseGenerated(literal, { grammarSource: source.path, startRule: 'StringLiteral' }) as EqlString).value;
  } catch (err) {
    throw peggyToRulecastError(err, embeddedAt(source, literal, 0), 'EQL string', 'eql-syntax');
  }
}

/** Every keyword of Elasticsearch's EQL lexer. They are reserved: a field or event category
 *  spelled like one must be backquoted (fields) or quoted (categories). */
export const EQL_KEYWORDS: readonly string[] = Object.freeze([
  'and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or',
  'regex', 'sample', 'sequence', 'true', 'until', 'where', 'with',
]);

/** Whether a field name segment can be written without backquotes. */
export function isPlainEqlIdentifier(name: string): boolean {
  return /^[A-Za-z_@][A-Za-z0-9_]*$/.test(name) && !EQL_KEYWORDS.includes(name);
}

/** The functions of Elasticsearch 8.x EQL (EqlFunctionRegistry; names resolve case-insensitively)
 *  and whether they have a `~` (case-insensitive) form (the CaseInsensitiveScalarFunctions). */
export const EQL_FUNCTIONS: Readonly<Record<string, { readonly name: string; readonly caseInsensitiveForm: boolean }>> = Object.freeze(
  Object.fromEntries(
    (
      [
        ['add', false], ['between', true], ['cidrMatch', false], ['concat', false], ['divide', false],
        ['endsWith', true], ['indexOf', true], ['length', false], ['modulo', false], ['multiply', false],
        ['number', false], ['startsWith', true], ['string', false], ['stringContains', true],
        ['substring', false], ['subtract', false],
      ] as const
    ).map(([name, caseInsensitiveForm]) => [name.toLowerCase(), { name, caseInsensitiveForm }]),
  ),
);

/** Functions that Elasticsearch EQL had and removed, with what to write instead. */
const REMOVED_FUNCTIONS: Readonly<Record<string, string>> = {
  wildcard: "'wildcard' was removed from Elasticsearch EQL (7.x only); use 'like' or 'like~'",
  match: "'match' was removed from Elasticsearch EQL; use 'regex' or 'regex~'",
};

/** Checks that Elasticsearch's analyzer and verifier make after parsing, as far as they do not
 *  need the index mapping: unknown functions, `~` on a function without a case-insensitive form,
 *  non-string patterns for `:`/`like`/`regex` ("can only be used to compare strings"), and
 *  comparisons of a field with a field ("You cannot compare a field to another field"), both
 *  from the EQL syntax reference. Returns errors with code `eql-invalid`; empty when none. */
export function verifyEql(query: EqlQuery): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (n: EqlNodeBase) => span(query.source, n.start, n.end);
  const usesField = (e: EqlExpr): boolean => {
    switch (e.type) {
      case 'field':
        return true;
      case 'call':
        return e.args.some(usesField);
      case 'group':
        return usesField(e.expr);
      default:
        return false;
    }
  };
  const visit = (e: EqlExpr): void => {
    switch (e.type) {
      case 'call': {
        const fn = EQL_FUNCTIONS[e.name.toLowerCase()];
        const removed = REMOVED_FUNCTIONS[e.name.toLowerCase()];
        if (!fn) problems.push(errorDiagnostic('eql-invalid', removed ?? `unknown EQL function '${e.name}'`, at(e)));
        else if (e.caseInsensitive && !fn.caseInsensitiveForm) problems.push(errorDiagnostic('eql-invalid', `'${fn.name}' has no case-insensitive form '${e.name}~'`, at(e)));
        e.args.forEach(visit);
        return;
      }
      case 'compare':
        if (usesField(e.left) && usesField(e.right)) {
          problems.push(errorDiagnostic('eql-invalid', 'Elasticsearch EQL cannot compare a field with another field', at(e)));
        }
        visit(e.left);
        visit(e.right);
        return;
      case 'match':
        for (const p of e.patterns) {
          if (p.type !== 'string') problems.push(errorDiagnostic('eql-invalid', `'${e.op}' can only compare strings; the pattern is a ${p.type}`, at(p)));
        }
        visit(e.value);
        return;
      case 'in':
        visit(e.value);
        e.items.forEach(visit);
        return;
      case 'and':
      case 'or':
        e.args.forEach(visit);
        return;
      case 'not':
        visit(e.arg);
        return;
      case 'group':
        visit(e.expr);
        return;
      default:
        return;
    }
  };
  visit(query.condition);
  return problems;
}

/** parseEql, then verifyEql; the first problem is thrown as a RulecastError. */
export function checkEql(text: string, path?: string): EqlQuery {
  const query = parseEql(text, path);
  const [first] = verifyEql(query);
  if (first) throw RulecastError.fromDiagnostic(first);
  return query;
}
