import type { ReliabilityBin } from '../../domain/forecast/scores.js';
import type { StageCalibration } from '../../domain/calibration/stage-calibration.js';

/**
 * The forecast's two charts as standalone SVG. Written by hand: each is a few dozen rectangles,
 * lines and labels, and a charting library would pull a browser DOM or a canvas binding into a CLI
 * for that.
 */

const W = 640;
const H = 360;
const M = { left: 64, right: 20, top: 40, bottom: 48 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const money = (v: number) =>
  v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : v.toFixed(0);

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

/** Histogram of the simulated won value with the P10, P50 and P90 marked. */
export function forecastRangeSvg(
  sortedValues: readonly number[],
  marks: { p10: number; p50: number; p90: number },
  window: { from: string; to: string },
): string {
  const lo = sortedValues[0] ?? 0;
  const hi = Math.max(lo + 1, sortedValues.at(-1) ?? 1);
  const bins = 30;
  const counts = new Array<number>(bins).fill(0);
  for (const v of sortedValues) counts[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
  const top = Math.max(1, ...counts);
  const x = (v: number) => M.left + ((v - lo) / (hi - lo)) * PLOT_W;
  const body = counts.map((c, i) => {
    const h = (c / top) * PLOT_H;
    return `<rect x="${(M.left + (i * PLOT_W) / bins).toFixed(1)}" y="${(M.top + PLOT_H - h).toFixed(1)}" width="${(PLOT_W / bins - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#0176d3" opacity="0.75"/>`;
  });
  for (const [label, v] of [
    ['P10', marks.p10],
    ['P50', marks.p50],
    ['P90', marks.p90],
  ] as const) {
    body.push(
      `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#ba0517" stroke-dasharray="4 3"/>`,
      `<text x="${x(v).toFixed(1)}" y="${M.top - 4}" text-anchor="middle" fill="#ba0517">${label} ${money(v)}</text>`,
    );
  }
  body.push(
    `<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H}" stroke="#444"/>`,
    `<text x="${M.left}" y="${H - 24}">${money(lo)}</text>`,
    `<text x="${M.left + PLOT_W}" y="${H - 24}" text-anchor="end">${money(hi)}</text>`,
    `<text x="${M.left + PLOT_W / 2}" y="${H - 8}" text-anchor="middle">won value closing ${esc(window.from)} to ${esc(window.to)} (${sortedValues.length} simulated quarters)</text>`,
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
  const body = [
    `<rect x="${M.left}" y="${M.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#ccc"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
  ];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    body.push(
      `<text x="${x(t)}" y="${M.top + PLOT_H + 16}" text-anchor="middle">${t * 100}%</text>`,
      `<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${t * 100}%</text>`,
    );
  }
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
    `<text x="${M.left + PLOT_W / 2}" y="${H - 8}" text-anchor="middle">stated probability</text>`,
    `<text x="${M.left + 8}" y="${M.top + 14}" fill="#0176d3">● forecast (held-out)</text>`,
    `<text x="${M.left + 8}" y="${M.top + 30}" fill="#fe9339">■ stage rule, 95% interval</text>`,
  );
  return frame('Calibration: stated against realized win rate', body);
}
