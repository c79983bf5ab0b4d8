import { describe, expect, it } from 'vitest';
import { fitLogistic, sigmoid } from '../../../src/domain/forecast/penalized-logistic.js';
import { betweenGroupVariance, shrinkRates } from '../../../src/domain/forecast/shrunken-rates.js';
import { brierScore, expectedCalibrationError } from '../../../src/domain/forecast/scores.js';
import { poissonBinomial } from '../../../src/domain/forecast/quarter-outlook.js';
import { addDays } from '../../../src/domain/forecast/deal-snapshot.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { generatePipeline } from '../../../eval/forecast/generated-pipeline.js';
import { seededRandom } from '../../../src/domain/forecast/seeded-random.js';
import { scoreAsOf } from '../../../eval/forecast/run-forecast-eval.js';
import { readOpportunities } from '../../../src/adapters/csv/index.js';
import { MAVEN_PIPELINE, withSharedData } from '../../support/shared-data.js';

describe('the penalized logistic regression', () => {
  it('recovers known coefficients, and a heavy penalty pulls them to the offset', () => {
    const random = seededRandom(1);
    const x = Array.from({ length: 4000 }, () => [1, random() * 4 - 2]);
    const y = x.map((row) => (random() < sigmoid(-0.5 + 1.5 * row[1]!) ? 1 : 0));
    const free = fitLogistic({ x, y, lambda: 0 }).coefficients;
    expect(free[0]).toBeCloseTo(-0.5, 0);
    expect(free[1]).toBeCloseTo(1.5, 0);
    const heavy = fitLogistic({ x, y, lambda: 1e7 }).coefficients;
    expect(Math.abs(heavy[1]!)).toBeLessThan(0.01);
  });
});

describe('owner and product win rates', () => {
  it('give every group the base rate when they differ no more than chance', () => {
    const random = seededRandom(3);
    const counts = new Map(
      Array.from({ length: 30 }, (_, i) => {
        const deals = 200;
        let wins = 0;
        for (let d = 0; d < deals; d++) if (random() < 0.63) wins++;
        return [`rep ${i}`, { wins, deals }] as const;
      }),
    );
    const rates = shrinkRates(counts, 0.63);
    expect(rates.priorDeals).toBe(Infinity);
    expect(rates.rate('rep 1')).toBe(0.63);
  });

  it('keep a real difference, shrunk toward the base rate', () => {
    const counts = new Map([
      ['strong', { wins: 160, deals: 200 }],
      ['weak', { wins: 80, deals: 200 }],
      ['new', { wins: 2, deals: 2 }],
    ]);
    const rates = shrinkRates(counts, 0.6);
    expect(rates.rate('strong')).toBeGreaterThan(0.75);
    expect(rates.rate('weak')).toBeLessThan(0.45);
    expect(rates.rate('new')).toBeLessThan(0.8);
  });
});

describe('how much groups of deals really differ', () => {
  it('is zero when reps differ no more than chance', () => {
    const random = seededRandom(3);
    const counts = Array.from({ length: 30 }, () => {
      const deals = 200;
      let wins = 0;
      for (let d = 0; d < deals; d++) if (random() < 0.63) wins++;
      return { wins, deals };
    });
    expect(betweenGroupVariance(counts, 0.63)).toBe(0);
  });

  it('keeps a real difference, less what sampling explains', () => {
    const counts = [
      { wins: 160, deals: 200 },
      { wins: 80, deals: 200 },
    ];
    // Observed spread 0.04 about 0.6, of which 0.24/200 is sampling.
    expect(betweenGroupVariance(counts, 0.6)).toBeCloseTo(0.04 - 0.0012, 6);
  });
});

describe('the quarter', () => {
  it('counts wins with the exact Poisson-binomial distribution', () => {
    const { offset, mass } = poissonBinomial([0.5, 0.5]);
    expect(offset).toBe(0);
    expect(mass.map((m) => m.toFixed(2))).toEqual(['0.25', '0.50', '0.25']);
  });
});

describe('on a generated pipeline with known probabilities, the forecast finds the signal', () => {
  it('scores within 5% of the oracle and is calibrated (ECE < 0.03 pooled over three dates)', () => {
    const g = generatePipeline({ seed: 11, deals: 12000 });
    const outcomes = new Map(stateAsOf(g.dataset, '9999-12-31').closed.map((c) => [c.opportunity.id, c.won]));
    const model = [];
    const oracle = [];
    const base = [];
    for (const day of [480, 600, 700]) {
      const asOf = addDays(g.start, day);
      const scored = scoreAsOf(g.dataset, asOf, outcomes);
      expect(scored.forecast.model.groups.find((g) => g.factor === 'stage')?.penalty).not.toBeNull();
      model.push(...scored.model);
      base.push(...scored.baseline);
      const lastSeen = new Map<string, string>();
      for (const e of g.dataset.engagement) {
        if (e.date <= asOf && (lastSeen.get(e.opportunityId) ?? '') < e.date)
          lastSeen.set(e.opportunityId, e.date);
      }
      for (const o of scored.forecast.opportunities) {
        const silence = (Date.parse(asOf) - Date.parse(lastSeen.get(o.opportunityId)!)) / 86_400_000;
        oracle.push({ probability: g.oracle(o.opportunityId, silence), won: outcomes.get(o.opportunityId)! });
      }
    }
    expect(brierScore(model)).toBeLessThan(brierScore(oracle) * 1.05);
    expect(brierScore(model)).toBeLessThan(brierScore(base) * 0.9);
    expect(expectedCalibrationError(model)).toBeLessThan(0.03);
  }, 60_000);
});

describe.runIf(withSharedData)('on maven-crm, where there is little signal, the forecast knows it', () => {
  it('is no worse than the base rate (within 1%) at as-of dates it was not tuned on', async () => {
    const dataset = await readOpportunities(MAVEN_PIPELINE);
    const outcomes = new Map(stateAsOf(dataset, '9999-12-31').closed.map((c) => [c.opportunity.id, c.won]));
    for (const asOf of ['2017-05-17', '2017-08-09']) {
      const { model, baseline } = scoreAsOf(dataset, asOf, outcomes);
      expect(model.length).toBeGreaterThan(500);
      expect(brierScore(model)).toBeLessThanOrEqual(brierScore(baseline) * 1.01);
    }
  }, 60_000);
});
