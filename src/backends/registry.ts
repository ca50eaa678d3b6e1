import { eqlTarget } from './eql/index.js';
import { kqlTarget } from './kql/index.js';
import { sigmaTarget } from './sigma/index.js';
import { splTarget } from './spl/index.js';
import type { Target } from './types.js';

const targets: Target[] = [kqlTarget, splTarget, eqlTarget, sigmaTarget];

export function listTargets(): readonly Target[] {
  return targets;
}

export function getTarget(name: string): Target | undefined {
  return targets.find((t) => t.name === name);
}
