// ATT&CK v19 from Sigma tags and document tactic names (src/output/attack.ts), and what the formats
// that carry it write: Elastic's threat array lists a technique only under a tactic ATT&CK pairs it
// with (and warns about the others), Sentinel and Defender use Sentinel's tactic names.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { compileSigma, convertCompiled } from '../../src/index.js';
import { elasticThreat } from '../../src/output/formats/eql-elastic-rule.js';
import { attackFromTags, attackVersion, readAttack, sigmaTags, tacticNamed, tactics, techniqueNamed, techniquesWithoutTactic } from '../../src/output/attack.js';
import { attackTags } from '../../src/app/kql-import.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { expectFile } from '../support/golden.js';
import { testData } from '../support/paths.js';

const slugs = (tags: string[]) => attackFromTags(tags).tactics.map((t) => t.slug);

describe('ATT&CK: the table', () => {
  it('is v19: fifteen tactics, Defense Evasion split into Stealth (TA0005) and Defense Impairment (TA0112)', () => {
    assert.equal(attackVersion, '19.1');
    assert.equal(tactics.length, 15);
    assert.deepEqual(
      tactics.filter((t) => ['stealth', 'defense-impairment'].includes(t.slug)).map((t) => [t.id, t.name]),
      [['TA0005', 'Stealth'], ['TA0112', 'Defense Impairment']],
    );
    assert.equal(tacticNamed('defense-evasion'), undefined, 'no longer a tactic');
    assert.equal(new Set(tactics.map((t) => t.id)).size, 15);
    assert.equal(new Set(tactics.map((t) => t.slug)).size, 15);
  });

  it('pairs techniques with tactics: T1027 with Stealth only, T1685 with Defense Impairment, unknown ids with none', () => {
    assert.deepEqual(techniqueNamed('T1027')!.tactics.map((t) => t.slug), ['stealth']);
    assert.deepEqual(techniqueNamed('t1685')!.tactics.map((t) => t.slug), ['defense-impairment']);
    assert.deepEqual(techniqueNamed('T1059.001'), { id: 'T1059.001', technique: 'T1059', subtechnique: 'T1059.001', tactics: [tacticNamed('execution')] });
    assert.deepEqual(techniqueNamed('T9999')!.tactics, []);
    assert.equal(techniqueNamed('T10270'), undefined);
    assert.equal(techniqueNamed('stealth'), undefined);
  });
});

describe('ATT&CK: tactics from Sigma tags', () => {
  for (const t of tactics) {
    it(`attack.${t.slug} (${t.id}), with '-' or '_', in any case, or by id`, () => {
      assert.deepEqual(slugs([`attack.${t.slug}`]), [t.slug]);
      assert.deepEqual(slugs([`attack.${t.slug.replace(/-/g, '_')}`]), [t.slug]);
      assert.deepEqual(slugs([`Attack.${t.slug.toUpperCase()}`]), [t.slug]);
      assert.deepEqual(slugs([`attack.${t.id.toLowerCase()}`]), [t.slug]);
    });
  }

  it('tags that name no tactic give none: misspellings, groups, software, other namespaces', () => {
    assert.deepEqual(slugs(['attack.defence-evasion', 'attack.pre-attack', 'attack.g0016', 'attack.s0002', 'attack.ta9999', 'car.2016-04-005', 'stealth', 'attack.']), []);
  });

  it('each tactic once, in the order of the tags', () => {
    assert.deepEqual(slugs(['attack.impact', 'attack.stealth', 'attack.impact', 'attack.ta0005']), ['impact', 'stealth']);
  });

  it('the retired attack.defense-evasion is the v19 tactics its techniques sit under', () => {
    assert.deepEqual(slugs(['attack.defense-evasion', 'attack.t1027']), ['stealth']);
    assert.deepEqual(slugs(['attack.defense_evasion', 'attack.t1685']), ['defense-impairment']);
    assert.deepEqual(slugs(['attack.defense-evasion', 'attack.t1685', 'attack.t1027']), ['stealth', 'defense-impairment']);
    // No technique to tell (or only techniques of other tactics): Stealth, which kept TA0005.
    assert.deepEqual(slugs(['attack.defense-evasion']), ['stealth']);
    assert.deepEqual(slugs(['attack.defense-evasion', 'attack.t1003', 'attack.t9999']), ['stealth']);
  });

  it('techniques: each once, sub-techniques with their parent', () => {
    const a = attackFromTags(['attack.t1059.001', 'attack.T1059.001', 'attack.t1046', 'attack.t105']);
    assert.deepEqual(a.techniques.map((t) => [t.id, t.technique, t.subtechnique]), [['T1059.001', 'T1059', 'T1059.001'], ['T1046', 'T1046', undefined]]);
  });

  it("Sentinel's names: Stealth and Defense Impairment are both DefenseEvasion (Sentinel has no other name for them)", () => {
    assert.deepEqual(attackFromTags(['attack.stealth', 'attack.command-and-control', 'attack.defense-impairment']).sentinelTactics, ['DefenseEvasion', 'CommandAndControl']);
    assert.deepEqual(
      tactics.map((t) => t.sentinel),
      ['Reconnaissance', 'ResourceDevelopment', 'InitialAccess', 'Execution', 'Persistence', 'PrivilegeEscalation', 'DefenseEvasion', 'DefenseEvasion', 'CredentialAccess', 'Discovery', 'LateralMovement', 'Collection', 'CommandAndControl', 'Exfiltration', 'Impact'],
    );
  });

  it('techniques that none of the rule tactics takes', () => {
    const a = attackFromTags(['attack.command-and-control', 'attack.t1027', 'attack.t1071', 'attack.t9999']);
    assert.deepEqual(techniquesWithoutTactic(a).map((t) => t.id), ['T1027', 'T9999']);
  });

  it('written back as Sigma tags: the current names (the round trip keeps current tags)', () => {
    const current = ['attack.stealth', 'attack.defense-impairment', 'attack.t1027', 'attack.t1685'];
    assert.deepEqual(sigmaTags(attackFromTags(current)), current);
    assert.deepEqual(sigmaTags(attackFromTags(['attack.defense_evasion', 'attack.T1027'])), ['attack.stealth', 'attack.t1027']);
  });
});

