// -f spl:data-model: a tstats search over an accelerated CIM data model (-p splunk-cim). The
// backend plans it (src/backends/spl/plan.ts: fields named by their dataset, filters after tstats
// only where exact); this format is its query template.
import type { SplPlan } from '../../backends/spl/plan.js';
import type { Format } from './types.js';

export const splDataModel: Format<SplPlan> = {
  target: 'spl',
  name: 'data-model',
  description: 'Splunk tstats search over a CIM data model (needs -p splunk-cim)',
  style: { extension: '.spl', comment: 'backticks' },
  scheduled: false,
  query: 'spl/data-model',
  needs: (p) =>
    p.bare || !p.sourceLayouts.some((l) => typeof l.datamodel === 'string')
      ? `the data-model format searches CIM data models, which ${p.bare ? "'-p none'" : `pipeline ${p.names.join(', ')}`} does not map to; use -p splunk-cim`
      : undefined,
};
