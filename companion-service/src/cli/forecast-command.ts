import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import { parseOptions, PIPELINE_CSV_OPTIONS, UsageError } from './options.js';
import { parseIsoDate } from './dates.js';
import { parseColumnMap, readHistory, readOpportunities } from '../adapters/csv/index.js';
import { calibrationSvg, forecastRangeSvg } from '../adapters/charts/svg-charts.js';
import {
  DEFAULT_PACKAGE_DIR,
  loadPackageRules,
  loadPipelineRules,
  readMetadataRecords,
} from '../adapters/metadata/package-metadata.js';
import { slipWarningFromRecords } from '../adapters/metadata/scribe-settings.js';
import { driverLine } from '../domain/forecast/deal-explanation.js';
import type { PipelineForecast } from '../domain/forecast/forecast-pipeline.js';
import { forecastColumns } from '../domain/forecast/column-forecast.js';
import { columnsOf } from '../domain/pipeline/pipeline-columns.js';
import { checkDealDates, DealDatesOutOfOrder } from '../domain/forecast/deal-dates.js';

/**
 * `scribe forecast`: the win probability of every deal open at the as-of date, learned only from
 * what was known then, with the chance it misses its close date, the drivers of its probability in
 * words, the quarter as a range, the week's movement and the stage calibration.
 */
export async function runForecast(
  args: string[],
  out: Writable,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const opts = parseOptions(args, { ...PIPELINE_CSV_OPTIONS, out: { type: 'string' } });
  if (!opts.opportunities)
    throw new UsageError('--opportunities is required: the opportunity export (CSV) to forecast');
  if (!opts['as-of']) throw new UsageError('--as-of is required: the date to forecast from, YYYY-MM-DD');
  const asOf = parseIsoDate(opts['as-of'], '--as-of');
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'csv')
    throw new UsageError(`--format "${format}" is not known; use json or csv`);

  const dataset = await readOpportunities(opts.opportunities, { map: parseColumnMap(opts.map) });
  const history = opts.history ? await readHistory(opts.history) : [];
  const combined = { ...dataset, history: [...dataset.history, ...history] };
  try {
    checkDealDates(combined);
  } catch (error) {
    if (error instanceof DealDatesOutOfOrder) {
      throw new UsageError(`${opts.history ?? opts.opportunities}: ${error.message}`);
    }
    throw error;
  }
  const rules = await loadPipelineRules();
  const slipWarning = slipWarningFromRecords(
    await readMetadataRecords(process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR),
  );
  const stageRules = rules.stages.map((s) => ({
    stageName: s.stageName,
    defaultProbability: s.defaultProbability,
    sortOrder: s.sortOrder,
    isClosed: s.isClosed,
  }));

  const bar = err.isTTY
    ? new cliProgress.SingleBar(
        { stream: err, format: 'forecast [{bar}] {step}', clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(4, 0, { step: 'reading' });
  let forecast: PipelineForecast;
  try {
    // Over columns (column-forecast.ts): the same report as over records.
    forecast = forecastColumns(columnsOf(combined), asOf, {
      stageRules,
      forecastCutoffs: rules.thresholds.forecastCutoffs,
      onProgress: (step, done) => bar?.update(done, { step }),
    });
  } finally {
    bar?.stop();
  }

  const report =
    format === 'csv'
      ? toCsv(forecast, slipWarning)
      : JSON.stringify(toJson(forecast, slipWarning), null, 2) + '\n';
  if (!opts.out) {
    out.write(report);
    return 0;
  }
  const base = opts.out.replace(/\.(json|csv)$/i, '');
  const files: [string, string][] = [
    [opts.out, report],
    [
      `${base}-forecast-range.svg`,
      forecastRangeSvg(
        forecast.simulatedValues,
        forecast.quarter.value,
        forecast.quarter.window,
        (await loadPackageRules()).defaultCurrency,
      ),
    ],
    [`${base}-calibration.svg`, calibrationSvg(forecast.model.reliability, forecast.calibration.stages)],
  ];
  // Every file is written beside its final name first, so a failure leaves no half-written report.
  for (const [file, text] of files) await writeFile(`${file}.partial`, text);
  for (const [file] of files) await rename(`${file}.partial`, file);
  out.write(`wrote ${files.map(([f]) => path.relative(process.cwd(), f) || f).join(', ')}\n`);
  return 0;
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

const likelyToSlip = (slip: number | null, warning: number) => slip !== null && slip >= warning;

function toJson(f: PipelineForecast, slipWarning: number) {
  // The simulated quarters feed the chart; the report keeps their percentiles.
  const { simulatedValues, ...rest } = f;
  void simulatedValues;
  return {
    ...rest,
    model: {
      ...f.model,
      ownerPriorDeals: Number.isFinite(f.model.ownerPriorDeals) ? f.model.ownerPriorDeals : null,
      productPriorDeals: Number.isFinite(f.model.productPriorDeals) ? f.model.productPriorDeals : null,
    },
    slipModel: { ...f.slipModel, warningAt: slipWarning },
    opportunities: f.opportunities.map((o) => ({
      ...o,
      probability: round(o.probability),
      probabilityInWindow: round(o.probabilityInWindow),
      factors: o.factors.map((x) => ({ factor: x.factor, effect: round(x.effect, 3) })),
      drivers: o.drivers.map(driverLine),
      slip: {
        probability: o.slip.probability === null ? null : round(o.slip.probability),
        likelyToSlip: likelyToSlip(o.slip.probability, slipWarning),
        reason: o.slip.reason,
      },
    })),
  };
}

const csvCell = (v: string | number | null) => {
  const text = v === null ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function toCsv(f: PipelineForecast, slipWarning: number): string {
  const header =
    'opportunity_id,probability,probability_in_window,stage,amount,owner,name,close_date,slip_probability,likely_to_slip,drivers';
  const rows = f.opportunities.map((o) =>
    [
      o.opportunityId,
      round(o.probability),
      round(o.probabilityInWindow),
      o.stage,
      o.amount,
      o.owner,
      o.name,
      o.closeDate,
      o.slip.probability === null ? null : round(o.slip.probability),
      likelyToSlip(o.slip.probability, slipWarning) ? 'yes' : 'no',
      o.drivers.map(driverLine).join('; '),
    ]
      .map(csvCell)
      .join(','),
  );
  return [header, ...rows].join('\n') + '\n';
}
