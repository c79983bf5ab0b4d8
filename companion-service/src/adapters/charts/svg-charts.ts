import type { ReliabilityBin } from '../../domain/forecast/scores.js';
import type { StageCalibration } from '../../domain/calibration/stage-calibration.js';

/**
 * The forecast's two charts as standalone SVG. Written by hand: each is a few dozen rectangles,
 * lines and labels, and a charting library would pull a browser DOM or a canvas binding into a CLI
 * for that.
 */

const W = 640;
const H = 360;
const M = { left: 84, right: 20, top: 40, bottom: 52 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Amounts on an axis: short ("$1.2M") in the forecast's currency; a code Intl does not know is appended. */
export function compactMoney(currency: string): (value: number) => string {
  try {
    const format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    });
    return (value) => format.format(value);
  } catch {
    const plain = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
    return (value) => `${plain.format(value)} ${currency}`;
  }
}

/** A round step for about `count` ticks: 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = Math.max(hi - lo, 1e-9);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((c) => c >= raw) ?? 10 * power;
  const ticks: number[] = [];
  // The last tick is at or past the highest value, so nothing is drawn beyond the axis.
  for (let v = Math.floor(lo / step) * step; ; v += step) {
    ticks.push(Math.round(v * 1e9) / 1e9);
    if (v >= hi - step * 1e-9) return ticks;
  }
}

function frame(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Salesforce Sans, Arial, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The sentence an empty chart shows instead of nothing, across the middle of the plot. */
const why = (sentence: string) =>
  `<text class="why-empty" x="${M.left + PLOT_W / 2}" y="${M.top + PLOT_H / 2}" text-anchor="middle" fill="#444">${esc(sentence)}</text>`;

/** Both axes: lines, ticks with labels, and a title for each. */
function axes(
  xTicks: { at: number; label: string }[],
  yTicks: { at: number; label: string }[],
  xTitle: string,
  yTitle: string,
): string[] {
  const bottom = M.top + PLOT_H;
  return [
    ...yTicks.map(
      (t) =>
        `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${t.at.toFixed(1)}" y2="${t.at.toFixed(1)}" stroke="#eee"/>`,
    ),
    `<line class="x-axis" x1="${M.left}" x2="${M.left + PLOT_W}" y1="${bottom}" y2="${bottom}" stroke="#444"/>`,
    `<line class="y-axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${bottom}" stroke="#444"/>`,
    ...xTicks.flatMap((t) => [
      `<line x1="${t.at.toFixed(1)}" x2="${t.at.toFixed(1)}" y1="${bottom}" y2="${bottom + 5}" stroke="#444"/>`,
      `<text class="x-tick" x="${t.at.toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${esc(t.label)}</text>`,
    ]),
    ...yTicks.flatMap((t) => [
      `<line x1="${M.left - 5}" x2="${M.left}" y1="${t.at.toFixed(1)}" y2="${t.at.toFixed(1)}" stroke="#444"/>`,
      `<text class="y-tick" x="${M.left - 8}" y="${(t.at + 4).toFixed(1)}" text-anchor="end">${esc(t.label)}</text>`,
    ]),
    `<text class="x-title" x="${M.left + PLOT_W / 2}" y="${H - 8}" text-anchor="middle">${esc(xTitle)}</text>`,
    `<text class="y-title" transform="translate(16 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${esc(yTitle)}</text>`,
  ];
}

/**
 * Histogram of the simulated won value with the P10, P50 and P90 marked: amounts on the x-axis in the
 * forecast's currency, the share of simulated quarters on the y-axis.
 */
