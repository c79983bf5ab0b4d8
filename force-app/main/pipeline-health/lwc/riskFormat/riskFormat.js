// The level comes from Apex (RiskView.riskLevel, by the risk bands of the Scribe settings), so sales ops
// move a band in custom metadata and every panel follows; only how each level looks lives here.
const LEVELS = {
  High: { label: 'High', variant: 'expired' },
  Medium: { label: 'Medium', variant: 'warning' },
  Low: { label: 'Low', variant: 'base-autocomplete' },
};

/** How a deal's risk level reads to a rep: its label and the progress-ring variant that shows it. */
export function riskLevel(level) {
  return LEVELS[level] ?? { label: 'Not scored', variant: 'base' };
}

/** The week-over-week change in words. */
export function trendText(trend, previousScore) {
  if (previousScore === null || previousScore === undefined) return 'First week scored';
  if (!trend) return 'No change since last week';
  return trend > 0 ? `Up ${trend} since last week` : `Down ${Math.abs(trend)} since last week`;
}
