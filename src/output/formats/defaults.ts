// The `default` format of each query language: the query itself (templates/<target>/query.hbs).
import type { EqlPlan } from '../../backends/eql/plan.js';
import type { KqlPlan } from '../../backends/kql/plan.js';
import type { SplPlan } from '../../backends/spl/plan.js';
import type { Format } from './types.js';

export const kqlDefault: Format<KqlPlan> = {
  target: 'kql',
  name: 'default',
  description: 'the KQL query',
  style: { extension: '.kql', comment: 'slashes' },
  scheduled: false,
};

export const splDefault: Format<SplPlan> = {
  target: 'spl',
  name: 'default',
  description: 'the SPL search',
  style: { extension: '.spl', comment: 'backticks' },
  scheduled: false,
};

export const eqlDefault: Format<EqlPlan> = {
  target: 'eql',
  name: 'default',
  description: 'the EQL query',
  style: { extension: '.eql', comment: 'slashes' },
  scheduled: false,
};
