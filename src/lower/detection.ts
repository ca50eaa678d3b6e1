// Search identifiers (the selections of a detection section) → IR.
//   mapping        → AND of its fields
//   list of maps   → OR of the maps
//   list of values → keywords, ORed (a value searched in every field)
//   field: [a, b]  → OR of the values (AND with |all)
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span, type SourceFile, type Span } from '../diagnostics/source.js';
import { and, not, or, pred, stringPred } from '../ir/build.js';
import { pattern } from '../ir/pattern.js';
import { STAR, type Expr } from '../ir/types.js';
import { describeNode, type YNode, type YScalar } from '../parse/yaml.js';
import { nearest } from '../rule/load.js';
import type { SearchIdentifier } from '../rule/types.js';
import { modifierIdentity, modifiers, type ItemFlags, type ModifierContext } from './modifiers.js';
import { valueTypeNames, type ModValue } from './values.js';
import { sigmaStringPattern, withStars } from './patterns.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';

export interface DetectionContext {
  readonly source: SourceFile;
  readonly placeholders: Readonly<Record<string, readonly string[]>> | undefined;
  readonly diagnostics: Diagnostic[];
}

export function lowerIdentifier(ctx: DetectionContext, id: SearchIdentifier): Expr {
  return lowerDefinition(ctx, id.value, id.name);
}

function nodeSpan(ctx: DetectionContext, node: YNode): Span {
  return span(ctx.source, node.start, node.end);
}

/** A selection given as YAML (a mapping, a list of mappings or keywords), e.g. a pipeline's added
 *  conditions. */
export function lowerDefinition(ctx: DetectionContext, node: YNode, name: string): Expr {
  if (node.kind === 'map') return lowerMap(ctx, node.entries, name);
  if (node.kind === 'seq') {
    if (node.items.length === 0) {
      throw new RulecastError('empty-selection', `selection '${name}' is an empty list: it could never match`, nodeSpan(ctx, node));
    }
    const allScalars = node.items.every((i) => i.kind === 'scalar');
    if (allScalars) return lowerItem(ctx, null, [], node, undefined);
    return or(
      ...node.items.map((item) => {
        if (item.kind === 'map') return lowerMap(ctx, item.entries, name);
        if (item.kind === 'scalar') return lowerItem(ctx, null, [], item, undefined);
        throw new RulecastError('invalid-selection', `selection '${name}' mixes lists into a list; use a list of mappings or a list of values`, nodeSpan(ctx, item));
      }),
    );
  }
  if (node.value === null) {
    throw new RulecastError('invalid-selection', `selection '${name}' is empty; give it field: value pairs or a list of keywords`, nodeSpan(ctx, node));
  }
  // A single scalar is a single keyword.
  return lowerItem(ctx, null, [], node, undefined);
}

function lowerMap(ctx: DetectionContext, entries: readonly { key: YNode; value: YNode }[], name: string): Expr {
  if (entries.length === 0) throw new RulecastError('invalid-selection', `selection '${name}' is an empty mapping: give it at least one field`, undefined);
  const items: Expr[] = [];
  for (const { key, value } of entries) {
    if (key.kind !== 'scalar') throw new RulecastError('invalid-selection', 'a field name must be a plain string', nodeSpan(ctx, key));
    const text = key.text;
    const bar = text.indexOf('|');
    // Most keys are a bare field name: no modifiers to split off.
    if (bar === -1) items.push(lowerItem(ctx, text === '' ? null : text, noModifiers, value, key));
    else items.push(lowerItem(ctx, bar === 0 ? null : text.slice(0, bar), modifierRefs(key), value, key));
  }
  return and(...items);
}

