import { driverLine } from '../domain/forecast/deal-explanation.js';
import { forecastColumns } from '../domain/forecast/column-forecast.js';
import { columnsOf } from '../domain/pipeline/pipeline-columns.js';
import { MIN_DEALS } from '../domain/calibration/stage-calibration.js';
import type { CalibrationSummary, DealForecast, Engine } from '../adapters/salesforce/pipeline-records.js';
import type { ForecastRunner } from './pipeline-scan.js';

/**
 * The forecast engine as the scan uses it: each open deal's calibrated win probability with the
 * factors that move it, and the stage calibration report with the model's out-of-time scores.
 * It runs over the pipeline as columns (column-forecast.ts), with the record forecast's figures.
 */

export const FORECAST_ENGINE: Engine = { name: 'win-model', version: '1.0.0' };

/** Fixed, so the same org on the same day gives the same quarter range and the same writes. */
const SEED = 20_261_124;

const NOTHING_LEARNED =
  'No deal in this org has closed yet, so there is no outcome to learn a win probability from; the stage probability stands until deals close.';

const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

export const scanForecast: ForecastRunner = (dataset, asOf, rules) => {
  const forecast = forecastColumns(columnsOf(dataset), asOf, {
    stageRules: rules.stages.map((s) => ({
      stageName: s.stageName,
      defaultProbability: s.defaultProbability,
      sortOrder: s.sortOrder,
      isClosed: s.isClosed,
    })),
    forecastCutoffs: rules.thresholds.forecastCutoffs,
    seed: SEED,
  });
  const { model } = forecast;
  // With no closed deal there is nothing to learn from: the model's 50% is its prior, not a judgement
  // about any deal, so no probability or forecast category is written as if it were one.
  const nothingLearned = model.closedDeals === 0;
  const learned = `Learned from ${model.closedDeals} closed deals, ${pct(model.baseRate)} won.`;
  const deals = new Map<string, DealForecast>(
    forecast.opportunities.map((o) => {
      const moving = o.factors
        .filter((f) => f.factor !== 'base rate' && Math.abs(f.effect) >= 0.05)
        .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
        .slice(0, 4)
        .map(
          (f) =>
            `${f.factor} ${f.effect > 0 ? 'raises' : 'lowers'} it (${f.effect > 0 ? '+' : ''}${f.effect.toFixed(2)} log-odds)`,
        );
      const slip = {
        probability: o.slip.probability,
        evidence:
          o.slip.probability === null
            ? `No slip chance: ${o.slip.reason}.`
            : `${pct(o.slip.probability)} chance of missing the close date ${o.closeDate}. ${forecast.slipModel.summary}`,
      };
      if (nothingLearned)
        return [o.opportunityId, { probability: null, evidence: NOTHING_LEARNED, slip, drivers: null }];
      return [
        o.opportunityId,
        {
          probability: o.probability,
          evidence: `${pct(o.probability)} to be won. ${learned} ${moving.length ? moving.join('; ') + '.' : 'Nothing about this deal moves it from the base rate.'}`,
          slip,
          drivers: o.drivers.length ? o.drivers.map(driverLine).join('\n') : null,
        },
      ];
    }),
  );
  const cv = model.crossValidation;
  const bins = model.reliability;
  const binned = bins.reduce((n, b) => n + b.count, 0);
  const calibration: CalibrationSummary = {
    stages: forecast.calibration.stages.map((s) => ({
      stage: s.stage,
      stated: s.statedProbability,
      realized: s.realizedWinRate,
      interval: s.interval,
      suggested: s.suggestedProbability,
      sampleSize: s.reachedAndClosed,
      won: s.won,
      enoughData: s.reachedAndClosed >= MIN_DEALS,
      note: s.note,
    })),
    baseWinRate: model.closedDeals > 0 ? model.baseRate : null,
    baseBrier: cv?.baseBrier ?? null,
    modelBrier: cv ? cv.chosenBrier : null,
    modelCalibrationError:
      binned > 0
        ? bins.reduce((e, b) => e + (b.count / binned) * Math.abs(b.meanProbability - b.winRate), 0)
        : null,
    evaluatedDeals: cv?.heldOut ?? null,
  };
  const q = forecast.quarter;
  return {
    engine: FORECAST_ENGINE,
    deals,
    calibration: forecast.calibration.stages.length ? calibration : null,
    quarter: {
      window: q.window,
      // The prior's 50% for every deal would draw a range that only looks like a forecast.
      range: nothingLearned
        ? null
        : { p10: q.value.p10, p50: q.value.p50, p90: q.value.p90, expected: q.value.expected },
      commit: nothingLearned ? null : q.commit,
      bestCase: nothingLearned ? null : q.bestCase,
      pipeline: q.pipeline,
      deals: q.deals,
      dealsWithoutAmount: q.dealsWithoutAmount,
      note: nothingLearned ? NOTHING_LEARNED : null,
    },
  };
};
