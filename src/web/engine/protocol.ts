// What the page and its worker say to each other: plain data only (structured clone), so the
// engine runs the same in the worker, in Node's tests and anywhere else.
import type { ConversionResult, Event, Verdict } from '../../index.js';

/** A text the user edits, with the file name the page gives it (the CLI reads the kind of a rule
 *  file from its name and content: `.kql`, `.md`, `.txt`, Sentinel YAML, Sigma YAML). */
export interface NamedText {
  /** Blank: the page names it (see defaultRuleName). */
  readonly name: string;
  readonly text: string;
}

/** One target asked for, as `-t name [-p name:pipeline] [-f name:format]`. */
export interface TargetChoice {
  readonly name: string;
  /** A built-in pipeline name or 'none'; null = no -p (the target's default). */
  readonly pipeline: string | null;
  readonly format: string;
}

export interface PageInput {
  readonly rule: NamedText;
  /** The exclusions editor: the file the rule names (`rulecast: {exclusions}`), or else what
   *  `-x` would give; blank text = no exclusions. */
  readonly exclusions: NamedText;
  readonly targets: readonly TargetChoice[];
  /** `rulecast analyze -t target [-p pipeline]`: the namespace the exclusions are analysed in. */
  readonly analysis: { readonly target: string; readonly pipeline: string | null };
  /** Events for `rulecast match` (JSON Lines…); blank text = no matching. */
  readonly events: NamedText;
}

/** Which editor a diagnostic points into. */
export type EditorName = 'rule' | 'exclusions' | 'events';

/** A diagnostic as the CLI's JSON gives it, plus what the page needs to point at it. */
export interface WebDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly path: string | null;
  readonly line: number | null;
  readonly column: number | null;
  /** 0-based offsets [from, to) in the editor's text, when it points into one. */
  readonly editor: EditorName | null;
  readonly from: number | null;
  readonly to: number | null;
  /** The code frame, as the CLI prints it on the terminal (without colours). */
  readonly formatted: string;
  /** The target an `unsupported` error is about. */
  readonly target?: string | undefined;
}

export interface QueryOutcome {
  /** The query text exactly as `convert --json` gives it, or null. */
  readonly query: string | null;
  readonly status: ConversionResult['status'];
  readonly error: WebDiagnostic | null;
}

export interface TargetQueries {
  readonly target: string;
  readonly format: string;
  /** What `convert` gives: tuned when there are exclusions. */
  readonly tuned: QueryOutcome;
  /** What `convert --no-exclusions` gives; null when nothing tunes the rule (the same query). */
  readonly untuned: QueryOutcome | null;
}

export interface DocumentQueries {
  /** 0-based index of the document (or of the query in a KQL document). */
  readonly index: number;
  readonly title: string | null;
  readonly id: string | null;
  readonly targets: readonly TargetQueries[];
}

/** How the page read the rule editor: a Sigma rule file, one of the KQL document formats, or an
 *  exclusions file (which the CLI skips). */
export type RuleKind = 'sigma' | 'kql' | 'markdown' | 'sentinel-yaml' | 'text' | 'exclusions';

/** What the exclusions editor stands for: the file the rule names, `-x`, or nothing (blank). */
export interface ExclusionsRole {
  readonly role: 'rule-file' | 'option' | 'none';
  /** The file name(s) the rule's documents give under `rulecast: {exclusions}`. */
  readonly named: readonly string[];
}

export interface ConversionView {
  readonly kind: RuleKind;
  /** The file names the texts were read under (the page chooses them for typed text). */
  readonly names: { readonly rule: string; readonly exclusions: string };
  readonly exclusions: ExclusionsRole;
  readonly documents: readonly DocumentQueries[];
  /** Every diagnostic of the conversion, once each, in the CLI's order. */
  readonly diagnostics: readonly WebDiagnostic[];
  /** Documents not output alone because a correlation of the file uses them. */
  readonly correlated: number;
}

export interface AnalysisRow {
  readonly name: string;
  readonly verdict: Verdict;
  readonly reason: string;
  readonly warnings: readonly WebDiagnostic[];
  readonly witnesses: { readonly removed?: Event | undefined; readonly kept?: Event | undefined };
  readonly rule: { readonly path: string; readonly title: string | null; readonly id: string | null; readonly index: number };
}

export interface AnalysisView {
  /** As `analyze` says it: which names the fields are compared in. */
  readonly fields: readonly string[];
  readonly exclusions: readonly AnalysisRow[];
  readonly errors: readonly WebDiagnostic[];
}

export interface MatchView {
  readonly events: number;
  /** `match --json`'s fields. */
  readonly matches: readonly number[];
  readonly rules: readonly { readonly title: string | null; readonly id: string | null; readonly matches: readonly number[]; readonly exclusions: readonly { readonly name: string; readonly removed: readonly number[] }[] }[];
  readonly correlations: readonly { readonly title: string | null; readonly id: string | null; readonly type: string; readonly alerts: readonly unknown[] }[];
  readonly errors: readonly WebDiagnostic[];
}

export interface RegistryView {
  readonly targets: readonly {
    readonly name: string;
    readonly description: string;
    readonly defaultPipeline: string;
    readonly pipelines: readonly { readonly name: string; readonly description: string }[];
    readonly formats: readonly string[];
  }[];
}

/** Page → worker. */
export interface WorkRequest {
  readonly seq: number;
  readonly input: PageInput;
}

/** Worker → page: the registry once, then per request the conversion first (what typing waits
 *  for) and the analysis and matching after it, unless a newer request came in between. */
export type WorkReply =
  | { readonly kind: 'registry'; readonly registry: RegistryView }
  | { readonly kind: 'conversion'; readonly seq: number; readonly view: ConversionView; readonly ms: number }
  | { readonly kind: 'analysis'; readonly seq: number; readonly analysis: AnalysisView | null; readonly match: MatchView | null; readonly ms: number }
  | { readonly kind: 'failure'; readonly seq: number; readonly message: string };
