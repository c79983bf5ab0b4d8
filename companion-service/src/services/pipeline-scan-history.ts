import type { PipelineRead } from '../adapters/salesforce/pipeline-read.js';
import type { ScanForecast } from '../adapters/salesforce/pipeline-records.js';
import type { RecordSet, RecordWrite } from '../adapters/salesforce/pipeline-write.js';
import {
  historyCloseWrite,
  historyRowWrite,
  snapshotWrite,
  type ScoreHistoryRead,
  type SnapshotField,
} from '../adapters/salesforce/score-history.js';
import type { MetadataRecord } from '../adapters/metadata/package-metadata.js';
import { historyChanges, rowsValidAt, type RecordedDeal } from '../domain/forecast/deal-history.js';
import { forecastCategory } from '../domain/forecast/forecast-category.js';
import { recordedMovement, type RecordedMovement } from '../domain/forecast/recorded-movement.js';
import { repCategorySums } from '../domain/forecast/rep-categories.js';
import { sameAs, type RecordValue } from '../domain/writeback/field-values.js';

/**
 * What a scan adds to the deal history and, on full scans, the day's forecast snapshot: each scored
 * deal's risk and forecast as a row when it changed since its current row (closing that row), and the
 * quarter's range, the category amounts beside the reps' own, the quota and the week's movement read
 * back from the rows, not recomputed.
 */

export interface HistoryPlan {
  /** Deal_Score_History__c upserts on History_Key__c: new rows and the rows they replace. */
  history: RecordWrite[];
  /** Forecast_Snapshot__c upsert on Snapshot_Key__c, on full scans with a forecast. */
  snapshot: RecordWrite | null;
  counts: { added: number; replaced: number; unchanged: number };
  movement: RecordedMovement | null;
  /** Why no snapshot was planned on a full scan, for the scan report. */
  skipped: string | null;
}

/** The snapshot a week's movement starts from: the latest at least six days old, else the earliest. */
const WEEK_MS = 6 * 86_400_000;
/** Bounded well under the Movement field's 131,072 characters, so the record always saves. */
const MOVEMENT_CHARS = 120_000;

const percent = (p: number | null | undefined) =>
  p === null || p === undefined ? null : Math.round(p * 10_000) / 100;
const asNumber = (v: RecordValue | undefined) => (typeof v === 'number' ? v : null);
const asText = (v: RecordValue | undefined) => (typeof v === 'string' ? v : null);

/** Each deal as the org holds it after the scan: the scan's own values, the rep's fields as read. */
export function recordedDeals(
  read: PipelineRead,
  riskScores: ReadonlyMap<string, number>,
  forecast: ScanForecast | null,
): RecordedDeal[] {
  const cutoffs = read.rules.thresholds.forecastCutoffs;
  return read.dataset.opportunities.map((o) => {
    const held = read.current.get(o.id) ?? {};
    const modelled = forecast?.deals.get(o.id);
    // A scan of some deals runs no forecast: the probability the last full scan wrote stands.
    const probability = forecast ? percent(modelled?.probability) : asNumber(held.Model_Close_Probability__c);
    const category = forecast
      ? modelled?.probability == null
        ? null
        : forecastCategory(modelled.probability, cutoffs)
      : asText(held.Suggested_Forecast_Category__c);
    return {
      opportunityId: o.id,
      name: o.name,
      riskScore: o.isClosed ? null : (riskScores.get(o.id) ?? null),
      modelProbability: o.isClosed ? null : probability,
      suggestedCategory: o.isClosed ? null : category,
      stage: o.stage,
      stageProbability: o.probability,
      amount: o.amount,
      closeDate: o.closeDate,
      forecastCategory: o.forecastCategory,
      isClosed: o.isClosed,
      isWon: o.isWon,
      slipProbability: o.isClosed
        ? null
        : forecast
          ? percent(modelled?.slip?.probability)
          : asNumber(held.Slip_Probability__c),
      drivers: o.isClosed ? null : forecast ? (modelled?.drivers ?? null) : asText(held.Forecast_Drivers__c),
    };
  });
}

