// Reference evaluator for Elasticsearch EQL event queries on one event: the oracle the EQL backend
// is tested against (compare its verdicts with src/ir/evaluate.ts, which has Sigma's semantics).
// It evaluates the tree of src/verify/eql.ts; anything it cannot decide faithfully is an error
// (code `eql-evaluate`, with a span in the query), never a guess.
//
// Sources. [syntax] EQL syntax reference,
// https://www.elastic.co/guide/en/elasticsearch/reference/8.18/eql-syntax.html ;
// [functions] EQL function reference, .../8.18/eql-function-ref.html ;
// [regexp] Regular expression syntax, .../8.18/regexp-syntax.html ;
// [source] Elasticsearch 8.x x-pack/plugin/eql and ql sources, where the pages are silent.
//
// Semantic choices (each one is tested in test/unit/eql-evaluator.test.ts):
//
// 1. Category. `any` matches every event [syntax "Match any event category"]; otherwise the
//    event's `event.category` (or opts.categoryField) must hold the category exactly (a term
//    query: case-sensitive); a list matches when one element does. opts.ignoreCategory skips it.
// 2. Missing values. A field that is absent, null or an empty list is null [syntax "Optional
//    fields": for a field that does not exist "the query replaces it with null"]. `?field` and `field` evaluate the
//    same here: without an index mapping the evaluator cannot reproduce the error Elasticsearch
//    raises for a non-optional field that no index maps.
// 3. Null logic (default opts.logic = 'kleene'). A comparison or match with null is null; `not
//    null` is null; `and`/`or` are Kleene's; the event is selected only when the condition is
//    true. `x == null` is true when x is missing or null and `x != null` when it is present [syntax
//    "Check if a field exists"; the optimizer turns both into IsNull/IsNotNull]. So
//    `not x : "a"` does NOT select an event without x. This is the documented design: the
//    "optional fields" example `network where null != null` "matches no events", and the
//    SQL-consistent null handling of Elasticsearch SQL, which Endgame EQL adopted too
//    (endgameinc/eql pull request 17: "backport that handling to Python EQL").
//    CAUTION: Elasticsearch 8 translates `not`/`!=` over a field into a Lucene `bool.must_not`
//    query (ql ExpressionTranslators.Nots / BinaryComparisons -> NotQuery; see the test
//    `functionEqualsFalse` in eql/src/test/resources/queryfolder_tests.txt, where
//    `cidrMatch(...) == false` becomes must_not terms), which DOES match documents without the
//    field; only script-translated predicates are null-safe, and the optimizer rewrites
//    `not (x > 1)` to `x <= 1`. opts.logic = 'lucene' evaluates that
//    two-valued reading (a predicate on a missing field is false, `not` is plain negation). A
//    query whose verdict differs between the two modes depends on this ambiguity: the backend
//    should guard negations so that both modes agree (for example `(?x == null or not x : "a")`).
// 4. Multi-valued fields (a list in the event). Elasticsearch "does not support array field
//    values ... may return inconsistent results" [syntax "Array field values are not supported"];
//    the evaluator follows Lucene's term semantics: a predicate is true when one element satisfies
//    it (null when none does and one gives null), and `not`/`!=`/`not in` negate that (no element
//    satisfies it), as `bool.must_not` does. Functions are applied to each element.
// 5. Types. There is no mapping, so the field is taken to be mapped with the type of the constant
//    it is compared with (the only mapping under which Elasticsearch accepts the query), and the
//    event value is coerced as Elasticsearch coerces a JSON value at index time: a JSON number or
//    boolean in a keyword field is its text ("4688", "true"); a numeric string in a numeric field is
//    the number ("42"); a boolean field accepts "true"/"false"; a value that cannot be coerced
//    would not be indexed, so it is null. Comparing a field with a field, or a constant with a
//    constant of another type, is an error [syntax "You cannot compare a field to another field"].
// 6. `==` / `!=` are case-sensitive exact comparisons without wildcards [syntax]; `<` `<=` `>` `>=`
//    compare numbers numerically and strings by code point (case-sensitive lexicographic order
//    [syntax]; the UTF-8 byte order of a term range query is code point order).
// 7. `:` is case-insensitive with wildcards, `like` case-sensitive with wildcards, `like~`
//    case-insensitive [syntax "Pattern comparison keywords"; "The : operator is equivalent to
//    like~"]. `*` is any sequence, `?` one character (code point); nothing escapes them (EQL's
//    toLikePattern), a backslash is literal. The patterns must be strings ("Can only be used to
//    compare strings"): a number, boolean or null pattern is an error.
// 8. Case-insensitive means ASCII case-insensitive: `:`, `like~`, `in~`, `regex~` become
//    case-insensitive term/wildcard/regexp queries, and Lucene and Elasticsearch fold only ASCII
//    letters ("For now we only work with ASCII characters", AutomatonQueries and
//    RegExp.toCaseInsensitiveChar [source]): `"É" : "é"` is false. The `~` functions run as
//    painless scripts in some plans (Unicode lowercasing) and as case-insensitive queries in
//    others, so when ASCII and Unicode folding disagree on a value the evaluator refuses.
// 9. `regex` / `regex~`: Lucene regular expression syntax, always anchored [regexp]; a list
//    matches when one pattern does (Elasticsearch joins them with `|`). See lucene-regex.ts for
//    the translation; `regex~` does not fold ranges ([a-z] never matches "A").
// 10. `in` / `not in`: exact membership (a terms query); `in~`: ASCII case-insensitive, strings
//    only. SQL's null rule: no match and a null in the list is null.
// 11. Functions [functions]: cidrMatch (IPv4/IPv6; the address must parse, else null, since an ip
//    field cannot index it; IPv4 addresses also match IPv4-mapped IPv6 networks, as in an ip
//    field), startsWith, endsWith, stringContains (and their `~` forms), length (UTF-16 code
//    units, Java's String.length), string, concat, and wildcard (Elasticsearch 7.x only; kept for
//    old queries). Any null argument gives null. Other functions are an error.
// 12. Pipes: `head`/`tail` only limit how many events are returned; with 0 nothing is.
import { RE2JS } from 're2js';
import { RulecastError } from '../../src/diagnostics/diagnostic.js';
import { span } from '../../src/diagnostics/source.js';
import { parseIPv4, parseIPv6 } from '../../src/ir/ip.js';
import type { EqlCall, EqlCompare, EqlExpr, EqlIn, EqlMatch, EqlNodeBase, EqlQuery } from '../checkers/eql.js';
import { LuceneRegexError, luceneRegexToRe2 } from './lucene-regex.js';

