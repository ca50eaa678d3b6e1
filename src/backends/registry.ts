import { RulecastError } from '../diagnostics/diagnostic.js';
import type { Target } from './types.js';
import { sigmaTarget } from './sigma/index.js';
import { splTarget } from './spl/index.js';
import { eqlTarget } from './eql/index.js';

/** A target whose backend is not written yet: every conversion is a clear error. */
function planned(name: string, description: string, extension: string): Target {
  return {
    name,
    description,
    extension,
    defaultPipeline: 'none',
    pipelines: ['none'],
    formats: ['default'],
    convert() {
      throw new RulecastError('target-not-implemented', `the ${name} backend is not implemented yet`);
    },
  };
}

const targets: Target[] = [
  planned('kql', 'Kusto Query Language: Microsoft Defender XDR advanced hunting and Microsoft Sentinel', '.kql'),
  splTarget,
  eqlTarget,
  sigmaTarget,
];

export function listTargets(): readonly Target[] {
  return targets;
}

export function getTarget(name: string): Target | undefined {
  return targets.find((t) => t.name === name);
}
