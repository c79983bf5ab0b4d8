import { logit, sigmoid } from './penalized-logistic.js';
import type { DealSnapshot } from './deal-snapshot.js';
import type { TrainingExample } from './training-set.js';
import { StringPool } from '../pipeline/string-pool.js';
import { exampleTable, type ClosedTable, type ExampleTable } from './snapshot-table.js';

/**
 * Why a deal's win probability is what it is, in the words a sales manager uses: the model's three
 * largest factors for the deal, each as a fact about the deal set against the deals that won, with
 * its effect in probability points. The facts are read from the deal's snapshot and the training
 * snapshots, never from the model, so a sentence is true of the deal whatever the model weighed.
 */

export interface Driver {
  /** The model's factor name. */
  factor: string;
  /** What the factor says about this deal, in words. */
  text: string;
  /** Percentage points the factor moves the probability: the probability minus what it would be without it. */
  points: number;
}

/** What the deals that won looked like at the training dates, to set a deal's facts against. */
export interface ExplanationReference {
  /** Median days in each stage among snapshots of deals that went on to win. */
  wonDaysInStage: ReadonlyMap<string, number>;
  wonDaysInStageOverall: number | null;
  wonAgeDays: number | null;
  wonDaysSinceActivity: number | null;
  wonAmount: number | null;
  /** Distinct deals seen in each stage, and how many of them won. */
  stageOutcomes: ReadonlyMap<string, { deals: number; won: number }>;
  owners: ReadonlyMap<string, { deals: number; won: number }>;
  products: ReadonlyMap<string, { deals: number; won: number }>;
  baseRate: number;
}

/** Fewer won snapshots in a stage than this and the stage's median is noise; all stages' is used. */
const MIN_STAGE_WINS = 5;
const TOP = 3;

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The reference from record snapshots and closed deals: made tables, then read as the column forecast reads them. */
export function explanationReference(
  examples: readonly TrainingExample[],
  closed: readonly { owner: string | null; product: string | null; won: boolean }[],
  baseRate: number,
): ExplanationReference {
  const pool = new StringPool();
  return explanationReferenceOf(
    exampleTable(examples, pool),
    {
      count: closed.length,
      owner: Uint32Array.from(closed, (c) => pool.intern(c.owner)),
      product: Uint32Array.from(closed, (c) => pool.intern(c.product)),
      won: Uint8Array.from(closed, (c) => (c.won ? 1 : 0)),
    },
    baseRate,
  );
}

/** The reference from the training snapshots and the closed deals (names in the snapshots' pool). */
export function explanationReferenceOf(
  examples: ExampleTable,
  closed: Pick<ClosedTable, 'count' | 'owner' | 'product' | 'won'>,
  baseRate: number,
): ExplanationReference {
  const { names } = examples;
  const byStage = new Map<string, number[]>();
  const inStage: number[] = [];
  const ages: number[] = [];
  const silences: number[] = [];
  const amounts: number[] = [];
  // Per stage, the distinct deals seen in it and how many of them won (a deal's snapshots share its outcome).
  const seen = new Map<number, { deals: number; won: number; counted: Uint8Array }>();
  for (let r = 0; r < examples.count; r++) {
    const won = examples.won[r] === 1;
    const stage = examples.stage[r]!;
    let tally = seen.get(stage);
    if (tally === undefined)
      seen.set(stage, (tally = { deals: 0, won: 0, counted: new Uint8Array(examples.deals) }));
    const deal = examples.deal[r]!;
    if (!tally.counted[deal]) {
      tally.counted[deal] = 1;
      tally.deals++;
      if (won) tally.won++;
    }
    if (!won) continue;
    const days = examples.daysInStage[r]!;
    if (!Number.isNaN(days)) {
      const name = names.value(stage)!;
      let list = byStage.get(name);
      if (list === undefined) byStage.set(name, (list = []));
      list.push(days);
      inStage.push(days);
    }
    if (!Number.isNaN(examples.ageDays[r]!)) ages.push(examples.ageDays[r]!);
    if (!Number.isNaN(examples.daysSinceActivity[r]!)) silences.push(examples.daysSinceActivity[r]!);
    if (!Number.isNaN(examples.amount[r]!)) amounts.push(examples.amount[r]!);
  }
  const wonDaysInStage = new Map(
    [...byStage].filter(([, d]) => d.length >= MIN_STAGE_WINS).map(([stage, d]) => [stage, median(d)!]),
  );
  const tally = (key: Uint32Array) => {
    const out = new Map<string, { deals: number; won: number }>();
    for (let c = 0; c < closed.count; c++) {
      const k = names.value(key[c]!);
      if (k === null) continue;
      const t = out.get(k) ?? { deals: 0, won: 0 };
      t.deals++;
      if (closed.won[c]) t.won++;
      out.set(k, t);
    }
    return out;
  };
  return {
    wonDaysInStage,
    wonDaysInStageOverall: median(inStage),
    wonAgeDays: median(ages),
    wonDaysSinceActivity: median(silences),
    wonAmount: median(amounts),
    stageOutcomes: new Map(
      [...seen].map(([stage, t]) => [names.value(stage)!, { deals: t.deals, won: t.won }]),
    ),
    owners: tally(closed.owner),
    products: tally(closed.product),
    baseRate,
  };
}

