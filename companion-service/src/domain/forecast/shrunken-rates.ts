/**
 * How much groups of deals (stages, reps, products) really differ in win rate, by empirical Bayes:
 * the part of their spread that sampling does not explain. When the groups differ no more than coin
 * flips would, it is zero and every group gets the base rate: a rep with 7 wins out of 10 is not a
 * better rep, only a luckier sample. feature-encoder.ts turns it into each group's penalty.
 */

export interface GroupCounts {
  wins: number;
  deals: number;
}

/**
 * How much the groups' true win rates vary around p, on the probability scale: the deal-weighted
 * spread of their observed rates less the spread sampling alone would give. Zero when they vary no
 * more than chance. `deals` may be an effective count (snapshots of one deal share its outcome, so
 * they are worth fewer than their number). `chanceMultiple` above 1 discounts more than sampling's
 * average spread: only what exceeds a spread chance reaches that often counts.
 */
export function betweenGroupVariance(groups: readonly GroupCounts[], p: number, chanceMultiple = 1): number {
  const present = groups.filter((g) => g.deals > 0);
  if (present.length < 2 || p <= 0 || p >= 1) return 0;
  const total = present.reduce((s, g) => s + g.deals, 0);
  let observed = 0;
  let sampling = 0;
  for (const g of present) {
    const w = g.deals / total;
    observed += w * (g.wins / g.deals - p) ** 2;
    sampling += w * ((p * (1 - p)) / g.deals);
  }
  return Math.max(0, observed - chanceMultiple * sampling);
}
