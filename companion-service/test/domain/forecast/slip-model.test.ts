import { describe, expect, it } from 'vitest';
import { addDays, snapshotsOf } from '../../../src/domain/forecast/deal-snapshot.js';
import { fitSlipModel } from '../../../src/domain/forecast/slip-model.js';
import {
  buildSlipTrainingSet,
  pushDatesOf,
  slipSnapshot,
} from '../../../src/domain/forecast/slip-training.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import type { OpportunityChange, PipelineOpportunity } from '../../../src/domain/pipeline/records.js';
import { generateSlippingPipeline } from '../../../eval/forecast/generated-slips.js';

const slipsAt = (dataset: Parameters<typeof stateAsOf>[0], asOf: string) => {
  const state = stateAsOf(dataset, asOf);
  const training = buildSlipTrainingSet({ asOf, state });
  return { state, training, model: fitSlipModel(training) };
};

describe('the slip warning', () => {
  const g = generateSlippingPipeline({ seed: 11, deals: 3000 });
  const asOf = addDays(g.start, 500);
  const { state, training, model } = slipsAt(g.dataset, asOf);

  it("labels each close date by whether the deal had closed by it, from the history's pushes", () => {
    const pushes = pushDatesOf(g.dataset);
    const rowsOf = (id: string) => g.dataset.history.filter((h) => h.opportunityId === id);
    const pushed = [...pushes.keys()].find((id) => rowsOf(id).length > 3)!;
    const rows = rowsOf(pushed);
    // Every row between the first and the closing one is a rep's push; closing late moves it once more.
    expect(pushes.get(pushed)!.slice(0, rows.length - 2)).toEqual(rows.slice(1, -1).map((r) => r.date));
    for (const e of training.examples.slice(0, 500)) {
      const closed = g.dataset.opportunities.find((o) => o.id === e.snapshot.id)!.closeDate!;
      expect(e.slipped).toBe(closed > e.snapshot.closeDate!);
      expect(e.snapshot.closeDate! <= asOf).toBe(true);
    }
  });

  it('learns the reps who promise early and warns more on their deals than the base rate does', () => {
    expect(model.lambda).not.toBeNull();
    expect(model.crossValidation!.modelBrier!).toBeLessThan(model.crossValidation!.baseBrier);
    const byOwner = new Map<string, number[]>();
    for (const s of snapshotsOf(state, state.dataset)) {
      const p = model.predict(slipSnapshot(s, training.pushDates)).probability;
      if (p !== null) byOwner.set(s.owner!, [...(byOwner.get(s.owner!) ?? []), p]);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const ranked = [...g.optimism].sort((a, b) => a[1] - b[1]).map(([owner]) => owner);
    const mostOptimistic = mean(byOwner.get(ranked.at(-1)!)!);
    const mostRealistic = mean(byOwner.get(ranked[0]!)!);
    expect(mostOptimistic).toBeGreaterThan(mostRealistic + 0.1);
  });

  it('says why a deal has no slip chance: no close date, or one already behind it', () => {
    const base = slipSnapshot(snapshotsOf(state, state.dataset)[0]!, training.pushDates);
    expect(model.predict({ ...base, closeDate: null, daysToClose: NaN })).toMatchObject({
      probability: null,
      reason: 'no close date',
    });
    expect(model.predict({ ...base, closeDate: addDays(asOf, -3), daysToClose: -3 }).reason).toBe(
      `close date ${addDays(asOf, -3)} has already passed`,
    );
  });

  it('keeps every deal at the base rate when nothing about a deal tells whether it slips', () => {
    const free = generateSlippingPipeline({ seed: 11, deals: 3000, signalFree: true });
    const { model: flat } = slipsAt(free.dataset, addDays(free.start, 500));
    expect(flat.lambda).toBeNull();
    expect(flat.baseRate).toBeCloseTo(0.4, 1);
    expect(flat.summary).toMatch(
      /no feature set beat it consistently, so every deal with a close date gets the base rate/,
    );
  });

  it('gives no slip chance, and says why, when no close date has come due', () => {
    const deal: PipelineOpportunity = {
      ...g.dataset.opportunities[0]!,
      id: 'OPEN1',
      isClosed: false,
      isWon: false,
      stage: 'Qualification',
      createdDate: '2025-01-01',
      closeDate: '2025-06-30',
    };
    const row: OpportunityChange = {
      opportunityId: 'OPEN1',
      date: '2025-01-01',
      stage: 'Qualification',
      amount: 1000,
      closeDate: '2025-06-30',
      probability: 10,
      forecastCategory: 'Pipeline',
    };
    const emptyData = {
      opportunities: [deal],
      history: [row],
      contacts: [],
      engagement: [],
      conversations: [],
    };
    const { model: empty } = slipsAt(emptyData, '2025-03-01');
    expect(empty.commitments).toBe(0);
    expect(empty.baseRate).toBe(0.5);
    expect(empty.lambda).toBeNull();
    expect(empty.summary).toMatch(/nothing to learn slips from/);
    const [open] = snapshotsOf(stateAsOf(emptyData, '2025-03-01'), emptyData);
    expect(empty.predict(slipSnapshot(open!, new Map()))).toMatchObject({
      probability: null,
      reason: 'no close date has come due yet to learn slips from',
    });
  });
});
