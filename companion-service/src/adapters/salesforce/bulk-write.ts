import { stringify } from 'csv-stringify/sync';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import { SalesforceApiError, type SalesforceApi } from './salesforce-client.js';
import { SalesforceAuthError } from './jwt-bearer.js';
import {
  awaitJobs,
  ingestResults,
  parseRowError,
  startIngestJob,
  UPLOAD_BYTES,
  type CsvRow,
  type PollOptions,
} from './bulk-api.js';
import {
  STOPPING,
  TRANSIENT,
  writeRecordSets,
  type RecordSet,
  type RecordWrite,
  type WriteFailure,
  type WriteResult,
} from './pipeline-write.js';

/**
 * The scan's writes past the bulk threshold: each set of records goes as Bulk API 2.0 ingest jobs
 * (update on Id, upsert on the set's external id), all sets' jobs side by side and waited for
 * together. A row the org refuses comes back in failedResults and is reported like a refused REST
 * record; a row that failed for a passing reason (a row lock) is sent once more; a job the org
 * failed as a whole reports each of its rows with the job's message. Upserts on external ids and
 * updates on ids make a retried scan write nothing twice.
 */

/** A set written in bulk; `needIds` reads successfulResults for the saved records' ids (one call). */
export interface BulkRecordSet extends RecordSet {
  needIds?: boolean;
}

const keyColumn = (set: RecordSet) => (set.mode.kind === 'upsert' ? set.mode.externalIdField : 'Id');

/** The platform's CSV: an empty cell leaves a field alone, so a cleared value is sent as #N/A. */
function cell(value: RecordValue | undefined): string {
  if (value === undefined) return '';
  if (value === null || value === '') return '#N/A';
  return String(value);
}

/** The set's records as CSV uploads, each under UPLOAD_BYTES, with the keys each carries. */
function uploadsOf(set: RecordSet): { csv: string; keys: string[] }[] {
  const key = keyColumn(set);
  const columns = [key];
  const seen = new Set(columns.map((c) => c.toLowerCase()));
  for (const r of set.records)
    for (const field of Object.keys(r.fields))
      if (!seen.has(field.toLowerCase())) {
        seen.add(field.toLowerCase());
        columns.push(field);
      }
  const header = stringify([columns]);
  const uploads: { csv: string; keys: string[] }[] = [];
  let lines: string[] = [];
  let keys: string[] = [];
  let bytes = header.length;
  for (const r of set.records) {
    const line = stringify([[r.key, ...columns.slice(1).map((c) => cell(r.fields[c]))]]);
    if (lines.length > 0 && bytes + line.length > UPLOAD_BYTES) {
      uploads.push({ csv: header + lines.join(''), keys });
      lines = [];
      keys = [];
      bytes = header.length;
    }
    lines.push(line);
    keys.push(r.key);
    bytes += line.length;
  }
  if (lines.length > 0) uploads.push({ csv: header + lines.join(''), keys });
  return uploads;
}

const stopReason = (error: unknown): { code: string; message: string } | null => {
  if (error instanceof SalesforceApiError) return { code: error.errorCode, message: error.message };
  if (error instanceof SalesforceAuthError) return { code: 'AUTH', message: error.message };
  return null;
};

interface Started {
  set: number;
  jobId: string | null;
  keys: string[];
  /** Why the job was not started, when it was not. */
  refused: WriteFailure['code'] | null;
  message: string;
}

