import { describe, expect, it } from 'vitest';
import { logit } from '../../../src/domain/forecast/penalized-logistic.js';
import { seededRandom } from '../../../src/domain/forecast/seeded-random.js';
import { simulateQuarter, type QuarterDeals } from '../../../src/domain/forecast/simulated-quarter.js';

/**
 * The quarter's simulated value on a large pipeline, where the small deals' sum is drawn as a
 * normal, against tossing every deal's coin: the P10, P50 and P90 a CRO reads must not move beyond
 * the simulation's own noise, and one deal big enough to decide the quarter must still split it.
 */

function pipeline(deals: number, seed: number, bigDeal: number | null): QuarterDeals {
  const random = seededRandom(seed);
  const amount = Float64Array.from({ length: deals }, () => Math.round(2000 * Math.exp(1.2 * random())));
  if (bigDeal !== null) amount[0] = bigDeal;
  return {
    amount,
    logit: Float64Array.from({ length: deals }, () => logit(0.05 + 0.6 * random())),
    inWindow: Float64Array.from({ length: deals }, () => 0.5 + 0.5 * random()),
  };
}

const quantiles = (values: Float64Array) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [0.1, 0.5, 0.9].map((q) => sorted[Math.floor(q * sorted.length)]!);
};

const options = { simulations: 4000, seed: 7, drift: 0, paceError: 0.05 };

describe('the simulated quarter', () => {
  it('gives a large pipeline the P10/P50/P90 of tossing every deal, within 0.5%', () => {
    const deals = pipeline(20_000, 1, null);
    const exact = quantiles(simulateQuarter(deals, { ...options, approximateFrom: Infinity }));
    const summed = quantiles(simulateQuarter(deals, options));
    summed.forEach((v, k) => expect(Math.abs(v / exact[k]! - 1)).toBeLessThan(0.005));
  });

  it('still tosses a deal that decides the quarter: the range keeps its two humps', () => {
    const deals = pipeline(5_000, 2, 20_000_000);
    deals.logit[0] = logit(0.3);
    deals.inWindow[0] = 1;
    const exact = quantiles(simulateQuarter(deals, { ...options, approximateFrom: Infinity }));
    const summed = quantiles(simulateQuarter(deals, options));
    // Lost in most quarters, won in three in ten: P90 lies about its amount above P10.
    expect(summed[2]! - summed[0]!).toBeGreaterThan(15_000_000);
    summed.forEach((v, k) => expect(Math.abs(v / exact[k]! - 1)).toBeLessThan(0.01));
  });

  it('tosses every coin as before on a small pipeline or with drift: the same values', () => {
    const small = pipeline(500, 3, null);
    expect(simulateQuarter(small, options)).toEqual(
      simulateQuarter(small, { ...options, approximateFrom: Infinity }),
    );
    const drifting = pipeline(3_000, 4, null);
    const withDrift = { ...options, drift: 0.2, simulations: 200 };
    expect(simulateQuarter(drifting, withDrift)).toEqual(
      simulateQuarter(drifting, { ...withDrift, approximateFrom: Infinity }),
    );
  });
});