export interface EqlEvaluateOptions {
  /** Skip the event category test (evaluate the condition only). */
  readonly ignoreCategory?: boolean;
  /** The event category field (the EQL search API's event_category_field); `event.category`. */
  readonly categoryField?: string;
  /** 'kleene' (default): three-valued logic. 'lucene': Elasticsearch's must_not reading, where a
   *  predicate on a missing field is false and `not` is plain negation. See note 3 above. */
  readonly logic?: 'kleene' | 'lucene';
}

export type EqlEvent = Readonly<Record<string, unknown>>;
type Scalar = string | number | boolean;
type Value = Scalar | null;
type Truth = boolean | null;

/** Whether the query selects the event. The condition is evaluated even when the category does
 *  not match, so that a query Elasticsearch would reject fails on every event, not on some. */
export function evaluateEql(query: EqlQuery, event: EqlEvent, opts: EqlEvaluateOptions = {}): boolean {
  const condition = evaluateEqlCondition(query, event, opts);
  if (query.pipes.some((p) => p.count === 0)) return false;
  if (!opts.ignoreCategory && !categoryMatches(query, event, opts.categoryField ?? 'event.category')) return false;
  return condition === true;
}

/** The three-valued result of the condition alone (no category, no pipes). */
export function evaluateEqlCondition(query: EqlQuery, event: EqlEvent, opts: EqlEvaluateOptions = {}): Truth {
  return new Evaluator(query, event, opts.logic ?? 'kleene').truth(query.condition);
}

