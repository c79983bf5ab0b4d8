import { stringify } from 'csv-stringify/sync';
import { parseSoql, type Query } from '../soql/parser.js';
import { runQuery } from '../soql/evaluate.js';
import { resolvePath } from '../soql/resolve.js';
import { visibleSchema, type OrgContext, type RestRequest, type RestResponse } from './context.js';
import { malformedQuery, SalesforceError } from './errors.js';
import { pointedAt, queryContext } from './query-resource.js';
import {
  csvResponse,
  DAILY_QUERY_JOBS,
  jobBase,
  jobList,
  jobStateError,
  locatorFor,
  offsetOf,
  ownJob,
  touch,
  type BulkJobs,
  type JobBase,
} from './bulk-jobs.js';

/**
 * Bulk API 2.0 query jobs (/services/data/vXX.X/jobs/query), as the platform runs them:
 *
 * - POST creates a job from SOQL and answers at once with state UploadComplete; the query runs
 *   afterwards (InProgress, then JobComplete or Failed), as the creating user: only the rows they can
 *   see, and a field or object they cannot read is refused like one that does not exist, as the REST
 *   query refuses it. The SOQL is checked when the job is created, so a bad query never becomes a job.
 *   https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/query_walkthrough.htm
 * - Bulk queries refuse GROUP BY, OFFSET, TYPEOF, aggregate functions such as COUNT() and
 *   parent-to-child subqueries (child-to-parent paths are fine):
 *   https://developer.salesforce.com/docs/atlas.en-us.238.0.api_asynch.meta/api_asynch/queries.htm;
 *   a subquery is refused with "Aggregate Relationships not supported in Bulk V2 Query with CSV
 *   content type." (https://github.com/OpenFn/adaptors/issues/395).
 * - GET …/results answers CSV, every value quoted, a parent's fields as `Account.Name` columns, in
 *   sets: `maxRecords` caps a set, `Sforce-NumberOfRecords` counts it, `Sforce-Locator` names the next
 *   (the string "null" after the last), and a locator can be read again while the job exists.
 *   https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
 *   The platform gives no figure for a set without maxRecords beyond "subject to size limits": the
 *   local org closes a set at `BulkJobs.resultSetBytes` of CSV.
 */

export interface QueryJob extends JobBase {
  operation: 'query' | 'queryAll';
  query: string;
  /** The CSV rows (without the header), once the job is complete. */
  rows: string[];
  header: string;
}

function info(job: QueryJob, created = false): Record<string, unknown> {
  const base = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
  };
  if (created) return base;
  return {
    ...base,
    jobType: 'V2Query',
    numberRecordsProcessed: job.numberRecordsProcessed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

const unsupported = (what: string) =>
  new SalesforceError('API_ERROR', `${what} not supported in Bulk V2 Query with CSV content type.`);

function checkBulkShape(query: Query): void {
  if (query.select.some((s) => s.kind === 'subquery')) throw unsupported('Aggregate Relationships');
  if (query.select.some((s) => s.kind === 'count')) throw unsupported('Aggregate functions');
  if (query.offset !== null) throw unsupported('OFFSET');
}

/** The columns: each selected path by its canonical names, with its field's type. */
function columnsOf(ctx: OrgContext, query: Query) {
  const schema = visibleSchema(ctx);
  const root = schema.object(query.from)!;
  return query.select.flatMap((s) => {
    if (s.kind !== 'field') return [];
    const resolved = resolvePath(schema, root, s.path);
    return [{ names: resolved.names, type: resolved.field.type }];
  });
}

function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  // REST answers datetimes with +0000; the bulk CSV spells them with Z.
  if (type === 'datetime' && typeof value === 'string') return value.replace(/\+0000$/, 'Z');
  return String(value);
}

function run(job: QueryJob): void {
  if (job.state !== 'UploadComplete') return;
  touch(job, 'InProgress');
  const started = Date.now();
  try {
    const query = parseSoql(job.query);
    const output = runQuery(queryContext(job.ctx, job.operation === 'queryAll'), query);
    const columns = columnsOf(job.ctx, query);
    job.header = stringify([columns.map((c) => c.names.join('.'))], { quoted: true }).trimEnd();
    job.rows = output.records.map((record) =>
      stringify(
        [
          columns.map((c) => {
            let value: unknown = record;
            for (const name of c.names) value = (value as Record<string, unknown> | null)?.[name] ?? null;
            return cell(value, c.type);
          }),
        ],
        { quoted: true },
      ).trimEnd(),
    );
    job.numberRecordsProcessed = job.rows.length;
    job.totalProcessingTime = Date.now() - started;
    touch(job, 'JobComplete');
  } catch (error) {
    job.errorMessage = error instanceof Error ? error.message : 'the query failed';
    touch(job, 'Failed');
  }
}