export function forecastRangeSvg(
  sortedValues: readonly number[],
  marks: { p10: number; p50: number; p90: number },
  window: { from: string; to: string },
  currency = 'USD',
): string {
  const money = compactMoney(currency);
  const ticks = niceTicks(0, Math.max(1, sortedValues.at(-1) ?? 1));
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const bins = 30;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sortedValues) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
  const total = Math.max(1, sortedValues.length);
  const topShare = Math.max(...counts, 1) / total;
  const shareTicks = niceTicks(0, topShare, 4);
  const shareTop = shareTicks.at(-1)!;
  const x = (v: number) => M.left + ((v - lo) / (hi - lo)) * PLOT_W;
  const y = (share: number) => M.top + PLOT_H - (share / shareTop) * PLOT_H;
  const body = axes(
    ticks.map((t) => ({ at: x(t), label: money(t) })),
    shareTicks.map((t) => ({ at: y(t), label: `${Math.round(t * 1000) / 10}%` })),
    `won value closing ${window.from} to ${window.to}, ${currency} (${sortedValues.length} simulated quarters)`,
    'share of simulated quarters',
  );
  body.push(
    ...counts.map((c, i) => {
      const h = M.top + PLOT_H - y(c / total);
      return `<rect x="${(M.left + (i * PLOT_W) / bins).toFixed(1)}" y="${y(c / total).toFixed(1)}" width="${(PLOT_W / bins - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#0176d3" opacity="0.75"/>`;
    }),
  );
  for (const [label, v] of [
    ['P10', marks.p10],
    ['P50', marks.p50],
    ['P90', marks.p90],
  ] as const) {
    body.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#ba0517" stroke-dasharray="4 3"/>`,
      `<text class="mark" x="${x(v).toFixed(1)}" y="${M.top - 4}" text-anchor="middle" fill="#ba0517">${label} ${esc(money(v))}</text>`,
    );
  }
  if (!sortedValues.some((v) => v > 0))
    body.push(
      why(
        sortedValues.length === 0
          ? 'Nothing to draw: no quarter was simulated.'
          : 'Nothing to draw: no open deal with an amount is likely to be won in the window.',
      ),
    );
  return frame('Forecast range', body);
}

/** Stated against realized: the model's held-out reliability and each stage's stated probability. */
export function calibrationSvg(
  reliability: readonly ReliabilityBin[],
  stages: readonly StageCalibration[],
): string {
  const x = (p: number) => M.left + p * PLOT_W;
  const y = (p: number) => M.top + (1 - p) * PLOT_H;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const body = [
    ...axes(
      ticks.map((t) => ({ at: x(t), label: `${t * 100}%` })),
      ticks.map((t) => ({ at: y(t), label: `${t * 100}%` })),
      'stated probability',
      'realized win rate',
    ),
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
  ];
  const points = reliability.map((b) => `${x(b.meanProbability).toFixed(1)},${y(b.winRate).toFixed(1)}`);
  if (points.length > 1)
    body.push(`<polyline points="${points.join(' ')}" fill="none" stroke="#0176d3" stroke-width="2"/>`);
  for (const b of reliability) {
    body.push(
      `<circle cx="${x(b.meanProbability).toFixed(1)}" cy="${y(b.winRate).toFixed(1)}" r="${Math.min(9, 2 + Math.sqrt(b.count) / 4).toFixed(1)}" fill="#0176d3"><title>forecast ${(b.meanProbability * 100).toFixed(0)}%, won ${(b.winRate * 100).toFixed(0)}% of ${b.count}</title></circle>`,
    );
  }
  for (const s of stages) {
    if (s.statedProbability === null || s.realizedWinRate === null || s.interval === null) continue;
    const cx = x(s.statedProbability).toFixed(1);
    body.push(
      `<line x1="${cx}" x2="${cx}" y1="${y(s.interval.low).toFixed(1)}" y2="${y(s.interval.high).toFixed(1)}" stroke="#fe9339"/>`,
      `<rect x="${(Number(cx) - 4).toFixed(1)}" y="${(y(s.realizedWinRate) - 4).toFixed(1)}" width="8" height="8" fill="#fe9339"><title>${esc(s.stage)}: stated ${(s.statedProbability * 100).toFixed(0)}%, won ${s.won} of ${s.reachedAndClosed}</title></rect>`,
    );
  }
  body.push(
    `<text x="${M.left + 8}" y="${M.top + 14}" fill="#0176d3">● forecast (held-out)</text>`,
    `<text x="${M.left + 8}" y="${M.top + 30}" fill="#fe9339">■ stage rule, 95% interval</text>`,
  );
  const plotted = stages.filter(
    (s) => s.statedProbability !== null && s.realizedWinRate !== null && s.interval !== null,
  );
  if (reliability.length === 0 && plotted.length === 0)
    body.push(
      why(
        'Nothing to draw: no deal had closed by the as-of date, so no stated probability can be set against a realized one.',
      ),
    );
  return frame('Calibration: stated against realized win rate', body);
}
