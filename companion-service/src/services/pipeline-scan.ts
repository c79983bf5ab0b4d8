import type { PipelineDataset } from '../domain/pipeline/records.js';
import type { PipelineRules } from '../domain/hygiene/pipeline-rules.js';
import { columnsOf } from '../domain/pipeline/pipeline-columns.js';
import type { PipelineAudit } from '../domain/review/pipeline-audit.js';
import { auditColumns } from '../domain/review/column-audit.js';
import type { ColumnsAsOf } from '../domain/pipeline/columns-as-of.js';
import type { RecordValue } from '../domain/writeback/field-values.js';
import type { OrgSnapshot } from '../adapters/salesforce/org-rules.js';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import { CountedApi } from '../adapters/salesforce/wrapped-api.js';
import {
  AI_OPPORTUNITY_FIELDS,
  readPipeline,
  type PipelineRead,
  type PipelineScope,
} from '../adapters/salesforce/pipeline-read.js';
import { planActions, ROUTING_FIELDS } from '../domain/actions/action-plan.js';
import { sameAs } from '../domain/writeback/field-values.js';
import {
  dealValues,
  ENGINES,
  fitToField,
  type ScanForecast,
} from '../adapters/salesforce/pipeline-records.js';
import {
  provenanceWrite,
  type ProvenanceEntry,
  type RecordWrite,
  type WriteFailure,
  type WriteResult,
} from '../adapters/salesforce/pipeline-write.js';
import { writeSetsBySize, type BulkRecordSet } from '../adapters/salesforce/bulk-write.js';
import { bulkThresholdFromRecords } from '../adapters/metadata/scribe-settings.js';
import { calibrationWrites } from './pipeline-scan-calibration.js';
import { recordFailedScan, recordScanRun, type ScanRunOutcome } from './scan-run-record.js';
import { planReviewWrites } from './pipeline-scan-review.js';
import { currentHistoryQuery, readScoreHistory } from '../adapters/salesforce/score-history.js';
import { historySets, planHistory } from './pipeline-scan-history.js';

/**
 * One pipeline scan: read the deals from the org, run the hygiene, risk, buying-phase and action
 * engines (and the forecast, on full scans, when one is given) as of a date, and write back only what
 * changed: the Opportunity AI fields, the Next_Best_Action__c queue and the Stage_Calibration__c
 * report, each AI-set value with a Field_Provenance__c record. Fields a rep edits are never in the
 * write, and actions a rep marked done, snoozed or dismissed are never touched.
 */

/** The forecast as the scan needs it; the caller runs the model (it learns from the whole org). */
export type ForecastRunner = (dataset: PipelineDataset, asOf: string, rules: PipelineRules) => ScanForecast;

export interface ScanOptions {
  /** The day the engines judge the pipeline as of; today (UTC) by default. */
  asOf?: string;
  dryRun?: boolean;
  /** How far back closed deals are read, for the forecast and the stage averages. */
  closedLookbackDays?: number;
  forecast?: ForecastRunner | null;
  currency?: string;
  now?: () => number;
}

export const DEFAULT_CLOSED_LOOKBACK_DAYS = 730;

