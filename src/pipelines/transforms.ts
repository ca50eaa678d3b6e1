// Value transformations a pipeline can attach to a field mapping, by name. Each one is exact or
// refuses: a transformation that would widen or narrow what a predicate selects raises an error
// naming the rule location, never a silently different query.
import { RulecastError } from '../diagnostics/diagnostic.js';
import type { Span } from '../diagnostics/source.js';
import { FALSE, or, pred, stringPred, TRUE } from '../ir/build.js';
import { evaluate } from '../ir/evaluate.js';
import { literalRegex, regexChar } from '../ir/case.js';
import { pattern } from '../ir/pattern.js';
import { ONE, STAR, type Expr, type Pred } from '../ir/types.js';
import type { TransformContext, ValueTransform } from './types.js';

export type TransformFactory = (args: unknown, span: Span | undefined) => (pred: Pred, context: TransformContext) => Expr;

const registry = new Map<string, TransformFactory>();

/** Adds a transformation; backends register theirs in their own module. Names are global (a
 *  pipeline names a transform, whatever its target), so a second registration is a bug. */
export function registerTransform(name: string, factory: TransformFactory): void {
  if (registry.has(name)) throw new Error(`value transformation '${name}' is registered twice`);
  registry.set(name, factory);
}

export function transformNames(): string[] {
  return [...registry.keys()].sort();
}

export function makeTransform(name: string, args: unknown, span: Span | undefined): ValueTransform {
  const factory = registry.get(name);
  if (!factory) {
    throw new RulecastError('unknown-transform', `unknown value transformation '${name}'; known: ${transformNames().join(', ')}`, span);
  }
  return { name, args, span, apply: factory(args, span) };
}

/** Predicates that say nothing about the value (presence only) pass through every transform. */
export function isPresenceOnly(p: Pred): boolean {
  return p.op === 'exists' || p.op === 'null';
}

export function cannot(p: Pred, context: TransformContext, transform: string, why: string): never {
  throw new RulecastError(
    'lossy-mapping',
    `field '${context.originalField}' ${context.source ? `in ${context.source} ` : ''}${why}, so this condition cannot be expressed exactly (pipeline ${context.pipeline}, transform ${transform})`,
    p.span,
  );
}

const separators = /[\\/]/;

/**
 * `basename`: the target column holds only the file name of a path the rule matches as a whole.
 * Exact cases: `endswith '\cmd.exe'` → the name equals `cmd.exe`; `endswith 'cmd.exe'` (no
 * separator) → the name ends with it; `*\cmd?.exe` → the name matches `cmd?.exe`. A condition on
 * the folder part cannot be checked on a file name and is refused.
 */
registerTransform('basename', () => (p, context) => {
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
});

/**
 * `map`: replaces equality values through a table (case-insensitive keys), e.g. Sysmon's
 * `EventType: SetValue` → Defender's `ActionType: RegistryValueSet`. A value may map to a list (ORed).
 * A value the table does not know is kept as written; a non-equality predicate is refused.
 */
registerTransform('map', (args, span) => {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', "the 'map' transform needs a mapping of value → value or list of values", span);
  }
  const table = new Map(Object.entries(args as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), (Array.isArray(v) ? v : [v]).map(String)]));
  return (p, context) => {
    if (isPresenceOnly(p)) return p;
    if (p.op !== 'eq') return cannot(p, context, 'map', `has its values translated one by one, and '${p.op}' does not name one value`);
    const mapped = table.get(String(p.value).toLowerCase());
    if (!mapped) return p;
    return or(...mapped.map((v) => pred({ ...p, value: v })));
  };
});

/**
 * `constant: <value>`: the field has one value in the whole source (ECS `event.category: process`
 * in a process table). The predicate is decided when mapping, by the reference evaluator, and
 * becomes true or false; nothing is rendered for it.
 */
registerTransform('constant', (args) => (p) => {
  if (p.field === null) return p;
  return evaluate(p, { [p.field]: args }) ? TRUE : FALSE;
});

/** `absent`: by the source's own schema the field never exists there (ECS `file.*` in process
 *  events): a value predicate is false, `null` is true, `exists` false. Not for a field the events
 *  have but the target does not record: that is an `unsupported` mapping, an error. */
registerTransform('absent', () => (p): Expr => (p.op === 'null' ? TRUE : FALSE));

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
registerTransform('name-in-path', (args, span) => {
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
});

/**
 * `args-in-commandline`: ECS `process.args` (the arguments as a list) where the target only has the
 * command line. `contains` of a text without whitespace or quotes holds for some argument exactly
 * when it holds for the command line; any other operator (an argument equal to a value, a value
 * spanning arguments) cannot be read from the command line and is refused.
 */
registerTransform('args-in-commandline', () => (p, context) => {
  if (p.op === 'exists' || p.op === 'null') return p;
  if (p.op === 'contains' && p.value !== '' && !/[\s"']/.test(p.value)) return p;
  return cannot(p, context, 'args-in-commandline', "holds the whole command line, and only 'contains' of a text without spaces or quotes means the same for one argument");
});
