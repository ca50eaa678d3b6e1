// The layout keys a pipeline may give, per target: what the target's backend and output formats
// read (the table schemas and time column of KQL, CIM data models of SPL, Elastic indexes…).
// A pipeline file is checked against them when it loads, so a misspelt key is a located error
// there, never a setting silently ignored.
import { tableSchemas } from './schema.js';

/** The problem with a value (`must be …`, `is wrong: …`), or undefined. */
type Check = (value: unknown) => string | undefined;

const text: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'must be a non-empty string');
const texts: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'must be a list of strings');
const textOrTexts: Check = (v) => (text(v) === undefined || texts(v) === undefined ? undefined : 'must be a string or a list of strings');
const textMap: Check = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'must be a mapping of names to strings';
const tables: Check = (v) => {
  try {
    tableSchemas({ tables: v });
    return undefined;
  } catch (err) {
    return `is wrong: ${err instanceof Error ? err.message.replace(/^layout\.tables: /, '') : String(err)}`;
  }
};

interface TargetLayout {
  /** Keys of the pipeline's `layout`. */
  readonly pipeline: Readonly<Record<string, { readonly check: Check; readonly meaning: string }>>;
  /** Keys of a source's `layout`. */
  readonly source: Readonly<Record<string, { readonly check: Check; readonly meaning: string }>>;
}

export const layoutKeys: Readonly<Record<string, TargetLayout>> = {
  kql: {
    pipeline: {
      time: { check: text, meaning: 'the time column, for the lookback' },
      connectors: { check: textMap, meaning: 'the Sentinel data connector of each table' },
      tables: { check: tables, meaning: 'the column types and computed columns of each table' },
    },
    source: {},
  },
  spl: {
    pipeline: {},
    source: {
      datamodel: { check: text, meaning: 'the CIM data model (Endpoint.Processes) the data-model format searches' },
      dataset: { check: text, meaning: "the data model's dataset, which names its fields (Processes)" },
      tags: { check: texts, meaning: "the tags of the data model's events, which the default format searches" },
      values: { check: texts, meaning: "the fields a tstats search shows when the rule names none" },
    },
  },
  eql: {
    pipeline: {
      index: { check: textOrTexts, meaning: 'the indexes an Elastic rule searches' },
      from: { check: text, meaning: "an Elastic rule's time range (now-6m)" },
      interval: { check: text, meaning: "how often an Elastic rule runs (5m)" },
    },
    source: {
      index: { check: textOrTexts, meaning: 'the indexes of the source' },
    },
  },
};

/** The layout keys a pipeline for `target` may give (any target's, for a pipeline without one). */
export function allowedLayout(target: string | undefined, where: 'pipeline' | 'source'): Record<string, { check: Check; meaning: string }> {
  const targets = target === undefined ? Object.values(layoutKeys) : layoutKeys[target] ? [layoutKeys[target]!] : [];
  return Object.assign({}, ...targets.map((t) => t[where]));
}
