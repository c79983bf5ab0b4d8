import { describe, expect, it } from 'vitest';
import { calibrationSvg, forecastRangeSvg, niceTicks } from '../../../src/adapters/charts/svg-charts.js';

const texts = (svg: string, cls: string) =>
  [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[1]);

describe('the forecast charts of scribe forecast', () => {
  const values = Array.from({ length: 1000 }, (_, i) => 400_000 + i * 400);
  const window = { from: '2026-12-08', to: '2027-03-07' };

  it('draws the range on two axes: amounts in the forecast’s currency, the share of simulated quarters', () => {
    const svg = forecastRangeSvg(values, { p10: 440_000, p50: 600_000, p90: 760_000 }, window, 'EUR');

    expect(svg).toContain('class="x-axis"');
    expect(svg).toContain('class="y-axis"');
    expect(texts(svg, 'x-tick')).toEqual(['€0', '€200K', '€400K', '€600K', '€800K']);
    const shares = texts(svg, 'y-tick');
    expect(shares[0]).toBe('0%');
    expect(shares.every((s) => /^\d+(\.\d)?%$/.test(s!))).toBe(true);
    expect(texts(svg, 'x-title')[0]).toBe(
      'won value closing 2026-12-08 to 2027-03-07, EUR (1000 simulated quarters)',
    );
    expect(texts(svg, 'y-title')[0]).toBe('share of simulated quarters');
    expect(texts(svg, 'mark')).toEqual(['P10 €440K', 'P50 €600K', 'P90 €760K']);
  });

  it('puts the calibration chart on percent axes with their titles', () => {
    const svg = calibrationSvg([{ from: 0.5, to: 0.6, count: 40, meanProbability: 0.55, winRate: 0.5 }], []);

    expect(texts(svg, 'x-tick')).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(texts(svg, 'y-tick')).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(texts(svg, 'x-title')).toEqual(['stated probability']);
    expect(texts(svg, 'y-title')).toEqual(['realized win rate']);
  });

  it('says why a chart has nothing to draw rather than showing an empty plot', () => {
    const range = forecastRangeSvg(new Array(100).fill(0), { p10: 0, p50: 0, p90: 0 }, window, 'USD');
    expect(texts(range, 'why-empty')).toEqual([
      'Nothing to draw: no open deal with an amount is likely to be won in the window.',
    ]);
    expect(texts(calibrationSvg([], []), 'why-empty')[0]).toMatch(/^Nothing to draw: no deal had closed/);
    expect(texts(forecastRangeSvg(values, { p10: 1, p50: 2, p90: 3 }, window), 'why-empty')).toEqual([]);
  });

  it('chooses round ticks that cover the values', () => {
    expect(niceTicks(0, 7_300)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(niceTicks(0, 0.043, 4)).toEqual([0, 0.02, 0.04, 0.06]);
  });
});
