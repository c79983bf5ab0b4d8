import { betweenGroupVariance, type GroupCounts } from './shrunken-rates.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample } from './training-set.js';

/**
 * Turns a deal snapshot into the numbers the regression reads, grouped into the factors a sales
 * manager recognizes, in two blocks that are shrunk differently:
 *
 * - groups (stage, owner, product): one column per stage, rep or product, each group's columns held
 *   toward the base rate by a penalty its own evidence sets (empirical Bayes: how much the groups'
 *   win rates differ beyond chance, against how many deals each has). A team with 150 closed deals
 *   and four stages that really differ gets stage rates at once; reps who differ no more than coin
 *   flips get none.
 * - features (a level, age, time in stage, engagement recency, amount): standardized on the training
 *   snapshots; a missing value sits at the mean and raises its own indicator, so "unknown" is never
 *   read as "zero days". Their penalty is chosen by time-ordered cross-validation (win-model.ts).
 */

export type FactorName =
  'base rate' | 'stage' | 'age' | 'days in stage' | 'engagement recency' | 'amount' | 'owner' | 'product';

export type GroupFactor = 'stage' | 'owner' | 'product';

export interface EncodedColumn {
  name: string;
  factor: FactorName;
  block: 'group' | 'feature';
}

/** What the training snapshots say about how much one kind of group matters. */
export interface GroupPrior {
  factor: GroupFactor;
  /** Distinct stages, reps or products among the training snapshots. */
  groups: number;
  /** Variance of the groups' true effects in log-odds; 0 when they differ no more than chance. */
  variance: number;
  /** The L2 penalty on the group's columns; null when the group is left out (no real difference). */
  penalty: number | null;
  /** The same prior as pseudo-deals of a beta prior per group; Infinity when left out. */
  priorDeals: number;
  /** True when the groups differed in the training deals but not on later held-out snapshots. */
  heldOutRejected?: boolean;
}

export interface FeatureEncoder {
  columns: readonly EncodedColumn[];
  encode(s: DealSnapshot): number[];
  groups: readonly GroupPrior[];
}

/**
 * Each training snapshot's weight: one over its deal's number of snapshots, so every closed deal
 * counts once. A deal open for months is seen at many dates but its outcome is one piece of evidence,
 * and counting it at every date would let the few long deals outweigh the many short ones.
 */
export function dealWeights(examples: readonly TrainingExample[]): number[] {
  const rows = new Map<string, number>();
  for (const e of examples) rows.set(e.snapshot.id, (rows.get(e.snapshot.id) ?? 0) + 1);
  return examples.map((e) => 1 / rows.get(e.snapshot.id)!);
}

/** Fewer known values than this and a continuous feature's mean and spread are not worth reading. */
const MIN_FEATURE_VALUES = 20;

const GROUP_KEYS: readonly [GroupFactor, (s: DealSnapshot) => string | null][] = [
  ['stage', (s) => s.stage],
  ['owner', (s) => s.owner],
  ['product', (s) => s.product],
];

interface Column extends EncodedColumn {
  read(s: DealSnapshot): number;
}

export function buildEncoder(examples: readonly TrainingExample[], baseRate: number): FeatureEncoder {
  const weights = dealWeights(examples);
  const columns: Column[] = [];
  const groups: GroupPrior[] = [];
  for (const [factor, key] of GROUP_KEYS) {
    const prior = groupPrior(examples, weights, factor, key, baseRate);
    groups.push(prior.summary);
    if (prior.summary.penalty === null) continue;
    for (const level of prior.levels) {
      columns.push({
        name: `${factor}=${level}`,
        factor,
        block: 'group',
        read: (s) => (key(s) === level ? 1 : 0),
      });
    }
  }

  columns.push({ name: 'intercept', factor: 'base rate', block: 'feature', read: () => 1 });
  const continuous: [string, FactorName, (s: DealSnapshot) => number | null][] = [
    ['log age', 'age', (s) => (s.ageDays === null ? null : Math.log1p(Math.max(0, s.ageDays)))],
    [
      'log days in stage',
      'days in stage',
      (s) => (s.daysInStage === null ? null : Math.log1p(Math.max(0, s.daysInStage))),
    ],
    [
      'days since activity',
      'engagement recency',
      (s) => (s.daysSinceActivity === null ? null : Math.min(120, Math.max(0, s.daysSinceActivity))),
    ],
    ['log amount', 'amount', (s) => (s.amount === null || s.amount <= 0 ? null : Math.log(s.amount))],
  ];
  for (const [name, factor, read] of continuous) {
    const values = examples.map((e) => read(e.snapshot)).filter((v): v is number => v !== null);
    if (values.length < MIN_FEATURE_VALUES) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    if (sd < 1e-9) continue;
    columns.push({ name, factor, block: 'feature', read: (s) => ((read(s) ?? mean) - mean) / sd });
    if (values.length < examples.length) {
      columns.push({
        name: `${name} unknown`,
        factor,
        block: 'feature',
        read: (s) => (read(s) === null ? 1 : 0),
      });
    }
  }

  return {
    columns: columns.map(({ name, factor, block }) => ({ name, factor, block })),
    encode: (s) => columns.map((c) => c.read(s)),
    groups,
  };
}

