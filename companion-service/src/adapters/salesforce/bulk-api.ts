import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { SalesforceApiError, type SalesforceApi } from './salesforce-client.js';

/**
 * Bulk API 2.0 as the pipeline scan uses it, every HTTP request one call through the SalesforceApi
 * (so the scan counts it). Query jobs: create each, wait for them all with one listing of the
 * user's jobs per poll, read each result set after set through `Sforce-Locator`. Ingest jobs:
 * create, upload the CSV, close, wait, then read the failed rows (and the saved ids where the caller
 * needs them). https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm,
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html
 */

export type CsvRow = Record<string, string>;

const JobInfoSchema = z.looseObject({
  id: z.string(),
  state: z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted']),
  numberRecordsProcessed: z.number().nullish(),
  numberRecordsFailed: z.number().nullish(),
  errorMessage: z.string().nullish(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;
const JobListSchema = z.looseObject({
  done: z.boolean(),
  records: z.array(JobInfoSchema),
  nextRecordsUrl: z.string().nullish(),
});

export interface PollOptions {
  /** The waits before each poll, in ms; the last repeats. */
  waitsMs?: readonly number[];
  /** How long a job may take before the scan gives up on it. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const DEFAULT_WAITS = [250, 1000, 2000, 4000, 8000, 15_000];
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Under the 150 MB a job takes: the platform counts the upload base64-encoded, a third larger. */
export const UPLOAD_BYTES = 100 * 1024 * 1024;

export class BulkJobError extends Error {
  constructor(
    readonly jobId: string,
    readonly state: string,
    message: string,
  ) {
    super(message);
    this.name = 'BulkJobError';
  }
}

export function parseCsv(csv: string | null): CsvRow[] {
  if (!csv) return [];
  return parse(csv, { columns: true, bom: true, relax_quotes: false }) as CsvRow[];
}

async function createQueryJob(api: SalesforceApi, soql: string): Promise<string> {
  const created = await api.bulk({
    method: 'POST',
    path: '/jobs/query',
    json: { operation: 'query', query: soql, contentType: 'CSV' },
  });
  return JobInfoSchema.parse(created.json).id;
}

/**
 * Waits for every job to finish, polling with one listing of the jobs (a page holds a thousand;
 * the newest come first), so a scan's jobs cost one call a poll together rather than one each.
 */
export async function awaitJobs(
  api: SalesforceApi,
  kind: 'query' | 'ingest',
  ids: readonly string[],
  options: PollOptions = {},
  /** Rows each ingest job holds: with its progress, when to look again. */
  rows: ReadonlyMap<string, number> = new Map(),
): Promise<Map<string, JobInfo>> {
  const waits = options.waitsMs ?? DEFAULT_WAITS;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const finished = new Map<string, JobInfo>();
  let estimate: number | null = null;
  for (let attempt = 0; finished.size < ids.length; attempt++) {
    if (now() > deadline) {
      const open = ids.filter((id) => !finished.has(id));
      throw new BulkJobError(
        open[0]!,
        'InProgress',
        `Bulk API jobs ${open.join(', ')} did not finish in time`,
      );
    }
    // A job that reports progress says when it will be done: each poll spent early is a call.
    const scheduled = waits[Math.min(attempt, waits.length - 1)]!;
    await sleep(
      estimate === null ? scheduled : Math.min(Math.max(estimate, waits[0]!), waits[waits.length - 1]!),
    );
    estimate = null;
    const wanted = new Set(ids.filter((id) => !finished.has(id)));
    let path: string | null = `/jobs/${kind}`;
    while (path && wanted.size > 0) {
      const page = JobListSchema.parse((await api.bulk({ method: 'GET', path })).json);
      for (const job of page.records) {
        if (!wanted.has(job.id)) continue;
        wanted.delete(job.id);
        if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
          finished.set(job.id, job);
          continue;
        }
        const done = job.numberRecordsProcessed ?? 0;
        const total = rows.get(job.id);
        if (done > 0 && total !== undefined) {
          const left = ((now() - started) * (total - done)) / done;
          estimate = Math.max(estimate ?? 0, left * 1.1);
        }
      }
      path =
        page.done || !page.nextRecordsUrl
          ? null
          : page.nextRecordsUrl.replace(/^\/services\/data\/v[\d.]+/, '');
    }
  }
  return finished;
}

/** Every row of a finished query job, set after set. */
async function queryRows(api: SalesforceApi, id: string): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  let locator: string | null = null;
  do {
    const response = await api.bulk({
      method: 'GET',
      path: `/jobs/query/${id}/results${locator ? `?locator=${encodeURIComponent(locator)}` : ''}`,
    });
    for (const row of parseCsv(response.csv)) rows.push(row);
    const next = response.headers['sforce-locator'];
    locator = next && next !== 'null' ? next : null;
  } while (locator);
  return rows;
}

/** Runs named SOQL queries as query jobs side by side; each one's rows as CSV cells. */
export async function bulkQueries(
  api: SalesforceApi,
  queries: Record<string, string>,
  options: PollOptions = {},
  /** Queries of an object the org may not have (an older package): left out of the answer if so. */
  optional: ReadonlySet<string> = new Set(),
): Promise<Map<string, CsvRow[]>> {
  const ids = new Map<string, string>();
  for (const [name, soql] of Object.entries(queries)) {
    try {
      ids.set(name, await createQueryJob(api, soql));
    } catch (error) {
      const missing = error instanceof SalesforceApiError && error.errorCode === 'INVALID_TYPE';
      if (!(missing && optional.has(name))) throw error;
    }
  }
  const jobs = await awaitJobs(api, 'query', [...ids.values()], options);
  const out = new Map<string, CsvRow[]>();
  for (const [name, id] of ids) {
    const job = jobs.get(id)!;
    if (job.state !== 'JobComplete') {
      throw new BulkJobError(
        id,
        job.state,
        `the ${name} query (Bulk API job ${id}) ended ${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}`,
      );
    }
    out.set(name, await queryRows(api, id));
  }
  return out;
}

/** Rows as the REST API would answer them: typed, blanks null, parent fields nested. */
export function typedRows(
  rows: readonly CsvRow[],
  kinds: { numbers?: readonly string[]; booleans?: readonly string[] } = {},
): Record<string, unknown>[] {
  const numbers = new Set(kinds.numbers ?? []);
  const booleans = new Set(kinds.booleans ?? []);
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(row)) {
      let value: unknown = raw === '' ? null : raw;
      if (value !== null && numbers.has(column)) value = Number(raw);
      else if (value !== null && booleans.has(column)) value = raw === 'true';
      // The CSV spells datetimes 2026-12-07T06:00:00.000Z, REST 2026-12-07T06:00:00.000+0000.
      // eslint-disable-next-line security/detect-unsafe-regex -- anchored, fixed-width parts, one optional group
      else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value))
        value = new Date(value).toISOString().replace('Z', '+0000');
      const path = column.split('.');
      let target = out;
      for (const segment of path.slice(0, -1)) {
        target[segment] ??= {};
        target = target[segment] as Record<string, unknown>;
      }
      target[path[path.length - 1]!] = value;
    }
    return out;
  });
}

