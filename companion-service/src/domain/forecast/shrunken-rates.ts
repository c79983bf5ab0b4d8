/**
 * Win rates per owner or product, shrunk toward the base rate by empirical Bayes (a beta prior whose
 * strength comes from how much the groups really differ). When the groups differ no more than coin
 * flips would, the prior is infinitely strong and every group gets the base rate: a rep with 7 wins
 * out of 10 is not a better rep, only a luckier sample.
 */

export interface GroupCounts {
  wins: number;
  deals: number;
}

export interface ShrunkenRates {
  baseRate: number;
  /** Pseudo-deals of prior weight; Infinity when the groups show no real difference. */
  priorDeals: number;
  rate(group: string | null): number;
  raw: ReadonlyMap<string, GroupCounts>;
}

export function shrinkRates(counts: ReadonlyMap<string, GroupCounts>, baseRate: number): ShrunkenRates {
  const groups = [...counts.values()].filter((g) => g.deals > 0);
  const priorDeals = priorStrength(groups, baseRate);
  const rates = new Map<string, number>();
  for (const [name, g] of counts) {
    rates.set(
      name,
      Number.isFinite(priorDeals) ? (g.wins + priorDeals * baseRate) / (g.deals + priorDeals) : baseRate,
    );
  }
  return {
    baseRate,
    priorDeals,
    raw: counts,
    rate: (group) => (group === null ? baseRate : (rates.get(group) ?? baseRate)),
  };
}

/**
 * Method of moments for the beta-binomial: the spread of the groups' rates beyond what sampling
 * alone gives is the prior's variance, and its strength is p(1-p)/variance - 1.
 */
function priorStrength(groups: GroupCounts[], p: number): number {
  const between = betweenGroupVariance(groups, p);
  if (between <= 1e-6) return Infinity;
  return Math.max(1, (p * (1 - p)) / between - 1);
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
