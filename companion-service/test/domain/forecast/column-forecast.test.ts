import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import type {
  EngagementEvent,
  OpportunityChange,
  PipelineDataset,
  PipelineOpportunity,
} from '../../../src/domain/pipeline/records.js';
import { columnsOf } from '../../../src/domain/pipeline/pipeline-columns.js';
import { datasetOf } from '../../../src/domain/pipeline/columns-to-records.js';
import { columnsAsOf } from '../../../src/domain/pipeline/columns-as-of.js';
import { addDays } from '../../../src/domain/hygiene/calendar-days.js';
import { forecastPipeline, type PipelineForecast } from '../../../src/domain/forecast/forecast-pipeline.js';
import { forecastColumns } from '../../../src/domain/forecast/column-forecast.js';
import { seededRandom } from '../../../src/domain/forecast/seeded-random.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';

/**
 * The forecast over columns against the forecast over records, on random small pipelines shaped
 * the way real exports go wrong (deals with no history or no date at all, closed deals with no
 * history, stages a record no longer sits in, several changes on one day, missing amounts) and on a
 * pipeline with something to learn: every deal's probability, the quarter's range and the rest of
 * the report must come out the same.
 */

let rules: PipelineRules;
beforeAll(async () => {
  rules = await loadPipelineRules();
});

const AS_OF = '2026-03-31';
const OPEN_STAGES = ['Prospecting', 'Qualification', 'Proposal', 'Negotiation', 'Legal Review'];
/** "Signed" and "Dead" say nothing by their names: only a record sitting in them says they are closed. */
const CLOSED = [
  { stage: 'Closed Won', won: true },
  { stage: 'Closed Lost', won: false },
  { stage: 'Signed', won: true },
  { stage: 'Dead', won: false },
];

function randomPipeline(seed: number, deals: number): PipelineDataset {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const owners = Array.from({ length: 6 }, (_, i) => ({ name: `Rep ${i}`, skill: random() - 0.5 }));
  const opportunities: PipelineOpportunity[] = [];
  const history: OpportunityChange[] = [];
  const engagement: EngagementEvent[] = [];
  for (let d = 0; d < deals; d++) {
    const id = `006R${seed}x${d}`;
    const owner = pick(owners);
    const created = addDays(AS_OF, -Math.floor(random() * 700) + 60);
    const amount = random() < 0.1 ? null : Math.round(1000 + random() * 90_000);
    let day = created;
    let stage = OPEN_STAGES[0]!;
    const rows: OpportunityChange[] = [];
    const change = (s: string, category: string | null) =>
      rows.push({
        opportunityId: id,
        date: day,
        stage: s,
        amount: random() < 0.1 ? null : amount,
        closeDate: addDays(day, 30 + Math.floor(random() * 90)),
        probability: random() < 0.1 ? null : 10 * (1 + OPEN_STAGES.indexOf(s)),
        forecastCategory: category,
      });
    change(stage, 'Pipeline');
    let closed: (typeof CLOSED)[number] | null = null;
    for (let step = 0; step < 6 && closed === null; step++) {
      // Several changes on one day, as exports without a time of day show them.
      day = addDays(day, random() < 0.15 ? 0 : 1 + Math.floor(random() * 60));
      if (random() < 0.3 + owner.skill * 0.2) {
        const won = random() < 0.45 + owner.skill + 0.05 * OPEN_STAGES.indexOf(stage);
        closed = pick(CLOSED.filter((c) => c.won === won));
        change(closed.stage, won ? 'Closed' : 'Omitted');
      } else {
        stage = pick(OPEN_STAGES);
        change(stage, 'Pipeline');
      }
      if (random() < 0.5) engagement.push({ opportunityId: id, date: day, kind: 'Email', contactId: null });
    }
    const last = rows.at(-1)!;
    const roll = random();
    opportunities.push({
      id,
      name: `Deal ${d}`,
      accountId: `001${d % 40}`,
      accountName: `Account ${d % 40}`,
      owner: random() < 0.05 ? null : owner.name,
      product: pick(['Core', 'Plus', null]),
      // A closed deal without history whose record kept an open stage's name, as some exports have.
      stage: roll < 0.1 && closed && random() < 0.5 ? 'Legal Review' : last.stage,
      isClosed: closed !== null,
      isWon: closed?.won ?? false,
      amount,
      probability: last.probability,
      forecastCategory: last.forecastCategory,
      createdDate: roll < 0.05 ? null : created,
      closeDate: closed ? last.date : last.closeDate,
      lastActivityDate: random() < 0.3 ? null : addDays(day, Math.floor(random() * 10)),
      stageEnteredDate: random() < 0.5 ? null : last.date,
      nextStep: null,
      nextStepDate: null,
      contactRoleCount: 1,
      extra: {},
    });
    // Some deals come without history (and a few of those without any date), as exports without
    // OpportunityHistory do.
    if (roll >= 0.1) history.push(...rows);
  }
  const early = whatWasClosedThen();
  return {
    opportunities: [...early.opportunities, ...opportunities],
    history: [...early.history, ...history],
    contacts: [],
    engagement,
    conversations: [],
  };
}

const deal = (id: string, fields: Partial<PipelineOpportunity>): PipelineOpportunity => ({
  id,
  name: id,
  accountId: null,
  accountName: null,
  owner: 'Rep 0',
  product: null,
  stage: 'Prospecting',
  isClosed: false,
  isWon: false,
  amount: 5000,
  probability: null,
  forecastCategory: null,
  createdDate: null,
  closeDate: null,
  lastActivityDate: null,
  stageEnteredDate: null,
  nextStep: null,
  nextStepDate: null,
  contactRoleCount: null,
  extra: {},
  ...fields,
});

