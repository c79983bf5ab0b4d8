import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import type { PipelineDataset, PipelineOpportunity } from '../../../src/domain/pipeline/records.js';
import { indexHistory } from '../../../src/domain/pipeline/history-index.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { columnsOf } from '../../../src/domain/pipeline/pipeline-columns.js';
import { datasetOf } from '../../../src/domain/pipeline/columns-to-records.js';
import { columnsAsOf, type ColumnsAsOf } from '../../../src/domain/pipeline/columns-as-of.js';
import { indexPipeline } from '../../../src/domain/hygiene/deal-facts.js';
import { evaluateDeal, type DealSignals } from '../../../src/domain/hygiene/deal-signals.js';
import { ColumnHygiene, FINDING_ORDER } from '../../../src/domain/hygiene/column-hygiene.js';
import { opportunityAt, signalsAt } from '../../../src/domain/hygiene/column-findings.js';
import { evidenceAt } from '../../../src/domain/hygiene/column-evidence.js';
import { riskTrend, scoreRisk } from '../../../src/domain/risk/deal-risk.js';
import { previousScores, riskScores } from '../../../src/domain/risk/column-risk.js';
import { buildActionQueues } from '../../../src/domain/actions/next-best-action.js';
import { columnActionQueues } from '../../../src/domain/actions/column-actions.js';
import { forecastPipeline } from '../../../src/domain/forecast/forecast-pipeline.js';
import { addDays } from '../../../src/domain/hygiene/calendar-days.js';
import { generatePipeline, generatePipelineColumns } from '../../../bench/generate-pipeline.js';

/**
 * The column engines against the object engines on the same pipelines: every deal's flags with
 * their evidence, its risk score and last week's, the whole action queue, and the forecast read
 * from the columns. Generated pipelines, plus the same pipelines roughened the way real exports are
 * (deals without history or dates, blanks, unknown stages, orphan rows, champions in other cases).
 */

const AS_OF = '2026-03-31';
const money = (n: number) => `$${Math.round(n)}`;
let rules: PipelineRules;

beforeAll(async () => {
  rules = await loadPipelineRules();
});

