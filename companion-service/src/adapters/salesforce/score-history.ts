import { z } from 'zod';
import type { HistoryRow, RecordedDeal } from '../../domain/forecast/deal-history.js';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import type { CompositeSubresponse, SalesforceApi } from './salesforce-client.js';
import { SalesforceApiError } from './salesforce-client.js';
import { ID_CHUNK } from './pipeline-read.js';
import { allPages, bodyOf, queryPath, queryResultOf, soqlList } from './responses.js';
import type { RecordWrite } from './pipeline-write.js';
import { typedRows, type CsvRow } from './bulk-api.js';

const HISTORY_NUMBERS = ['Risk_Score__c', 'Model_Close_Probability__c', 'Stage_Probability__c', 'Amount__c'];

/**
 * The recorded deal history (Deal_Score_History__c) and the forecast snapshots (Forecast_Snapshot__c)
 * as the scan reads and writes them. One composite call reads what a scan needs: the deals' current
 * rows, the rows replaced in the last two weeks (to read back the pipeline as a week-old snapshot saw
 * it) and those snapshots. Dates and ids reach the SOQL only as formatted datetimes and checked ids.
 */

/** Salesforce's limit on subrequests that query, per composite call. */
const QUERIES_PER_COMPOSITE = 5;

/** How far back a snapshot to compare with is looked for; rows replaced since are read with it. */
export const MOVEMENT_LOOKBACK_DAYS = 14;

export const HISTORY_FIELDS = [
  'History_Key__c',
  'Opportunity__c',
  'Scored_At__c',
  'Valid_Until__c',
  'As_Of_Date__c',
  'Risk_Score__c',
  'Model_Close_Probability__c',
  'Suggested_Forecast_Category__c',
  'Stage_Name__c',
  'Stage_Probability__c',
  'Amount__c',
  'Close_Date__c',
  'Forecast_Category__c',
  'Is_Closed__c',
  'Is_Won__c',
] as const;

/**
 * Written with each new row and never read back: why the deal stood where it did (its slip chance and
 * its win probability's drivers), kept for people reading the history, not for the movement.
 */
export const HISTORY_CONTEXT_FIELDS = ['Slip_Probability__c', 'Forecast_Drivers__c'] as const;

export const SNAPSHOT_FIELDS = [
  'Snapshot_Key__c',
  'As_Of_Date__c',
  'Computed_At__c',
  'Period_Start__c',
  'Period_End__c',
  'Currency_Code__c',
  'P10_Amount__c',
  'P50_Amount__c',
  'P90_Amount__c',
  'Expected_Amount__c',
  'Commit_Amount__c',
  'Best_Case_Amount__c',
  'Pipeline_Amount__c',
  'Rep_Commit_Amount__c',
  'Rep_Best_Case_Amount__c',
  'Rep_Pipeline_Amount__c',
  'Quota_Amount__c',
  'Quota_Note__c',
  'Deal_Count__c',
  'Deals_Without_Amount__c',
  'Weighted_Pipeline__c',
  'Previous_Weighted_Pipeline__c',
  'Movement_From__c',
  'Movement_Json__c',
  'Movement_Note__c',
  'Model_Note__c',
  'Model_Version__c',
] as const;
export type SnapshotField = (typeof SNAPSHOT_FIELDS)[number];

const HistoryRowSchema = z.looseObject({
  History_Key__c: z.string(),
  Opportunity__c: z.string(),
  Opportunity__r: z.looseObject({ Name: z.string().nullish() }).nullish(),
  Scored_At__c: z.string(),
  Valid_Until__c: z.string().nullish(),
  Risk_Score__c: z.number().nullish(),
  Model_Close_Probability__c: z.number().nullish(),
  Suggested_Forecast_Category__c: z.string().nullish(),
  Stage_Name__c: z.string().nullish(),
  Stage_Probability__c: z.number().nullish(),
  Amount__c: z.number().nullish(),
  Close_Date__c: z.string().nullish(),
  Forecast_Category__c: z.string().nullish(),
  Is_Closed__c: z.boolean().nullish(),
  Is_Won__c: z.boolean().nullish(),
});
const SnapshotRowSchema = z.looseObject({ Snapshot_Key__c: z.string(), Computed_At__c: z.string() });
const snapshotValues = (row: Record<string, unknown>) =>
  Object.fromEntries(SNAPSHOT_FIELDS.map((f) => [f, (row[f] ?? null) as RecordValue])) as Record<
    SnapshotField,
    RecordValue
  >;

const ClosedDealSchema = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  StageName: z.string(),
  IsWon: z.boolean(),
  Amount: z.number().nullish(),
  Probability: z.number().nullish(),
  CloseDate: z.string().nullish(),
  ForecastCategoryName: z.string().nullish(),
});

