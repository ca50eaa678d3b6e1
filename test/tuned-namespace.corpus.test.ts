// The acceptance check of issue 13 on a SigmaHQ process_creation rule of the corpus, tuned with the
// seed's exclusions (written in ECS names): SPL (none) on Sysmon-named events, EQL (ecs-windows) on
// their ECS versions and KQL (defender-xdr) remove exactly the events the IR evaluator removes.
import { strict as assert } from 'node:assert';
import { shared } from './support/shared.js';
import { checkTunedRule } from './support/tuned-namespace.js';

describe('tuned queries of a SigmaHQ rule (corpus)', () => {
  it('proc_creation_win_certutil_encode_susp_extensions with the seed exclusions: every target removes exactly what the IR removes', () => {
    const rule = shared('corpus', 'sigma', 'rules', 'windows', 'process_creation', 'proc_creation_win_certutil_encode_susp_extensions.yml');
    const r = checkTunedRule(rule, shared('seed', 'detect-nbtscan-activity.txt'));
    assert.ok(r.removed > 20 && r.detected - r.removed > 5, JSON.stringify(r));
  });
});