/** mulberry32, so a failing case is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function roughen(data: PipelineDataset, seed: number): PipelineDataset {
  const rnd = random(seed);
  const dropHistory = new Set<string>();
  const opportunities = data.opportunities.map((o): PipelineOpportunity => {
    const roll = rnd();
    const changed: PipelineOpportunity = { ...o };
    if (roll < 0.08) dropHistory.add(o.id);
    if (roll > 0.08 && roll < 0.12) changed.createdDate = null;
    if (rnd() < 0.1) changed.nextStep = rnd() < 0.5 ? '' : '   ';
    if (rnd() < 0.1) changed.stageEnteredDate = addDays(AS_OF, -Math.floor(rnd() * 200));
    if (rnd() < 0.05) changed.closeDate = null;
    if (rnd() < 0.05) changed.owner = null;
    if (rnd() < 0.05) changed.amount = null;
    if (rnd() < 0.05) changed.accountId = changed.accountName = null;
    if (rnd() < 0.03) changed.contactRoleCount = null;
    if (rnd() < 0.03) changed.stage = 'Legal Review';
    if (rnd() < 0.02) changed.lastActivityDate = addDays(AS_OF, 3);
    return changed;
  });
  const history = data.history
    .filter((c) => !dropHistory.has(c.opportunityId))
    .map((c) => (rnd() < 0.02 ? { ...c, stage: c.stage.toUpperCase() } : c));
  history.push(
    {
      opportunityId: '006orphan',
      date: '2026-01-02',
      stage: 'Qualification',
      amount: 5,
      closeDate: null,
      probability: null,
      forecastCategory: null,
    },
    ...data.opportunities.slice(0, 20).map((o, i) => ({
      opportunityId: o.id,
      date: addDays(AS_OF, -i),
      stage: i % 2 ? 'Mystery Stage' : 'Closed Won',
      amount: 1000 * i,
      closeDate: addDays(AS_OF, i),
      probability: i % 4 === 0 ? 0 : null,
      forecastCategory: i % 4 === 0 ? 'Omitted' : 'Closed',
    })),
  );
  // Closed and reopened on one day, in that order: the as-of state reads the close last, the deal
  // facts read the day's rows as the data gave them.
  for (const [i, o] of data.opportunities.slice(20, 40).entries()) {
    const date = addDays(AS_OF, -3 - i * 5);
    for (const stage of ['Closed Lost', i % 2 ? 'Qualification' : 'Negotiation/Review'])
      history.push({
        opportunityId: o.id,
        date,
        stage,
        amount: 2000,
        closeDate: addDays(date, 30),
        probability: null,
        forecastCategory: null,
      });
  }
  // First recorded after the as-of date: closed then (unknown at the as-of date) or still open.
  [...dropHistory].slice(0, 12).forEach((id, i) =>
    history.push({
      opportunityId: id,
      date: addDays(AS_OF, 2),
      stage: i % 3 === 0 ? 'Closed Won' : i % 3 === 1 ? 'Closed Lost' : 'Qualification',
      amount: null,
      closeDate: null,
      probability: null,
      forecastCategory: null,
    }),
  );
  const conversations = data.conversations.map((c) =>
    rnd() < 0.3 && c.champion
      ? {
          ...c,
          customerSpeakers: [...c.customerSpeakers, c.champion.toUpperCase()],
          date: addDays(c.date, -5),
        }
      : rnd() < 0.1
        ? { ...c, champion: '' }
        : c,
  );
  return {
    ...data,
    opportunities,
    history,
    conversations,
    knownFields: seed % 2 ? undefined : data.knownFields,
  };
}

function objectEngines(data: PipelineDataset, asOf = AS_OF) {
  const index = indexHistory(data);
  const today = stateAsOf(data, asOf, index);
  const weekAgo = stateAsOf(data, addDays(asOf, -7), index);
  const evaluateAll = (dataset: PipelineDataset, asOf: string) => {
    const facts = indexPipeline(dataset, rules.stages, asOf);
    const out = new Map<string, DealSignals>();
    for (const deal of facts.deals)
      if (!deal.opportunity.isClosed) out.set(deal.opportunity.id, evaluateDeal(deal, facts, rules));
    return { facts, out };
  };
  const now = evaluateAll(today.dataset, asOf);
  const before = evaluateAll(weekAgo.dataset, addDays(asOf, -7));
  const scores = new Map([...now.out].map(([id, s]) => [id, scoreRisk(s.findings)]));
  const previous = new Map(
    [...now.out].map(([id, s]) => {
      const then = before.out.get(id);
      return [id, riskTrend(scoreRisk(s.findings), then ? scoreRisk(then.findings) : null).previous];
    }),
  );
  const queues = buildActionQueues(
    [...now.out].map(([id, signals]) => {
      const facts = now.facts.byId.get(id)!;
      return {
        opportunity: facts.opportunity,
        findings: signals.findings,
        risk: scores.get(id)!.score,
        lastTouch: facts.lastTouch,
      };
    }),
    asOf,
    money,
    rules.thresholds.actionTiming,
  );
  return { today, now, scores, previous, queues };
}

function columnEngines(data: PipelineDataset, asOf = AS_OF) {
  const columns = columnsOf(data);
  const today = columnsAsOf(columns, asOf);
  const weekAgo = columnsAsOf(columns, addDays(asOf, -7));
  const hygiene = new ColumnHygiene(today, rules);
  const { flags, lastTouchDay } = hygiene.flags();
  const scores = riskScores(flags, rules.risk);
  const before = riskScores(new ColumnHygiene(weekAgo, rules).flags().flags, rules.risk);
  const previous = previousScores(today, weekAgo, before);
  const queues = columnActionQueues(
    hygiene,
    flags,
    lastTouchDay,
    scores,
    money,
    rules.thresholds.actionTiming,
  );
  return { columns, today, hygiene, flags, scores, previous, queues };
}

const idAt = (view: ColumnsAsOf, k: number) => opportunityAt(view, k).id;

describe.each([
  ['generated, 4 history rows a deal', 600, false, null],
  ['generated, 10 history rows a deal', 600, true, null],
  ['roughened, with a known-fields list', 800, true, 2],
  ['roughened, without one', 800, false, 3],
] as const)('column engines on a %s pipeline', (_label, count, revisions, roughSeed) => {
  let data: PipelineDataset;
  let objects: ReturnType<typeof objectEngines>;
  let columns: ReturnType<typeof columnEngines>;
  beforeAll(() => {
    const generated = generatePipeline(count, rules.stages, AS_OF, { revisions, seed: 7 });
    data = roughSeed === null ? generated : roughen(generated, roughSeed);
    objects = objectEngines(data);
    columns = columnEngines(data);
  });

  it('reads every deal as it stood at the as-of date, as stateAsOf does', () => {
    const known = objects.today.dataset.opportunities;
    expect(columns.today.count).toBe(known.length);
    expect(columns.today.undatedLeftOut).toBe(objects.today.undatedLeftOut);
    for (let k = 0; k < columns.today.count; k++) {
      // The columns keep no extra columns; everything else must match.
      expect(opportunityAt(columns.today, k)).toEqual({ ...known[k]!, extra: {} });
    }
  });

  it('flags every deal with the rules the object engine meets, with the same evidence', () => {
    let flagged = 0;
    for (let k = 0; k < columns.today.count; k++) {
      const expected = objects.now.out.get(idAt(columns.today, k));
      const met = FINDING_ORDER.filter((_, b) => columns.flags[k]! & (1 << b));
      expect(met).toEqual(expected?.findings.map((f) => f.signal) ?? []);
      if (expected) expect(signalsAt(columns.hygiene, k)).toEqual(expected);
      // Each finding's sentence read straight off the columns, as the action queue quotes it.
      for (const finding of expected?.findings ?? [])
        expect(evidenceAt(columns.hygiene, k, finding.signal)).toBe(finding.evidence);
      if (met.length > 0) flagged++;
    }
    expect(flagged).toBeGreaterThan(count / 10);
  });

  it("gives every open deal the object engine's risk score and last week's", () => {
    for (let k = 0; k < columns.today.count; k++) {
      const id = idAt(columns.today, k);
      if (!objects.scores.has(id)) continue;
      expect(columns.scores[k], id).toBe(objects.scores.get(id)!.score);
      const previous = columns.previous[k]!;
      expect(previous < 0 ? null : previous, id).toBe(objects.previous.get(id));
    }
  });

  it('builds the same action queue, rank for rank and word for word', () => {
    expect(columns.queues).toEqual(objects.queues);
    expect(columns.queues.reduce((n, q) => n + q.actions.length, 0)).toBeGreaterThan(count / 10);
  });
});

describe('column engines on random pipelines', () => {
  it('rank and word the action queue as the object engine does, whatever the pipeline and the date', () => {
    let actions = 0;
    const quoted = new Set<string>();
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          count: fc.integer({ min: 20, max: 250 }),
          revisions: fc.boolean(),
          rough: fc.option(fc.integer({ min: 1, max: 1_000 }), { nil: null }),
          daysBack: fc.integer({ min: 0, max: 120 }),
        }),
        ({ seed, count, revisions, rough, daysBack }) => {
          const generated = generatePipeline(count, rules.stages, AS_OF, { revisions, seed });
          const data = rough === null ? generated : roughen(generated, rough);
          const asOf = addDays(AS_OF, -daysBack);
          const objects = objectEngines(data, asOf);
          const columns = columnEngines(data, asOf);
          expect(columns.queues).toEqual(objects.queues);
          for (const q of columns.queues)
            for (const a of q.actions) {
              actions++;
              for (const rule of a.rules) quoted.add(rule);
            }
        },
      ),
      { numRuns: 30, seed: 17 },
    );
    expect(actions).toBeGreaterThan(500);
    // The quoted findings span the rules, so each sentence's reading was compared at least once.
    expect(quoted.size).toBeGreaterThanOrEqual(8);
  });
});

describe('columns made straight from the generator', () => {
  it('hold the pipeline the record generator makes, so the forecast over them gives the same figures', () => {
    const rulesNow = rules;
    const records = generatePipeline(500, rulesNow.stages, AS_OF, { revisions: true, contacts: false });
    const columns = generatePipelineColumns(500, rulesNow.stages, AS_OF, {
      revisions: true,
      contacts: false,
    });
    const options = { seed: 1, forecastCutoffs: rulesNow.thresholds.forecastCutoffs, simulations: 500 };
    const direct = forecastPipeline(records, AS_OF, options);
    const viaColumns = forecastPipeline(datasetOf(columns), AS_OF, options);
    expect(viaColumns.quarter).toEqual(direct.quarter);
    expect(viaColumns.opportunities).toEqual(direct.opportunities);
    expect(viaColumns.movement).toEqual(direct.movement);
    expect(direct.quarter.pipeline).toBeGreaterThan(0);
  });

  it('refuses an opportunity id given twice rather than picking one', () => {
    const data = generatePipeline(3, rules.stages, AS_OF);
    expect(() =>
      columnsOf({ ...data, opportunities: [...data.opportunities, data.opportunities[0]!] }),
    ).toThrow(/appears twice/);
  });
});
