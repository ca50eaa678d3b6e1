// MITRE ATT&CK for the output formats that carry tactics and techniques (Sentinel, Defender,
// Elastic) and for the KQL import's Sigma tags: one table, src/output/attack-tactics.json (ATT&CK
// v19.1, MITRE's data reproduced with attribution), embedded at build time.
//
// Sigma tags name tactics (`attack.stealth`) and techniques (`attack.t1027`) separately and never
// say which technique belongs to which tactic: the table's technique → tactic pairs decide, so a
// technique is placed only under a tactic ATT&CK lists it in.
import { assets } from '../generated/assets.js';

export interface Tactic {
  readonly id: string;
  /** As ATT&CK writes it: "Defense Impairment". */
  readonly name: string;
  /** As Sentinel and Defender write it: "CommandAndControl" (Sentinel has no name yet for the two
   *  tactics ATT&CK v19 split from Defense Evasion: both are "DefenseEvasion" there). */
  readonly sentinel: string;
  /** ATT&CK's short name, the Sigma tag's: "defense-impairment". */
  readonly slug: string;
}

export interface Technique {
  /** T1059 or T1059.001 */
  readonly id: string;
  /** The parent technique of a sub-technique, or itself. */
  readonly technique: string;
  readonly subtechnique?: string | undefined;
  /** The tactics the table pairs this technique with; empty when the table does not know it. */
  readonly tactics: readonly Tactic[];
}

export interface Attack {
  readonly tactics: readonly Tactic[];
  readonly techniques: readonly Technique[];
  /** The tactics' Sentinel names, each once (Stealth and Defense Impairment are both DefenseEvasion). */
  readonly sentinelTactics: readonly string[];
}

interface TableFile {
  readonly attack_version: string;
  readonly tactics: readonly { id: string; shortname: string; name: string; sentinel: string }[];
  readonly retired_tactics: Readonly<Record<string, { id: string; name: string; split_into: readonly string[] }>>;
  readonly technique_tactics: Readonly<Record<string, readonly string[]>>;
}

const table = JSON.parse(assets['src/output/attack-tactics.json']!) as TableFile;

/** The ATT&CK version of the table. */
export const attackVersion = table.attack_version;

/** Every current tactic, in ATT&CK's order. */
export const tactics: readonly Tactic[] = Object.freeze(table.tactics.map((t) => Object.freeze({ id: t.id, name: t.name, sentinel: t.sentinel, slug: t.shortname })));

const bySlug = new Map(tactics.map((t) => [t.slug, t]));

/** A name reduced to its letters and digits, lower case: `defense_impairment`, "Defense Impairment"
 *  and `DefenseImpairment` are one name. */
const key = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Current tactics by every name a tag or a document gives them: short name, id, ATT&CK name. */
const tacticsByKey = new Map<string, Tactic>(tactics.flatMap((t) => [[key(t.slug), t] as const, [key(t.id), t] as const, [key(t.name), t] as const]));

/** Retired tactics by name (`defense-evasion`, "DefenseEvasion"): the tactics that replaced them. */
const retiredByKey = new Map<string, readonly Tactic[]>(
  Object.entries(table.retired_tactics).flatMap(([slug, r]) => {
    const successors = r.split_into.map((s) => bySlug.get(s)!);
    return [[key(slug), successors] as const, [key(r.name), successors] as const];
  }),
);

/** The current tactic a name denotes (any spelling of its short name, id or name), if any. A
 *  retired tactic's name is not one: see `readTactics`. */
export function tacticNamed(name: string): Tactic | undefined {
  return tacticsByKey.get(key(name));
}

const techniqueId = /^t(\d{4})(?:\.(\d{3}))?$/i;

/** A technique from its id (`T1059.001`, `t1059.001`), with the table's tactics for it. */
export function techniqueNamed(name: string): Technique | undefined {
  const m = techniqueId.exec(name.trim());
  if (!m) return undefined;
  const id = `T${m[1]}${m[2] ? `.${m[2]}` : ''}`;
  const paired = (table.technique_tactics[id] ?? []).map((s) => bySlug.get(s)!);
  return { id, technique: `T${m[1]}`, subtechnique: m[2] ? id : undefined, tactics: Object.freeze(paired) };
}

/** Tactics from names (tags without `attack.`, or a document's tactic names), and techniques.
 *  A retired tactic (Defense Evasion, TA0005 before v19) stands for those of its successors that
 *  the table pairs with one of the techniques; with no technique to tell, Stealth, which kept the
 *  id TA0005. Names that are no tactic are left out. */
export function readAttack(tacticNames: readonly string[], techniqueNames: readonly string[]): Attack {
  const techniques: Technique[] = [];
  for (const name of techniqueNames) {
    const t = techniqueNamed(name);
    if (t && !techniques.some((x) => x.id === t.id)) techniques.push(t);
  }
  const found: Tactic[] = [];
  const add = (t: Tactic) => {
    if (!found.includes(t)) found.push(t);
  };
  for (const name of tacticNames) {
    const current = tacticsByKey.get(key(name));
    if (current) {
      add(current);
      continue;
    }
    const successors = retiredByKey.get(key(name));
    if (!successors) continue;
    const paired = successors.filter((s) => techniques.some((t) => t.tactics.includes(s)));
    for (const s of paired.length ? paired : [successors[0]!]) add(s);
  }
  return Object.freeze({
    tactics: Object.freeze(found),
    techniques: Object.freeze(techniques),
    sentinelTactics: Object.freeze([...new Set(found.map((t) => t.sentinel))]),
  });
}

/** Every target of a conversion asks for the same rule's tags: read once per tag list (the answer
 *  is frozen, so sharing it is safe). */
const byTags = new WeakMap<readonly string[], Attack>();

/** Tactics and techniques named by a rule's tags (`attack.stealth`, `attack.defense_impairment`,
 *  `attack.ta0005`, `attack.t1059.001`; case and `_`/`-` do not matter). */
export function attackFromTags(tags: readonly string[]): Attack {
  let attack = byTags.get(tags);
  if (!attack) {
    const names = tags.filter((t) => t.length > 7 && t.slice(0, 7).toLowerCase() === 'attack.').map((t) => t.slice(7));
    const techniques = names.filter((n) => techniqueId.test(n));
    byTags.set(tags, (attack = readAttack(names.filter((n) => !techniqueId.test(n)), techniques)));
  }
  return attack;
}

/** The Sigma tags of tactics and techniques: `attack.<short name>`, `attack.t1059.001`. */
export function sigmaTags(attack: Attack): string[] {
  return [...attack.tactics.map((t) => `attack.${t.slug}`), ...attack.techniques.map((t) => `attack.${t.id.toLowerCase()}`)];
}

/** The rule's techniques that the table places under a tactic. */
export function techniquesUnder(attack: Attack, tactic: Tactic): Technique[] {
  return attack.techniques.filter((t) => t.tactics.includes(tactic));
}

/** The rule's techniques that the table places under none of the rule's tactics (or does not know):
 *  a format that lists techniques only under a tactic (Elastic's `threat`) cannot list them. */
export function techniquesWithoutTactic(attack: Attack): Technique[] {
  return attack.techniques.filter((t) => !attack.tactics.some((x) => t.tactics.includes(x)));
}