export interface ScoreHistoryRead {
  /**
   * Deals recorded open that have closed since, wherever their close date lies: the scan reads closed
   * deals by a window of close dates, and a deal won before its close date is outside it.
   */
  closedSince: RecordedDeal[];
  /** False when the org has no Deal_Score_History__c yet (an older package version): nothing is recorded. */
  available: boolean;
  /** Every row read: the current ones and those replaced in the lookback. */
  rows: HistoryRow[];
  /** The deals' current rows, by opportunity id. */
  current: Map<string, HistoryRow>;
  /** Snapshots of the lookback, oldest first, with the values they hold. */
  snapshots: { key: string; computedAt: string; values: Record<SnapshotField, RecordValue> }[];
}

/** Salesforce answers datetimes as 2026-12-07T06:00:00.000+0000; compared as text, they must share one form. */
const iso = (value: string) => new Date(value).toISOString();
/** A SOQL datetime literal. */
const soqlDateTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function toRow(r: z.infer<typeof HistoryRowSchema>): HistoryRow {
  return {
    key: r.History_Key__c,
    opportunityId: r.Opportunity__c,
    name: r.Opportunity__r?.Name ?? null,
    scoredAt: iso(r.Scored_At__c),
    validUntil: r.Valid_Until__c ? iso(r.Valid_Until__c) : null,
    riskScore: r.Risk_Score__c ?? null,
    modelProbability: r.Model_Close_Probability__c ?? null,
    suggestedCategory: r.Suggested_Forecast_Category__c ?? null,
    stage: r.Stage_Name__c ?? '',
    stageProbability: r.Stage_Probability__c ?? null,
    amount: r.Amount__c ?? null,
    closeDate: r.Close_Date__c ? r.Close_Date__c.slice(0, 10) : null,
    forecastCategory: r.Forecast_Category__c ?? null,
    isClosed: r.Is_Closed__c === true,
    isWon: r.Is_Won__c === true,
  };
}

/**
 * Reads the history a scan compares with: for a full scan every current row of an open deal, closed
 * rows recorded in the lookback, and the rows replaced in it, with the lookback's snapshots; for a
 * scan of some deals, only their current rows.
 */
/**
 * The rows a full scan compares with, as one query: the current row of every open deal, closed rows
 * recorded in the lookback, and the rows replaced in it. No ORDER BY, so it runs as a Bulk API 2.0
 * query job too (the scan runs it beside the deals' jobs, `readPipeline`'s `alongside`).
 */
export function currentHistoryQuery(now: number): string {
  const since = soqlDateTime(now - MOVEMENT_LOOKBACK_DAYS * 86_400_000);
  return `SELECT ${HISTORY_FIELDS.join(', ')}, Opportunity__r.Name FROM Deal_Score_History__c
    WHERE Valid_Until__c > ${since}
    OR (Valid_Until__c = null AND (Is_Closed__c = false OR Scored_At__c > ${since}))`;
}

