import { sigmoid } from './penalized-logistic.js';
import { seededRandom } from './seeded-random.js';

/**
 * The quarter's value, simulated: each simulation draws one shared shock to every deal's log-odds
 * (the win rate's drift) and one pace (how far the in-window count misses), then adds the amount of
 * each deal it wins. That is one coin per deal per simulation, four thousand simulations: on a
 * pipeline of 50,000 deals, two hundred million coins and most of the forecast's time.
 *
 * Without drift the deals are independent once the pace is drawn, and the sum of many small ones
 * is normal to within a fraction of a percent (the central limit theorem, Lyapunov's form: no one
 * deal is a visible share of the spread). So on a large pipeline the small deals' sum is drawn as
 * one normal with their exact mean and variance at that pace, and only the deals big enough to move
 * the total on their own are still tossed one by one. Below APPROXIMATE_FROM deals, or with drift,
 * every deal is tossed as before, with the same numbers.
 */

/** Deals with an amount from which the small ones are summed as a normal (a method's bound, not a rule). */
export const APPROXIMATE_FROM = 2_000;
/** A deal is small when its amount is at most this share of the spread of the whole sum. */
const SMALL_SHARE = 0.05;

export interface QuarterDeals {
  amount: Float64Array;
  /** Log-odds of each deal's win probability, and its chance of landing inside the window. */
  logit: Float64Array;
  inWindow: Float64Array;
}

export interface SimulationOptions {
  simulations: number;
  seed: number;
  /** Spread of the shared shock in log-odds; 0 for none. */
  drift: number;
  /** Spread of the pace, in log ratio. */
  paceError: number;
  approximateFrom?: number;
}

export function simulateQuarter(deals: QuarterDeals, options: SimulationOptions): Float64Array {
  const { simulations, drift, paceError } = options;
  const random = seededRandom(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const values = new Float64Array(simulations);
  const amounts = deals.amount;
  // Without drift every simulation's shock is zero, so each deal's chance is the same in all of them
  // and is worked out once rather than once per simulation (the same numbers, bit for bit).
  const steady =
    drift === 0 ? Float64Array.from(deals.logit, (l, v) => sigmoid(l + 0) * deals.inWindow[v]!) : null;
  const split =
    steady !== null && amounts.length >= (options.approximateFrom ?? APPROXIMATE_FROM)
      ? smallDeals(amounts, steady)
      : null;
  const tossed = split?.large ?? null;
  for (let s = 0; s < simulations; s++) {
    const shock = drift * normal();
    const pacing = Math.exp(paceError * normal());
    let total = 0;
    if (steady !== null && tossed !== null) {
      for (const v of tossed) if (random() < steady[v]! * pacing) total += amounts[v]!;
      total += split!.draw(pacing, normal());
    } else if (steady !== null) {
      for (let v = 0; v < amounts.length; v++) if (random() < steady[v]! * pacing) total += amounts[v]!;
    } else {
      for (let v = 0; v < amounts.length; v++) {
        if (random() < sigmoid(deals.logit[v]! + shock) * deals.inWindow[v]! * pacing) total += amounts[v]!;
      }
    }
    values[s] = total;
  }
  return values;
}

/**
 * The deals too big to sum as a normal (tossed one by one), and a draw of the others' sum at a
 * pace: a deal whose chance times the pace reaches 1 is won for certain, as its coin would be, and
 * the rest add their mean and variance. The small deals are held by chance, highest first, so the
 * certain ones at any pace are a prefix and their sums are read from running totals.
 */
function smallDeals(amounts: Float64Array, chance: Float64Array) {
  let variance = 0;
  for (let v = 0; v < amounts.length; v++)
    variance += amounts[v]! ** 2 * chance[v]! * (1 - Math.min(1, chance[v]!));
  const largest = SMALL_SHARE * Math.sqrt(variance);
  const small: number[] = [];
  const large: number[] = [];
  for (let v = 0; v < amounts.length; v++) (amounts[v]! <= largest ? small : large).push(v);
  small.sort((a, b) => chance[b]! - chance[a]! || a - b);
  const m = small.length;
  const byChance = Float64Array.from(small, (v) => chance[v]!);
  // Running totals of a, a·p, a²·p and a²·p², for the certain prefix and the uncertain rest.
  const sums = [
    new Float64Array(m + 1),
    new Float64Array(m + 1),
    new Float64Array(m + 1),
    new Float64Array(m + 1),
  ];
  small.forEach((v, k) => {
    const a = amounts[v]!;
    const p = chance[v]!;
    sums[0]![k + 1] = sums[0]![k]! + a;
    sums[1]![k + 1] = sums[1]![k]! + a * p;
    sums[2]![k + 1] = sums[2]![k]! + a * a * p;
    sums[3]![k + 1] = sums[3]![k]! + a * a * p * p;
  });
  const [amount, mean, second, square] = sums as [Float64Array, Float64Array, Float64Array, Float64Array];
  return {
    large: Int32Array.from(large),
    draw(pacing: number, z: number): number {
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (byChance[mid]! * pacing >= 1) lo = mid + 1;
        else hi = mid;
      }
      const certain = amount[lo]!;
      const expected = pacing * (mean[m]! - mean[lo]!);
      const spread = Math.max(
        0,
        pacing * (second[m]! - second[lo]!) - pacing * pacing * (square[m]! - square[lo]!),
      );
      const drawn = expected + Math.sqrt(spread) * z;
      return certain + Math.min(amount[m]! - certain, Math.max(0, drawn));
    },
  };
}
