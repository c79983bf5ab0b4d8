/**
 * The quarter's forecast judged against what was booked, at rolling as-of dates: for each date, the
 * forecast learns from what was known then, and its P10-P90 range and P50 of won value in the next
 * 90 days (the quarter the forecast covers) are set against the value actually won in those days by
 * the deals open at the as-of date. The reps' own numbers for the same deals and days sit beside it:
 * their Commit and Best Case sums (ForecastCategoryName, close date inside the quarter) as of that
 * date, where the data carries categories at all.
 *
 * Booked counts only deals open at the as-of date: a deal created and won inside the quarter is in
 * neither the model's forecast nor the reps' categories, so counting it would judge both on deals
 * neither could see.
 */
import { forecastPipeline } from '../../src/domain/forecast/forecast-pipeline.js';
import type { ForecastCutoffs } from '../../src/domain/forecast/forecast-category.js';
import { addDays } from '../../src/domain/forecast/deal-snapshot.js';
import { repCategorySums } from '../../src/domain/forecast/rep-categories.js';
import { WINDOW_DAYS } from '../../src/domain/forecast/training-set.js';
import { stateAsOf } from '../../src/domain/pipeline/state-as-of.js';
import type { PipelineDataset } from '../../src/domain/pipeline/records.js';

export interface QuarterBacktest {
  asOf: string;
  booked: number;
  p10: number;
  p50: number;
  p90: number;
  /** The reps' Commit and Best Case for the same deals and days; null when the data has no categories. */
  repCommit: number | null;
  repBestCase: number | null;
}

export function backtestQuarters(
  dataset: PipelineDataset,
  asOfs: readonly string[],
  cutoffs: ForecastCutoffs,
  simulations: number,
): QuarterBacktest[] {
  const final = stateAsOf(dataset, '9999-12-31');
  const outcome = new Map(final.closed.map((c) => [c.opportunity.id, c]));
  return asOfs.map((asOf) => {
    const forecast = forecastPipeline(dataset, asOf, { simulations, forecastCutoffs: cutoffs });
    const end = addDays(asOf, WINDOW_DAYS);
    const booked = forecast.opportunities.reduce((sum, o) => {
      const c = outcome.get(o.opportunityId);
      return c && c.won && c.closedOn <= end ? sum + (c.opportunity.amount ?? 0) : sum;
    }, 0);
    const open = stateAsOf(dataset, asOf).open.map((d) => d.opportunity);
    const categorised = open.some((o) => o.forecastCategory !== null);
    const reps = categorised ? repCategorySums(open, end) : null;
    const { p10, p50, p90 } = forecast.quarter.value;
    return {
      asOf,
      booked,
      p10,
      p50,
      p90,
      repCommit: reps?.commit ?? null,
      repBestCase: reps?.bestCase ?? null,
    };
  });
}

export interface BacktestSummary {
  quarters: number;
  inside: number;
  /** Mean absolute percentage error of P50 against booked. */
  mapeP50: number;
  mapeRepCommit: number | null;
  mapeRepBestCase: number | null;
  /** Quarters whose booked value fell between the reps' Commit and Best Case. */
  insideRepRange: number | null;
}

const mape = (rows: readonly QuarterBacktest[], point: (r: QuarterBacktest) => number) => {
  const valued = rows.filter((r) => r.booked > 0);
  return valued.reduce((s, r) => s + Math.abs(point(r) - r.booked) / r.booked, 0) / valued.length;
};

export function summarize(rows: readonly QuarterBacktest[]): BacktestSummary {
  const reps = rows.every((r) => r.repCommit !== null);
  return {
    quarters: rows.length,
    inside: rows.filter((r) => r.booked >= r.p10 && r.booked <= r.p90).length,
    mapeP50: mape(rows, (r) => r.p50),
    mapeRepCommit: reps ? mape(rows, (r) => r.repCommit!) : null,
    mapeRepBestCase: reps ? mape(rows, (r) => r.repBestCase!) : null,
    insideRepRange: reps
      ? rows.filter((r) => r.booked >= r.repCommit! && r.booked <= r.repBestCase!).length
      : null,
  };
}

const money = (v: number | null) => (v === null ? '-' : v.toFixed(0)).padStart(9);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function printBacktest(
  title: string,
  rows: readonly QuarterBacktest[],
  noCategories: string,
): BacktestSummary {
  console.log(`\n${title}`);
  console.log(
    '   as-of             P10        P50        P90     booked  range    |  rep Commit  rep Best Case  inside Commit..Best Case',
  );
  for (const r of rows) {
    const inside = r.booked >= r.p10 && r.booked <= r.p90;
    const repInside =
      r.repCommit === null
        ? '-'
        : r.booked >= r.repCommit && r.booked <= r.repBestCase!
          ? 'inside'
          : 'OUTSIDE';
    console.log(
      `   ${r.asOf}  ${money(r.p10)}  ${money(r.p50)}  ${money(r.p90)}  ${money(r.booked)}  ${inside ? 'inside ' : 'OUTSIDE'}  |  ${money(r.repCommit)}  ${money(r.repBestCase).padStart(13)}  ${repInside}`,
    );
  }
  const s = summarize(rows);
  console.log(
    `   model: ${s.inside} of ${s.quarters} quarters inside P10-P90 (${pct(s.inside / s.quarters)}; goal 70-90%); MAPE of P50 against booked ${pct(s.mapeP50)}`,
  );
  console.log(
    s.mapeRepCommit === null
      ? `   reps: ${noCategories}`
      : `   reps: MAPE of Commit ${pct(s.mapeRepCommit)}, of Best Case ${pct(s.mapeRepBestCase!)}; booked between Commit and Best Case in ${s.insideRepRange} of ${s.quarters} quarters (${pct(s.insideRepRange! / s.quarters)})`,
  );
  return s;
}