function categoryMatches(query: EqlQuery, event: EqlEvent, field: string): boolean {
  const { category } = query;
  if (category.kind === 'any') return true;
  return fieldValues(event, field.split('.')).some((v) => v === category.name);
}

/** Values of a field: a flat key (`"process.name"`), nested objects (`{process: {name}}`) or any mix
 *  of the two, as Elasticsearch expands dotted names; lists (also lists of objects on the way)
 *  contribute their elements; nulls are dropped. An object where a value is expected is thrown. */
function fieldValues(event: EqlEvent, segments: readonly string[]): unknown[] {
  const found: unknown[] = [];
  const walk = (value: unknown, rest: readonly string[]): void => {
    if (rest.length === 0) {
      found.push(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) walk(v, rest);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    for (let i = 1; i <= rest.length; i++) {
      const key = rest.slice(0, i).join('.');
      if (Object.prototype.hasOwnProperty.call(obj, key)) walk(obj[key], rest.slice(i));
    }
  };
  walk(event, segments);
  const leaves: unknown[] = [];
  const flatten = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(flatten);
    else if (v !== null && v !== undefined) leaves.push(v);
  };
  found.forEach(flatten);
  return leaves;
}

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

const typeName = (v: Scalar): 'string' | 'number' | 'boolean' => typeof v as 'string' | 'number' | 'boolean';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An event value read through a mapping of the given type (note 5). */
function coerce(v: Scalar, to: 'string' | 'number' | 'boolean'): Value {
  if (typeof v === to) return v;
  switch (to) {
    case 'string':
      return String(v);
    case 'number':
      return typeof v === 'string' && NUMBER_TEXT.test(v.trim()) ? Number(v.trim()) : null;
    case 'boolean':
      return v === 'true' ? true : v === 'false' ? false : null;
  }
}

/** Code point order (the UTF-8 byte order of Lucene terms), not UTF-16 order. */
function compareStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const kleeneOr = (values: Iterable<Truth>): Truth => {
  let sawNull = false;
  for (const v of values) {
    if (v === true) return true;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : false;
};

const kleeneAnd = (values: Iterable<Truth>): Truth => {
  let sawNull = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === null) sawNull = true;
  }
  return sawNull ? null : true;
};

const kleeneNot = (v: Truth): Truth => (v === null ? null : !v);

const regexCache = new Map<string, RE2JS>();

function compileRe2(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern, RE2JS.DOTALL);
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** `*` any sequence, `?` one code point, everything else literal (EQL's toLikePattern). */
function wildcardRe2(pattern: string): string {
  return [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : `\\x{${ch.codePointAt(0)!.toString(16)}}`))
    .join('');
}

function wildcardMatches(value: string, pattern: string, caseInsensitive: boolean): boolean {
  const [v, p] = caseInsensitive ? [asciiLower(value), asciiLower(pattern)] : [value, pattern];
  return compileRe2(wildcardRe2(p)).matches(v);
}

/** A CIDR block or a single address as 16 bytes (IPv4 as IPv4-mapped IPv6) and a prefix length. */
function parseNetwork(text: string): { bytes: Uint8Array; prefix: number } | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseAddress(address);
  if (!bytes) return undefined;
  const v4 = parseIPv4(address) !== undefined;
  let prefix = 128;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > (v4 ? 32 : 128)) return undefined;
    prefix = Number(p) + (v4 ? 96 : 0);
  }
  return { bytes, prefix };
}

function parseAddress(text: string): Uint8Array | undefined {
  const v4 = parseIPv4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (text.includes('%')) return undefined; // an ip field has no zone ids
  return parseIPv6(text);
}

function inNetwork(address: Uint8Array, network: { bytes: Uint8Array; prefix: number }): boolean {
  let bits = network.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address[i]! & mask) !== (network.bytes[i]! & mask)) return false;
  }
  return true;
}