export interface ScanReport {
  runId: string;
  mode: 'full' | 'deals';
  asOf: string;
  dryRun: boolean;
  read: PipelineRead['counts'];
  scored: { open: number; flagged: number; actions: number; forecast: boolean };
  changed: {
    opportunities: number;
    fields: number;
    actionsCreated: number;
    actionsUpdated: number;
    actionsClosed: number;
    actionsLeftToRep: number;
    calibrationRows: number;
    /** Weekly reviews written (Pipeline_Review__c), of those computed; full scans only. */
    reviews: number;
    provenance: number;
    /** Deal_Score_History__c rows added (deals whose recorded values changed) and forecast snapshots written. */
    historyRows: number;
    forecastSnapshots: number;
  };
  failures: WriteFailure[];
  /** Values left out because the field does not exist, is read-only, or its picklist lacks the value. */
  skipped: string[];
  /** Calls spent; writes also by object, with the records each object had written. */
  apiCalls: {
    read: number;
    write: number;
    total: number;
    writesByObject: Record<string, { calls: number; records: number }>;
  };
  durationMs: number;
  /**
   * The Scan_Run__c record of a full scan (the admin's setup page reads the last one); null on dry runs
   * and on scans of single deals. Its one call is not counted in apiCalls, which are the scan's own.
   */
  runRecord: ScanRunOutcome | null;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function lastConversationByDeal(dataset: PipelineDataset, asOf: string): Map<string, string> {
  const last = new Map<string, string>();
  for (const c of dataset.conversations) {
    if (c.date > asOf) continue;
    const seen = last.get(c.opportunityId);
    if (!seen || c.date > seen) last.set(c.opportunityId, c.date);
  }
  return last;
}

/** Each deal's Next Step as it stood at the as-of date. */
function nextStepsOf(view: ColumnsAsOf): Map<string, string | null> {
  const src = view.source;
  const steps = new Map<string, string | null>();
  for (let k = 0; k < view.count; k++)
    steps.set(src.ids.value(src.opportunities.id[view.row[k]!]!)!, src.strings.value(view.nextStep[k]!));
  return steps;
}

interface OpportunityPlan {
  writes: RecordWrite[];
  provenance: Map<string, ProvenanceEntry[]>;
  fields: number;
  skipped: string[];
}

function planOpportunities(
  read: PipelineRead,
  audit: PipelineAudit,
  snapshot: OrgSnapshot,
  forecast: ScanForecast | null,
  asOf: string,
  nowIso: string,
): OpportunityPlan {
  const describe = snapshot.opportunityFields;
  const lastTalk = lastConversationByDeal(read.dataset, asOf);
  const plan: OpportunityPlan = { writes: [], provenance: new Map(), fields: 0, skipped: [] };
  const skipped = new Set<string>();
  for (const deal of audit.deals) {
    const held = read.current.get(deal.opportunityId);
    if (!held) continue;
    const values = dealValues(
      deal,
      lastTalk.get(deal.opportunityId) ?? null,
      forecast?.deals.get(deal.opportunityId) ?? null,
      forecast?.engine ?? null,
      read.rules.thresholds.forecastCutoffs,
    );
    const fields: Record<string, RecordValue> = {};
    const entries: ProvenanceEntry[] = [];
    for (const name of AI_OPPORTUNITY_FIELDS) {
      const wanted = values[name];
      if (!wanted) continue;
      const fitted = fitToField(wanted.value, describe[name]);
      if (fitted === undefined) {
        skipped.add(
          describe[name]
            ? `Opportunity.${name}: the org's picklist has no "${String(wanted.value)}" or the field is read-only`
            : `Opportunity.${name}: not in this org (install the current package version)`,
        );
        continue;
      }
      if (sameAs(describe[name]?.type, fitted, held[name])) continue;
      fields[name] = fitted;
      entries.push({
        objectName: 'Opportunity',
        recordId: deal.opportunityId,
        opportunityId: deal.opportunityId,
        field: name,
        previous: held[name] ?? null,
        value: fitted,
        evidence: wanted.evidence,
        engine: wanted.engine,
      });
    }
    if (entries.length === 0) continue;
    if (describe.Risk_Scored_At__c?.updateable) {
      fields.Risk_Scored_At__c = nowIso;
      entries.push({
        objectName: 'Opportunity',
        recordId: deal.opportunityId,
        opportunityId: deal.opportunityId,
        field: 'Risk_Scored_At__c',
        previous: held.Risk_Scored_At__c ?? null,
        value: nowIso,
        evidence: `Scored as of ${asOf}; changed: ${entries.map((e) => e.field).join(', ')}.`,
        engine: entries[0]!.engine,
      });
    }
    plan.writes.push({ key: deal.opportunityId, fields });
    plan.provenance.set(deal.opportunityId, entries);
    plan.fields += entries.length;
  }
  plan.skipped = [...skipped];
  return plan;
}

export async function scanPipeline(
  api: SalesforceApi,
  snapshot: OrgSnapshot,
  scope: PipelineScope,
  options: ScanOptions = {},
): Promise<ScanReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const asOf = options.asOf ?? isoDay(started);
  const nowIso = new Date(started).toISOString();
  const runId = `scan-${asOf}-${started.toString(36)}`;
  const reads = new CountedApi(api);
  const bulkThreshold = bulkThresholdFromRecords(snapshot.settings);
  const recordsRun = scope.kind === 'full' && options.dryRun !== true;
  const read = await readPipeline(reads, snapshot, scope, {
    bulkThreshold,
    alongside: { scoreHistory: currentHistoryQuery(started) },
  }).catch(async (error: unknown) => {
    if (recordsRun)
      await recordFailedScan(api, {
        runId,
        asOf,
        startedAt: started,
        finishedAt: now(),
        error,
        apiCalls: reads.calls,
      });
    throw error;
  });
  const recorded = await readScoreHistory(
    reads,
    scope.kind === 'full' ? scope : { kind: 'deals', ids: read.dataset.opportunities.map((o) => o.id) },
    started,
    read.bulk ? { inBulk: { rows: read.alongside.get('scoreHistory') } } : {},
  );