interface ModifierRef {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const noModifiers: readonly ModifierRef[] = [];

/** The modifiers of `Image|endswith|all` (endswith, all) with their offsets in the file. The field
 *  is the text before the first `|`; an empty one (`'|all'` or `''`) means keywords. */
function modifierRefs(key: YScalar): ModifierRef[] {
  const pieces = key.text.split('|');
  const raw = keyIsRaw(key);
  let offset = pieces[0]!.length + 1;
  const mods: ModifierRef[] = [];
  for (let i = 1; i < pieces.length; i++) {
    const name = pieces[i]!;
    const start = raw ? key.start + offset : key.start;
    mods.push({ name, start, end: raw ? start + name.length : key.end });
    offset += name.length + 1;
  }
  return mods;
}

/** The field name of a key (`Image` of `Image|endswith`), or the whole key when it is quoted. */
function fieldNameSpan(ctx: DetectionContext, key: YScalar, field: string): Span {
  return keyIsRaw(key) ? span(ctx.source, key.start, key.start + field.length) : nodeSpan(ctx, key);
}

function keyIsRaw(key: YScalar): boolean {
  return key.style === 'plain' && key.end - key.start === key.text.length;
}

function scalarValue(node: YScalar): ModValue {
  const v = node.value;
  if (v === null) return { type: 'null' };
  if (typeof v === 'number') return { type: 'number', value: v, raw: node.text };
  if (typeof v === 'boolean') return { type: 'bool', value: v, raw: node.text };
  if (v instanceof Date) return { type: 'string', pattern: sigmaStringPattern(node.text), cased: false, raw: node.text, bytes: false };
  return { type: 'string', pattern: sigmaStringPattern(v), cased: false, raw: v, bytes: false };
}

/** Where a modifier is written in its key (only needed for messages, so made on demand). */
function modifierSpan(ctx: DetectionContext, mod: ModifierRef): Span {
  return span(ctx.source, mod.start, mod.end);
}

/** Whether a modifier, under any of its names, is among those applied. */
function isApplied(applied: readonly string[], identity: string): boolean {
  for (const a of applied) if ((modifierIdentity[a] ?? a) === identity) return true;
  return false;
}

/** Modifiers that say where a keyword sits in a value; without one, a keyword may sit anywhere. */
const keywordPlacingModifiers: ReadonlySet<string> = new Set(['contains', 'startswith', 'endswith', 're', 'cidr']);

/** One detection item: a field (or keywords), its modifiers, and a value or list of values. */
function lowerItem(ctx: DetectionContext, field: string | null, mods: readonly ModifierRef[], valueNode: YNode, keyNode: YScalar | undefined): Expr {
  const keyText = keyNode ? keyNode.text : '(keywords)';
  let valueNodes: readonly YNode[];
  if (valueNode.kind === 'seq') {
    if (valueNode.items.length === 0) {
      if (mods.length > 0 || field === null) throw new RulecastError('empty-value-list', `'${keyText}' has an empty list of values`, nodeSpan(ctx, valueNode));
      // pySigma reads `Field: []` as null; so do we.
      return pred({ op: 'null', field, span: nodeSpan(ctx, valueNode) });
    }
    valueNodes = valueNode.items;
  } else if (valueNode.kind === 'map') {
    throw new RulecastError('invalid-value', `the value of '${keyText}' is a mapping; Sigma values are strings, numbers, booleans, null or lists of them`, nodeSpan(ctx, valueNode));
  } else {
    valueNodes = [valueNode];
  }

  const flags: ItemFlags = { all: false, negated: false };
  const alternatives: { node: YScalar; values: ModValue[] }[] = [];
  for (const vn of valueNodes) {
    if (vn.kind !== 'scalar') throw new RulecastError('invalid-value', `a value of '${keyText}' is ${describeNode(vn)}; lists of values cannot nest`, nodeSpan(ctx, vn));
    if (vn.value === null && valueNodes.length > 1) {
      throw new RulecastError('null-in-list', 'null cannot be part of a list of values (Sigma 2.1); write a separate selection for the null case', nodeSpan(ctx, vn));
    }
    alternatives.push({ node: vn, values: [scalarValue(vn)] });
  }

  // Apply modifiers left to right. One context serves every value: `fail` reports at the modifier
  // and value being applied when it is called.
  const applied: string[] = [];
  let currentMod: ModifierRef | undefined;
  let currentNode: YScalar | undefined;
  const modCtx: ModifierContext | undefined =
    mods.length === 0
      ? undefined
      : {
          applied,
          field,
          flags,
          placeholders: ctx.placeholders,
          fail(code, message, notes = []) {
            if (code === 'invalid-modifier-combination') throw new RulecastError(code, message, modifierSpan(ctx, currentMod!), notes);
            throw new RulecastError(code, message, nodeSpan(ctx, currentNode!), [`raised by modifier '${currentMod!.name}' of '${keyText}'`, ...notes]);
          },
        };
  for (const mod of mods) {
    currentMod = mod;
    const def = modifiers.get(mod.name);
    if (!def) {
      const suggestion = nearest(mod.name, [...modifiers.keys()]);
      throw new RulecastError('unknown-modifier', `unknown modifier '${mod.name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, modifierSpan(ctx, mod), [
        `modifiers of Sigma 2.1: ${[...modifiers.keys()].filter((m) => !(m in modifierIdentity)).join(', ')}`,
      ]);
    }
    const identity = modifierIdentity[mod.name] ?? mod.name;
    if (isApplied(applied, identity)) {
      throw new RulecastError('invalid-modifier-combination', `modifier '${mod.name}' is applied more than once`, modifierSpan(ctx, mod));
    }
    if (def.mustBeFirst && applied.some((a) => modifiers.get(a)?.scope === 'value')) {
      throw new RulecastError('invalid-modifier-combination', `modifier '${mod.name}' only applies to the value as written, so it must come before '${applied.find((a) => modifiers.get(a)?.scope === 'value')}'`, modifierSpan(ctx, mod));
    }
    for (const alt of alternatives) {
      // Problems with a combination point at the modifier; problems with a value, at the value.
      currentNode = alt.node;
      let next: ModValue[] | undefined;
      for (const value of alt.values) {
        if (def.accepts !== 'any' && !def.accepts.includes(value.type)) {
          throw new RulecastError('modifier-type', `modifier '${mod.name}' cannot apply to ${valueTypeNames[value.type]}${describeAccepts(def.accepts)}`, modifierSpan(ctx, mod), [`the value is at ${describeAt(ctx, alt.node)}`]);
        }
        const results = def.apply(value, modCtx!);
        // Each call returns a fresh array: the first can be kept and extended.
        if (!next) next = results;
        else for (const r of results) next.push(r);
      }
      alt.values = next ?? [];
    }
    applied.push(mod.name);
  }

  if (flags.all && valueNodes.length === 1 && valueNode.kind !== 'seq') {
    ctx.diagnostics.push(warning('all-single-value', `'|all' on a single value changes nothing; the specification does not allow it`, keyNode ? nodeSpan(ctx, keyNode) : undefined));
  }

  const keywordDefault = field === null && !applied.some((a) => keywordPlacingModifiers.has(a));
  const fieldSpan = field !== null && keyNode ? fieldNameSpan(ctx, keyNode, field) : undefined;
  const exprs: Expr[] = [];
  for (const alt of alternatives) {
    // Most values stay one value, and or() of one expression is that expression.
    if (alt.values.length === 1) {
      exprs.push(toPred(ctx, field, alt.values[0]!, alt.node, keywordDefault, keyNode, fieldSpan));
      continue;
    }
    const preds: Expr[] = [];
    for (const v of alt.values) preds.push(toPred(ctx, field, v, alt.node, keywordDefault, keyNode, fieldSpan));
    exprs.push(or(...preds));
  }
  const combined = flags.all ? and(...exprs) : or(...exprs);
  return flags.negated ? not(combined) : combined;
}

function describeAccepts(accepts: readonly string[]): string {
  const names = accepts.filter((a) => a !== 'number' && a !== 'bool').map((a) => valueTypeNames[a as keyof typeof valueTypeNames]);
  return names.length ? `; it takes ${names.join(' or ')}` : '';
}

function describeAt(ctx: DetectionContext, node: YNode): string {
  const p = ctx.source.position(node.start);
  return `${ctx.source.path}:${p.line}:${p.column}`;
}

function needField(field: string | null, what: string, where: Span): void {
  if (field === null) throw new RulecastError('keyword-needs-field', `${what} needs a field; a keyword searches values, it cannot test ${what}`, where);
}

function toPred(ctx: DetectionContext, field: string | null, v: ModValue, node: YScalar, keywordDefault: boolean, keyNode: YScalar | undefined, fieldSpan: Span | undefined): Expr {
  const where = nodeSpan(ctx, node);
  switch (v.type) {
    case 'string': {
      const p = keywordDefault ? withStars(v.pattern, true, true) : v.pattern;
      return stringPred(field, p, v.cased, where, fieldSpan);
    }
    case 'number':
      if (field === null) return stringPred(null, pattern(keywordDefault ? [STAR, v.raw, STAR] : [v.raw]), false, where);
      return pred({ op: 'eq', field, value: v.value, span: where, fieldSpan });
    case 'bool':
      if (field === null) return stringPred(null, pattern(keywordDefault ? [STAR, v.raw, STAR] : [v.raw]), false, where);
      return pred({ op: 'eq', field, value: v.value, span: where, fieldSpan });
    case 'null':
      needField(field, 'null', where);
      return pred({ op: 'null', field, span: where, fieldSpan });
    case 're':
      return pred({ op: 're', field, value: v.value, cased: v.cased, span: where, fieldSpan });
    case 'cidr':
      return pred({ op: 'cidr', field, value: v.value, span: where, fieldSpan });
    case 'compare':
      return pred({ op: v.op, field, value: v.value, span: where, fieldSpan });
    case 'exists': {
      needField(field, 'exists', where);
      const exists = pred({ op: 'exists', field, span: keyNode ? nodeSpan(ctx, keyNode) : where, fieldSpan });
      return v.value ? exists : not(exists);
    }
    case 'fieldref':
      needField(field, 'a field reference', where);
      return pred({ op: 'fieldref', field, value: v.value, cased: v.cased, span: where, fieldSpan });
    case 'timepart':
      if (field === null) needField(field, `the ${v.part} of a timestamp`, where);
      return pred({ op: 'eq', field, value: v.value, timePart: v.part, span: where, fieldSpan });
  }
}

