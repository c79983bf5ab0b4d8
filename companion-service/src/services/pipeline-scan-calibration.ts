import type { RecordValue } from '../domain/writeback/field-values.js';
import type { RecordWrite } from '../adapters/salesforce/pipeline-write.js';
import type { CalibrationSummary, Engine } from '../adapters/salesforce/pipeline-records.js';
import { sameAs } from '../domain/writeback/field-values.js';
import { CALIBRATION_CONTENT_FIELDS, type PipelineRead } from '../adapters/salesforce/pipeline-read.js';

/**
 * The stage calibration report as Stage_Calibration__c rows, one per stage, keyed by run and stage.
 * A new run is written only when the report differs from the latest one the org holds, so scans of
 * an unchanged org add nothing; the page shows the latest run.
 */

/** Percent fields hold 0..100 with two decimals. */
const percent = (share: number | null) => (share === null ? null : Math.round(share * 10_000) / 100);
const score = (value: number | null) =>
  value === null || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;

export function calibrationWrites(
  summary: CalibrationSummary,
  engine: Engine,
  latest: PipelineRead['calibration'],
  runId: string,
  asOf: string,
  computedAt: string,
): RecordWrite[] {
  const rows = summary.stages.map((s) => {
    const fields: Record<string, RecordValue> = {
      Run_Id__c: runId,
      Stage_Name__c: s.stage.slice(0, 255),
      As_Of_Date__c: asOf,
      Computed_At__c: computedAt,
      Stated_Probability__c: percent(s.stated),
      Realized_Win_Rate__c: percent(s.realized),
      Interval_Low__c: percent(s.interval?.low ?? null),
      Interval_High__c: percent(s.interval?.high ?? null),
      Suggested_Probability__c: percent(s.suggested),
      Sample_Size__c: s.sampleSize,
      Won_Count__c: s.won,
      Has_Enough_Data__c: s.enoughData,
      Base_Win_Rate__c: percent(summary.baseWinRate),
      Base_Rate_Brier_Score__c: score(summary.baseBrier),
      Model_Brier_Score__c: score(summary.modelBrier),
      Model_Calibration_Error__c: score(summary.modelCalibrationError),
      Evaluated_Deal_Count__c: summary.evaluatedDeals,
      Model_Version__c: `${engine.name} ${engine.version}`.slice(0, 80),
      Note__c: s.note ? s.note.slice(0, 255) : null,
    };
    return { key: `${runId}:${s.stage}`.slice(0, 255), fields };
  });
  const unchanged =
    latest !== null &&
    latest.rows.size === rows.length &&
    rows.every((r) => {
      const held = latest.rows.get(String(r.fields.Stage_Name__c));
      return (
        held !== undefined &&
        CALIBRATION_CONTENT_FIELDS.every((f) =>
          sameAs(typeof r.fields[f] === 'boolean' ? 'boolean' : undefined, r.fields[f] ?? null, held[f]),
        )
      );
    });
  return unchanged ? [] : rows;
}
