import type { PipelineDataset } from '../pipeline/records.js';
import type { HistoryIndex } from '../pipeline/history-index.js';
import { explainDeal, explanationReference, type Driver } from './deal-explanation.js';
import type { DealSnapshot } from './deal-snapshot.js';
import { forecastWeekChange } from './forecast-movement.js';
import type { RecordedMovement } from './recorded-movement.js';
import { reliabilityBins, type ReliabilityBin } from './scores.js';
import { fitSlipModel, type SlipModel, type SlipPrediction } from './slip-model.js';
import { buildSlipTrainingSet, slipSnapshot } from './slip-training.js';
import type { TrainingSet } from './training-set.js';
import type { Factor, WinModel } from './win-model.js';

/**
 * What the forecast says beside each deal's win probability: why it is what it is (its drivers in
 * words), the chance the deal misses its close date, and the week's change in the weighted forecast.
 * Kept apart from the win model so it reads the model's output (its factors and probabilities) and
 * never its fitting.
 */

export interface DealOutlook {
  /** The three factors that move the win probability most, in words, with their effect in points. */
  drivers: Driver[];
  /** Close date as the deal shows it, and the chance it is missed. */
  closeDate: string | null;
  slip: Omit<SlipPrediction, 'factors'>;
}

export interface PipelineOutlook {
  deals: Map<string, DealOutlook>;
  /** The week's change in the weighted forecast, in, out, slipped, up and down, adding up to the cent. */
  weekChange: RecordedMovement;
  slipModel: Omit<SlipModel, 'predict' | 'outOfFold'> & { reliability: ReliabilityBin[] };
}

export function pipelineOutlook(
  dataset: PipelineDataset,
  training: TrainingSet,
  model: Pick<WinModel, 'baseRate' | 'closedDeals' | 'predict'>,
  predictions: readonly { snapshot: DealSnapshot; probability: number; factors: readonly Factor[] }[],
  index: HistoryIndex,
): PipelineOutlook {
  const slipTraining = buildSlipTrainingSet(training);
  const slipModel = fitSlipModel(slipTraining);
  const reference = explanationReference(
    training.examples,
    training.state.closed.map((c) => ({
      owner: c.opportunity.owner,
      product: c.opportunity.product,
      won: c.won,
    })),
    model.baseRate,
  );
  const deals = new Map<string, DealOutlook>(
    predictions.map((p) => {
      const { probability, reason } = slipModel.predict(slipSnapshot(p.snapshot, slipTraining.pushDates));
      return [
        p.snapshot.id,
        {
          drivers: explainDeal(p.snapshot, p.probability, p.factors, reference),
          closeDate: p.snapshot.closeDate,
          slip: { probability, reason },
        },
      ];
    }),
  );
  // While no deal has closed the model's 50% is a prior: the stage probability weighs the deal instead.
  const weekChange = forecastWeekChange(
    dataset,
    training.state,
    (s) => (model.closedDeals === 0 ? null : model.predict(s).probability),
    index,
  );
  const { predict, outOfFold, ...summary } = slipModel;
  void predict;
  return { deals, weekChange, slipModel: { ...summary, reliability: reliabilityBins(outOfFold) } };
}
