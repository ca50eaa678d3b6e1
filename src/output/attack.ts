// MITRE ATT&CK from Sigma tags (`attack.discovery`, `attack.t1046`, `attack.t1059.001`), for the
// output formats that carry tactics and techniques (Sentinel, Elastic).

export interface Tactic {
  readonly id: string;
  /** As ATT&CK writes it: "Defense Evasion". */
  readonly name: string;
  /** As Sentinel writes it: "DefenseEvasion". */
  readonly sentinel: string;
  readonly slug: string;
}

const tactics: Tactic[] = [
  ['TA0043', 'Reconnaissance'],
  ['TA0042', 'Resource Development'],
  ['TA0001', 'Initial Access'],
  ['TA0002', 'Execution'],
  ['TA0003', 'Persistence'],
  ['TA0004', 'Privilege Escalation'],
  ['TA0005', 'Defense Evasion'],
  ['TA0006', 'Credential Access'],
  ['TA0007', 'Discovery'],
  ['TA0008', 'Lateral Movement'],
  ['TA0009', 'Collection'],
  ['TA0011', 'Command and Control'],
  ['TA0010', 'Exfiltration'],
  ['TA0040', 'Impact'],
].map(([id, name]) => ({
  id: id!,
  name: name!,
  sentinel: name!.replace(/ and /g, 'And').replace(/ /g, ''),
  slug: name!.toLowerCase().replace(/ /g, '-'),
}));

export interface Technique {
  /** T1059 or T1059.001 */
  readonly id: string;
  /** The parent technique of a sub-technique, or itself. */
  readonly technique: string;
  readonly subtechnique?: string | undefined;
}

export interface Attack {
  readonly tactics: readonly Tactic[];
  readonly techniques: readonly Technique[];
}

/** Every target of a conversion asks for the same rule's tags: read once per tag list (the answer
 *  is frozen, so sharing it is safe). */
const byTags = new WeakMap<readonly string[], Attack>();

/** Tactics and techniques named by a rule's tags (both `_` and `-` spellings). */
export function attackFromTags(tags: readonly string[]): Attack {
  let attack = byTags.get(tags);
  if (!attack) byTags.set(tags, (attack = readAttack(tags)));
  return attack;
}

/** Tactics by the names a tag can give them: slug (`defense-evasion`) or id (`ta0005`). */
const tacticsByName = new Map(tactics.flatMap((t) => [[t.slug, t] as const, [t.id.toLowerCase(), t] as const]));

const techniqueTag = /^t(\d{4})(?:\.(\d{3}))?$/;

function readAttack(tags: readonly string[]): Attack {
  const found: Tactic[] = [];
  const techniques: Technique[] = [];
  for (const tag of tags) {
    if (tag.length <= 7 || tag.slice(0, 7).toLowerCase() !== 'attack.') continue;
    const name = tag.slice(7).toLowerCase().replace(/_/g, '-');
    const t = techniqueTag.exec(name);
    if (t) {
      const id = `T${t[1]}${t[2] ? `.${t[2]}` : ''}`;
      if (!techniques.some((x) => x.id === id)) techniques.push({ id, technique: `T${t[1]}`, subtechnique: t[2] ? id : undefined });
      continue;
    }
    const tactic = tacticsByName.get(name);
    if (tactic && !found.includes(tactic)) found.push(tactic);
  }
  return Object.freeze({ tactics: Object.freeze(found), techniques: Object.freeze(techniques) });
}