  const currency = options.currency ?? snapshot.rules.defaultCurrency;
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 });
  const forecast =
    scope.kind === 'full' && options.forecast ? options.forecast(read.dataset, asOf, read.rules) : null;
  // The engines judge the pipeline over columns (column-audit.ts), today and a week before.
  const columns = columnsOf(read.dataset);
  const { audit, view } = auditColumns({
    columns,
    rules: read.rules,
    asOf,
    formatMoney: (amount) => money.format(amount),
    probabilities: forecast
      ? new Map(
          [...forecast.deals].flatMap(([id, f]) =>
            f.probability === null ? [] : [[id, f.probability] as const],
          ),
        )
      : null,
  });

  const opportunities = planOpportunities(read, audit, snapshot, forecast, asOf, nowIso);
  const actions = planActions(
    audit.queues.flatMap((q) => q.actions),
    read.actions,
    asOf,
    scope.kind === 'full',
    read.ownerIds,
  );
  const history = planHistory({
    read,
    history: recorded,
    riskScores: new Map(audit.deals.map((d) => [d.opportunityId, d.risk.score])),
    forecast,
    full: scope.kind === 'full',
    asOf,
    nowIso,
    currency,
    settings: snapshot.settings,
  });
  const calibration = forecast?.calibration
    ? calibrationWrites(forecast.calibration, forecast.engine, read.calibration, runId, asOf, nowIso)
    : [];
  const reviews =
    scope.kind === 'full'
      ? await planReviewWrites(reads, {
          audit,
          nextSteps: nextStepsOf(view),
          rules: read.rules,
          ownerIds: read.ownerIds,
          asOf,
          runId,
          computedAt: nowIso,
          formatMoney: (amount) => money.format(amount),
        })
      : null;

  const report: ScanReport = {
    runId,
    mode: scope.kind,
    asOf,
    dryRun: options.dryRun === true,
    read: read.counts,
    scored: {
      open: audit.deals.length,
      flagged: audit.totals.flagged,
      actions: audit.queues.reduce((n, q) => n + q.actions.length, 0),
      forecast: forecast !== null,
    },
    changed: {
      opportunities: opportunities.writes.length,
      fields: opportunities.fields,
      actionsCreated: actions.writes.filter((w) => w.kind === 'create').length,
      actionsUpdated: actions.writes.filter((w) => w.kind === 'update' || w.kind === 'reopen').length,
      actionsClosed: actions.writes.filter((w) => w.kind === 'close').length,
      actionsLeftToRep: actions.leftToRep,
      calibrationRows: calibration.length,
      reviews: reviews?.writes.length ?? 0,
      provenance: 0,
      historyRows: history.counts.added,
      forecastSnapshots: history.snapshot ? 1 : 0,
    },
    failures: [],
    skipped: [
      ...opportunities.skipped,
      ...(reviews?.skipped ? [reviews.skipped] : []),
      ...(history.skipped ? [history.skipped] : []),
    ],
    apiCalls: { read: reads.calls, write: 0, total: reads.calls, writesByObject: {} },
    durationMs: 0,
    runRecord: null,
  };
  if (report.dryRun) {
    report.changed.provenance =
      opportunities.fields +
      actions.writes.reduce(
        (n, w) => n + Object.keys(w.fields).filter((f) => !ROUTING_FIELDS.has(f)).length,
        0,
      );
    report.durationMs = now() - started;
    return report;
  }

  let stopped: string | null = null;
  const note = (result: WriteResult, object: string, records: number) => {
    report.apiCalls.write += result.calls;
    if (records > 0) report.apiCalls.writesByObject[object] = { calls: result.calls, records };
    // A loop, not a spread: a bulk job can refuse more rows than a call takes arguments.
    for (const failure of result.failures) report.failures.push(failure);
    stopped = result.stopped;
    return result;
  };
  // The deal updates, the history rows, the snapshot and the actions go together: as collections
  // sharing composite calls, or, past the Bulk Threshold, as ingest jobs waited for together.
  const sets: BulkRecordSet[] = [
    { object: 'Opportunity', mode: { kind: 'update' }, records: opportunities.writes },
    ...historySets(history),
    {
      object: 'Next_Best_Action__c',
      mode: { kind: 'upsert', externalIdField: 'External_Id__c' },
      records: actions.writes.map((w) => ({ key: w.externalId, fields: w.fields })),
      // The provenance of an action names its record.
      needIds: true,
    },
  ];
  const together = await writeSetsBySize(api, sets, bulkThreshold, stopped);
  const [opportunityResult, historyResult, snapshotResult, actionResult] = sets.map((set, i) =>
    note(together.results[i]!, set.object, set.records.length),
  ) as [WriteResult, WriteResult, WriteResult, WriteResult];
  // Each set counts the calls it rode in; the calls made are fewer when the sets shared them.
  report.apiCalls.write += together.calls - together.results.reduce((n, r) => n + r.calls, 0);
  const provenance: RecordWrite[] = [];
  for (const [id, entries] of opportunities.provenance) {
    if (opportunityResult!.saved.has(id))
      provenance.push(...entries.map((e) => provenanceWrite(e, runId, nowIso, read.ownerIds.get(id))));
  }
  const heldActions = new Map(read.actions.map((a) => [a.externalId, a]));
  for (const w of actions.writes) {
    const id = actionResult.saved.get(w.externalId);
    if (!id) continue;
    const held = heldActions.get(w.externalId);
    for (const [field, value] of Object.entries(w.fields)) {
      if (ROUTING_FIELDS.has(field)) continue;
      provenance.push(
        provenanceWrite(
          {
            objectName: 'Next_Best_Action__c',
            recordId: id,
            opportunityId: w.opportunityId || null,
            field,
            previous: (held?.fields[field as keyof typeof held.fields] ?? null) as RecordValue,
            value,
            evidence: w.evidence,
            engine: ENGINES.actions,
          },
          runId,
          nowIso,
          w.opportunityId ? read.ownerIds.get(w.opportunityId) : undefined,
        ),
      );
    }
  }
  const reviewWrites = reviews?.writes ?? [];
  const last: BulkRecordSet[] = [
    {
      object: 'Field_Provenance__c',
      mode: { kind: 'upsert', externalIdField: 'External_Id__c' },
      records: provenance,
    },
    {
      object: 'Stage_Calibration__c',
      mode: { kind: 'upsert', externalIdField: 'Calibration_Key__c' },
      records: calibration,
    },
    {
      object: 'Pipeline_Review__c',
      mode: { kind: 'upsert', externalIdField: 'Review_Key__c' },
      records: reviewWrites,
    },
  ];
  const after = await writeSetsBySize(api, last, bulkThreshold, stopped);
  const [provenanceResult, , reviewResult] = last.map((set, i) =>
    note(after.results[i]!, set.object, set.records.length),
  ) as [WriteResult, WriteResult, WriteResult];
  report.apiCalls.write += after.calls - after.results.reduce((n, r) => n + r.calls, 0);
  report.changed.reviews = reviewResult.saved.size;
  const savedAction = (kinds: string[]) =>
    actions.writes.filter((w) => kinds.includes(w.kind) && actionResult.saved.has(w.externalId)).length;
  report.changed.actionsCreated = savedAction(['create']);
  report.changed.actionsUpdated = savedAction(['update', 'reopen']);
  report.changed.actionsClosed = savedAction(['close']);
  report.changed.opportunities = opportunityResult!.saved.size;
  report.changed.fields = [...opportunities.provenance]
    .filter(([id]) => opportunityResult!.saved.has(id))
    .reduce((n, [, e]) => n + e.length, 0);
  report.changed.provenance = provenanceResult.saved.size;
  report.changed.historyRows = history.history.filter(
    (w) => 'Opportunity__c' in w.fields && historyResult?.saved.has(w.key),
  ).length;
  report.changed.forecastSnapshots = snapshotResult?.saved.size ?? 0;
  report.apiCalls.total = report.apiCalls.read + report.apiCalls.write;
  report.durationMs = now() - started;
  if (recordsRun) report.runRecord = await recordScanRun(api, report, started, now());
  return report;
}
