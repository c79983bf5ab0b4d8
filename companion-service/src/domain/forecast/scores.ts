/** Proper scores for probability forecasts of yes/no outcomes. */

export interface Scored {
  probability: number;
  won: boolean;
}

export function brierScore(items: readonly Scored[]): number {
  if (items.length === 0) return NaN;
  return items.reduce((s, i) => s + (i.probability - (i.won ? 1 : 0)) ** 2, 0) / items.length;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanProbability: number;
  winRate: number;
}

/** Ten equal-width bins: the reliability diagram and the expected calibration error both read them. */
export function reliabilityBins(items: readonly Scored[], bins = 10): ReliabilityBin[] {
  const acc = Array.from({ length: bins }, () => ({ count: 0, p: 0, wins: 0 }));
  for (const i of items) {
    const b = acc[Math.min(bins - 1, Math.floor(i.probability * bins))]!;
    b.count++;
    b.p += i.probability;
    b.wins += i.won ? 1 : 0;
  }
  return acc.flatMap((b, index) =>
    b.count === 0
      ? []
      : [
          {
            from: index / bins,
            to: (index + 1) / bins,
            count: b.count,
            meanProbability: b.p / b.count,
            winRate: b.wins / b.count,
          },
        ],
  );
}

/** Expected calibration error: the count-weighted gap between stated and realized rates per bin. */
export function expectedCalibrationError(items: readonly Scored[], bins = 10): number {
  if (items.length === 0) return NaN;
  return reliabilityBins(items, bins).reduce(
    (s, b) => s + (b.count / items.length) * Math.abs(b.meanProbability - b.winRate),
    0,
  );
}