function create(ctx: OrgContext, bulk: BulkJobs<QueryJob>, body: unknown): RestResponse {
  const b = (body ?? {}) as { operation?: unknown; query?: unknown; contentType?: unknown };
  if (b.operation !== 'query' && b.operation !== 'queryAll') {
    throw new SalesforceError(
      'INVALIDJOB',
      `Invalid operation: ${String(b.operation)}; use query or queryAll`,
    );
  }
  if (b.contentType !== undefined && b.contentType !== 'CSV') {
    throw new SalesforceError('INVALIDJOB', `Unsupported content type ${String(b.contentType)}; use CSV`);
  }
  if (typeof b.query !== 'string' || b.query.trim() === '') throw malformedQuery('A SOQL query is required');
  const soql = b.query;
  let query: Query;
  try {
    query = parseSoql(soql);
    checkBulkShape(query);
    runQuery(queryContext(ctx, b.operation === 'queryAll'), { ...query, limit: 0 });
  } catch (error) {
    throw pointedAt(error, soql);
  }
  const used = bulk.allocations(ctx.now());
  if (used.queryJobs >= DAILY_QUERY_JOBS) {
    throw new SalesforceError(
      'LIMIT_EXCEEDED',
      `The maximum number of Bulk API 2.0 query jobs per 24 hours (${DAILY_QUERY_JOBS}) has been reached`,
    );
  }
  used.queryJobs++;
  const object = visibleSchema(ctx).object(query.from)!.name;
  const job: QueryJob = {
    ...jobBase(ctx, bulk.newId(), object, 'UploadComplete'),
    ctx,
    operation: b.operation,
    query: soql,
    rows: [],
    header: '',
  };
  bulk.query.set(job.id, job);
  bulk.later(() => run(job));
  return { status: 200, body: info(job, true) };
}

function results(bulk: BulkJobs<QueryJob>, job: QueryJob, query: URLSearchParams): RestResponse {
  if (job.state !== 'JobComplete') {
    throw jobStateError(`Job ${job.id} is ${job.state}: results are available once it is JobComplete`);
  }
  const locator = query.get('locator');
  const from = locator ? offsetOf(locator) : 0;
  if (from === null || from > job.rows.length) {
    throw new SalesforceError('INVALID_QUERY_LOCATOR', `invalid locator: ${locator}`, [], 400);
  }
  const maxParam = query.get('maxRecords');
  const max = maxParam === null ? Infinity : Number(maxParam);
  if (maxParam !== null && (!Number.isInteger(max) || max < 1))
    throw new SalesforceError('INVALID_REQUEST', `maxRecords must be a positive whole number: ${maxParam}`);
  let to = from;
  let bytes = job.header.length;
  while (to < job.rows.length && to - from < max) {
    bytes += job.rows[to]!.length + 1;
    if (to > from && bytes > bulk.resultSetBytes) break;
    to++;
  }
  const csv = [job.header, ...job.rows.slice(from, to)].join('\n') + '\n';
  return csvResponse(csv, {
    'Sforce-NumberOfRecords': String(to - from),
    'Sforce-Locator': to < job.rows.length ? locatorFor(to) : 'null',
  });
}

export function handleQueryJobs(
  ctx: OrgContext,
  bulk: BulkJobs<QueryJob>,
  req: RestRequest,
  segments: string[],
): RestResponse {
  const [id, sub] = segments;
  if (!id) {
    if (req.method === 'POST') return create(ctx, bulk, req.body);
    if (req.method === 'GET')
      return jobList(ctx, bulk.query, (j) => info(j), 'query', req.query.get('queryLocator'));
    throw notAllowed(req.method, 'GET, POST');
  }
  const job = ownJob(ctx, bulk.query, id);
  if (sub === 'results' && segments.length === 2) {
    if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
    return results(bulk, job, req.query);
  }
  if (sub !== undefined) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist');
  switch (req.method) {
    case 'GET':
      return { status: 200, body: info(job) };
    case 'PATCH': {
      const state = (req.body as { state?: unknown } | null)?.state;
      if (state !== 'Aborted')
        throw jobStateError(`A query job can only be set to Aborted, not ${String(state)}`);
      if (job.state !== 'UploadComplete' && job.state !== 'InProgress')
        throw jobStateError(`Job ${job.id} is ${job.state} and can no longer be aborted`);
      touch(job, 'Aborted');
      return { status: 200, body: info(job) };
    }
    case 'DELETE':
      if (job.state === 'UploadComplete' || job.state === 'InProgress')
        throw jobStateError(`Job ${job.id} is ${job.state}: abort it before deleting it`);
      bulk.query.delete(job.id);
      return { status: 204, body: null };
    default:
      throw notAllowed(req.method, 'GET, PATCH, DELETE');
  }
}

export function notAllowed(method: string, allowed: string): SalesforceError {
  return new SalesforceError(
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  );
}
