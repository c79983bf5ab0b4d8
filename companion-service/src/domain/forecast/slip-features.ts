import { logit } from './penalized-logistic.js';
import { shrinkRates, type GroupCounts, type ShrunkenRates } from './shrunken-rates.js';
import type { SlipExample, SlipSnapshot } from './slip-training.js';

/**
 * Turns a deal's slip snapshot into the numbers the slip regression reads, grouped into factors a
 * sales manager recognizes. As in the win model's encoder, continuous features are standardized on
 * the training rows and a missing value sits at the mean with its own indicator. The owner's slip
 * rate counts commitments (a deal and the close date it showed), not snapshots, since one deal is
 * seen at many dates; a training row's own commitment is taken out of its owner's rate.
 */

export type SlipFactorName =
  | 'base rate'
  | 'stage'
  | 'days to close date'
  | 'earlier pushes'
  | 'age'
  | 'days in stage'
  | 'engagement recency'
  | 'amount'
  | 'owner';

interface Column {
  name: string;
  factor: SlipFactorName;
  read(s: SlipSnapshot, own: boolean | null): number;
}

export interface SlipEncoder {
  columns: readonly { name: string; factor: SlipFactorName }[];
  encode(s: SlipSnapshot, own?: boolean | null): number[];
  ownerRates: ShrunkenRates;
}

const MIN_EXAMPLES = 20;
const MAX_PUSHES = 5;

export function buildSlipEncoder(
  examples: readonly SlipExample[],
  commitments: Iterable<{ owner: string | null; slipped: boolean }>,
  baseRate: number,
): SlipEncoder {
  const counts = new Map<string, GroupCounts>();
  for (const c of commitments) {
    if (c.owner === null) continue;
    const g = counts.get(c.owner) ?? { wins: 0, deals: 0 };
    g.deals++;
    if (c.slipped) g.wins++;
    counts.set(c.owner, g);
  }
  const ownerRates = shrinkRates(counts, baseRate);
  const columns: Column[] = [{ name: 'intercept', factor: 'base rate', read: () => 1 }];

  const stageCounts = new Map<string, number>();
  for (const e of examples) stageCounts.set(e.snapshot.stage, (stageCounts.get(e.snapshot.stage) ?? 0) + 1);
  const stages = [...stageCounts]
    .filter(([, n]) => n >= MIN_EXAMPLES)
    .map(([s]) => s)
    .sort();
  if (stages.length > 1) {
    for (const stage of stages)
      columns.push({ name: `stage=${stage}`, factor: 'stage', read: (s) => (s.stage === stage ? 1 : 0) });
  }

  const log1p = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.log1p(Math.max(0, v)));
  const continuous: [string, SlipFactorName, (s: SlipSnapshot) => number | null][] = [
    ['log days to close', 'days to close date', (s) => log1p(s.daysToClose)],
    ['pushes', 'earlier pushes', (s) => Math.min(MAX_PUSHES, s.pushes)],
    ['log age', 'age', (s) => log1p(s.ageDays)],
    ['log days in stage', 'days in stage', (s) => log1p(s.daysInStage)],
    [
      'days since activity',
      'engagement recency',
      (s) => (s.daysSinceActivity === null ? null : Math.min(120, Math.max(0, s.daysSinceActivity))),
    ],
    ['log amount', 'amount', (s) => (s.amount === null || s.amount <= 0 ? null : Math.log(s.amount))],
  ];
  for (const [name, factor, read] of continuous) {
    const values = examples.map((e) => read(e.snapshot)).filter((v): v is number => v !== null);
    if (values.length < MIN_EXAMPLES) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    if (sd < 1e-9) continue;
    columns.push({ name, factor, read: (s) => ((read(s) ?? mean) - mean) / sd });
    if (values.length < examples.length)
      columns.push({ name: `${name} unknown`, factor, read: (s) => (read(s) === null ? 1 : 0) });
  }

  if (Number.isFinite(ownerRates.priorDeals)) {
    const base = logit(baseRate);
    const m = ownerRates.priorDeals;
    columns.push({
      name: 'owner slip rate',
      factor: 'owner',
      read: (s, own) => {
        if (own === null || s.owner === null) return logit(ownerRates.rate(s.owner)) - base;
        const g = ownerRates.raw.get(s.owner);
        if (!g) return 0;
        return logit((g.wins - (own ? 1 : 0) + m * baseRate) / (g.deals - 1 + m)) - base;
      },
    });
  }

  return {
    columns: columns.map(({ name, factor }) => ({ name, factor })),
    encode: (s, own = null) => columns.map((c) => c.read(s, own)),
    ownerRates,
  };
}