export async function writeBulkSets(
  api: SalesforceApi,
  sets: readonly BulkRecordSet[],
  stopped: string | null = null,
  poll: PollOptions = {},
): Promise<{ results: WriteResult[]; calls: number; stopped: string | null }> {
  let calls = 0;
  const counted: SalesforceApi = {
    apiVersion: api.apiVersion,
    instanceUrl: api.instanceUrl,
    usage: () => api.usage(),
    get: (p) => (calls++, api.get(p)),
    composite: (s, a) => (calls++, api.composite(s, a)),
    bulk: (r) => (calls++, api.bulk(r)),
  };
  const state = { stopped };
  const started: Started[] = [];
  for (const [i, set] of sets.entries()) {
    for (const upload of uploadsOf(set)) {
      if (state.stopped) {
        started.push({ set: i, jobId: null, keys: upload.keys, refused: 'NOT_SENT', message: state.stopped });
        continue;
      }
      const spec = {
        object: set.object,
        operation: set.mode.kind,
        ...(set.mode.kind === 'upsert' ? { externalIdFieldName: set.mode.externalIdField } : {}),
        csv: upload.csv,
      };
      try {
        // A dropped connection gets one fresh job: the half-sent one is aborted (startIngestJob), and
        // rows keyed by id or external id are the same rows if both ever ran.
        const jobId = await startIngestJob(counted, spec).catch((error: unknown) => {
          if (stopReason(error)?.code !== 'CONNECTION_ERROR') throw error;
          return startIngestJob(counted, spec);
        });
        started.push({ set: i, jobId, keys: upload.keys, refused: null, message: '' });
      } catch (error) {
        const reason = stopReason(error);
        if (!reason) throw error;
        if (STOPPING.has(reason.code))
          state.stopped = `not sent: Salesforce stopped taking calls (${reason.code}: ${reason.message})`;
        started.push({
          set: i,
          jobId: null,
          keys: upload.keys,
          refused: reason.code,
          message: reason.message,
        });
      }
    }
  }
  const results: WriteResult[] = sets.map(() => ({
    saved: new Map(),
    failures: [],
    retried: 0,
    calls: 0,
    stopped: null,
  }));
  const jobIds = started.flatMap((s) => (s.jobId ? [s.jobId] : []));
  const rows = new Map(started.flatMap((s) => (s.jobId ? [[s.jobId, s.keys.length] as const] : [])));
  const jobs = jobIds.length > 0 ? await awaitJobs(counted, 'ingest', jobIds, poll, rows) : new Map();
  const retry: RecordWrite[][] = sets.map(() => []);
  for (const s of started) {
    const set = sets[s.set]!;
    const result = results[s.set]!;
    const byKey = new Map(set.records.map((r) => [r.key, r]));
    const fail = (key: string, code: string, message: string, fields: string[] = []) =>
      result.failures.push({ object: set.object, key, code, message, fields });
    if (!s.jobId) {
      for (const key of s.keys) fail(key, s.refused ?? 'NOT_SENT', s.message);
      continue;
    }
    const job = jobs.get(s.jobId)!;
    const column = keyColumn(set);
    const keyOf = (row: CsvRow) => row[column] ?? row.sf__Id ?? '';
    const failed = (job.numberRecordsFailed ?? 0) > 0 || job.state !== 'JobComplete';
    const failedRows = failed ? await ingestResults(counted, s.jobId, 'failedResults') : [];
    const failedKeys = new Set<string>();
    for (const row of failedRows) {
      const key = keyOf(row);
      failedKeys.add(key);
      const error = parseRowError(row.sf__Error ?? '');
      if (TRANSIENT.has(error.code) && byKey.has(key)) retry[s.set]!.push(byKey.get(key)!);
      else fail(key, error.code, error.message, error.fields);
    }
    if (job.state !== 'JobComplete') {
      // A job failed or aborted as a whole: what it saved is in successfulResults, the rest never ran.
      const saved = await ingestResults(counted, s.jobId, 'successfulResults');
      const savedKeys = new Set<string>();
      for (const row of saved) {
        savedKeys.add(keyOf(row));
        result.saved.set(keyOf(row), row.sf__Id ?? '');
      }
      for (const key of s.keys)
        if (!savedKeys.has(key) && !failedKeys.has(key))
          fail(
            key,
            'BULK_JOB_FAILED',
            `Bulk API job ${s.jobId} ended ${job.state}: ${job.errorMessage ?? 'no reason given'}`,
          );
      continue;
    }
    if (set.needIds) {
      for (const row of await ingestResults(counted, s.jobId, 'successfulResults'))
        result.saved.set(keyOf(row), row.sf__Id ?? '');
    } else {
      // Without successfulResults the saved records' ids are known for updates (the key) only.
      for (const key of s.keys)
        if (!failedKeys.has(key)) result.saved.set(key, set.mode.kind === 'update' ? key : '');
    }
  }
  if (retry.some((r) => r.length > 0)) {
    const again = await writeRecordSets(
      counted,
      sets.map((set, i) => ({ ...set, records: retry[i]! })),
      state.stopped,
    );
    again.results.forEach((r, i) => {
      results[i]!.retried = retry[i]!.length;
      for (const [key, id] of r.saved) results[i]!.saved.set(key, id);
      for (const failure of r.failures) results[i]!.failures.push(failure);
    });
    state.stopped = again.stopped;
  }
  for (const r of results) {
    r.calls = calls;
    r.stopped = state.stopped;
  }
  return { results, calls, stopped: state.stopped };
}

/**
 * Writes each set by its size: Bulk API 2.0 jobs from `threshold` records on (the Scribe Setting's
 * Bulk Threshold), sObject Collections below it, the small sets sharing composite calls.
 */
export async function writeSetsBySize(
  api: SalesforceApi,
  sets: readonly BulkRecordSet[],
  threshold: number,
  stopped: string | null = null,
  poll: PollOptions = {},
): Promise<{ results: WriteResult[]; calls: number; stopped: string | null }> {
  const big = sets.flatMap((s, i) => (s.records.length >= threshold ? [i] : []));
  const small = sets.flatMap((s, i) => (s.records.length < threshold ? [i] : []));
  const results: WriteResult[] = new Array<WriteResult>(sets.length);
  let calls = 0;
  let state = stopped;
  if (big.length > 0) {
    const bulk = await writeBulkSets(
      api,
      big.map((i) => sets[i]!),
      state,
      poll,
    );
    big.forEach((i, j) => (results[i] = bulk.results[j]!));
    calls += bulk.calls;
    state = bulk.stopped;
  }
  if (small.length > 0) {
    const rest = await writeRecordSets(
      api,
      small.map((i) => sets[i]!),
      state,
    );
    small.forEach((i, j) => (results[i] = rest.results[j]!));
    calls += rest.calls;
    state = rest.stopped;
  }
  return { results, calls, stopped: state };
}