/**
 * The groups' spread counts only beyond what chance reaches 19 times in 20 (the chi-square test of
 * homogeneity on effective counts, its critical value by Wilson-Hilferty, within a few percent for
 * any number of groups). The method-of-moments spread alone comes out positive in half of all
 * pipelines where the groups do not differ at all, and, where they differ a little, it overstates
 * them just when the sample is small; with a dozen reps of ten deals each that noise makes the
 * forecast worse than the base rate. Discounting chance's 95th percentile instead of its average
 * leaves the groups out unless the test rejects, and shrinks them harder the nearer it came to not.
 */
const GROUP_TEST_Z = 1.645;

function spreadBeyondChance(counts: readonly GroupCounts[], p: number): number {
  const present = counts.filter((g) => g.deals > 0);
  const k = present.length - 1;
  if (k < 1 || p <= 0 || p >= 1) return 0;
  const critical = k * (1 - 2 / (9 * k) + GROUP_TEST_Z * Math.sqrt(2 / (9 * k))) ** 3;
  // Sampling's share of the deal-weighted spread is (k + 1) p(1 - p) / deals, the statistic's mean
  // k + 1 in its units; scaling it to the critical value makes the spread zero exactly at the test's edge.
  return betweenGroupVariance(present, p, critical / (k + 1));
}

/**
 * One kind of group's prior from the training snapshots, each deal counted once (its snapshots'
 * weights sum to one; a deal seen in two stages counts partly in each). A group's evidence is its
 * effective number of deals, (sum of weights)^2 / sum of squared weights. The spread of the groups'
 * true win rates (method of moments, shrunken-rates.ts) becomes a log-odds variance tau^2 through
 * the logistic slope p(1 - p), and the penalty on the group's columns is 1 / tau^2.
 */
function groupPrior(
  examples: readonly TrainingExample[],
  weights: readonly number[],
  factor: GroupFactor,
  key: (s: DealSnapshot) => string | null,
  baseRate: number,
): { summary: GroupPrior; levels: string[] } {
  const byLevel = new Map<string, Map<string, { weight: number; won: boolean }>>();
  examples.forEach((e, i) => {
    const level = key(e.snapshot);
    if (level === null) return;
    const perDeal = byLevel.get(level) ?? new Map<string, { weight: number; won: boolean }>();
    const deal = perDeal.get(e.snapshot.id) ?? { weight: 0, won: e.won };
    deal.weight += weights[i]!;
    perDeal.set(e.snapshot.id, deal);
    byLevel.set(level, perDeal);
  });
  const counts: GroupCounts[] = [];
  for (const perDeal of byLevel.values()) {
    let total = 0;
    let squares = 0;
    let won = 0;
    for (const d of perDeal.values()) {
      total += d.weight;
      squares += d.weight * d.weight;
      if (d.won) won += d.weight;
    }
    const effective = (total * total) / squares;
    counts.push({ wins: (won / total) * effective, deals: effective });
  }
  const between = spreadBeyondChance(counts, baseRate);
  const slope = baseRate * (1 - baseRate);
  const variance = between <= 1e-6 ? 0 : between / (slope * slope);
  const levels = [...byLevel.keys()].sort();
  return {
    summary: {
      factor,
      groups: levels.length,
      variance,
      penalty: variance === 0 ? null : 1 / variance,
      priorDeals: variance === 0 ? Infinity : Math.max(1, slope / between - 1),
    },
    levels,
  };
}
