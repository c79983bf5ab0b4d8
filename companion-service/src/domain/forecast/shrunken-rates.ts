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
  if (groups.length < 2 || p <= 0 || p >= 1) return Infinity;
  const total = groups.reduce((s, g) => s + g.deals, 0);
  let observed = 0;
  let sampling = 0;
  for (const g of groups) {
    const w = g.deals / total;
    observed += w * (g.wins / g.deals - p) ** 2;
    sampling += w * ((p * (1 - p)) / g.deals);
  }
  const between = observed - sampling;
  if (between <= 1e-6) return Infinity;
  return Math.max(1, (p * (1 - p)) / between - 1);
}