/** The quarter's quota: the Default Scribe Setting's Quarterly Quota, or a sentence saying how to set one. */
export function quarterQuota(settings: readonly MetadataRecord[]): { amount: number | null; note: string } {
  const value = settings.find((s) => s.developerName === 'Default')?.values.Quarterly_Quota__c;
  const amount =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : null;
  if (amount !== null && Number.isFinite(amount) && amount > 0)
    return { amount, note: 'Quarterly Quota of the Default Scribe Setting.' };
  return {
    amount: null,
    note: 'No quota is set: enter the quarter’s quota in Quarterly Quota of the Default Scribe Setting (Setup > Custom Metadata Types > Scribe Setting > Manage Records).',
  };
}

/** The movement as the snapshot keeps it; its ends are the snapshot's own fields, so a re-run changes nothing. */
function movementJson(movement: RecordedMovement): { json: string; left: number } {
  const { from, to, ...kept } = movement;
  void from;
  void to;
  let moves = movement.moves;
  let json = JSON.stringify({ ...kept, moves });
  while (json.length > MOVEMENT_CHARS && moves.length > 0) {
    moves = moves.slice(0, Math.floor(moves.length * 0.8));
    json = JSON.stringify({ ...kept, moves });
  }
  return { json, left: movement.moves.length - moves.length };
}

export function planHistory(input: {
  read: PipelineRead;
  history: ScoreHistoryRead;
  riskScores: ReadonlyMap<string, number>;
  forecast: ScanForecast | null;
  full: boolean;
  asOf: string;
  nowIso: string;
  currency: string;
  /** The Scribe_Setting__mdt records, for the quota. */
  settings: readonly MetadataRecord[];
}): HistoryPlan {
  const { read, history, forecast, asOf, nowIso } = input;
  const plan: HistoryPlan = {
    history: [],
    snapshot: null,
    counts: { added: 0, replaced: 0, unchanged: 0 },
    movement: null,
    skipped: null,
  };
  if (!history.available) return plan;
  const scanned = recordedDeals(read, input.riskScores, forecast);
  const seen = new Set(scanned.map((d) => d.opportunityId));
  const deals = [...scanned, ...history.closedSince.filter((d) => !seen.has(d.opportunityId))];
  const changes = historyChanges(deals, history.current, nowIso);
  plan.history = [
    ...changes.added.map((row) => historyRowWrite(row, asOf)),
    ...changes.closed.map((c) => historyCloseWrite(c.key, c.validUntil)),
  ];
  plan.counts = {
    added: changes.added.length,
    replaced: changes.closed.length,
    unchanged: changes.unchanged,
  };
  const quarter = forecast?.quarter;
  if (!input.full || !quarter) return plan;
  // A scan as of another day judges the pipeline then, but the history it reads back is today's: a
  // snapshot of it would mix the two. A day either side allows for the caller's time zone.
  if (Math.abs(Date.parse(`${asOf}T12:00:00Z`) - Date.parse(nowIso)) > 1.5 * 86_400_000) {
    plan.skipped = `Forecast_Snapshot__c: not written for a scan as of ${asOf}; the forecast snapshot is kept for scans as of today`;
    return plan;
  }

  const after = new Map(history.current);
  for (const row of changes.added) after.set(row.opportunityId, row);
  const names = new Map(deals.map((d) => [d.opportunityId, d.name]));
  for (const [id, row] of after) after.set(id, { ...row, name: names.get(id) ?? row.name });
  const since = movementSince(history, after, asOf, nowIso);
  plan.movement = since.movement;
  const weighted = recordedMovement(new Map(), after, { from: nowIso, to: nowIso }).after.weighted;
  const reps = repCategorySums(
    read.dataset.opportunities.map((o) => ({
      amount: o.amount,
      closeDate: o.closeDate,
      forecastCategory: o.forecastCategory,
      isClosed: o.isClosed,
    })),
    quarter.window.to,
  );
  const quota = quarterQuota(input.settings);
  const fields: Record<SnapshotField, RecordValue> = {
    Snapshot_Key__c: asOf,
    As_Of_Date__c: asOf,
    Computed_At__c: nowIso,
    Period_Start__c: quarter.window.from,
    Period_End__c: quarter.window.to,
    Currency_Code__c: input.currency,
    P10_Amount__c: quarter.range?.p10 ?? null,
    P50_Amount__c: quarter.range?.p50 ?? null,
    P90_Amount__c: quarter.range?.p90 ?? null,
    Expected_Amount__c: quarter.range ? Math.round(quarter.range.expected * 100) / 100 : null,
    Commit_Amount__c: quarter.commit,
    Best_Case_Amount__c: quarter.bestCase,
    Pipeline_Amount__c: quarter.pipeline,
    Rep_Commit_Amount__c: reps.commit,
    Rep_Best_Case_Amount__c: reps.bestCase,
    Rep_Pipeline_Amount__c: reps.pipeline,
    Quota_Amount__c: quota.amount,
    Quota_Note__c: quota.note.slice(0, 255),
    Deal_Count__c: quarter.deals,
    Deals_Without_Amount__c: quarter.dealsWithoutAmount,
    Weighted_Pipeline__c: weighted,
    Previous_Weighted_Pipeline__c: since.movement?.before.weighted ?? null,
    Movement_From__c: since.movement?.from ?? null,
    Movement_Json__c: since.json,
    Movement_Note__c: since.note,
    Model_Note__c: quarter.note ? quarter.note.slice(0, 255) : null,
    Model_Version__c: forecast ? `${forecast.engine.name} ${forecast.engine.version}`.slice(0, 80) : null,
  };
  const held = history.snapshots.find((s) => s.key === asOf);
  // The day's snapshot already holds these figures: a re-scan of an unchanged org writes nothing.
  if (!held || !sameSnapshot(fields, held.values)) plan.snapshot = snapshotWrite(asOf, fields);
  return plan;
}

