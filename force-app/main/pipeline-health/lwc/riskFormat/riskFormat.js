/** How a 0-100 risk score reads to a rep: the level and the progress-ring variant that shows it. */
export function riskLevel(score) {
  if (score === null || score === undefined) return { label: 'Not scored', variant: 'base' };
  if (score >= 70) return { label: 'High', variant: 'expired' };
  if (score >= 40) return { label: 'Medium', variant: 'warning' };
  return { label: 'Low', variant: 'base-autocomplete' };
}

/** The week-over-week change in words. */
export function trendText(trend, previousScore) {
  if (previousScore === null || previousScore === undefined) return 'First week scored';
  if (!trend) return 'No change since last week';
  return trend > 0 ? `Up ${trend} since last week` : `Down ${Math.abs(trend)} since last week`;
}
