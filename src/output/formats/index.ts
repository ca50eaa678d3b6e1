// The output formats, by target: a static registry (adding one is a file here and a line below).
import { eqlElasticRule } from './eql-elastic-rule.js';
import { eqlDefault, kqlDefault, splDefault } from './defaults.js';
import { kqlDefenderRule } from './kql-defender-rule.js';
import { kqlSentinelHunting } from './kql-sentinel-hunting.js';
import { kqlSentinelRule } from './kql-sentinel-rule.js';
import { sigmaDefault } from './sigma-default.js';
import { splDataModel } from './spl-data-model.js';
import { splSavedSearches } from './spl-savedsearches.js';
import type { Format, FormatStyle } from './types.js';

export type { Format, FormatInput, FormatStyle, PipelineFacts } from './types.js';

// Each format is typed by its backend's plan; the registry holds them as formats of some plan.
const formats = [
  kqlDefault,
  kqlSentinelHunting,
  kqlSentinelRule,
  kqlDefenderRule,
  splDefault,
  splSavedSearches,
  splDataModel,
  eqlDefault,
  eqlElasticRule,
  sigmaDefault,
] as unknown as readonly Format<unknown>[];

/** The formats of a target: `default` first, then by name. */
export function formatsOf(target: string): readonly Format<unknown>[] {
  return formats.filter((f) => f.target === target).sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

export function getFormat(target: string, name: string): Format<unknown> | undefined {
  return formats.find((f) => f.target === target && f.name === name);
}

/** How a target's format is written; a format the registry does not know is written like the
 *  target's default. */
export function formatStyle(target: string, format: string): FormatStyle {
  return (getFormat(target, format) ?? getFormat(target, 'default'))?.style ?? { extension: '.txt' };
}
