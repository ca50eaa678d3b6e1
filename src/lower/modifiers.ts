// The value modifiers of the Sigma 2.1 specification as a typed registry. Each modifier declares
// the value types it accepts and transforms one value into one or more alternatives (ORed, even
// under `all`: pySigma's "expansion" semantics). List modifiers (`all`, `neq`) set flags on the
// detection item instead. Modifiers apply left to right; a wrong type or combination is an error
// that points at the modifier in the YAML key.
import { ONE, STAR, type Pattern, type PatternPart } from '../ir/types.js';
import { hasWildcards, parseSigmaString, pattern, patternLiteral } from '../ir/pattern.js';
import { parseCidr } from '../ir/ip.js';
import type { ModValue, ModValueType } from './values.js';
import { sigmaStringPattern, withStars } from './patterns.js';

export interface ItemFlags {
  all: boolean;
  negated: boolean;
}

export interface ModifierContext {
  /** Names of the modifiers applied before this one (for "must come first" rules). */
  readonly applied: readonly string[];
  readonly field: string | null;
  readonly flags: ItemFlags;
  /** Placeholder values for `|expand`, by name without percent signs. */
  readonly placeholders: Readonly<Record<string, readonly string[]>> | undefined;
  /** Raises a lowering error at the modifier (the message is completed with the modifier name). */
  fail(code: string, message: string, notes?: string[]): never;
}

export interface Modifier {
  readonly name: string;
  /** Value types accepted; numbers and booleans are read as their text where strings are wanted. */
  readonly accepts: readonly ModValueType[] | 'any';
  /** 'value' modifiers transform each value; 'list' modifiers set item flags. */
  readonly scope: 'value' | 'list';
  /** The alternatives the value becomes, in an array of their own (the caller may extend it). */
  apply(value: ModValue, ctx: ModifierContext): ModValue[];
  /** Modifiers that must not have been applied before this one (e.g. `re` only on raw values). */
  readonly mustBeFirst?: boolean;
}

function asString(v: ModValue): Extract<ModValue, { type: 'string' }> {
  if (v.type === 'string') return v;
  if (v.type === 'number' || v.type === 'bool') return { type: 'string', pattern: sigmaStringPattern(v.raw), cased: false, raw: v.raw, bytes: false };
  throw new Error(`internal: ${v.type} is not a string`);
}

function withParts(v: Extract<ModValue, { type: 'string' }>, parts: readonly PatternPart[]): ModValue {
  return { ...v, pattern: pattern(parts) };
}

/** Position modifiers on strings add `*`; on a regex they anchor (rulecast reads `|re` as a search,
 *  so `contains` changes nothing and `startswith`/`endswith` add `^`/`$`); on a field reference they
 *  say where the other field's value must sit. */
function position(kind: 'contains' | 'startswith' | 'endswith'): Modifier {
  return {
    name: kind,
    accepts: ['string', 'number', 'bool', 're', 'fieldref'],
    scope: 'value',
    apply(value, ctx) {
      if (value.type === 're') {
        const p = value.value.pattern;
        if (kind === 'contains') return [value];
        const grouped = `(?:${p})`;
        const anchored = kind === 'startswith' ? (p.startsWith('^') ? p : `^${grouped}`) : endsWithAnchor(p) ? p : `${grouped}$`;
        return [{ ...value, value: { ...value.value, pattern: anchored } }];
      }
      if (value.type === 'fieldref') {
        if (value.value.match !== 'eq') ctx.fail('invalid-modifier-combination', `a field reference can take only one of contains, startswith and endswith`);
        return [{ ...value, value: { ...value.value, match: kind } }];
      }
      const s = asString(value);
      const starred = withStars(s.pattern, kind !== 'startswith', kind !== 'endswith');
      return [{ type: 'string', pattern: starred, cased: s.cased, raw: s.raw, bytes: s.bytes }];
    },
  };
}

