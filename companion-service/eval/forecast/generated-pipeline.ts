import type {
  EngagementEvent,
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from '../../src/domain/pipeline/records.js';
import { addDays } from '../../src/domain/forecast/deal-snapshot.js';
import { sigmoid } from '../../src/domain/forecast/penalized-logistic.js';
import { seededRandom } from '../../src/domain/forecast/seeded-random.js';

/**
 * A pipeline whose true win probabilities are known, to check that the forecast finds signal where
 * there is some. Each deal has a stage and an owner for life; every day the customer engages with
 * probability ENGAGE_PER_DAY, and the deal closes with probability CLOSE_PER_DAY; when it closes it is
 * won with sigmoid(stage + owner skill - RECENCY_SLOPE x days since the customer last engaged). Closing
 * time does not depend on the outcome, so the as-of date censors wins and losses alike.
 *
 * The oracle is exact: given a deal's stage, owner and silence at a date, the chance it is won is the
 * fixed point of a small Markov chain over the silence (see oracleProbability).
 */

export const STAGES = [
  { name: 'Qualification', logit: -1.3, stated: 10 },
  { name: 'Needs Analysis', logit: -0.6, stated: 20 },
  { name: 'Proposal/Price Quote', logit: 0.1, stated: 75 },
  { name: 'Negotiation/Review', logit: 0.9, stated: 90 },
] as const;
const ENGAGE_PER_DAY = 0.15;
const CLOSE_PER_DAY = 1 / 40;
const RECENCY_SLOPE = 0.05;
const MAX_SILENCE = 400;
/** The one chance every deal of a signal-free pipeline has: about the generated pipelines' base rate. */
const SIGNAL_FREE_LOGIT = -0.2;

export interface GeneratedPipeline {
  dataset: PipelineDataset;
  start: string;
  days: number;
  /** The true chance a deal open at `asOf` is won, from its stage, owner and silence then. */
  oracle(opportunityId: string, daysSinceEngagement: number): number;
}

export interface GeneratorOptions {
  deals?: number;
  /** Days over which deals are created. */
  days?: number;
  owners?: number;
  seed?: number;
  /**
   * False gives a pipeline with no signal: the same stages, owners, amounts and engagement, but every
   * deal is won with the same chance, so anything a model learns from them is noise.
   */
  signal?: boolean;
  /**
   * True gives each deal the rep's own forecast: a close date guessed when it opens (as noisy as the
   * real closing time) and a forecast category from the rep's read of the deal (its true odds, blurred
   * and a little optimistic), so a backtest can set the reps' commit beside the model's.
   */
  repForecast?: boolean;
}

/** How the generated reps read a deal: their view of its log-odds is off by this much, and hopeful. */
const REP_READ_NOISE = 0.8;
const REP_OPTIMISM = 0.3;
/** The generated reps' category cut-offs on their own read of a deal's chance. */
const REP_COMMIT_FROM = 0.65;
const REP_BEST_CASE_FROM = 0.45;

export function generatePipeline(options: GeneratorOptions = {}): GeneratedPipeline {
  const deals = options.deals ?? 15000;
  const days = options.days ?? 730;
  const random = seededRandom(options.seed ?? 42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const start = '2024-01-01';
  const signal = options.signal ?? true;
  // The reps' reads come from their own stream, so the deals are the same with or without them.
  const repRandom = seededRandom((options.seed ?? 42) + 7919);
  const repNormal = () => Math.sqrt(-2 * Math.log(1 - repRandom())) * Math.cos(2 * Math.PI * repRandom());
  const owners = Array.from({ length: options.owners ?? 12 }, (_, i) => ({
    name: `Rep ${i + 1}`,
    skill: 0.6 * normal() * (signal ? 1 : 0),
  }));
  const recencySlope = signal ? RECENCY_SLOPE : 0;
  const stageLogit = (stage: (typeof STAGES)[number]) => (signal ? stage.logit : SIGNAL_FREE_LOGIT);

  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  const engagement: EngagementEvent[] = [];
  const curveOf = new Map<string, number[]>();
  const dealCurve = new Map<string, number[]>();
  for (let i = 0; i < deals; i++) {
    const id = `G${String(i).padStart(6, '0')}`;
    const stage = STAGES[Math.floor(random() * STAGES.length)]!;
    const owner = owners[Math.floor(random() * owners.length)]!;
    const created = Math.floor(random() * days);
    const createdDate = addDays(start, created);
    const key = `${stage.name}|${owner.name}`;
    if (!curveOf.has(key)) curveOf.set(key, silenceCurve(stageLogit(stage) + owner.skill, recencySlope));
    dealCurve.set(id, curveOf.get(key)!);
    const amount = Math.round(Math.exp(10 + normal()));
    engagement.push({ opportunityId: id, date: createdDate, kind: 'Meeting', contactId: null });
    let silence = 0;
    let day = created;
    let won: boolean;
    for (;;) {
      day++;
      if (random() < ENGAGE_PER_DAY) {
        silence = 0;
        engagement.push({ opportunityId: id, date: addDays(start, day), kind: 'Meeting', contactId: null });
      } else silence++;
      if (random() < CLOSE_PER_DAY) {
        won = random() < winAtClose(stageLogit(stage) + owner.skill, silence, recencySlope);
        break;
      }
    }
    const closeDate = addDays(start, day);
    let repCloseDate: string | null = null;
    let repCategory = 'Pipeline';
    if (options.repForecast) {
      repCloseDate = addDays(
        createdDate,
        Math.max(1, Math.round(-Math.log(1 - repRandom()) / CLOSE_PER_DAY)),
      );
      const read = sigmoid(stageLogit(stage) + owner.skill + REP_OPTIMISM + REP_READ_NOISE * repNormal());
      repCategory =
        read >= REP_COMMIT_FROM ? 'Commit' : read >= REP_BEST_CASE_FROM ? 'Best Case' : 'Pipeline';
    }
    history.push(
      {
        opportunityId: id,
        date: createdDate,
        stage: stage.name,
        amount,
        closeDate: repCloseDate,
        probability: stage.stated,
        forecastCategory: repCategory,
      },
      {
        opportunityId: id,
        date: closeDate,
        stage: won ? 'Closed Won' : 'Closed Lost',
        amount,
        closeDate,
        probability: won ? 100 : 0,
        forecastCategory: won ? 'Closed' : 'Omitted',
      },
    );
    opportunities.push({
      id,
      name: `Generated deal ${i + 1}`,
      accountId: null,
      accountName: null,
      owner: owner.name,
      product: null,
      stage: won ? 'Closed Won' : 'Closed Lost',
      isClosed: true,
      isWon: won,
      amount,
      probability: won ? 100 : 0,
      forecastCategory: won ? 'Closed' : 'Omitted',
      createdDate,
      closeDate,
      lastActivityDate: null,
      stageEnteredDate: closeDate,
      nextStep: null,
      nextStepDate: null,
      contactRoleCount: null,
      extra: {},
    });
  }
  return {
    dataset: { opportunities, history, contacts: [], engagement, conversations: [] },
    start,
    days,
    oracle: (id, silence) => dealCurve.get(id)![Math.min(MAX_SILENCE, Math.max(0, silence))]!,
  };
}

const winAtClose = (logit: number, silence: number, slope: number) =>
  sigmoid(logit - slope * Math.min(silence, 60));

/**
 * V(r), the chance of winning for a deal open with r days of silence at the end of a day: the next
 * day the customer engages (silence 0) or not (r + 1), then the deal closes and is judged, or goes on.
 */
function silenceCurve(logit: number, slope: number): number[] {
  const v = new Array<number>(MAX_SILENCE + 2).fill(0.5);
  const h = CLOSE_PER_DAY;
  const a = ENGAGE_PER_DAY;
  for (let sweep = 0; sweep < 5000; sweep++) {
    let change = 0;
    const v0 = h * winAtClose(logit, 0, slope) + (1 - h) * v[0]!;
    for (let r = MAX_SILENCE; r >= 0; r--) {
      const next = Math.min(MAX_SILENCE, r + 1);
      const value = a * v0 + (1 - a) * (h * winAtClose(logit, next, slope) + (1 - h) * v[next]!);
      change = Math.max(change, Math.abs(value - v[r]!));
      v[r] = value;
    }
    if (change < 1e-12) break;
  }
  return v;
}
