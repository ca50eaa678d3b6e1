// Value transformations of paths: a column holding only the file name of a path (`basename`),
// and a field holding the whole path where the rule names its last part (`name-in-path`).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { or, pred, stringPred } from '../../ir/build.js';
import { literalRegex, regexChar } from '../../ir/case.js';
import { pattern } from '../../ir/pattern.js';
import { ONE, STAR, type Pred } from '../../ir/types.js';
import type { TransformContext } from '../types.js';
import { cannot, isPresenceOnly, type TransformFactory } from './context.js';

const separators = /[\\/]/;

/**
 * `basename`: the target column holds only the file name of a path the rule matches as a whole.
 * Exact cases: `endswith '\cmd.exe'` → the name equals `cmd.exe`; `endswith 'cmd.exe'` (no
 * separator) → the name ends with it; `*\cmd?.exe` → the name matches `cmd?.exe`. A condition on
 * the folder part cannot be checked on a file name and is refused.
 */
export const basename: TransformFactory = () => (p, context) => {
  if (isPresenceOnly(p)) return p;
  if (p.op === 'endswith') {
    const i = Math.max(p.value.lastIndexOf('\\'), p.value.lastIndexOf('/'));
    if (i === -1) return p;
    if (i === 0) return pred({ ...p, op: 'eq', value: p.value.slice(1) });
    return cannot(p, context, 'basename', 'holds only a file name and the value names a folder too');
  }
  if (p.op === 'wildcard') {
    const parts = p.value.parts;
    let last = -1;
    parts.forEach((x, i) => {
      if (typeof x === 'string' && separators.test(x)) last = i;
    });
    if (last === -1) return p; // no separator anywhere: a pattern on the name alone
    const lit = parts[last] as string;
    const cut = Math.max(lit.lastIndexOf('\\'), lit.lastIndexOf('/'));
    const before = [...parts.slice(0, last), lit.slice(0, cut)];
    const rest = [lit.slice(cut + 1), ...parts.slice(last + 1)];
    const beforeIsAnything = before.every((x) => x === STAR || x === '') && before.includes(STAR);
    if (!beforeIsAnything) return cannot(p, context, 'basename', 'holds only a file name and the value names a folder too');
    return stringPred(p.field, pattern(rest), p.cased, p.span);
  }
  if (p.op === 'contains' || p.op === 'startswith' || p.op === 'eq' || p.op === 'has') {
    if (typeof p.value === 'string' && !separators.test(p.value) && p.op === 'contains') {
      return cannot(p, context, 'basename', 'holds only a file name, while the value may also sit in the folder part');
    }
    return cannot(p, context, 'basename', 'holds only a file name, not the full path');
  }
  return cannot(p, context, 'basename', `holds only a file name, and '${p.op}' cannot be checked on it`);
};

/**
 * `name-in-path`: the exclusion or rule names the last part of a value (ECS `process.name`,
 * `file.name`, `user.name`) and the target field holds the whole value (`C:\Windows\cmd.exe`,
 * `DOMAIN\user`). Argument: the separators (default `\` and `/`). For a value without separators:
 * equal to `v` → the field is `v` or ends with `<separator>v`; ends with `v` → the field ends with
 * `v` (a suffix without a separator lies in the last part); contains, starts with or matches a
 * pattern → a regular expression anchored on the last part (`v[^\\]*$`, `(^|\\)v[^\\]*$`), with
 * the letters of a case-insensitive value as classes of their case variants, so it folds as the
 * evaluator does. A value with a separator names a folder too, and a regex, a number or an order
 * cannot be checked on the last part: refused. Presence passes through (a missing path is a
 * missing name).
 */
export const nameInPath: TransformFactory = (args, span) => {
  let separators = '\\/';
  if (args !== undefined && args !== null) {
    const given = typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>).separators : args;
    if (typeof given !== 'string' || given === '') {
      throw new RulecastError('invalid-pipeline', "the 'name-in-path' transform takes the separators as a string, e.g. {separators: '\\\\'}", span);
    }
    separators = given;
  }
  const hasSeparator = (v: string) => [...separators].some((s) => v.includes(s));
  const separator = `[${[...separators].map(regexChar).join('')}]`;
  const notSeparator = `[^${[...separators].map(regexChar).join('')}]`;
  const folder = (p: Pred, context: TransformContext): never => cannot(p, context, 'name-in-path', 'holds a whole path and the value names a folder too');
  // A search on the whole value that holds exactly when the last part matches.
  const lastPart = (p: Pred, body: string, anchored: boolean): Pred =>
    pred({ op: 're', field: p.field, value: { pattern: `${anchored ? `(^|${separator})` : ''}${body}${notSeparator}*$`, flags: { m: false, s: false } }, cased: true, span: p.span });
  return (p, context) => {
    if (isPresenceOnly(p)) return p;
    switch (p.op) {
      case 'eq': {
        if (p.timePart || typeof p.value !== 'string') break;
        const value = p.value;
        if (hasSeparator(value)) return folder(p, context);
        return or(p, ...[...separators].map((s) => pred({ op: 'endswith', field: p.field, value: `${s}${value}`, cased: p.cased, span: p.span })));
      }
      case 'endswith':
        return hasSeparator(p.value) ? folder(p, context) : p;
      case 'contains':
      case 'startswith':
        if (hasSeparator(p.value)) return folder(p, context);
        // The empty text is in (and starts) every last part, as in every whole value.
        if (p.value === '') return p;
        return lastPart(p, literalRegex(p.value, p.cased), p.op === 'startswith');
      case 'wildcard': {
        if (p.value.parts.some((x) => typeof x === 'string' && hasSeparator(x))) return folder(p, context);
        // The whole pattern up to the end: a trailing `*` (or none) then nothing but the last part.
        const parts = p.value.parts;
        const body = parts.map((x) => (typeof x === 'string' ? literalRegex(x, p.cased) : x === ONE ? notSeparator : `${notSeparator}*`)).join('');
        return pred({ op: 're', field: p.field, value: { pattern: `(^|${separator})${body}$`, flags: { m: false, s: false } }, cased: true, span: p.span });
      }
      default:
        break;
    }
    return cannot(p, context, 'name-in-path', `holds a whole path, and '${p.op}' on its last part cannot be checked on it exactly`);
  };
};
