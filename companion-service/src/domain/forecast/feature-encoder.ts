import { logit } from './penalized-logistic.js';
import { shrinkRates, type GroupCounts, type ShrunkenRates } from './shrunken-rates.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample } from './training-set.js';

/**
 * Turns a deal snapshot into the numbers the regression reads, grouped into the factors a sales
 * manager recognizes. Continuous features are standardized on the training snapshots; a missing
 * value sits at the mean and raises its own indicator, so "unknown" is never read as "zero days".
 * The owner's and product's win rates enter as their shrunken log-odds against the base rate; for a
 * training row the deal's own outcome is taken out of its owner's rate, or the regression would
 * learn from the answer.
 */

export type FactorName =
  'base rate' | 'stage' | 'age' | 'days in stage' | 'engagement recency' | 'amount' | 'owner' | 'product';

interface Column {
  name: string;
  factor: FactorName;
  read(s: DealSnapshot, own: boolean | null): number;
}

export interface FeatureEncoder {
  columns: readonly { name: string; factor: FactorName }[];
  encode(s: DealSnapshot, own?: boolean | null): number[];
  ownerRates: ShrunkenRates;
  productRates: ShrunkenRates;
}

const MIN_STAGE_EXAMPLES = 20;

export function buildEncoder(
  examples: readonly TrainingExample[],
  closed: readonly { owner: string | null; product: string | null; won: boolean }[],
  baseRate: number,
): FeatureEncoder {
  const ownerRates = shrinkRates(
    countBy(closed, (c) => c.owner),
    baseRate,
  );
  const productRates = shrinkRates(
    countBy(closed, (c) => c.product),
    baseRate,
  );
  const columns: Column[] = [{ name: 'intercept', factor: 'base rate', read: () => 1 }];

  const stageCounts = new Map<string, number>();
  for (const e of examples) stageCounts.set(e.snapshot.stage, (stageCounts.get(e.snapshot.stage) ?? 0) + 1);
  const stages = [...stageCounts]
    .filter(([, n]) => n >= MIN_STAGE_EXAMPLES)
    .map(([s]) => s)
    .sort();
  if (stages.length > 1) {
    for (const stage of stages) {
      columns.push({ name: `stage=${stage}`, factor: 'stage', read: (s) => (s.stage === stage ? 1 : 0) });
    }
  }

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
    if (values.length < MIN_STAGE_EXAMPLES) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    if (sd < 1e-9) continue;
    columns.push({ name, factor, read: (s) => ((read(s) ?? mean) - mean) / sd });
    if (values.length < examples.length) {
      columns.push({ name: `${name} unknown`, factor, read: (s) => (read(s) === null ? 1 : 0) });
    }
  }

  const base = logit(baseRate);
  const groupColumn = (
    name: string,
    factor: FactorName,
    rates: ShrunkenRates,
    key: (s: DealSnapshot) => string | null,
  ): Column => ({
    name,
    factor,
    read: (s, own) => {
      const group = key(s);
      if (own === null || group === null || !Number.isFinite(rates.priorDeals))
        return logit(rates.rate(group)) - base;
      const g = rates.raw.get(group);
      if (!g) return 0;
      const m = rates.priorDeals;
      return logit((g.wins - (own ? 1 : 0) + m * baseRate) / (g.deals - 1 + m)) - base;
    },
  });
  if (Number.isFinite(ownerRates.priorDeals))
    columns.push(groupColumn('owner win rate', 'owner', ownerRates, (s) => s.owner));
  if (Number.isFinite(productRates.priorDeals))
    columns.push(groupColumn('product win rate', 'product', productRates, (s) => s.product));

  return {
    columns: columns.map(({ name, factor }) => ({ name, factor })),
    encode: (s, own = null) => columns.map((c) => c.read(s, own)),
    ownerRates,
    productRates,
  };
}

function countBy<T extends { won: boolean }>(
  items: readonly T[],
  key: (item: T) => string | null,
): Map<string, GroupCounts> {
  const counts = new Map<string, GroupCounts>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const g = counts.get(k) ?? { wins: 0, deals: 0 };
    g.deals++;
    if (item.won) g.wins++;
    counts.set(k, g);
  }
  return counts;
}