class Evaluator {
  constructor(
    private readonly query: EqlQuery,
    private readonly event: EqlEvent,
    private readonly logic: 'kleene' | 'lucene',
  ) {}

  private fail(node: EqlNodeBase, message: string): never {
    throw new RulecastError('eql-evaluate', message, span(this.query.source, node.start, node.end));
  }

  /** A leaf predicate's result under the chosen logic (note 3). */
  private leaf(v: Truth): Truth {
    return this.logic === 'lucene' && v === null ? false : v;
  }

  truth(e: EqlExpr): Truth {
    switch (e.type) {
      case 'and':
        return kleeneAnd(e.args.map((a) => this.truth(a)));
      case 'or':
        return kleeneOr(e.args.map((a) => this.truth(a)));
      case 'not':
        return kleeneNot(this.truth(e.arg));
      case 'group':
        return this.truth(e.expr);
      case 'compare':
        return this.leaf(this.compare(e));
      case 'match':
        return this.leaf(this.match(e));
      case 'in':
        return this.leaf(this.in(e));
      default:
        return this.leaf(
          kleeneOr(
            this.values(e).map((v) => {
              if (v !== null && typeof v !== 'boolean') this.fail(e, `a condition must be boolean, but this is the ${typeName(v)} ${JSON.stringify(v)}`);
              return v;
            }),
          ),
        );
    }
  }