/**
 * What moved since the snapshot a week earlier (the latest at least six days old, else the first one),
 * read back from the rows valid when it was computed against the rows valid now.
 */
function movementSince(
  history: ScoreHistoryRead,
  after: ReadonlyMap<string, RecordedDeal>,
  asOf: string,
  nowIso: string,
): { movement: RecordedMovement | null; json: string | null; note: string | null } {
  const now = Date.parse(nowIso);
  const earlier = history.snapshots.filter((s) => Date.parse(s.computedAt) < now && s.key !== asOf);
  const start =
    [...earlier].reverse().find((s) => Date.parse(s.computedAt) <= now - WEEK_MS) ?? earlier[0] ?? null;
  if (!start) {
    return {
      movement: null,
      json: null,
      note: 'This is the first forecast snapshot: the movement shows from the next full scan on, compared with this one.',
    };
  }
  const movement = recordedMovement(rowsValidAt(history.rows, start.computedAt), after, {
    from: start.computedAt,
    to: nowIso,
  });
  const { json, left } = movementJson(movement);
  const notes = [
    Date.parse(start.computedAt) > now - WEEK_MS
      ? 'Less than a week of snapshots yet: the movement is since the first one.'
      : null,
    left > 0 ? `The ${left} smallest moves are not listed.` : null,
  ].filter(Boolean);
  return { movement, json, note: notes.length ? notes.join(' ') : null };
}

function sameSnapshot(
  wanted: Record<SnapshotField, RecordValue>,
  held: Record<SnapshotField, RecordValue>,
): boolean {
  return (Object.keys(wanted) as SnapshotField[]).every((field) => {
    if (field === 'Computed_At__c') return true;
    const [a, b] = [wanted[field], held[field]];
    if (field === 'Movement_From__c')
      return (a === null ? null : Date.parse(String(a))) === (b === null ? null : Date.parse(String(b)));
    return sameAs(
      typeof a === 'number'
        ? 'double'
        : field.endsWith('Date__c') || field.startsWith('Period_')
          ? 'date'
          : undefined,
      a,
      b,
    );
  });
}

/** The history rows and the snapshot as the scan writes them, beside its Opportunity updates. */
export function historySets(plan: HistoryPlan): RecordSet[] {
  return [
    {
      object: 'Deal_Score_History__c',
      mode: { kind: 'upsert', externalIdField: 'History_Key__c' },
      records: plan.history,
    },
    {
      object: 'Forecast_Snapshot__c',
      mode: { kind: 'upsert', externalIdField: 'Snapshot_Key__c' },
      records: plan.snapshot ? [plan.snapshot] : [],
    },
  ];
}
