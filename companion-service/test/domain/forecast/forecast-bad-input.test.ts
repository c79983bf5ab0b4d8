import { describe, expect, it } from 'vitest';
import { forecastPipeline } from '../../../src/domain/forecast/forecast-pipeline.js';
import { checkDealDates, DealDatesOutOfOrder } from '../../../src/domain/forecast/deal-dates.js';
import { addDays } from '../../../src/domain/forecast/deal-snapshot.js';
import type { PipelineDataset } from '../../../src/domain/pipeline/records.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';

const CUTOFFS = { commit: 0.7, bestCase: 0.4 };
const small = () => generatePipeline({ seed: 5, deals: 900, days: 365 });
const forecast = (dataset: PipelineDataset, asOf: string) =>
  forecastPipeline(dataset, asOf, { forecastCutoffs: CUTOFFS, simulations: 200 });

describe('a forecast from a pipeline it cannot learn much from says so and falls back visibly', () => {
  it('with no closed deal, gives every open deal the 50% prior and says nothing could be learned', () => {
    const g = small();
    const result = forecast(g.dataset, g.start);
    expect(result.model.closedDeals).toBe(0);
    expect(result.opportunities.length).toBeGreaterThan(0);
    expect(new Set(result.opportunities.map((o) => o.probability))).toEqual(new Set([0.5]));
    expect(result.notes.join('\n')).toMatch(/no deal had closed by the as-of date/);
    expect(result.model.summary).toMatch(/nothing beyond that could be learned/);
  });

  it('with every deal in one stage, learns no stage effect and names the stage', () => {
    const g = small();
    const oneStage: PipelineDataset = {
      ...g.dataset,
      history: g.dataset.history.map((h) =>
        h.stage.startsWith('Closed') ? h : { ...h, stage: 'Discovery' },
      ),
    };
    const result = forecast(oneStage, addDays(g.start, 300));
    expect(result.model.groups.find((x) => x.factor === 'stage')!.penalty).toBeNull();
    expect(result.notes).toContain(
      'every training deal has the same stage (Discovery), so stage cannot move a probability',
    );
    expect(result.opportunities.every((o) => !o.factors.some((f) => f.factor === 'stage'))).toBe(true);
  });

  it('with no amounts, says the quarter has no value to forecast while the win counts stand', () => {
    const g = small();
    const noAmounts: PipelineDataset = {
      ...g.dataset,
      opportunities: g.dataset.opportunities.map((o) => ({ ...o, amount: null })),
      history: g.dataset.history.map((h) => ({ ...h, amount: null })),
    };
    const result = forecast(noAmounts, addDays(g.start, 300));
    expect(result.quarter.value.p90).toBe(0);
    expect(result.quarter.wins.p90).toBeGreaterThan(0);
    expect(result.notes.some((n) => /none of the \d+ open deals has an amount/.test(n))).toBe(true);
  });
});

describe('dates out of order', () => {
  it('refuse a history row dated before its opportunity was created, naming both rows', () => {
    const g = small();
    const history = [...g.dataset.history];
    const first = g.dataset.opportunities[2]!;
    history.push({ ...history[0]!, opportunityId: first.id, date: addDays(first.createdDate!, -3) });
    expect(() => checkDealDates({ ...g.dataset, history })).toThrow(DealDatesOutOfOrder);
    expect(() => checkDealDates({ ...g.dataset, history })).toThrow(
      `history row ${history.length} (${first.id},`,
    );
    expect(() => checkDealDates({ ...g.dataset, history })).toThrow(/opportunity row 3\)/);
  });

  it('accept a deal created already closed with a backdated close date, as Salesforce does', () => {
    const g = small();
    const o = g.dataset.opportunities[0]!;
    const backdated = { ...o, closeDate: addDays(o.createdDate!, -30) };
    expect(() =>
      checkDealDates({ ...g.dataset, opportunities: [backdated, ...g.dataset.opportunities.slice(1)] }),
    ).not.toThrow();
  });
});