describe('ATT&CK: tactics of imported KQL documents', () => {
  it('names as Sentinel, ATT&CK or the hunting template write them; DefenseEvasion by its techniques', () => {
    const tags = (tactics: string[], techniques: string[]) => attackTags({ tactics, techniques, references: [] });
    assert.deepEqual(tags(['Initial access', 'CommandAndControl', 'Vulnerability', 'Misconfiguration'], ['T1566.001', ' t1071 ']), [
      'attack.initial-access',
      'attack.command-and-control',
      'attack.t1566.001',
      'attack.t1071',
    ]);
    assert.deepEqual(tags(['DefenseEvasion'], ['T1685']), ['attack.defense-impairment', 'attack.t1685']);
    assert.deepEqual(tags(['Defense Evasion'], []), ['attack.stealth']);
    assert.deepEqual(tags(['Stealth', 'Defense Impairment'], []), ['attack.stealth', 'attack.defense-impairment']);
    assert.deepEqual(readAttack(['PreAttack'], []).tactics, []);
  });
});

describe('ATT&CK: Elastic threat array', () => {
  const threat = (tags: string[]) => {
    const warnings: Diagnostic[] = [];
    const entries = elasticThreat(tags, (w) => warnings.push(w)) as { tactic: { name: string }; technique: { id: string; subtechnique?: { id: string }[] }[] }[];
    const shape = entries.map((e) => [e.tactic.name, e.technique.map((t) => [t.id, ...(t.subtechnique ?? []).map((s) => s.id)])]);
    return { shape, warnings: warnings.map((w) => w.code) };
  };

  it('T1027 goes under Stealth, never under Command and Control', () => {
    assert.deepEqual(threat(['attack.command-and-control', 'attack.stealth', 'attack.t1027', 'attack.t1071.001']), {
      shape: [
        ['Command and Control', [['T1071', 'T1071.001']]],
        ['Stealth', [['T1027']]],
      ],
      warnings: [],
    });
  });

  it('a technique paired with none of the rule tactics is left out, with a warning', () => {
    assert.deepEqual(threat(['attack.command-and-control', 'attack.t1027', 'attack.t1071']), {
      shape: [['Command and Control', [['T1071']]]],
      warnings: ['attack-technique-without-tactic'],
    });
    assert.deepEqual(threat(['attack.t1027']), { shape: [], warnings: ['attack-technique-without-tactic'] });
  });

  it('the warning reaches the conversion result (elastic-rule format only)', () => {
    const [doc] = compileSigma(readFileSync(testData('golden', 'attack-v19', 'rule.yml'), 'utf8'), 'attack-v19.yml');
    const rule = convertCompiled(doc!, 'eql', { format: 'elastic-rule' });
    assert.equal(rule.status, 'converted');
    assert.deepEqual(
      rule.warnings.map((w) => w.message),
      [
        "technique T1003 is left out of the Elastic rule's threat array, which lists a technique only under a tactic: ATT&CK 19.1 lists it under Credential Access, which the rule's tags do not name (the rule's tactics: Command and Control, Stealth, Defense Impairment)",
        "technique T1686.002 is left out of the Elastic rule's threat array, which lists a technique only under a tactic: the ATT&CK 19.1 table rulecast carries does not know it (the rule's tactics: Command and Control, Stealth, Defense Impairment)",
      ],
    );
    assert.deepEqual(convertCompiled(doc!, 'eql').warnings, []);
  });
});

describe('ATT&CK: Sentinel and Defender formats (golden: test/golden/attack-v19)', () => {
  const dir = testData('golden', 'attack-v19');
  const [doc] = compileSigma(readFileSync(join(dir, 'rule.yml'), 'utf8'), 'test/golden/attack-v19/rule.yml');

  for (const format of ['sentinel-rule', 'sentinel-hunting', 'defender-rule']) {
    it(format, () => {
      const result = convertCompiled(doc!, 'kql', { format });
      assert.equal(result.error, null, result.error?.message);
      expectFile(join(dir, `out.${format}.kql`), `${result.query!}\n`);
    });
  }

  it('Sentinel lists every technique (its relevantTechniques have no tactic) and each Sentinel tactic once', () => {
    const y = load(convertCompiled(doc!, 'kql', { format: 'sentinel-rule' }).query!) as { tactics: string[]; relevantTechniques: string[] };
    assert.deepEqual(y.tactics, ['CommandAndControl', 'DefenseEvasion']);
    assert.deepEqual(y.relevantTechniques, ['T1027', 'T1071.001', 'T1685', 'T1003', 'T1686.002']);
    const defender = JSON.parse(convertCompiled(doc!, 'kql', { format: 'defender-rule' }).query!) as { detectionAction: { alertTemplate: { category: string } } };
    assert.equal(defender.detectionAction.alertTemplate.category, 'CommandAndControl');
  });
});
