// Typed front of the generated KQL parser (grammars/kql.peggy): syntax trees with offsets in the
// query text. Which constructs rulecast translates is decided in src/lower/kql.ts.
import { parse as parseGenerated } from '../generated/kql.js';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { embeddedSpan, type EmbeddedText } from './embedded.js';
import { peggyToRulecastError } from './peggy-error.js';

interface Located {
  readonly start: number;
  readonly end: number;
}

export interface KqlName extends Located {
  readonly kind: 'name';
  readonly name: string;
  /** Written as `['name']`. */
  readonly bracketed: boolean;
}

export type KqlExpr =
  | (Located & { readonly kind: 'binary'; readonly op: string; readonly opStart: number; readonly opEnd: number; readonly left: KqlExpr; readonly right: KqlExpr })
  | (Located & { readonly kind: 'list'; readonly op: string; readonly opStart: number; readonly opEnd: number; readonly left: KqlExpr; readonly items: readonly KqlExpr[] })
  | (Located & { readonly kind: 'between'; readonly op: string; readonly opStart: number; readonly opEnd: number; readonly left: KqlExpr; readonly low: KqlExpr; readonly high: KqlExpr })
  | (Located & { readonly kind: 'unary'; readonly op: string; readonly arg: KqlExpr })
  | (Located & { readonly kind: 'member'; readonly object: KqlExpr; readonly name: string })
  | (Located & { readonly kind: 'index'; readonly object: KqlExpr; readonly index: KqlExpr })
  | (Located & { readonly kind: 'call'; readonly name: string; readonly nameStart: number; readonly nameEnd: number; readonly args: readonly KqlExpr[] })
  | (Located & { readonly kind: 'named-argument'; readonly name: string; readonly value: KqlExpr })
  | (Located & { readonly kind: 'star' })
  | (Located & { readonly kind: 'paren'; readonly expr: KqlExpr })
  | (Located & { readonly kind: 'subquery'; readonly pipeline: KqlPipeline })
  | (Located & { readonly kind: 'string'; readonly value: string; readonly verbatim: boolean })
  | (Located & { readonly kind: 'number'; readonly value: number; readonly text: string; readonly real: boolean })
  | (Located & { readonly kind: 'timespan'; readonly count: number; readonly unit: string; readonly text: string })
  | (Located & { readonly kind: 'bool'; readonly value: boolean })
  | (Located & { readonly kind: 'dynamic'; readonly value: KqlDynamic })
  | (Located & { readonly kind: 'typed-literal'; readonly type: string; readonly text: string })
  | KqlName;

export type KqlDynamic =
  | (Located & { readonly kind: 'array'; readonly items: readonly KqlDynamic[] })
  | (Located & { readonly kind: 'object' })
  | (Located & { readonly kind: 'null' })
  | Extract<KqlExpr, { kind: 'string' | 'number' | 'bool' }>;

export type KqlUnionItem =
  | KqlName
  | (Located & { readonly kind: 'subquery'; readonly pipeline: KqlPipeline })
  | (Located & { readonly kind: 'table-pattern'; readonly name: string });

export type KqlSource =
  | (Located & { readonly kind: 'union'; readonly options: readonly (Located & { readonly name: string; readonly value: string })[]; readonly items: readonly KqlUnionItem[] })
  | (Located & { readonly kind: 'other-source'; readonly name: string })
  | KqlExpr;

export type KqlOperator =
  | (Located & { readonly kind: 'where'; readonly keyword: string; readonly expr: KqlExpr })
  | (Located & { readonly kind: 'project'; readonly items: readonly (Located & { readonly name: string | null; readonly expr: KqlExpr })[] })
  | (Located & { readonly kind: 'sort'; readonly keyword: string })
  | (Located & { readonly kind: 'other'; readonly name: string; readonly nameStart: number; readonly nameEnd: number });

export interface KqlPipeline extends Located {
  readonly kind: 'pipeline';
  readonly head: KqlSource;
  readonly ops: readonly KqlOperator[];
}

export type KqlLetValue =
  | (Located & { readonly kind: 'function' })
  | (Located & { readonly kind: 'pipeline'; readonly pipeline: KqlPipeline });

export type KqlStatement =
  | (Located & { readonly kind: 'let'; readonly name: string; readonly nameStart: number; readonly nameEnd: number; readonly value: KqlLetValue })
  | (Located & { readonly kind: 'query'; readonly pipeline: KqlPipeline })
  | (Located & { readonly kind: 'other-statement'; readonly keyword: string });

export interface KqlScript {
  readonly statements: readonly KqlStatement[];
}

/** Deepest nesting of brackets accepted: real queries use a handful; thousands would overflow the
 *  recursive parser. */
export const maxKqlDepth = 64;

/** Parses a KQL query (statements separated by `;`). Offsets in the tree are offsets in
 *  `embedded.text`; syntax errors are RulecastErrors (code `kql-syntax`) pointing into the file. */
export function parseKql(embedded: EmbeddedText): KqlScript {
  checkDepth(embedded);
  try {
    return parseGenerated(embedded.text, { startRule: 'Script' }) as KqlScript;
  } catch (err) {
    throw peggyToRulecastError(err, embedded, 'KQL', 'kql-syntax');
  }
}

function checkDepth(embedded: EmbeddedText): void {
  let depth = 0;
  const text = embedded.text;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      if (++depth > maxKqlDepth) {
        throw new RulecastError('kql-too-deep', `the query nests brackets more than ${maxKqlDepth} levels deep; rulecast refuses it`, embeddedSpan(embedded, i, i + 1));
      }
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
}