export interface IngestJobSpec {
  object: string;
  operation: 'update' | 'upsert';
  externalIdFieldName?: string;
  csv: string;
}

/** Creates the job, uploads its CSV and closes it: three calls; the platform processes it after. */
export async function startIngestJob(api: SalesforceApi, spec: IngestJobSpec): Promise<string> {
  const created = await api.bulk({
    method: 'POST',
    path: '/jobs/ingest',
    json: {
      object: spec.object,
      operation: spec.operation,
      ...(spec.externalIdFieldName ? { externalIdFieldName: spec.externalIdFieldName } : {}),
      contentType: 'CSV',
      lineEnding: 'LF',
    },
  });
  const id = JobInfoSchema.parse(created.json).id;
  try {
    await api.bulk({ method: 'PUT', path: `/jobs/ingest/${id}/batches`, csv: spec.csv });
  } catch (error) {
    // An upload the org refused leaves the job Open: abort it so it never lingers half-loaded.
    await api
      .bulk({ method: 'PATCH', path: `/jobs/ingest/${id}`, json: { state: 'Aborted' } })
      .catch(() => {});
    throw error;
  }
  await api.bulk({ method: 'PATCH', path: `/jobs/ingest/${id}`, json: { state: 'UploadComplete' } });
  return id;
}

export async function ingestResults(
  api: SalesforceApi,
  id: string,
  which: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
): Promise<CsvRow[]> {
  return parseCsv((await api.bulk({ method: 'GET', path: `/jobs/ingest/${id}/${which}` })).csv);
}

/** `STATUS_CODE:message:fields --`, as failedResults spells a row's error. */
export function parseRowError(error: string): { code: string; message: string; fields: string[] } {
  const text = error.trim();
  const colon = text.indexOf(':');
  const code = colon > 0 ? text.slice(0, colon) : '';
  if (!/^[A-Z_]+$/.test(code)) return { code: 'UNKNOWN_ERROR', message: text, fields: [] };
  let rest = text.slice(colon + 1);
  let fields: string[] = [];
  if (rest.endsWith(' --') || rest.endsWith('--')) {
    rest = rest.replace(/\s?--$/, '');
    const last = rest.lastIndexOf(':');
    if (last >= 0) {
      fields = rest
        .slice(last + 1)
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      rest = rest.slice(0, last);
    }
  }
  return { code, message: rest.trim(), fields };
}