  /** The alternatives of a value: one per element of a multi-valued field ([null] when missing). */
  values(e: EqlExpr): Value[] {
    switch (e.type) {
      case 'null':
        return [null];
      case 'string':
      case 'number':
      case 'boolean':
        return [e.value];
      case 'field': {
        const raw = fieldValues(this.event, e.path.split('.'));
        for (const v of raw) {
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
            this.fail(e, `field '${e.path}' holds ${JSON.stringify(v)}, not a string, number or boolean`);
          }
        }
        return raw.length === 0 ? [null] : (raw as Scalar[]);
      }
      case 'group':
        return this.values(e.expr);
      case 'call':
        return this.call(e);
      default:
        return [this.truth(e)];
    }
  }

  /** Whether a value depends on the event (a field, or a function of one). */
  private dependsOnEvent(e: EqlExpr): boolean {
    switch (e.type) {
      case 'field':
        return true;
      case 'group':
        return this.dependsOnEvent(e.expr);
      case 'call':
        return e.args.some((a) => this.dependsOnEvent(a));
      case 'compare':
        return this.dependsOnEvent(e.left) || this.dependsOnEvent(e.right);
      case 'match':
      case 'in':
        return this.dependsOnEvent(e.value);
      case 'and':
      case 'or':
        return e.args.some((a) => this.dependsOnEvent(a));
      case 'not':
        return this.dependsOnEvent(e.arg);
      default:
        return false;
    }
  }

  private isNullLiteral(e: EqlExpr): boolean {
    return e.type === 'null' || (e.type === 'group' && this.isNullLiteral(e.expr));
  }

  private compare(e: EqlCompare): Truth {
    // `x == null` / `x != null`: IsNull / IsNotNull, never null (note 3).
    if ((e.op === '==' || e.op === '!=') && (this.isNullLiteral(e.left) || this.isNullLiteral(e.right))) {
      const other = this.isNullLiteral(e.right) ? e.left : e.right;
      const isNull = this.values(other).every((v) => v === null);
      return e.op === '==' ? isNull : !isNull;
    }
    // `a != b` is `not (a == b)` (ExpressionBuilder); in the 'lucene' reading the negated term query
    // is the leaf, so a missing field gives must_not(false) = true.
    if (e.op === '!=') return kleeneNot(this.leaf(this.compareAny(e, '==')));
    return this.compareAny(e, e.op);
  }

  /** Any pair of alternatives satisfies `op` (note 4). */
  private compareAny(e: EqlCompare, op: Exclude<EqlCompare['op'], '!='>): Truth {
    const leftEvent = this.dependsOnEvent(e.left);
    const rightEvent = this.dependsOnEvent(e.right);
    if (leftEvent && rightEvent) this.fail(e, 'Elasticsearch EQL cannot compare a field with another field');
    const lefts = this.values(e.left);
    const rights = this.values(e.right);
    const results: Truth[] = [];
    for (const l of lefts) {
      for (const r of rights) {
        if (l === null || r === null) {
          results.push(null);
          continue;
        }
        let a: Value = l;
        let b: Value = r;
        if (!leftEvent && !rightEvent) {
          if (typeName(l) !== typeName(r)) this.fail(e, `cannot compare the ${typeName(l)} ${JSON.stringify(l)} with the ${typeName(r)} ${JSON.stringify(r)}`);
        } else if (leftEvent) {
          a = coerce(l, typeName(r));
        } else {
          b = coerce(r, typeName(l));
        }
        results.push(a === null || b === null ? null : this.order(e, a, b, op));
      }
    }
    return kleeneOr(results);
  }

  private order(e: EqlCompare, a: Scalar, b: Scalar, op: Exclude<EqlCompare['op'], '!='>): boolean {
    if (op === '==') return a === b;
    let d: number;
    if (typeof a === 'number' && typeof b === 'number') d = a - b;
    else if (typeof a === 'string' && typeof b === 'string') d = compareStrings(a, b);
    else this.fail(e, `'${op}' cannot order ${typeName(a)} values`);
    return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
  }

  private match(e: EqlMatch): Truth {
    const patterns = e.patterns.map((p) => {
      if (p.type !== 'string') this.fail(p, `'${e.op}' can only compare strings; the pattern is ${p.type === 'null' ? 'null' : `the ${p.type} ${String(p.value)}`}`);
      return p.value;
    });
    let test: (s: string) => boolean;
    if (e.op === 'regex' || e.op === 'regex~') {
      let re: RE2JS;
      try {
        re = compileRe2(patterns.map((p) => luceneRegexToRe2(p, e.op === 'regex~')).join('|'));
      } catch (err) {
        if (err instanceof LuceneRegexError) {
          this.fail(e, err.kind === 'invalid' ? `Elasticsearch would reject this regular expression: ${err.message}` : `this Lucene regular expression cannot be evaluated: ${err.message}`);
        }
        throw err;
      }
      test = (s) => re.matches(s);
    } else {
      const ci = e.op !== 'like';
      test = (s) => patterns.some((p) => wildcardMatches(s, p, ci));
    }
    return kleeneOr(this.values(e.value).map((v) => (v === null ? null : test(coerce(v, 'string') as string))));
  }

  private in(e: EqlIn): Truth {
    const items = e.items.map((item) => {
      if (this.dependsOnEvent(item)) this.fail(item, 'the values of an in list must be constants: Elasticsearch EQL cannot compare a field with another field');
      const values = this.values(item);
      const v = values[0] ?? null;
      if (e.caseInsensitive && v !== null && typeof v !== 'string') this.fail(item, `'in~' compares strings; this is the ${typeName(v)} ${JSON.stringify(v)}`);
      return v;
    });
    const valueFromEvent = this.dependsOnEvent(e.value);
    const one = (v: Value): Truth => {
      if (v === null) return null;
      let sawNull = false;
      for (const item of items) {
        if (item === null) {
          sawNull = true;
          continue;
        }
        const x = valueFromEvent ? coerce(v, typeName(item)) : v;
        if (x === null) continue;
        if (!valueFromEvent && typeName(x) !== typeName(item)) this.fail(e, `cannot compare the ${typeName(x)} ${JSON.stringify(x)} with the ${typeName(item)} ${JSON.stringify(item)}`);
        if (e.caseInsensitive ? asciiLower(String(x)) === asciiLower(item as string) : x === item) return true;
      }
      return sawNull ? null : false;
    };
    const found = this.leaf(kleeneOr(this.values(e.value).map(one)));
    return e.negated ? kleeneNot(found) : found;
  }

  // -------------------------------------------------------------------------------------------
  // Functions (note 11)

  private call(e: EqlCall): Value[] {
    const name = e.name.toLowerCase();
    const arity = (min: number, max = min) => {
      if (e.args.length < min || e.args.length > max) {
        this.fail(e, `${e.name} takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} arguments, not ${e.args.length}`);
      }
    };
    const noTilde = () => {
      if (e.caseInsensitive) this.fail(e, `${e.name} has no case-insensitive form '${e.name}~'`);
    };
    const text = (v: Value): string | null => (v === null ? null : (coerce(v, 'string') as string));
    switch (name) {
      case 'cidrmatch': {
        noTilde();
        arity(2, Infinity);
        const networks = e.args.slice(1).map((a) => {
          if (this.dependsOnEvent(a)) this.fail(a, 'the CIDR blocks of cidrMatch must be constants');
          const v = this.values(a)[0] ?? null;
          if (v === null) return null;
          if (typeof v !== 'string') this.fail(a, `a CIDR block is a string, not the ${typeName(v)} ${JSON.stringify(v)}`);
          const network = parseNetwork(v);
          if (!network) this.fail(a, `'${v}' is not an IP address or CIDR block`);
          return network;
        });
        return this.values(e.args[0]!).map((v) => {
          if (v === null || networks.includes(null)) return null;
          const address = typeof v === 'string' ? parseAddress(v.trim()) : undefined;
          if (!address) return null; // an ip field cannot hold it (note 11)
          return networks.some((n) => inNetwork(address, n!));
        });
      }
      case 'startswith':
      case 'endswith':
      case 'stringcontains': {
        arity(2);
        const sourceFromEvent = this.dependsOnEvent(e.args[0]!);
        return this.product(e, (source, sub) => {
          const s = text(source);
          const t = text(sub);
          if (s === null || t === null) return null;
          if (name === 'stringcontains' && t === '' && sourceFromEvent) {
            this.fail(e, 'stringContains with an empty substring is ambiguous: the docs say false, the query Elasticsearch runs for a field matches every value');
          }
          const test = (a: string, b: string) => (name === 'startswith' ? a.startsWith(b) : name === 'endswith' ? a.endsWith(b) : b !== '' && a.includes(b));
          if (!e.caseInsensitive) return test(s, t);
          const ascii = test(asciiLower(s), asciiLower(t));
          if (ascii !== test(s.toLowerCase(), t.toLowerCase())) {
            this.fail(e, `${e.name}~ on ${JSON.stringify(s)} depends on non-ASCII case folding, which Elasticsearch applies differently in queries (ASCII) and scripts (Unicode)`);
          }
          return ascii;
        });
      }
      case 'length':
        noTilde();
        arity(1);
        return this.values(e.args[0]!).map((v) => (v === null ? null : (text(v) as string).length));
      case 'string':
        noTilde();
        arity(1);
        return this.values(e.args[0]!).map(text);
      case 'concat':
        noTilde();
        arity(1, Infinity);
        return this.product(e, (...vs) => (vs.some((v) => v === null) ? null : vs.map(text).join('')));
      case 'wildcard': {
        arity(2, Infinity);
        const patterns = e.args.slice(1).map((a) => {
          const v = this.values(a)[0] ?? null;
          if (this.dependsOnEvent(a) || typeof v !== 'string') this.fail(a, 'the patterns of wildcard must be string constants');
          return v;
        });
        return this.values(e.args[0]!).map((v) => (v === null ? null : patterns.some((p) => wildcardMatches(text(v) as string, p, e.caseInsensitive))));
      }
      default:
        this.fail(e, `the reference evaluator does not implement the EQL function '${e.name}'`);
    }
  }

  /** Applies f to every combination of the arguments' alternatives. */
  private product(e: EqlCall, f: (...args: Value[]) => Value): Value[] {
    let combos: Value[][] = [[]];
    for (const arg of e.args) {
      const alternatives = this.values(arg);
      combos = combos.flatMap((c) => alternatives.map((v) => [...c, v]));
      if (combos.length > 10_000) this.fail(e, 'too many combinations of multi-valued arguments');
    }
    return combos.map((c) => f(...c));
  }
}