export async function readScoreHistory(
  api: SalesforceApi,
  scope: { kind: 'full' } | { kind: 'deals'; ids: readonly string[] },
  now: number,
  /**
   * `inBulk`: the scan read the deals in bulk and `currentHistoryQuery` with them: its rows, or
   * undefined when the org has no Deal_Score_History__c.
   */
  options: { inBulk?: { rows: CsvRow[] | undefined } } = {},
): Promise<ScoreHistoryRead> {
  const since = soqlDateTime(now - MOVEMENT_LOOKBACK_DAYS * 86_400_000);
  const select = `SELECT ${HISTORY_FIELDS.join(', ')}, Opportunity__r.Name FROM Deal_Score_History__c`;
  const queries: Record<string, string> = {};
  const bulkRows: z.infer<typeof HistoryRowSchema>[] = [];
  if (scope.kind === 'full') {
    if (options.inBulk) {
      const rows = options.inBulk.rows;
      if (!rows) return { available: false, rows: [], current: new Map(), snapshots: [], closedSince: [] };
      const typed = typedRows(rows, { numbers: HISTORY_NUMBERS, booleans: ['Is_Closed__c', 'Is_Won__c'] });
      for (const row of z.array(HistoryRowSchema).parse(typed)) bulkRows.push(row);
    } else queries.history = `${currentHistoryQuery(now)} ORDER BY Opportunity__c, Scored_At__c`;
    // A deal reopened long after it closed: its closed row is still current and must be replaced.
    queries.reopened = `${select} WHERE Valid_Until__c = null AND Is_Closed__c = true
      AND Opportunity__c IN (SELECT Id FROM Opportunity WHERE IsClosed = false)`;
    queries.closedSince = `SELECT Id, Name, StageName, IsWon, Amount, Probability, CloseDate, ForecastCategoryName
      FROM Opportunity WHERE IsClosed = true AND Id IN (SELECT Opportunity__c FROM Deal_Score_History__c
      WHERE Valid_Until__c = null AND Is_Closed__c = false)`;
    queries.snapshots = `SELECT ${SNAPSHOT_FIELDS.join(', ')} FROM Forecast_Snapshot__c
      WHERE Computed_At__c > ${since} ORDER BY Computed_At__c LIMIT 200`;
  } else {
    for (let i = 0; i < scope.ids.length; i += ID_CHUNK)
      queries[`history${i}`] =
        `${select} WHERE Valid_Until__c = null AND Opportunity__c IN (${soqlList(scope.ids.slice(i, i + ID_CHUNK))})`;
  }
  const refs = Object.keys(queries);
  if (refs.length === 0)
    return { available: true, rows: [], current: new Map(), snapshots: [], closedSince: [] };
  const responses: CompositeSubresponse[] = [];
  for (let i = 0; i < refs.length; i += QUERIES_PER_COMPOSITE) {
    const batch = refs.slice(i, i + QUERIES_PER_COMPOSITE);
    responses.push(
      ...(await api.composite(
        batch.map((ref) => ({ method: 'GET', referenceId: ref, path: queryPath(queries[ref]!) })),
        false,
      )),
    );
  }
  const byKey = new Map<string, HistoryRow>();
  for (const r of bulkRows.sort((a, b) =>
    a.Opportunity__c === b.Opportunity__c
      ? Date.parse(a.Scored_At__c) - Date.parse(b.Scored_At__c)
      : a.Opportunity__c < b.Opportunity__c
        ? -1
        : 1,
  ))
    byKey.set(r.History_Key__c, toRow(r));
  for (const ref of refs.filter((r) => r.startsWith('history') || r === 'reopened')) {
    let body: unknown;
    try {
      body = bodyOf(responses, ref, z.unknown());
    } catch (error) {
      // An org on an older package version has no history object: the scan goes on without it.
      if (error instanceof SalesforceApiError && error.errorCode === 'INVALID_TYPE')
        return { available: false, rows: [], current: new Map(), snapshots: [], closedSince: [] };
      throw error;
    }
    for (const r of queryResultOf(HistoryRowSchema).parse(await allPages(api, body)).records)
      byKey.set(r.History_Key__c, toRow(r));
  }
  const rows = [...byKey.values()];
  const snapshots =
    'snapshots' in queries
      ? queryResultOf(SnapshotRowSchema)
          .parse(bodyOf(responses, 'snapshots', z.unknown()))
          .records.map((s) => ({
            key: s.Snapshot_Key__c,
            computedAt: iso(s.Computed_At__c),
            values: snapshotValues(s),
          }))
      : [];
  const closedSince =
    'closedSince' in queries
      ? queryResultOf(ClosedDealSchema)
          .parse(await allPages(api, bodyOf(responses, 'closedSince', z.unknown())))
          .records.map((o): RecordedDeal => ({
            opportunityId: o.Id,
            name: o.Name ?? null,
            riskScore: null,
            modelProbability: null,
            suggestedCategory: null,
            stage: o.StageName,
            stageProbability: o.Probability ?? null,
            amount: o.Amount ?? null,
            closeDate: o.CloseDate ? o.CloseDate.slice(0, 10) : null,
            forecastCategory: o.ForecastCategoryName ?? null,
            isClosed: true,
            isWon: o.IsWon,
          }))
      : [];
  return {
    available: true,
    closedSince,
    rows,
    current: new Map(rows.filter((r) => r.validUntil === null).map((r) => [r.opportunityId, r])),
    snapshots,
  };
}

/** A new current row, all its fields; upserted on History_Key__c. */
export function historyRowWrite(row: HistoryRow, asOf: string): RecordWrite {
  return {
    key: row.key,
    fields: {
      Opportunity__c: row.opportunityId,
      Scored_At__c: row.scoredAt,
      Valid_Until__c: null,
      As_Of_Date__c: asOf,
      Risk_Score__c: row.riskScore,
      Model_Close_Probability__c: row.modelProbability,
      Suggested_Forecast_Category__c: row.suggestedCategory,
      Stage_Name__c: row.stage.slice(0, 255),
      Stage_Probability__c: row.stageProbability,
      Amount__c: row.amount,
      Close_Date__c: row.closeDate,
      Forecast_Category__c: row.forecastCategory,
      Is_Closed__c: row.isClosed,
      Is_Won__c: row.isWon,
      Slip_Probability__c: row.slipProbability ?? null,
      Forecast_Drivers__c: row.drivers ?? null,
    },
  };
}

/** A replaced row: only its end is written. */
export const historyCloseWrite = (key: string, validUntil: string): RecordWrite => ({
  key,
  fields: { Valid_Until__c: validUntil },
});

export function snapshotWrite(key: string, fields: Record<SnapshotField, RecordValue>): RecordWrite {
  return { key, fields: Object.fromEntries(Object.entries(fields).filter(([f]) => f !== 'Snapshot_Key__c')) };
}
