/**
 * The forecast category a deal's modelled win chance supports, by the cut-offs sales ops set in the
 * Scribe settings (Commit_Probability__c, Best_Case_Probability__c): the suggestion on each deal and
 * the quarter outlook's commit and best case use the same ones.
 */

export interface ForecastCutoffs {
  /** Win chance (0..1) from which a deal is Commit. */
  commit: number;
  /** Win chance (0..1) from which a deal is Best Case; below commit. */
  bestCase: number;
}

export type SuggestedForecastCategory = 'Commit' | 'Best Case' | 'Pipeline';

export function forecastCategory(probability: number, cutoffs: ForecastCutoffs): SuggestedForecastCategory {
  return probability >= cutoffs.commit
    ? 'Commit'
    : probability >= cutoffs.bestCase
      ? 'Best Case'
      : 'Pipeline';
}

const percent = (p: number) => `${Math.round(p * 10_000) / 100}%`;

/** The cut-offs in words, for the evidence behind a suggested category. */
export function describeCutoffs(cutoffs: ForecastCutoffs): string {
  return `Commit from ${percent(cutoffs.commit)}, Best Case from ${percent(cutoffs.bestCase)}`;
}
