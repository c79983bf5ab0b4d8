import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import { STOPPING, type WriteFailure } from '../adapters/salesforce/pipeline-write.js';
import { writeScanRun, type ScanResult, type ScanRunRecord } from '../adapters/salesforce/scan-run-write.js';

/**
 * Records each full pipeline scan in the org (Scan_Run__c), so the admin sees on the package's setup
 * page when the last scan ran, what it read and wrote, what Salesforce refused and the API calls it
 * spent, without access to the service's logs. Called by services/pipeline-scan.ts at the end of a
 * full scan, and when a full scan fails before it could read the deals.
 */

/** What the record says of a completed scan; services/pipeline-scan.ts's ScanReport has these. */
export interface CompletedScan {
  runId: string;
  asOf: string;
  read: { opportunities: number };
  scored: { open: number };
  changed: {
    opportunities: number;
    actionsCreated: number;
    actionsUpdated: number;
    actionsClosed: number;
    calibrationRows: number;
    provenance: number;
  };
  failures: WriteFailure[];
  apiCalls: { total: number };
}

/** The outcome of writing the record, kept on the scan's report; its call is not in the scan's own count. */
export interface ScanRunOutcome {
  saved: boolean;
  calls: number;
  failure: WriteFailure | null;
}

/** The first refused records are enough to act on; the rest are the same failure more often. */
const SUMMARY_FAILURES = 20;
/** pipeline-write.ts marks what it did not send once Salesforce stopped taking calls. */
const NOT_SENT = 'NOT_SENT';

const iso = (ms: number) => new Date(ms).toISOString();

/** Salesforce stopped taking calls: the failure that stopped the scan, or what it then did not send. */
const stoppedScan = (f: WriteFailure) => f.code === NOT_SENT || STOPPING.has(f.code);

function resultOf(failures: WriteFailure[]): ScanResult {
  if (failures.some(stoppedScan)) return 'Stopped';
  return failures.length > 0 ? 'Completed With Failures' : 'Succeeded';
}

function failureSummary(failures: WriteFailure[]): string | null {
  if (failures.length === 0) return null;
  const stopped = failures.find((f) => f.code === NOT_SENT);
  const refused = failures.filter((f) => f.code !== NOT_SENT);
  const lines = refused
    .slice(0, SUMMARY_FAILURES)
    .map(
      (f) =>
        `${f.object} ${f.key}: ${f.code}: ${f.message}${f.fields.length ? ` (${f.fields.join(', ')})` : ''}`,
    );
  if (refused.length > SUMMARY_FAILURES)
    lines.push(`… and ${refused.length - SUMMARY_FAILURES} more refused.`);
  if (stopped) {
    const unsent = failures.length - refused.length;
    lines.unshift(`${unsent} record(s) ${stopped.message}`);
  }
  return lines.join('\n');
}

async function write(api: SalesforceApi, run: ScanRunRecord): Promise<ScanRunOutcome> {
  const result = await writeScanRun(api, run);
  return { saved: result.saved.size === 1, calls: result.calls, failure: result.failures[0] ?? null };
}

export function recordScanRun(
  api: SalesforceApi,
  scan: CompletedScan,
  startedAt: number,
  finishedAt: number,
): Promise<ScanRunOutcome> {
  const { changed } = scan;
  return write(api, {
    runId: scan.runId,
    asOf: scan.asOf,
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    result: resultOf(scan.failures),
    dealsRead: scan.read.opportunities,
    dealsScored: scan.scored.open,
    recordsWritten:
      changed.opportunities +
      changed.actionsCreated +
      changed.actionsUpdated +
      changed.actionsClosed +
      changed.calibrationRows +
      changed.provenance,
    failures: scan.failures.length,
    failureSummary: failureSummary(scan.failures),
    apiCalls: scan.apiCalls.total,
  });
}

export interface FailedScan {
  runId: string;
  asOf: string;
  startedAt: number;
  finishedAt: number;
  error: unknown;
  apiCalls: number;
}

/**
 * Records a scan that failed before it wrote anything. Never throws: the scan's own error is what the
 * caller reports, and a record that cannot be written (the same outage, often) must not hide it.
 */
export async function recordFailedScan(api: SalesforceApi, failed: FailedScan): Promise<ScanRunOutcome> {
  const reason = failed.error instanceof Error ? failed.error.message : String(failed.error);
  try {
    return await write(api, {
      runId: failed.runId,
      asOf: failed.asOf,
      startedAt: iso(failed.startedAt),
      finishedAt: iso(failed.finishedAt),
      result: 'Failed',
      dealsRead: null,
      dealsScored: null,
      recordsWritten: 0,
      failures: 0,
      failureSummary: `The scan could not read the pipeline: ${reason}`,
      apiCalls: failed.apiCalls,
    });
  } catch (error) {
    return {
      saved: false,
      calls: 0,
      failure: {
        object: 'Scan_Run__c',
        key: failed.runId,
        code: 'NOT_RECORDED',
        message: error instanceof Error ? error.message : String(error),
        fields: [],
      },
    };
  }
}