/** What an explanation reads of a deal. */
export type ExplainedDeal = Pick<
  DealSnapshot,
  'stage' | 'ageDays' | 'daysInStage' | 'daysSinceActivity' | 'amount' | 'owner' | 'product'
>;

/**
 * The deal's top drivers, largest effect first. `factors` are the model's log-odds shifts for the
 * deal; the base rate is the starting point, not a driver, so it is left out.
 */
export function explainDeal(
  deal: ExplainedDeal,
  probability: number,
  factors: readonly { factor: string; effect: number }[],
  reference: ExplanationReference,
): Driver[] {
  return factors
    .filter((f) => f.factor !== 'base rate')
    .map((f) => ({
      factor: f.factor,
      text: describe(f.factor, deal, reference),
      points: round1(100 * (probability - sigmoid(logit(probability) - f.effect))),
    }))
    .filter((d) => d.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points))
    .slice(0, TOP);
}

/** "in Negotiation 2× longer than deals that won (34 vs 16 days): −12 points". */
export function driverLine(driver: Driver): string {
  const size = Math.abs(driver.points);
  const sign = driver.points > 0 ? '+' : '\u2212';
  return `${driver.text}: ${sign}${size} point${size === 1 ? '' : 's'}`;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const percent = (v: number) => `${Math.round(v * 100)}%`;
const money = (v: number) => Math.round(v).toLocaleString('en-US');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2×", "1.5×": how many times the typical won value, to one decimal below 10. */
function times(value: number, typical: number): string {
  const r = value / typical;
  return `${r >= 10 ? Math.round(r) : Math.round(r * 10) / 10}×`;
}

/** Within a quarter of the typical value, or two days, is "about as long". */
function compare(value: number, typical: number): 'longer than' | 'shorter than' | 'about as long as' {
  if (value >= typical * 1.25 && value - typical >= 2) return 'longer than';
  if (value <= typical * 0.8 && typical - value >= 2) return 'shorter than';
  return 'about as long as';
}

function describe(factor: string, deal: ExplainedDeal, ref: ExplanationReference): string {
  switch (factor) {
    case 'stage': {
      const seen = ref.stageOutcomes.get(deal.stage);
      return seen && seen.deals > 0
        ? `in ${deal.stage}, where ${seen.won} of ${plural(seen.deals, 'deal')} seen went on to win (${percent(seen.won / seen.deals)})`
        : `in ${deal.stage}`;
    }
    case 'days in stage': {
      if (deal.daysInStage === null) return `time in ${deal.stage} unknown (no stage history)`;
      const typical = ref.wonDaysInStage.get(deal.stage) ?? ref.wonDaysInStageOverall;
      const days = plural(deal.daysInStage, 'day');
      if (typical === null) return `in ${deal.stage} for ${days}`;
      const how = compare(deal.daysInStage, typical);
      if (how === 'longer than' && typical > 0)
        return `in ${deal.stage} ${times(deal.daysInStage, typical)} longer than deals that won (${deal.daysInStage} vs ${typical} days)`;
      return `in ${deal.stage} for ${days}, ${how} deals that won (${typical} days)`;
    }
    case 'engagement recency': {
      const d = deal.daysSinceActivity;
      if (d === null) return 'no activity recorded';
      const typical =
        ref.wonDaysSinceActivity === null ? '' : ` (deals that won: ${ref.wonDaysSinceActivity})`;
      if (d >= 7) return `no activity for ${d} days${typical}`;
      return d <= 0 ? `activity today${typical}` : `activity ${plural(d, 'day')} ago${typical}`;
    }
    case 'age': {
      if (deal.ageDays === null) return 'age unknown (no created date)';
      const typical = ref.wonAgeDays;
      const days = plural(deal.ageDays, 'day');
      return typical === null
        ? `open ${days}`
        : `open ${days}, ${compare(deal.ageDays, typical)} deals that won (${typical} days)`;
    }
    case 'amount': {
      if (deal.amount === null) return 'no amount';
      const typical = ref.wonAmount;
      if (typical === null) return `amount ${money(deal.amount)}`;
      const how =
        deal.amount >= typical * 1.25 ? 'above' : deal.amount <= typical * 0.8 ? 'below' : 'close to';
      return `amount ${money(deal.amount)}, ${how} the ${money(typical)} typical of deals that won`;
    }
    case 'owner':
      return groupText('owner', deal.owner, ref.owners, ref.baseRate);
    case 'product':
      return groupText('product', deal.product, ref.products, ref.baseRate);
    default:
      return factor;
  }
}

function groupText(
  kind: 'owner' | 'product',
  group: string | null,
  tallies: ReadonlyMap<string, { deals: number; won: number }>,
  baseRate: number,
): string {
  if (group === null) return `no ${kind}`;
  const t = tallies.get(group);
  if (!t) return `${kind} ${group} has no closed deals yet`;
  const who = kind === 'owner' ? group : `${group} deals`;
  return `${who} won ${t.won} of ${plural(t.deals, 'closed deal')} (${percent(t.won / t.deals)}, against ${percent(baseRate)} overall)`;
}
