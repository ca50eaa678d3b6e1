// The neutral intermediate representation: a small frozen tree that every front end (Sigma rules,
// the exclusion language, imported KQL) produces and every backend consumes.
//
// Negation and case are orthogonal to the operator: `not` is a node, `cased` a flag, so a backend
// table needs one entry per operator, not one per (operator × negated × cased).
import type { Span } from '../diagnostics/source.js';

/** A wildcard inside a string pattern: `*` any run of characters (possibly empty), `?` exactly one. */
export interface Wildcard {
  readonly wildcard: '*' | '?';
}

export const STAR: Wildcard = Object.freeze({ wildcard: '*' });
export const ONE: Wildcard = Object.freeze({ wildcard: '?' });

/** A string with structured wildcards: literal text stays literal until a backend escapes it. */
export type PatternPart = string | Wildcard;

export interface Pattern {
  readonly parts: readonly PatternPart[];
}

export interface RegexValue {
  /** The regular expression as written in the rule (Sigma's PCRE subset), unchanged. */
  readonly pattern: string;
  /** Sigma's `|re|m` (multi-line) and `|re|s` (dot matches newline). Case is the predicate's
   *  `cased` flag: `|re` is case-sensitive, `|re|i` is not. */
  readonly flags: { readonly m: boolean; readonly s: boolean };
}

export interface CidrValue {
  /** The network as written, e.g. `10.0.0.0/8` or `fe80::/10`. */
  readonly network: string;
  readonly family: 4 | 6;
}

export interface FieldRefValue {
  /** The other field whose value this field is compared with. */
  readonly field: string;
  /** Sigma allows `fieldref` with contains/startswith/endswith: where the other value must sit. */
  readonly match: 'eq' | 'contains' | 'startswith' | 'endswith';
}

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';
export type StringOp = 'contains' | 'startswith' | 'endswith';

interface PredBase {
  readonly kind: 'pred';
  /** The event field, or null for a keyword (a value searched in every field). */
  readonly field: string | null;
  /** Case-sensitive string comparison (Sigma `|cased`, KQL `==`); false = case-insensitive. */
  readonly cased: boolean;
  /** Where the predicate came from (its value), for errors raised by later stages. Not part of
   *  equality. */
  readonly span?: Span | undefined;
  /** Where its field name is written, for errors about the field (a mapping, a column). */
  readonly fieldSpan?: Span | undefined;
}

/** Exact equality: case-insensitive for strings unless `cased`; a number or boolean matches its
 *  own value or its textual form in the event. */
export interface EqPred extends PredBase {
  readonly op: 'eq';
  readonly value: string | number | boolean;
  /** With Sigma's time modifiers (`|hour: 5`) the field's timestamp part is compared. */
  readonly timePart?: TimePart | undefined;
}

/** Substring / prefix / suffix match of a literal string. */
export interface StringPred extends PredBase {
  readonly op: StringOp;
  readonly value: string;
}

/** A whole-value match of a pattern with wildcards that is not a plain prefix/suffix/substring
 *  (e.g. `a*b`, `prog?.exe`). Always anchored at both ends. */
export interface WildcardPred extends PredBase {
  readonly op: 'wildcard';
  readonly value: Pattern;
}

/** KQL `has`: the value occurs as whole terms (runs of ASCII letters and digits) of the field.
 *  Not produced from Sigma; kept distinct so an imported query is never widened to `contains`. */
export interface HasPred extends PredBase {
  readonly op: 'has';
  readonly value: string;
}

/** Regular expression search (unanchored unless the pattern anchors itself). */
export interface RegexPred extends PredBase {
  readonly op: 're';
  readonly value: RegexValue;
}

export interface CidrPred extends PredBase {
  readonly op: 'cidr';
  readonly value: CidrValue;
}

export interface ComparePred extends PredBase {
  readonly op: CompareOp;
  readonly value: number;
}

/** The field is present in the event (whatever its value, even empty or null). */
export interface ExistsPred extends PredBase {
  readonly op: 'exists';
}

/** Sigma `null`: the field is absent or null. Not the same as the empty string `''`. */
export interface NullPred extends PredBase {
  readonly op: 'null';
}

/** Compares the field with another field of the same event. */
export interface FieldRefPred extends PredBase {
  readonly op: 'fieldref';
  readonly value: FieldRefValue;
}

export type Pred =
  | EqPred
  | StringPred
  | WildcardPred
  | HasPred
  | RegexPred
  | CidrPred
  | ComparePred
  | ExistsPred
  | NullPred
  | FieldRefPred;

export type PredOp = Pred['op'];

export interface And {
  readonly kind: 'and';
  readonly args: readonly Expr[];
}

export interface Or {
  readonly kind: 'or';
  readonly args: readonly Expr[];
}

export interface Not {
  readonly kind: 'not';
  readonly arg: Expr;
}

export interface Const {
  readonly kind: 'const';
  readonly value: boolean;
}

export type Expr = And | Or | Not | Pred | Const;
export type ExprKind = Expr['kind'];

/** One handler per node kind; a kind added to Expr without a handler is a type error. */
export type ExprVisitor<R> = {
  readonly [K in ExprKind]: (node: Extract<Expr, { kind: K }>) => R;
};

type PredFor<P, K> = P extends { op: infer O } ? (K extends O ? P : never) : never;
/** The predicate type that carries operator K. */
export type PredOfOp<K extends PredOp> = PredFor<Pred, K>;

/** One handler per predicate operator; a new operator without a handler is a type error. */
export type PredVisitor<R> = {
  readonly [K in PredOp]: (pred: PredOfOp<K>) => R;
};

export function visit<R>(expr: Expr, visitor: ExprVisitor<R>): R {
  return (visitor[expr.kind] as (node: Expr) => R)(expr);
}

export function visitPred<R>(pred: Pred, visitor: PredVisitor<R>): R {
  return (visitor[pred.op] as (node: Pred) => R)(pred);
}