function endsWithAnchor(p: string): boolean {
  if (!p.endsWith('$')) return false;
  let backslashes = 0;
  for (let i = p.length - 2; i >= 0 && p[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

// ---- encodings -------------------------------------------------------------------------------

/** UTF-8 bytes of a text as a binary string (one char per byte). */
function utf8Bytes(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('');
}

function utf16Bytes(text: string, bigEndian: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const hi = String.fromCharCode(unit >> 8);
    const lo = String.fromCharCode(unit & 0xff);
    out += bigEndian ? hi + lo : lo + hi;
  }
  return out;
}

function utf16(name: string, bigEndian: boolean, bom: boolean): Modifier {
  return {
    name,
    accepts: ['string', 'number', 'bool'],
    scope: 'value',
    apply(value, ctx) {
      const s = asString(value);
      if (s.bytes) ctx.fail('invalid-modifier-combination', 'the value is already encoded by an earlier encoding modifier');
      const parts = s.pattern.parts.map((p) => (typeof p === 'string' ? utf16Bytes(p, bigEndian) : p));
      const prefix = bom ? [bigEndian ? '\xfe\xff' : '\xff\xfe'] : [];
      return [{ ...s, pattern: pattern([...prefix, ...parts]), bytes: true }];
    },
  };
}

function base64Input(ctx: ModifierContext, s: Extract<ModValue, { type: 'string' }>, name: string): string {
  const literal = patternLiteral(s.pattern);
  if (literal === undefined || hasWildcards(s.pattern)) {
    return ctx.fail('invalid-modifier-value', `${name} cannot encode a value with wildcards (they would be encoded as characters); escape them with \\ to encode them literally`);
  }
  return s.bytes ? literal : utf8Bytes(literal);
}

function base64(bytes: string): string {
  return btoa(bytes);
}

const base64Modifier: Modifier = {
  name: 'base64',
  accepts: ['string', 'number', 'bool'],
  scope: 'value',
  apply(value, ctx) {
    const s = asString(value);
    const encoded = base64(base64Input(ctx, s, 'base64'));
    return [{ type: 'string', pattern: pattern([encoded]), cased: true, raw: encoded, bytes: false }];
  },
};

/** The three encodings of a value at byte offsets 0, 1 and 2 of a base64 stream, trimmed to the
 *  characters that do not depend on the surrounding bytes (as the specification describes). */
const base64OffsetModifier: Modifier = {
  name: 'base64offset',
  accepts: ['string', 'number', 'bool'],
  scope: 'value',
  apply(value, ctx) {
    const s = asString(value);
    const data = base64Input(ctx, s, 'base64offset');
    const startOffsets = [0, 2, 3];
    const endOffsets = [0, -3, -2];
    const out: ModValue[] = [];
    for (let i = 0; i < 3; i++) {
      const encoded = base64(' '.repeat(i) + data);
      const end = endOffsets[(data.length + i) % 3]!;
      const text = encoded.slice(startOffsets[i], end === 0 ? undefined : end);
      out.push({ type: 'string', pattern: pattern([text]), cased: true, raw: text, bytes: false });
    }
    return out;
  },
};

// ---- windash ---------------------------------------------------------------------------------

export const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
const dashSet = new Set<string>(dashes);
const wordChar = /[\p{L}\p{N}_]/u;

/** Every dash-like character that starts an option (no word character before it, one after it)
 *  takes each of the five forms; several such positions give every combination. */
const windashModifier: Modifier = {
  name: 'windash',
  accepts: ['string', 'number', 'bool'],
  scope: 'value',
  apply(value, ctx) {
    const s = asString(value);
    // Flatten to characters with wildcards kept, so positions can be judged across parts.
    const chars: (string | typeof STAR | typeof ONE)[] = [];
    for (const p of s.pattern.parts) {
      if (typeof p === 'string') for (const ch of p) chars.push(ch);
      else chars.push(p);
    }
    const positions: number[] = [];
    chars.forEach((ch, i) => {
      if (typeof ch !== 'string' || !dashSet.has(ch)) return;
      const before = chars[i - 1];
      const after = chars[i + 1];
      const beforeIsWord = typeof before === 'string' && wordChar.test(before);
      const afterIsWord = typeof after === 'string' && wordChar.test(after);
      if (!beforeIsWord && afterIsWord) positions.push(i);
    });
    if (positions.length === 0) return [s];
    if (positions.length > 4) ctx.fail('invalid-modifier-value', `windash would expand this value into ${5 ** positions.length} variants (${positions.length} dash positions); split the value`);
    let variants: (string | typeof STAR | typeof ONE)[][] = [chars];
    for (const pos of positions) {
      variants = variants.flatMap((v) => dashes.map((d) => v.map((ch, i) => (i === pos ? d : ch))));
    }
    return variants.map((v) => withParts(s, v));
  },
};

// ---- expand (placeholders) ---------------------------------------------------------------------

const expandModifier: Modifier = {
  name: 'expand',
  accepts: ['string'],
  scope: 'value',
  apply(value, ctx) {
    const s = asString(value);
    const names: string[] = [];
    for (const p of s.pattern.parts) if (typeof p === 'string') for (const m of p.matchAll(/(?<!\\)%([A-Za-z0-9_.-]+)%/g)) names.push(m[1]!);
    if (names.length === 0) return [s];
    const missing = names.filter((n) => !ctx.placeholders || !(n in ctx.placeholders));
    if (missing.length > 0) {
      ctx.fail('unresolved-placeholder', `placeholder %${missing[0]}% has no values: give them with the 'placeholders' option of the library or '--placeholders <file.yml>' on the command line`, [
        'Sigma requires a tool that cannot resolve a placeholder to reject the rule, so rulecast never guesses a value',
      ]);
    }
    // Substitute each placeholder by each of its values (Sigma strings: wildcards allowed).
    let variants: PatternPart[][] = [[...s.pattern.parts]];
    for (const name of [...new Set(names)]) {
      const values = ctx.placeholders![name]!;
      if (values.length === 0) ctx.fail('unresolved-placeholder', `placeholder %${name}% has an empty value list`);
      const next: PatternPart[][] = [];
      for (const variant of variants) {
        for (const v of values) {
          const replacement = parseSigmaString(v).parts;
          next.push(variant.flatMap((p) => (typeof p === 'string' ? splitPlaceholder(p, name, replacement) : [p])));
        }
      }
      variants = next;
      if (variants.length > 10_000) ctx.fail('invalid-modifier-value', 'placeholder expansion gives more than 10,000 variants');
    }
    return variants.map((parts) => withParts(s, parts));
  },
};

function splitPlaceholder(text: string, name: string, replacement: readonly PatternPart[]): PatternPart[] {
  const token = `%${name}%`;
  const out: PatternPart[] = [];
  let rest = text;
  for (let i = rest.indexOf(token); i !== -1; i = rest.indexOf(token)) {
    if (i > 0 && rest[i - 1] === '\\') {
      out.push(rest.slice(0, i - 1) + token);
      rest = rest.slice(i + token.length);
      continue;
    }
    out.push(rest.slice(0, i), ...replacement);
    rest = rest.slice(i + token.length);
  }
  out.push(rest);
  return out;
}

// ---- the rest ----------------------------------------------------------------------------------

const reModifier: Modifier = {
  name: 're',
  accepts: ['string', 'number', 'bool'],
  scope: 'value',
  mustBeFirst: true,
  apply(value) {
    const raw = value.type === 'string' ? value.raw : asString(value).raw;
    return [{ type: 're', value: { pattern: raw, flags: { m: false, s: false } }, cased: true }];
  },
};

function reFlag(name: string, flag: 'i' | 'm' | 's'): Modifier {
  return {
    name,
    accepts: ['re'],
    scope: 'value',
    apply(value) {
      if (value.type !== 're') return [value];
      if (flag === 'i') return [{ ...value, cased: false }];
      return [{ ...value, value: { ...value.value, flags: { ...value.value.flags, [flag]: true } } }];
    },
  };
}

const casedModifier: Modifier = {
  name: 'cased',
  accepts: ['string', 'number', 'bool', 'fieldref'],
  scope: 'value',
  apply(value) {
    if (value.type === 'fieldref') return [{ ...value, cased: true }];
    return [{ ...asString(value), cased: true }];
  },
};

const cidrModifier: Modifier = {
  name: 'cidr',
  accepts: ['string'],
  scope: 'value',
  mustBeFirst: true,
  apply(value, ctx) {
    const text = asString(value).raw.trim();
    const parsed = parseCidr(text);
    if (!parsed) return ctx.fail('invalid-cidr', `'${text}' is not an IPv4 or IPv6 CIDR network (e.g. 10.0.0.0/8, fe80::/10)`);
    return [{ type: 'cidr', value: { network: text, family: parsed.family } }];
  },
};

const existsModifier: Modifier = {
  name: 'exists',
  accepts: ['bool'],
  scope: 'value',
  mustBeFirst: true,
  apply(value, ctx) {
    if (ctx.field === null) ctx.fail('invalid-modifier-combination', 'exists needs a field: it checks that a field is present');
    return [{ type: 'exists', value: value.type === 'bool' && value.value }];
  },
};

function compare(name: 'lt' | 'lte' | 'gt' | 'gte'): Modifier {
  return {
    name,
    accepts: ['number', 'string'],
    scope: 'value',
    apply(value, ctx) {
      const n = numeric(value);
      if (n === undefined) return ctx.fail('invalid-modifier-value', `${name} compares numbers, and this value is not one`);
      return [{ type: 'compare', op: name, value: n }];
    },
  };
}

function numeric(value: ModValue): number | undefined {
  if (value.type === 'number') return value.value;
  if (value.type === 'string') {
    const text = patternLiteral(value.pattern);
    if (text !== undefined && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return Number(text);
  }
  return undefined;
}

function timePart(name: 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year', min: number, max: number): Modifier {
  return {
    name,
    accepts: ['number', 'string'],
    scope: 'value',
    apply(value, ctx) {
      const n = numeric(value);
      if (n === undefined || !Number.isInteger(n)) return ctx.fail('invalid-modifier-value', `${name} compares a whole number with the ${name} of a timestamp`);
      if (n < min || n > max) ctx.fail('invalid-modifier-value', `${name} must be between ${min} and ${max}, not ${n}`);
      return [{ type: 'timepart', part: name, value: n }];
    },
  };
}

const fieldrefModifier: Modifier = {
  name: 'fieldref',
  accepts: ['string'],
  scope: 'value',
  apply(value, ctx) {
    const s = asString(value);
    const name = patternLiteral(s.pattern);
    if (name === undefined) return ctx.fail('invalid-modifier-value', 'a field reference names a field and cannot contain wildcards');
    if (name === '') ctx.fail('invalid-modifier-value', 'a field reference needs a field name');
    return [{ type: 'fieldref', value: { field: name, match: 'eq' }, cased: false }];
  },
};

const allModifier: Modifier = {
  name: 'all',
  accepts: 'any',
  scope: 'list',
  apply(value, ctx) {
    ctx.flags.all = true;
    return [value];
  },
};

const neqModifier: Modifier = {
  name: 'neq',
  accepts: 'any',
  scope: 'list',
  apply(value, ctx) {
    ctx.flags.negated = true;
    return [value];
  },
};

const list: Modifier[] = [
  position('contains'),
  position('startswith'),
  position('endswith'),
  allModifier,
  neqModifier,
  casedModifier,
  existsModifier,
  reModifier,
  reFlag('i', 'i'),
  reFlag('ignorecase', 'i'),
  reFlag('m', 'm'),
  reFlag('multiline', 'm'),
  reFlag('s', 's'),
  reFlag('dotall', 's'),
  base64Modifier,
  base64OffsetModifier,
  utf16('wide', false, false),
  utf16('utf16le', false, false),
  utf16('utf16be', true, false),
  utf16('utf16', false, true),
  windashModifier,
  cidrModifier,
  compare('lt'),
  compare('lte'),
  compare('gt'),
  compare('gte'),
  timePart('minute', 0, 59),
  timePart('hour', 0, 23),
  timePart('day', 1, 31),
  timePart('week', 1, 53),
  timePart('month', 1, 12),
  timePart('year', 0, 9999),
  fieldrefModifier,
  expandModifier,
];

/** Modifier name → definition. Names are case-sensitive, as in the specification. */
export const modifiers: ReadonlyMap<string, Modifier> = new Map(list.map((m) => [m.name, m]));

/** Aliases that are the same modifier (applying both is "applied twice"). */
export const modifierIdentity: Readonly<Record<string, string>> = {
  ignorecase: 'i',
  multiline: 'm',
  dotall: 's',
  utf16le: 'wide',
};

export type { Pattern };
