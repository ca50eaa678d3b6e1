import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import type { CorrelationOperator, CorrelationType } from '../ir/correlation.js';
import type { Duration } from '../ir/query.js';
import type { YMap, YNode, YScalar } from '../parse/yaml.js';

export const statuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const levels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const relationTypes = ['derived', 'obsolete', 'merged', 'renamed', 'similar'] as const;

export type Status = (typeof statuses)[number];
export type Level = (typeof levels)[number];

export interface Logsource {
  readonly category?: string | undefined;
  readonly product?: string | undefined;
  readonly service?: string | undefined;
  readonly definition?: string | undefined;
  /** Any other logsource key (the spec allows custom ones). */
  readonly custom: Readonly<Record<string, string>>;
}

/** A search identifier of the detection section: its name (with position) and its YAML value. */
export interface SearchIdentifier {
  readonly name: string;
  readonly key: YScalar;
  readonly value: YNode;
}

export interface ConditionText {
  readonly text: string;
  readonly node: YScalar;
}

export interface Detection {
  readonly node: YMap;
  /** In file order. */
  readonly identifiers: ReadonlyMap<string, SearchIdentifier>;
  /** One or more conditions; several are ORed (the spec's condition list). */
  readonly conditions: readonly ConditionText[];
}

/** Rule metadata, checked against the Sigma specification. */
export interface RuleMeta {
  readonly title: string;
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly status?: Status | undefined;
  readonly level?: Level | undefined;
  readonly description?: string | undefined;
  readonly author?: string | undefined;
  readonly license?: string | undefined;
  readonly date?: string | undefined;
  readonly modified?: string | undefined;
  readonly references: readonly string[];
  readonly tags: readonly string[];
  readonly falsepositives: readonly string[];
  readonly fields: readonly string[];
  readonly related: readonly { readonly id: string; readonly type: string }[];
}

interface DocumentBase {
  readonly source: SourceFile;
  /** 0-based index of the YAML document in its file. */
  readonly index: number;
  readonly node: YMap;
  readonly meta: RuleMeta;
  readonly logsource: Logsource;
  /** Keys outside the specification, as plain values (e.g. `regression_tests_path`, `rulecast`). */
  readonly custom: Readonly<Record<string, unknown>>;
  /** Top-level key → its YAML nodes, for messages that point at a key. */
  readonly keys: ReadonlyMap<string, { readonly key: YScalar; readonly value: YNode }>;
}

export interface SigmaRule extends DocumentBase {
  readonly kind: 'rule';
  readonly detection: Detection;
}

/** A Sigma meta filter (specification "Sigma Filters"): conditions applied to referenced rules. */
export interface SigmaFilter extends DocumentBase {
  readonly kind: 'filter';
  /** Rule ids or names, or 'any' (pySigma's extension). */
  readonly rules: readonly string[] | 'any';
  readonly detection: Detection;
}

/** A string of a correlation with the YAML node it was read from (every key keeps its place, for
 *  errors found later, e.g. an unknown rule reference). */
export interface LocatedString {
  readonly value: string;
  readonly node: YNode;
}

/** One comparison of a correlation condition; several are ANDed (a range). */
export interface CorrelationComparison {
  readonly op: CorrelationOperator;
  readonly value: number;
  readonly node: YNode;
}

export interface CorrelationCondition {
  /** Empty for a temporal correlation without a condition (all its rules must occur). */
  readonly comparisons: readonly CorrelationComparison[];
  /** `condition.field`: the field value_* types aggregate. */
  readonly field?: LocatedString | undefined;
  /** `condition.percentile` of value_percentile (0–100), as pySigma reads it. */
  readonly percentile?: { readonly value: number; readonly node: YNode } | undefined;
  /** The `condition` mapping, absent when the rule has none. */
  readonly node?: YNode | undefined;
}

/** `aliases.<name>`: one group-by name for differently named fields of several rules. */
export interface CorrelationAlias {
  readonly name: string;
  readonly key: YScalar;
  /** Rule reference (as written) → that rule's field. */
  readonly fields: readonly { readonly rule: LocatedString; readonly field: LocatedString }[];
}

/** A correlation rule (specification "Sigma Correlation Rules"): loaded and validated on its own;
 *  its rule references are resolved across the documents of a run by src/correlation/. */
export interface SigmaCorrelation extends DocumentBase {
  readonly kind: 'correlation';
  readonly correlationType: CorrelationType;
  /** The referenced rules' ids or names, in order. */
  readonly rules: readonly string[];
  readonly ruleRefs: readonly LocatedString[];
  /** Empty when the rule has no `group-by` (then all events form one group). */
  readonly groupBy: readonly LocatedString[];
  readonly timespan: { readonly duration: Duration; readonly node: YNode };
  readonly condition: CorrelationCondition;
  readonly aliases: readonly CorrelationAlias[];
  /** Whether the referenced rules are also output on their own (default false). */
  readonly generate: boolean;
  /** The `correlation` key, where messages about the whole correlation point. */
  readonly key: YScalar;
}

export type SigmaDocument = SigmaRule | SigmaFilter | SigmaCorrelation;

/** One YAML document of a file, loaded or not; errors never escape as exceptions. */
export interface LoadedDocument {
  readonly source: SourceFile;
  readonly index: number;
  /** Title, id and name when they could be read, even if the rule is invalid. */
  readonly title: string | null;
  readonly id: string | null;
  readonly name?: string | null | undefined;
  /** For a document with a `correlation` key, the rules it references and its `generate`, read
   *  even when the correlation is invalid: those rules are still not output on their own. */
  readonly correlates?: CorrelationUse | undefined;
  /** Present when the document has no errors. */
  readonly document?: SigmaDocument | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly span?: Span | undefined;
}

/** What a correlation document says about the rules it uses, valid or not. */
export interface CorrelationUse {
  readonly rules: readonly string[];
  readonly generate: boolean;
}