/**
 * Deals that make a stage read closed today and open 200 days ago, or the other way: whether a
 * stage closes a deal comes from the records sitting in it, and which records sat where changed.
 * "Legal Review" holds an open deal today, but 200 days ago only a closed record without history;
 * "Booked" holds a won deal today and nobody 200 days ago, when a deal passed through it and on.
 */
function whatWasClosedThen(): PipelineDataset {
  const day = (n: number) => addDays(AS_OF, n);
  const row = (opportunityId: string, date: string, stage: string, category: string): OpportunityChange => ({
    opportunityId,
    date,
    stage,
    amount: 5000,
    closeDate: day(30),
    probability: 40,
    forecastCategory: category,
  });
  return {
    opportunities: [
      deal('006legalNow', { stage: 'Legal Review', createdDate: day(-100), closeDate: day(20) }),
      deal('006legalThen', {
        stage: 'Legal Review',
        isClosed: true,
        createdDate: day(-420),
        closeDate: day(-300),
      }),
      deal('006bookedThen', { stage: 'Proposal', createdDate: day(-330), closeDate: day(40) }),
      deal('006bookedNow', {
        stage: 'Booked',
        isClosed: true,
        isWon: true,
        createdDate: day(-150),
        closeDate: day(-50),
      }),
    ],
    history: [
      row('006legalNow', day(-100), 'Legal Review', 'Pipeline'),
      row('006bookedThen', day(-330), 'Proposal', 'Pipeline'),
      row('006bookedThen', day(-300), 'Booked', 'Commit'),
      row('006bookedThen', day(-300), 'Proposal', 'Pipeline'),
      row('006bookedNow', day(-150), 'Proposal', 'Pipeline'),
      row('006bookedNow', day(-50), 'Booked', 'Commit'),
    ],
    contacts: [],
    engagement: [],
    conversations: [],
  };
}

/** The report both ways, from the same pipeline: the records in the columns' order, and the columns. */
function bothWays(data: PipelineDataset, asOf: string, simulations = 400) {
  const columns = columnsOf(data);
  const options = {
    seed: 3,
    simulations,
    forecastCutoffs: rules.thresholds.forecastCutoffs,
    stageRules: rules.stages,
  };
  return {
    records: forecastPipeline(datasetOf(columns), asOf, options),
    columns: forecastColumns(columns, asOf, options),
  };
}

function expectSameForecast(records: PipelineForecast, columns: PipelineForecast) {
  expect(columns.opportunities.map((o) => o.opportunityId)).toEqual(
    records.opportunities.map((o) => o.opportunityId),
  );
  columns.opportunities.forEach((o, i) => {
    expect(o.probability).toBeCloseTo(records.opportunities[i]!.probability, 9);
    expect(o.probabilityInWindow).toBeCloseTo(records.opportunities[i]!.probabilityInWindow, 9);
  });
  expect(columns.quarter.value).toEqual(records.quarter.value);
  expect(columns.quarter.wins).toEqual(records.quarter.wins);
  expect(columns).toEqual(records);
}

describe('the forecast over columns', () => {
  it('gives every random pipeline the record forecast: probabilities, P10/P50/P90 and the rest', () => {
    let learned = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const data = randomPipeline(seed, 60 + ((seed * 37) % 340));
      for (const asOf of [AS_OF, addDays(AS_OF, -200)]) {
        const { records, columns } = bothWays(data, asOf);
        expectSameForecast(records, columns);
        if (records.model.closedDeals > 0) learned++;
      }
    }
    expect(learned).toBeGreaterThan(12);
  });

  it('gives the same figures where the model learns something beyond the base rate', () => {
    const { dataset } = generatePipeline({ seed: 11, deals: 3000 });
    const { records, columns } = bothWays(dataset, '2025-06-30', 1000);
    // Stage, rep or product shrunk by their own evidence, or the deal features on held-out dates.
    expect(records.model.groups.some((g) => g.penalty !== null) || records.model.lambda !== null).toBe(true);
    expect(records.opportunities.some((o) => o.factors.length > 0)).toBe(true);
    expectSameForecast(records, columns);
  });

  it('takes the states the scan already read, and refuses one of another date', () => {
    const data = randomPipeline(5, 200);
    const columns = columnsOf(data);
    const options = { seed: 3, simulations: 200, forecastCutoffs: rules.thresholds.forecastCutoffs };
    const today = columnsAsOf(columns, AS_OF);
    const weekAgo = columnsAsOf(columns, addDays(AS_OF, -7));
    expect(forecastColumns(columns, AS_OF, { ...options, today, weekAgo })).toEqual(
      forecastColumns(columns, AS_OF, options),
    );
    expect(() => forecastColumns(columns, AS_OF, { ...options, today: weekAgo })).toThrow(/2026-03-24/);
  });

  it('says so when nothing has closed yet, as the record forecast does', () => {
    const data = randomPipeline(9, 80);
    const early = addDays(AS_OF, -690);
    const { records, columns } = bothWays(data, early);
    expect(columns.model.closedDeals).toBe(0);
    expect(columns.notes.join(' ')).toMatch(/uninformed prior/);
    expectSameForecast(records, columns);
  });
});
