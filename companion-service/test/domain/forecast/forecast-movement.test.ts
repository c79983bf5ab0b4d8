import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/forecast/deal-snapshot.js';
import { forecastPipeline } from '../../../src/domain/forecast/forecast-pipeline.js';
import { generateSlippingPipeline } from '../../../eval/forecast/generated-slips.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';

describe("the week's change in a forecast read from files", () => {
  const g = generateSlippingPipeline({ seed: 3, deals: 2500 });
  const asOf = addDays(g.start, 400);
  const from = addDays(asOf, -7);
  const { weekChange } = forecastPipeline(g.dataset, asOf, {
    forecastCutoffs: { commit: 0.7, bestCase: 0.4 },
    simulations: 0,
  });
  const cents = (v: number) => Math.round(v * 100);

  it('adds up, to the cent, to the change in the weighted pipeline and the open amount', () => {
    const buckets = Object.values(weekChange.buckets);
    expect(buckets.reduce((s, b) => s + cents(b.weightedChange), 0)).toBe(
      cents(weekChange.after.weighted) - cents(weekChange.before.weighted),
    );
    expect(buckets.reduce((s, b) => s + cents(b.pipelineChange), 0)).toBe(
      cents(weekChange.after.pipeline) - cents(weekChange.before.pipeline),
    );
    // Wins here are coin flips, so the model holds every deal at the base rate: nothing moves up or down.
    for (const kind of ['in', 'out', 'slipped'] as const)
      expect(weekChange.buckets[kind].deals).toBeGreaterThan(0);
  });

  it("puts each deal in the bucket of what happened to it in the week's history", () => {
    const rows = (id: string) => g.dataset.history.filter((h) => h.opportunityId === id);
    for (const move of weekChange.moves) {
      const history = rows(move.opportunityId);
      const inWeek = history.filter((h) => h.date > from && h.date <= asOf);
      if (move.kind === 'in') expect(history[0]!.date > from).toBe(true);
      if (move.kind === 'out') expect(inWeek.at(-1)!.stage).toMatch(/^Closed (Won|Lost)$/);
      if (move.kind === 'slipped') {
        expect(move.closeDateAfter! > move.closeDateBefore!).toBe(true);
        expect(inWeek.some((h) => h.closeDate === move.closeDateAfter)).toBe(true);
      }
    }
  });

  it('moves a deal up or down when its stage changed during the week, and still adds up', () => {
    const w = generatePipeline({ seed: 5, deals: 4000 });
    const asOf = addDays(w.start, 600);
    // Twenty deals open at the as-of date move forward to Negotiation and twenty back to Qualification,
    // three days before it: the model learned stage (and rep) here, so their probabilities move with them.
    const open = stateAsOf(w.dataset, asOf).open.map((d) => d.opportunity);
    const moved = [
      ...open
        .filter((o) => o.stage === 'Qualification')
        .slice(0, 20)
        .map((o) => ({ o, to: 'Negotiation/Review' })),
      ...open
        .filter((o) => o.stage === 'Negotiation/Review')
        .slice(0, 20)
        .map((o) => ({ o, to: 'Qualification' })),
    ];
    const history = [
      ...w.dataset.history,
      ...moved.map(({ o, to }) => ({
        opportunityId: o.id,
        date: addDays(asOf, -3),
        stage: to,
        amount: o.amount,
        closeDate: null,
        probability: null,
        forecastCategory: 'Pipeline',
      })),
    ];
    const change = forecastPipeline({ ...w.dataset, history }, asOf, {
      forecastCutoffs: { commit: 0.7, bestCase: 0.4 },
      simulations: 0,
    }).weekChange;
    expect(change.buckets.up.deals).toBeGreaterThan(0);
    expect(change.buckets.down.deals).toBeGreaterThan(0);
    expect(change.moves.filter((m) => m.kind === 'up').every((m) => m.weightedChange > 0)).toBe(true);
    expect(Object.values(change.buckets).reduce((s, b) => s + cents(b.weightedChange), 0)).toBe(
      cents(change.after.weighted) - cents(change.before.weighted),
    );
  });
});
