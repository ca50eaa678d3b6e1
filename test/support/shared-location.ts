// Where the shared material is (see shared.ts), without reading it: the corpus suite's setup asks
// before any test file loads.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from './paths.js';

/** What marks a folder as the shared material: the Sigma corpus inside it. */
const marker = join('corpus', 'sigma', 'rules');

/** The variables that name the shared folder, in the order they are read. Both point to the
 *  folder that holds corpus/ (sigma/, hunting-kql/), seed/, schemas/ and attack/. */
export const sharedVariables = ['RULECAST_CORPUS', 'RULECAST_SHARED'] as const;

export type SharedLocation = { readonly root: string } | { readonly problem: string };

/** $RULECAST_CORPUS, else $RULECAST_SHARED, else the nearest `shared/` beside the project or one of
 *  its parents. A variable that is set must name a folder with the corpus: it is never passed
 *  over for a folder found elsewhere. */
export function findShared(env: NodeJS.ProcessEnv = process.env, start = projectRoot): SharedLocation {
  for (const name of sharedVariables) {
    const value = env[name];
    if (!value) continue;
    const root = resolve(value);
    if (existsSync(join(root, marker))) return { root };
    return { problem: `$${name} is ${value}, which has no ${marker}/ (it must name the folder that holds corpus/, seed/, schemas/ and attack/)` };
  }
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, '..', 'shared');
    if (existsSync(join(candidate, marker))) return { root: resolve(candidate) };
    if (dirname(dir) === dir) break;
  }
  return { problem: `no shared/ folder with ${marker}/ beside ${resolve(start)} or any of its parents, and neither $RULECAST_CORPUS nor $RULECAST_SHARED is set` };
}
