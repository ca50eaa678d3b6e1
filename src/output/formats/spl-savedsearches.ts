// -f spl:savedsearches: a scheduled alert as a savedsearches.conf stanza. It runs every 15 minutes
// over the last 15 minutes (dispatch.earliest_time equal to the cron interval), so each event
// alerts once; the rule's lookback (a hunting window) is not the alert's time range.
import { severityOf } from '../severity.js';
import type { SplPlan } from '../../backends/spl/plan.js';
import type { Format } from './types.js';

export interface SavedSearchContext {
  /** The stanza name: the title without `[`, `]` or line breaks. */
  readonly stanza: string;
  readonly description: string;
  /** The search, continued over lines with `\`. */
  readonly search: string;
  readonly cron: string;
  readonly earliest: string;
  readonly severity: number;
}

/** A stanza name: `[` `]` and line breaks would end or break the header. */
function stanzaName(title: string): string {
  const name = title.replace(/\[/g, '(').replace(/\]/g, ')').replace(/\s+/g, ' ').trim();
  return name || 'Untitled rule';
}

/** A one-line conf value: line breaks collapsed (a continued line would need a trailing `\`),
 *  and no trailing backslash (it would continue the value onto the next key's line). */
function confLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\\+$/, '').trimEnd();
}

/** A multi-line conf value: every line but the last ends with `\` (the query never has a line
 *  ending with a backslash: values are quoted, control characters never reach it). */
function confMultiline(text: string): string {
  return text.split('\n').join(' \\\n');
}

export const splSavedSearches: Format<SplPlan> = {
  target: 'spl',
  name: 'savedsearches',
  description: 'Splunk scheduled alert (savedsearches.conf stanza): runs every 15 minutes over the last 15 minutes',
  style: { extension: '.conf', comment: 'hash' },
  scheduled: true,
  // A stanza holds the whole search, with the exclusions' comments and the table, even with
  // '-p none'; its time range is the schedule's.
  adjust: (plan) => ({ ...plan, bare: false, lookback: null }),
  context: ({ query, rule }): SavedSearchContext => ({
    stanza: stanzaName(rule.meta.title),
    description: confLine(rule.meta.description ?? rule.meta.title),
    search: confMultiline(query),
    cron: '*/15 * * * *',
    earliest: '-15m',
    severity: severityOf(rule.meta.level).splunk,
  }),
};
