import type { StageAverage } from './deal-facts.js';

/**
 * The evidence sentence of each finding, from the numbers and dates that make it true. One copy:
 * the object engine (deal-signals.ts) and the column engines (column-evidence.ts) both word their
 * findings here, so a deal reads the same whichever engine judged it.
 */

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export const staleEvidence = (days: number, threshold: number, touchDate: string, touchDetail: string) =>
  `No activity for ${days} days (more than ${threshold}): last touch ${touchDate}, ${touchDetail}.`;

export const zombieEvidence = (days: number, threshold: number, touchDate: string, touchDetail: string) =>
  `No engagement and no progress for ${days} days (more than ${threshold}) and still open: last sign of life ${touchDate}, ${touchDetail}.`;

export const closeDatePassedEvidence = (closeDate: string, daysPast: number) =>
  `Close date ${closeDate} passed ${daysPast} days ago and the deal is still open.`;

export const closeDateSlippedEvidence = (
  pushes: number,
  threshold: number,
  firstFrom: string,
  lastTo: string,
  lastOn: string,
) =>
  `Close date pushed out ${plural(pushes, 'time')} (at least ${threshold}): from ${firstFrom} to ${lastTo}, last on ${lastOn}.`;

/** `expected`: the stage definition's days, null when the org's average stay is the baseline. */
export function stuckInStageEvidence(
  stage: string,
  daysInStage: number,
  entered: string,
  multiple: number,
  expected: number | null,
  average: StageAverage | null | undefined,
): string {
  const basis =
    expected !== null
      ? `expected ${expected} days` +
        (average
          ? `; the org's average is ${Math.round(average.meanDays)} days over ${plural(average.stays, 'stay')}`
          : '')
      : `this org's deals stayed ${Math.round(average!.meanDays)} days on average over ${average!.stays} stays`;
  return `In ${stage} for ${daysInStage} days since ${entered}, over ${multiple}x (${basis}).`;
}

export const skippedStageEvidence = (
  skipped: readonly string[],
  lastFrom: string,
  lastTo: string,
  lastOn: string,
  jumps: number,
) =>
  `Skipped ${skipped.join(', ')}: moved from ${lastFrom} to ${lastTo} on ${lastOn}${jumps > 1 ? ` (${jumps} jumps)` : ''}, so those stages' exit criteria were never evidenced.`;

export const NO_NEXT_STEP_EVIDENCE = 'No next step written down on an open deal.';

export const singleThreadedEvidence = (roles: number, threshold: number) =>
  roles === 0
    ? 'No contact roles on the deal: nobody on the customer side is named.'
    : `${plural(roles, 'contact role')} (at most ${threshold}): one departure away from a dead deal.`;

export const missingFieldsEvidence = (stage: string, missingLabels: readonly string[], checked: number) =>
  `${stage} requires ${missingLabels.join(', ')}: blank (${checked - missingLabels.length} of ${checked} required fields filled).`;

export const competitorEvidence = (
  names: readonly string[],
  conversations: number,
  recentDays: number,
  last: string,
) =>
  `${names.join(', ')} named in ${plural(conversations, 'conversation')} in the last ${recentDays} days, last on ${last}.`;

export const pricingObjectionEvidence = (conversations: number, recentDays: number, last: string) =>
  `The customer objected to price in ${plural(conversations, 'conversation')} in the last ${recentDays} days, last on ${last}.`;

/** `heard`: the champion's last conversation as a speaker, null when only ever named. */
export const championSilentEvidence = (
  champion: string,
  heard: string | null,
  firstNamed: string,
  days: number,
  threshold: number,
) =>
  heard !== null
    ? `${champion}, the champion, last spoke or wrote on ${heard}: ${days} days ago (more than ${threshold}).`
    : `${champion}, the champion, was named on ${firstNamed} but has not spoken or written in any conversation since: ${days} days.`;
