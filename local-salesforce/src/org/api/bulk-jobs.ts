import type { OrgContext, RestResponse } from './context.js';
import { notFound, SalesforceError } from './errors.js';
import { formatDatetime } from './field-input.js';

/**
 * What Bulk API 2.0 query and ingest jobs share: their ids (750…), their record as the API shows it,
 * the org's daily allocations, and the background step that moves a job on. A job is processed after
 * the request that started it has answered, as on the platform, so a client has to poll it.
 *
 * Job states: https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm
 * (query: UploadComplete → InProgress → JobComplete | Failed | Aborted) and
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/get-job-info.md (ingest: Open →
 * UploadComplete → InProgress → JobComplete | Failed, or Aborted).
 *
 * Allocations (https://developer.salesforce.com/docs/atlas.en-us.228.0.api_bulk_v2.meta/api_bulk_v2/bulk_api_2_limits.htm,
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-bulkapi.html):
 * 10,000 query jobs and 150,000,000 uploaded records per rolling 24 hours, 15,000 batches (an ingest
 * job takes one per 10,000 records; query jobs take none), 150 MB of CSV per ingest job. The local
 * org counts by UTC day, as it counts API requests.
 */

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: number;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage: string | null;
  /** The creator's request context: the job runs with their permissions and sharing. */
  ctx: OrgContext;
}

export const DAILY_QUERY_JOBS = 10_000;
export const DAILY_BATCHES = 15_000;
export const DAILY_INGEST_RECORDS = 150_000_000;
export const RECORDS_PER_BATCH = 10_000;
export const UPLOAD_LIMIT_BYTES = 150 * 1024 * 1024;

export interface BulkAllocations {
  day: string;
  queryJobs: number;
  batches: number;
  ingestRecords: number;
}

export class BulkJobs<Q extends JobBase = JobBase, I extends JobBase = JobBase> {
  readonly query = new Map<string, Q>();
  readonly ingest = new Map<string, I>();
  readonly used: BulkAllocations = { day: '', queryJobs: 0, batches: 0, ingestRecords: 0 };
  private counter = 0;

  constructor(
    readonly uploadLimitBytes: number = UPLOAD_LIMIT_BYTES,
    /** How long the platform takes before it picks a job up; 0 still answers first, then processes. */
    readonly processingDelayMs = 0,
    /**
     * Where a query's result set ends without maxRecords. The platform gives no figure beyond
     * "subject to size limits"; the local org closes a set at 100 MB of CSV unless told less.
     */
    readonly resultSetBytes = 100 * 1024 * 1024,
  ) {}

  newId(): string {
    this.counter++;
    return `750${String(this.counter).padStart(12, '0')}AAA`;
  }

  /** Today's allocations, reset when the org's day turns. */
  allocations(now: number): BulkAllocations {
    const day = new Date(now).toISOString().slice(0, 10);
    if (this.used.day !== day) Object.assign(this.used, { day, queryJobs: 0, batches: 0, ingestRecords: 0 });
    return this.used;
  }

  /** Runs `step` after the current request has answered. */
  later(step: () => void): void {
    setTimeout(step, this.processingDelayMs).unref?.();
  }
}

export function jobBase(ctx: OrgContext, id: string, object: string, state: JobState): Omit<JobBase, 'ctx'> {
  const now = formatDatetime(ctx.now());
  return {
    id,
    object,
    createdById: ctx.userId,
    createdDate: now,
    systemModstamp: now,
    state,
    apiVersion: Number(ctx.apiVersion),
    numberRecordsProcessed: 0,
    retries: 0,
    totalProcessingTime: 0,
    errorMessage: null,
  };
}

export function touch(job: JobBase, state: JobState): void {
  job.state = state;
  job.systemModstamp = formatDatetime(job.ctx.now());
}

/** A job the caller created; another user's job is as unknown to them as a missing one. */
export function ownJob<T extends JobBase>(ctx: OrgContext, jobs: Map<string, T>, id: string): T {
  const job = jobs.get(id);
  if (!job || job.createdById !== ctx.userId) throw notFound();
  return job;
}

export const jobStateError = (message: string) => new SalesforceError('INVALIDJOBSTATE', message, [], 400);

export const csvResponse = (csv: string, headers: Record<string, string> = {}): RestResponse => ({
  status: 200,
  body: csv,
  headers: { 'Content-Type': 'text/csv', ...headers },
});

/**
 * The list of a kind's jobs, a thousand to a page with `nextRecordsUrl`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_all_jobs.htm).
 * The platform lists the org's jobs to a user allowed to see them; the local org lists each user
 * their own, newest first (the platform promises no order, so a client must not count on one).
 */
export function jobList<T extends JobBase>(
  ctx: OrgContext,
  jobs: Map<string, T>,
  info: (job: T) => Record<string, unknown>,
  kind: 'query' | 'ingest',
  locator: string | null,
): RestResponse {
  const PAGE = 1000;
  const own = [...jobs.values()].filter((j) => j.createdById === ctx.userId).reverse();
  const from = locator ? Number(Buffer.from(locator, 'base64url').toString()) : 0;
  if (!Number.isInteger(from) || from < 0)
    throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator', [], 400);
  const page = own.slice(from, from + PAGE);
  const done = from + PAGE >= own.length;
  const next = Buffer.from(String(from + PAGE)).toString('base64url');
  return {
    status: 200,
    body: {
      done,
      records: page.map(info),
      nextRecordsUrl: done ? null : `/services/data/v${ctx.apiVersion}/jobs/${kind}?queryLocator=${next}`,
    },
  };
}

/** A results locator as API 49.0 and later spell it: the offset, base64-encoded (`MTAwMDA` is 10000). */
export const locatorFor = (offset: number) => Buffer.from(String(offset)).toString('base64');

export function offsetOf(locator: string): number | null {
  const n = Number(Buffer.from(locator, 'base64').toString());
  return Number.isInteger(n) && n >= 0 ? n : null;
}
