import type { TrustDecision } from './org-view.js';

/**
 * Earned trust: a field whose suggestions reps keep accepting as proposed may be applied without
 * asking. Field_Policy__mdt says how much evidence that takes (at least N accepted unedited, at X% of
 * decisions or more), and how many rejections in a row take it back. An accepted value that was later
 * reverted counts as a rejection.
 */

export interface EarnedTrustPolicy {
  /** Accepted-unedited suggestions needed before auto-apply; null means the field never earns it. */
  autoApplyAfterAccepted: number | null;
  /** Share (0..1) of decided suggestions that must be accepted unedited; null means any share. */
  minimumAcceptanceRate: number | null;
  /** Rejections in a row (newest first) that return the field to suggesting; null means never. */
  demoteAfterRejections: number | null;
}

export interface TrustState {
  accepted: number;
  edited: number;
  rejected: number;
  acceptanceRate: number | null;
  /** Rejections in a row among the newest decisions. */
  rejectionRun: number;
  earned: boolean;
  demoted: boolean;
  /** Why, in words a sales-ops admin reads. */
  explanation: string;
}

export function trustFor(policy: EarnedTrustPolicy, decisions: TrustDecision[]): TrustState {
  const newestFirst = [...decisions].sort((a, b) => b.at.localeCompare(a.at));
  const count = (o: TrustDecision['outcome']) => newestFirst.filter((d) => d.outcome === o).length;
  const accepted = count('accepted');
  const edited = count('edited');
  const rejected = count('rejected');
  const decided = accepted + edited + rejected;
  const acceptanceRate = decided === 0 ? null : accepted / decided;
  let rejectionRun = 0;
  for (const d of newestFirst) {
    if (d.outcome !== 'rejected') break;
    rejectionRun++;
  }
  const demoted =
    policy.demoteAfterRejections !== null &&
    policy.demoteAfterRejections > 0 &&
    rejectionRun >= policy.demoteAfterRejections;
  const needed = policy.autoApplyAfterAccepted;
  const rateOk =
    policy.minimumAcceptanceRate === null || (acceptanceRate ?? 0) >= policy.minimumAcceptanceRate;
  const earned = needed !== null && accepted >= needed && rateOk && !demoted;
  const rate =
    acceptanceRate === null ? 'no decisions yet' : `${Math.round(acceptanceRate * 100)}% accepted unedited`;
  let explanation: string;
  if (demoted) explanation = `${rejectionRun} rejections in a row took auto-apply back (${rate})`;
  else if (needed === null) explanation = 'the policy does not let this field earn auto-apply';
  else if (earned) explanation = `earned auto-apply: ${accepted} accepted unedited of ${decided} (${rate})`;
  else if (accepted < needed)
    explanation = `${accepted} of the ${needed} accepted suggestions auto-apply needs (${rate})`;
  else
    explanation = `${rate}, below the ${Math.round((policy.minimumAcceptanceRate ?? 0) * 100)}% auto-apply needs`;
  return { accepted, edited, rejected, acceptanceRate, rejectionRun, earned, demoted, explanation };
}
