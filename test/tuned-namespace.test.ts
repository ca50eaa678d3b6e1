// Exclusions written in ECS names tune a rule written in Sigma taxonomy names exactly on every
// target (issue 13): before, `-p none` rendered `Image="*\\certutil.exe" … NOT process.name="nbtscan"`,
// two naming schemes in one query, so the exclusions never removed anything on Sysmon data.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { projectRoot, testData } from './support/paths.js';
import { checkTunedRule } from './support/tuned-namespace.js';

const seedExclusions = join(projectRoot, 'rules', 'windows', 'proc_creation_win_nbtscan.exclusions.yml');

describe('tuned queries of a rule in Sigma taxonomy names', () => {
  it("ECS exclusions rendered next to a Sigma-taxonomy detection (-t spl, pipeline none) never removed anything: SPL, EQL and KQL now remove exactly the IR's events", () => {
    const r = checkTunedRule(testData('exclusions', 'files', 'proc_creation_win_encode_sigma_names.yml'), seedExclusions);
    // The seed's exclusions remove some detections and keep others.
    assert.ok(r.removed > 50 && r.detected - r.removed > 50, JSON.stringify(r));
  });
});
