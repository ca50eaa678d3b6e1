// Value transformations of the SPL pipelines (registered by name, used from their YAML files).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { or, pred } from '../../ir/build.js';
import { cannot, isPresenceOnly, registerTransform } from '../../pipelines/transforms.js';

/**
 * `name-in-path`: the rule names the last part of a value (ECS `process.name`, `file.name`,
 * `user.name`) and the target field holds the whole value (`C:\Windows\cmd.exe`, `DOMAIN\user`).
 * Exact cases, for a name without separators: equal to `v` → the field is `v` or ends with
 * `<separator>v`; ends with `v` → the field ends with `v` (a suffix without a separator lies in the
 * last part). Anything else (contains, starts with, a pattern, a regex) could match in a folder
 * and is refused. Argument: the separators (default `\` and `/`).
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
  return (p, context) => {
    if (isPresenceOnly(p)) return p;
    const value = p.op === 'eq' && !p.timePart && typeof p.value === 'string' ? p.value : p.op === 'endswith' ? p.value : undefined;
    if (value !== undefined) {
      if (hasSeparator(value)) return cannot(p, context, 'name-in-path', 'holds a whole path and the value names a folder too');
      if (p.op === 'endswith') return p;
      return or(p, ...[...separators].map((s) => pred({ op: 'endswith', field: p.field, value: `${s}${value}`, cased: p.cased, span: p.span })));
    }
    return cannot(p, context, 'name-in-path', `holds a whole path, and '${p.op}' on its last part cannot be checked on it exactly`);
  };
});
