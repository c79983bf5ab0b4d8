import type {
  EngagementEvent,
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from '../../src/domain/pipeline/records.js';
import { addDays } from '../../src/domain/forecast/deal-snapshot.js';
import { seededRandom } from '../../src/domain/forecast/seeded-random.js';

/**
 * A pipeline whose close dates slip with a known tendency, to check that the slip warning finds it.
 * Each rep sets a close date a planned number of days out; the deal really takes that long times the
 * rep's optimism (a lognormal factor, above 1 for reps who promise early) times noise, and slower
 * again for every week the customer has gone quiet at the start. When a close date passes with the
 * deal still open, the rep pushes it 14 to 44 days out a few days later, and OpportunityHistory
 * records each push. So a deal's owner, its earlier pushes and its silence all carry slip signal,
 * and the stage carries none.
 */

const STAGES = [
  { name: 'Qualification', stated: 10 },
  { name: 'Needs Analysis', stated: 20 },
  { name: 'Proposal/Price Quote', stated: 75 },
  { name: 'Negotiation/Review', stated: 90 },
] as const;
const ENGAGE_PER_DAY = 0.15;
/**
 * With `signalFree`, every close date is kept (the deal closes on it) with this chance, whatever the
 * deal, the rep or its history: the true slip chance of every deal is 1 minus it, and nothing a model
 * reads can tell the deals apart.
 */
const SIGNAL_FREE_KEPT = 0.6;

export interface GeneratedSlips {
  dataset: PipelineDataset;
  start: string;
  /** Each rep's optimism: the factor by which their deals outlast the close date they set. */
  optimism: ReadonlyMap<string, number>;
}

export function generateSlippingPipeline(
  options: { deals?: number; days?: number; owners?: number; seed?: number; signalFree?: boolean } = {},
): GeneratedSlips {
  const deals = options.deals ?? 6000;
  const days = options.days ?? 730;
  const random = seededRandom(options.seed ?? 42);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const start = '2024-01-01';
  const owners = Array.from({ length: options.owners ?? 10 }, (_, i) => ({
    name: `Rep ${i + 1}`,
    optimism: Math.exp(0.1 + 0.35 * normal()),
  }));

  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  const engagement: EngagementEvent[] = [];
  for (let i = 0; i < deals; i++) {
    const id = `S${String(i).padStart(6, '0')}`;
    const stage = STAGES[Math.floor(random() * STAGES.length)]!;
    const owner = owners[Math.floor(random() * owners.length)]!;
    const created = Math.floor(random() * days);
    const createdDate = addDays(start, created);
    const amount = Math.round(Math.exp(10 + normal()));
    const planned = 20 + Math.floor(random() * 70);
    const quietWeeks = Math.floor(random() * 4);
    const takes = Math.max(
      1,
      Math.round(planned * owner.optimism * Math.exp(0.25 * normal()) * (1 + 0.15 * quietWeeks)),
    );
    const won = random() < 0.5;
    const row = (date: number, closeDate: number, closing = false): OpportunityChange => ({
      opportunityId: id,
      date: addDays(start, date),
      stage: closing ? (won ? 'Closed Won' : 'Closed Lost') : stage.name,
      amount,
      closeDate: addDays(start, closeDate),
      probability: closing ? (won ? 100 : 0) : stage.stated,
      forecastCategory: closing ? (won ? 'Closed' : 'Omitted') : 'Pipeline',
    });
    history.push(row(created, created + planned));
    let due = created + planned;
    let closedDay = options.signalFree ? -1 : created + takes;
    for (;;) {
      if (options.signalFree && random() < SIGNAL_FREE_KEPT) {
        closedDay = due;
        break;
      }
      const pushOn = due + 1 + Math.floor(random() * 5);
      if (!options.signalFree && closedDay < pushOn) break;
      due = pushOn + 14 + Math.floor(random() * 31);
      history.push(row(pushOn, due));
    }
    history.push(row(closedDay, closedDay, true));
    for (let day = created + quietWeeks * 7; day < closedDay; day++) {
      if (day === created + quietWeeks * 7 || random() < ENGAGE_PER_DAY)
        engagement.push({ opportunityId: id, date: addDays(start, day), kind: 'Meeting', contactId: null });
    }
    const closeDate = addDays(start, closedDay);
    opportunities.push({
      id,
      name: `Slipping deal ${i + 1}`,
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
    optimism: new Map(owners.map((o) => [o.name, o.optimism])),
  };
}
