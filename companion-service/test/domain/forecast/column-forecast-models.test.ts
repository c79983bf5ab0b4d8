import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { PipelineRules } from '../../../src/domain/hygiene/pipeline-rules.js';
import type { PipelineDataset, PipelineOpportunity } from '../../../src/domain/pipeline/records.js';
import { columnsOf } from '../../../src/domain/pipeline/pipeline-columns.js';
import { datasetOf } from '../../../src/domain/pipeline/columns-to-records.js';
import { stateAsOf } from '../../../src/domain/pipeline/state-as-of.js';
import { StringPool } from '../../../src/domain/pipeline/string-pool.js';
import { addDays } from '../../../src/domain/hygiene/calendar-days.js';
import { forecastPipeline, type PipelineForecast } from '../../../src/domain/forecast/forecast-pipeline.js';
import { forecastColumns } from '../../../src/domain/forecast/column-forecast.js';
import { columnTrainingSet } from '../../../src/domain/forecast/column-training.js';
import { columnSlipTraining } from '../../../src/domain/forecast/column-slip-training.js';
import { buildSlipTrainingSet, learningShare } from '../../../src/domain/forecast/slip-training.js';
import { slipTrainingOf, type SlipTraining } from '../../../src/domain/forecast/slip-table.js';
import { buildTrainingSet } from '../../../src/domain/forecast/training-set.js';
import { exampleTable, type ExampleTable } from '../../../src/domain/forecast/snapshot-table.js';
import { seededRandom } from '../../../src/domain/forecast/seeded-random.js';
import { generatePipeline } from '../../../bench/generate-pipeline.js';
import { generateSlippingPipeline } from '../../../eval/forecast/generated-slips.js';

/**
 * The win model and the slip warning learned from column tables against the same models learned
 * from records (the record forecast turns its snapshots into tables, so what differs is how the
 * tables are read from the pipeline): the training tables row for row, then the whole report, on
 * the benchmark's generated pipelines roughened the way exports are, on one where the slip warning
 * learns, and past the 10,000 deals where the slip warning starts learning from a sample.
 */

const AS_OF = '2026-03-31';
let rules: PipelineRules;
beforeAll(async () => {
  rules = await loadPipelineRules();
});

/** Deals without history or dates, owners or amounts, and closed records in an open stage's name. */
function roughen(data: PipelineDataset, seed: number): PipelineDataset {
  const random = seededRandom(seed);
  const noHistory = new Set<string>();
  const opportunities = data.opportunities.map((o): PipelineOpportunity => {
    const changed = { ...o };
    const roll = random();
    if (roll < 0.08) noHistory.add(o.id);
    else if (roll < 0.11) changed.createdDate = null;
    if (random() < 0.05) changed.closeDate = null;
    if (random() < 0.05) changed.owner = null;
    if (random() < 0.05) changed.amount = null;
    if (random() < 0.03 && o.isClosed) changed.stage = 'Legal Review';
    if (random() < 0.05) changed.stageEnteredDate = null;
    return changed;
  });
  return {
    ...data,
    opportunities,
    history: data.history.filter((c) => !noHistory.has(c.opportunityId)),
  };
}

const options = () => ({
  seed: 3,
  simulations: 300,
  forecastCutoffs: rules.thresholds.forecastCutoffs,
  stageRules: rules.stages,
});

/** The report both ways from one pipeline: the records in the columns' order, and the columns. */
function bothWays(
  data: PipelineDataset,
  asOf: string,
): { records: PipelineForecast; columns: PipelineForecast } {
  const columns = columnsOf(data);
  return {
    records: forecastPipeline(datasetOf(columns), asOf, options()),
    columns: forecastColumns(columns, asOf, options()),
  };
}

