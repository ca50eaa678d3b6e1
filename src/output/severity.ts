// A Sigma level (informational, low, medium, high, critical) on each SIEM's own scale. One table:
// every output format reads its scale here.
type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';

interface Scales {
  /** Sentinel analytics rules: Informational, Low, Medium, High (no critical). */
  readonly sentinel: string;
  /** Defender XDR custom detections: informational, low, medium, high. */
  readonly defender: string;
  /** savedsearches.conf alert.severity: 1 debug, 2 info, 3 warn, 4 error, 5 severe, 6 fatal. */
  readonly splunk: number;
  /** Elastic detection rules: severity and its default risk score. */
  readonly elastic: { readonly severity: string; readonly risk: number };
}

const scales: Readonly<Record<Level, Scales>> = {
  informational: { sentinel: 'Informational', defender: 'informational', splunk: 2, elastic: { severity: 'low', risk: 1 } },
  low: { sentinel: 'Low', defender: 'low', splunk: 3, elastic: { severity: 'low', risk: 21 } },
  medium: { sentinel: 'Medium', defender: 'medium', splunk: 4, elastic: { severity: 'medium', risk: 47 } },
  high: { sentinel: 'High', defender: 'high', splunk: 5, elastic: { severity: 'high', risk: 73 } },
  critical: { sentinel: 'High', defender: 'high', splunk: 6, elastic: { severity: 'critical', risk: 99 } },
};

/** The scales of a rule's level; a rule without one is treated as `medium`, except by Splunk, whose
 *  alerts without a level have been `warn` (3). */
export function severityOf(level: string | undefined): Scales {
  const known = level ? scales[level.toLowerCase() as Level] : undefined;
  return known ?? { ...scales.medium, splunk: 3 };
}
