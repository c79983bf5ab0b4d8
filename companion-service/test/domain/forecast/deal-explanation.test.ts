import { describe, expect, it } from 'vitest';
import {
  driverLine,
  explainDeal,
  explanationReference,
} from '../../../src/domain/forecast/deal-explanation.js';
import { addDays } from '../../../src/domain/forecast/deal-snapshot.js';
import { forecastPipeline } from '../../../src/domain/forecast/forecast-pipeline.js';
import { buildTrainingSet } from '../../../src/domain/forecast/training-set.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';

const CUTOFFS = { commit: 0.7, bestCase: 0.4 };

describe('the explanation of a win probability', () => {
  const g = generatePipeline({ seed: 5, deals: 4000 });
  const asOf = addDays(g.start, 600);
  const forecast = forecastPipeline(g.dataset, asOf, { forecastCutoffs: CUTOFFS, simulations: 0 });
  const open = new Map(stateAsOf(g.dataset, asOf).open.map((d) => [d.opportunity.id, d]));

  it('gives each deal at most three drivers, largest effect first, that add toward its probability', () => {
    // The deal features do no better than stage and rep on later snapshots of this pipeline, so the
    // model learns those two and each deal has at most their two drivers.
    expect(forecast.model.groups.filter((x) => x.penalty !== null).map((x) => x.factor)).toEqual([
      'stage',
      'owner',
    ]);
    for (const o of forecast.opportunities) {
      expect(o.drivers.length).toBeLessThanOrEqual(3);
      const sizes = o.drivers.map((d) => Math.abs(d.points));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
    const explained = forecast.opportunities.filter((o) => o.drivers.length === 2);
    expect(explained.length).toBeGreaterThan(forecast.opportunities.length / 2);
  });

  it("says true things about the deal: its silence, its stage and its owner's record", () => {
    const lastEngaged = new Map<string, string>();
    for (const e of g.dataset.engagement)
      if (e.date <= asOf && e.date > (lastEngaged.get(e.opportunityId) ?? ''))
        lastEngaged.set(e.opportunityId, e.date);
    const closed = stateAsOf(g.dataset, asOf).closed;
    let checked = 0;
    for (const o of forecast.opportunities) {
      for (const d of o.drivers) {
        const silence =
          /^no activity for (\d+) days/.exec(d.text) ??
          /^activity (\d+) days? ago/.exec(d.text) ??
          /^activity (today)/.exec(d.text);
        if (silence) {
          const days = (Date.parse(asOf) - Date.parse(lastEngaged.get(o.opportunityId)!)) / 86_400_000;
          expect(silence[1] === 'today' ? 0 : Number(silence[1])).toBe(days);
          checked++;
        }
        const stage = /^in (.+?), where (\d+) of/.exec(d.text);
        if (stage) {
          expect(stage[1]).toBe(open.get(o.opportunityId)!.opportunity.stage);
          checked++;
        }
        const owner = /^(Rep \d+) won (\d+) of (\d+) closed deals/.exec(d.text);
        if (owner) {
          const theirs = closed.filter((c) => c.opportunity.owner === owner[1]);
          expect(owner[1]).toBe(o.owner);
          expect([Number(owner[2]), Number(owner[3])]).toEqual([
            theirs.filter((c) => c.won).length,
            theirs.length,
          ]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('puts a long wait in a stage against the deals that won, with the effect in points', () => {
    const training = buildTrainingSet(g.dataset, asOf);
    const reference = explanationReference(training.examples, [], 0.5);
    const typical = reference.wonDaysInStage.get('Negotiation/Review')!;
    const snapshot = training.examples.find((e) => e.snapshot.stage === 'Negotiation/Review')!.snapshot;
    const slow = { ...snapshot, daysInStage: typical * 2 };
    const [driver] = explainDeal(slow, 0.4, [{ factor: 'days in stage', effect: -0.5 }], reference);
    expect(driver!.text).toBe(
      `in Negotiation/Review 2× longer than deals that won (${typical * 2} vs ${typical} days)`,
    );
    // 40% with the factor; without its -0.5 log-odds the deal would be at 52.4%.
    expect(driver!.points).toBe(-12.4);
    expect(driverLine(driver!)).toMatch(/: \u221212\.4 points$/);
  });
});
