// ECS `process.args` (a list) where the target has only the command line.
import { cannot, type TransformFactory } from './context.js';

/**
 * `args-in-commandline`: ECS `process.args` (the arguments as a list) where the target only has the
 * command line. `contains` of a text without whitespace or quotes holds for some argument exactly
 * when it holds for the command line; any other operator (an argument equal to a value, a value
 * spanning arguments) cannot be read from the command line and is refused.
 */
export const argsInCommandline: TransformFactory = () => (p, context) => {
  if (p.op === 'exists' || p.op === 'null') return p;
  if (p.op === 'contains' && p.value !== '' && !/[\s"']/.test(p.value)) return p;
  return cannot(p, context, 'args-in-commandline', "holds the whole command line, and only 'contains' of a text without spaces or quotes means the same for one argument");
};
