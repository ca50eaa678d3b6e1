// Values of a detection item while its modifiers are applied, before they become predicates.
import type { Pattern, RegexValue, CidrValue, FieldRefValue, TimePart, CompareOp } from '../ir/types.js';

export type ModValue =
  /** A Sigma string. `bytes` marks a value already encoded (utf16…): its characters are bytes. */
  | { readonly type: 'string'; readonly pattern: Pattern; readonly cased: boolean; readonly raw: string; readonly bytes: boolean }
  | { readonly type: 'number'; readonly value: number; readonly raw: string }
  | { readonly type: 'bool'; readonly value: boolean; readonly raw: string }
  | { readonly type: 'null' }
  | { readonly type: 're'; readonly value: RegexValue; readonly cased: boolean }
  | { readonly type: 'cidr'; readonly value: CidrValue }
  | { readonly type: 'compare'; readonly op: CompareOp; readonly value: number }
  | { readonly type: 'exists'; readonly value: boolean }
  | { readonly type: 'fieldref'; readonly value: FieldRefValue; readonly cased: boolean }
  | { readonly type: 'timepart'; readonly part: TimePart; readonly value: number };

export type ModValueType = ModValue['type'];

/** Human names for messages. */
export const valueTypeNames: Record<ModValueType, string> = {
  string: 'a string',
  number: 'a number',
  bool: 'a boolean',
  null: 'null',
  re: 'a regular expression',
  cidr: 'a CIDR network',
  compare: 'a numeric comparison',
  exists: 'an existence check',
  fieldref: 'a field reference',
  timepart: 'a time part',
};
