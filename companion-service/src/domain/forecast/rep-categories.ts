/**
 * The reps' own forecast, as Salesforce's forecasts roll it up: the open deals closing by the period's
 * end, by the forecast category each rep set (ForecastCategoryName). The sums are cumulative, as
 * Collaborative Forecasts shows them: Best Case includes Commit, Pipeline includes both; Omitted is
 * left out. A deal without a category counts as Pipeline, the category Salesforce gives a stage by
 * default.
 */

export interface RepCategorised {
  amount: number | null;
  closeDate: string | null;
  forecastCategory: string | null;
  isClosed: boolean;
}

export interface RepCategorySums {
  commit: number;
  bestCase: number;
  pipeline: number;
  /** Deals counted, with or without an amount. */
  deals: number;
}

export function repCategorySums(deals: readonly RepCategorised[], periodEnd: string): RepCategorySums {
  const cents = { commit: 0, bestCase: 0, pipeline: 0 };
  let counted = 0;
  for (const d of deals) {
    if (d.isClosed || d.closeDate === null || d.closeDate > periodEnd) continue;
    const category = d.forecastCategory ?? 'Pipeline';
    if (category === 'Omitted' || category === 'Closed') continue;
    counted++;
    const amount = Math.round((d.amount ?? 0) * 100);
    cents.pipeline += amount;
    if (category === 'Commit' || category === 'Best Case') cents.bestCase += amount;
    if (category === 'Commit') cents.commit += amount;
  }
  return {
    commit: cents.commit / 100,
    bestCase: cents.bestCase / 100,
    pipeline: cents.pipeline / 100,
    deals: counted,
  };
}