/** A table's rows with their names spelled out, so tables over different pools compare. */
function rowsOf(table: ExampleTable | SlipTraining['examples']) {
  const name = (id: number) => table.names.value(id);
  return Array.from({ length: table.count }, (_, r) => ({
    day: table.day[r],
    stage: name(table.stage[r]!),
    owner: name(table.owner[r]!),
    product: name(table.product[r]!),
    ageDays: table.ageDays[r],
    daysInStage: table.daysInStage[r],
    daysSinceActivity: table.daysSinceActivity[r],
    amount: table.amount[r],
    statedProbability: table.statedProbability[r],
    ...('won' in table
      ? { won: table.won[r], closedDay: table.closedDay[r] }
      : {
          closeDay: table.closeDay[r],
          daysToClose: table.daysToClose[r],
          pushes: table.pushes[r],
          slipped: table.slipped[r],
        }),
  }));
}

/** Each row's deal renumbered by first appearance, so deal numbers from different pools compare. */
function dealsOf(table: ExampleTable): number[] {
  const order = new Map<number, number>();
  return Array.from(table.deal, (d) => {
    if (!order.has(d)) order.set(d, order.size);
    return order.get(d)!;
  });
}

describe('the win model and slip warning learned from column tables', () => {
  it('read the training snapshots the record forecast reads, and give its report, on random generated pipelines', () => {
    let learned = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 150, max: 1200 }),
        fc.constantFrom(0, -45, -200),
        (seed, deals, back) => {
          const data = roughen(
            generatePipeline(deals, rules.stages, AS_OF, { seed, revisions: seed % 2 === 0 }),
            seed,
          );
          const asOf = addDays(AS_OF, back);
          const columns = columnsOf(data);
          const records = datasetOf(columns);

          const training = columnTrainingSet(columns, asOf);
          const fromRecords = buildTrainingSet(records, asOf);
          const byRecord = exampleTable(fromRecords.examples, new StringPool());
          expect(rowsOf(training.examples)).toEqual(rowsOf(byRecord));
          // The deal each snapshot is of, which the model weighs and tests by.
          expect(dealsOf(training.examples)).toEqual(dealsOf(byRecord));

          const slips = columnSlipTraining(columns, training);
          const slipsFromRecords = slipTrainingOf(buildSlipTrainingSet(fromRecords), new StringPool());
          expect(rowsOf(slips.examples)).toEqual(rowsOf(slipsFromRecords.examples));
          expect(slips.commitments.count).toBe(slipsFromRecords.commitments.count);
          expect(slips.commitments.slipped).toEqual(slipsFromRecords.commitments.slipped);
          expect(slips.commitments.dueDay).toEqual(slipsFromRecords.commitments.dueDay);

          const both = bothWays(data, asOf);
          expect(both.columns).toEqual(both.records);
          if (training.examples.count > 0 && slips.examples.count > 0) learned++;
        },
      ),
      { numRuns: 6, seed: 17 },
    );
    expect(learned).toBeGreaterThan(3);
  }, 120_000);

  it('gives the record figures where the slip warning learns from its features', () => {
    const g = generateSlippingPipeline({ seed: 11, deals: 2500 });
    const asOf = addDays(g.start, 500);
    const { records, columns } = bothWays(g.dataset, asOf);
    expect(records.slipModel.lambda).not.toBeNull();
    expect(records.opportunities.some((o) => o.slip.probability !== records.slipModel.baseRate)).toBe(true);
    expect(columns).toEqual(records);
  }, 60_000);

  it('samples the same deals for the slip warning past 10,000 deals', () => {
    const data = generatePipeline(12_000, rules.stages, AS_OF, { seed: 5, contacts: false });
    const columns = columnsOf(data);
    const training = columnTrainingSet(columns, AS_OF);
    expect(learningShare(training.state.count)).toBeLessThan(1);
    const slips = columnSlipTraining(columns, training);
    const records = datasetOf(columns);
    const fromRecords = slipTrainingOf(
      buildSlipTrainingSet({ asOf: AS_OF, state: stateAsOf(records, AS_OF) }),
      new StringPool(),
    );
    expect(slips.examples.count).toBeGreaterThan(1000);
    expect(rowsOf(slips.examples)).toEqual(rowsOf(fromRecords.examples));
    expect(slips.commitments.dueDay).toEqual(fromRecords.commitments.dueDay);
  }, 60_000);
});
