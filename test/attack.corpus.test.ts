// ATT&CK over the public corpus: every tactic tag of every rule is a v19 tactic (the corpus uses
// attack.stealth and attack.defense-impairment, which rulecast once dropped), and the project's
// table (src/output/attack-tactics.json) is the shared one (../shared/attack/attack-tactics.json)
// plus Sentinel's names. Counts are printed for the report.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attackFromTags, tactics, techniqueNamed, techniquesWithoutTactic } from '../src/output/attack.js';
import { corpus } from './support/corpus.js';
import { projectRoot } from './support/paths.js';
import { shared } from './support/shared.js';

/** ATT&CK tags that name no tactic by design: the ids of techniques (T1027), groups (G0016),
 *  software (S0002), data sources (DS0005), mitigations (M1042) and campaigns (C0010). */
const notTactic = /^attack\.(t|g|s|ds|m|c)\d{4}(\.\d{3})?$/i;

describe('ATT&CK over the corpus', () => {
  it('every attack.<tactic> tag maps to a v19 tactic', () => {
    const byTactic = new Map<string, number>();
    const unknown: string[] = [];
    let rules = 0;
    for (const doc of corpus()) {
      const tags = doc.query?.meta.tags ?? [];
      const tacticTags = tags.filter((t) => t.toLowerCase().startsWith('attack.') && !notTactic.test(t));
      if (tacticTags.length) rules++;
      for (const tag of tacticTags) {
        const [tactic] = attackFromTags([tag]).tactics;
        if (!tactic) unknown.push(`${doc.path}: ${tag}`);
        else byTactic.set(tactic.slug, (byTactic.get(tactic.slug) ?? 0) + 1);
      }
    }
    console.log(`      ${rules} rules with tactic tags: ${[...byTactic].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ')}`);
    assert.deepEqual(unknown, []);
    assert.ok((byTactic.get('stealth') ?? 0) > 0 && (byTactic.get('defense-impairment') ?? 0) > 0, 'the corpus carries the v19 tactics');
  });

  it('techniques the Elastic threat array cannot list (no tactic of their rule takes them) are only those the table does not know', () => {
    let techniques = 0;
    const left: string[] = [];
    for (const doc of corpus()) {
      const attack = attackFromTags(doc.query?.meta.tags ?? []);
      techniques += attack.techniques.length;
      for (const t of techniquesWithoutTactic(attack)) left.push(`${doc.path}: ${t.id}${t.tactics.length ? ` (${t.tactics.map((x) => x.slug).join(', ')})` : ' (not in the table)'}`);
    }
    console.log(`      ${techniques} technique tags; ${left.length} without a tactic of their rule${left.length ? `: ${left.join('; ')}` : ''}`);
    assert.ok(techniques > 1000);
    assert.deepEqual(left.filter((l) => !l.endsWith('(not in the table)')), []);
  });

  it("the project's table is ../shared/attack/attack-tactics.json", () => {
    type Table = { attack_version: string; tactics: { id: string; shortname: string; name: string }[]; technique_tactics: Record<string, string[]> };
    const ours = JSON.parse(readFileSync(join(projectRoot, 'src', 'output', 'attack-tactics.json'), 'utf8')) as Table;
    const reference = JSON.parse(readFileSync(shared('attack', 'attack-tactics.json'), 'utf8')) as Table;
    assert.equal(ours.attack_version, reference.attack_version);
    assert.deepEqual(ours.tactics.map(({ id, shortname, name }) => ({ id, shortname, name })), reference.tactics);
    assert.deepEqual(ours.technique_tactics, reference.technique_tactics);
    assert.deepEqual(tactics.map((t) => t.slug), reference.tactics.map((t) => t.shortname));
    for (const [id, slugs] of Object.entries(reference.technique_tactics)) assert.deepEqual(techniqueNamed(id)!.tactics.map((t) => t.slug), slugs, id);
  });
});
