import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { visibleSchema, type OrgContext, type RestRequest, type RestResponse } from './context.js';
import { SalesforceError } from './errors.js';
import { createRecord, deleteRecord, updateRecord, upsertRecord } from './dml.js';
import { notAllowed } from './bulk-query.js';
import {
  csvResponse,
  DAILY_BATCHES,
  DAILY_INGEST_RECORDS,
  jobBase,
  jobList,
  jobStateError,
  ownJob,
  RECORDS_PER_BATCH,
  touch,
  type BulkJobs,
  type JobBase,
} from './bulk-jobs.js';

/**
 * Bulk API 2.0 ingest jobs (/services/data/vXX.X/jobs/ingest), as the platform runs them:
 *
 * - POST creates an Open job for an object and an operation (insert, update, upsert on
 *   `externalIdFieldName`, delete); PUT …/batches uploads CSV (201, no body) while it is Open, at
 *   most 150 MB in all; PATCH `{"state":"UploadComplete"}` closes it for processing, or
 *   `{"state":"Aborted"}` drops it. https://developer.salesforce.com/docs/platform/api-asynch/guide/upload-job-data.md,
 *   https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0-ingest.html
 * - Processing runs after the close has answered (UploadComplete → InProgress → JobComplete), each
 *   row in its own transaction as the creating user: a row their permissions, sharing, field-level
 *   security or a validation rule refuses fails alone and is listed in failedResults, while a header
 *   naming a field they cannot see fails the whole job ("InvalidBatch : Field name not found"), its
 *   rows left in unprocessedrecords.
 * - An empty cell leaves the field as it is and `#N/A` clears it; a parent is named by
 *   `Relationship__r.External_Id__c`.
 * - successfulResults answers `sf__Id,sf__Created` before the uploaded columns, failedResults
 *   `sf__Id,sf__Error`, unprocessedrecords only the uploaded columns; numberRecordsProcessed counts
 *   every processed row, numberRecordsFailed those that failed.
 *   https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/reference.htm
 */

type Operation = 'insert' | 'update' | 'upsert' | 'delete';
const OPERATIONS = new Set<string>(['insert', 'update', 'upsert', 'delete']);

export interface IngestJob extends JobBase {
  operation: Operation;
  externalIdFieldName: string | null;
  lineEnding: 'LF' | 'CRLF';
  uploads: string[];
  uploadedBytes: number;
  numberRecordsFailed: number;
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
}

function info(job: IngestJob, created = false): Record<string, unknown> {
  const base = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    lineEnding: job.lineEnding,
    columnDelimiter: 'COMMA',
  };
  if (created)
    return { ...base, contentUrl: `services/data/v${job.ctx.apiVersion}/jobs/ingest/${job.id}/batches` };
  return {
    ...base,
    jobType: 'V2Ingest',
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    retries: job.retries,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.totalProcessingTime,
    apexProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

const invalidJob = (message: string) => new SalesforceError('INVALIDJOB', message);

function create(ctx: OrgContext, bulk: BulkJobs<JobBase, IngestJob>, body: unknown): RestResponse {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.operation !== 'string' || !OPERATIONS.has(b.operation))
    throw invalidJob(`InvalidJob : Invalid operation: ${String(b.operation)}`);
  if (b.contentType !== undefined && b.contentType !== 'CSV')
    throw invalidJob(`InvalidJob : Unsupported content type: ${String(b.contentType)}`);
  if (b.columnDelimiter !== undefined && b.columnDelimiter !== 'COMMA')
    throw invalidJob(
      `InvalidJob : The local org reads COMMA-delimited CSV only, not ${String(b.columnDelimiter)}`,
    );
  const object = visibleSchema(ctx).object(String(b.object ?? ''));
  if (!object || object.kind === 'cmdt')
    throw invalidJob(`InvalidJob : Invalid object type: ${String(b.object)}`);
  let externalIdFieldName: string | null = null;
  if (b.operation === 'upsert') {
    const field = object.fields.get(String(b.externalIdFieldName ?? '').toLowerCase());
    if (!field || !(field.externalId || field.type === 'id'))
      throw invalidJob(
        `InvalidJob : Invalid external ID field for ${object.name}: ${String(b.externalIdFieldName)}; name an External ID field or Id`,
      );
    externalIdFieldName = field.name;
  }
  const job: IngestJob = {
    ...jobBase(ctx, bulk.newId(), object.name, 'Open'),
    ctx,
    operation: b.operation as Operation,
    externalIdFieldName,
    lineEnding: b.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
    uploads: [],
    uploadedBytes: 0,
    numberRecordsFailed: 0,
    header: [],
    successful: [],
    failed: [],
    unprocessed: [],
  };
  bulk.ingest.set(job.id, job);
  return { status: 200, body: info(job, true) };
}

function upload(bulk: BulkJobs<JobBase, IngestJob>, job: IngestJob, body: unknown): RestResponse {
  if (job.state !== 'Open')
    throw jobStateError(`Job ${job.id} is ${job.state}: data can only be uploaded to an Open job`);
  if (typeof body !== 'string' || body.trim() === '')
    throw new SalesforceError(
      'INVALIDJOB',
      'InvalidBatch : The CSV upload is empty; send text/csv with a header row',
    );
  const bytes = Buffer.byteLength(body);
  if (job.uploadedBytes + bytes > bulk.uploadLimitBytes) {
    throw new SalesforceError(
      'LIMIT_EXCEEDED',
      `Uploads to a job may total ${Math.round(bulk.uploadLimitBytes / 1024 / 1024)} MB; this one would bring job ${job.id} to ${job.uploadedBytes + bytes} bytes. Split the data over several jobs.`,
    );
  }
  job.uploads.push(body);
  job.uploadedBytes += bytes;
  return { status: 201, body: null };
}

/** A CSV row as the record body DML takes: blanks left out, #N/A as null, parents by external id. */
function bodyOf(header: string[], row: string[], type: string): Record<string, unknown> {
  const body: Record<string, unknown> = { attributes: { type } };
  header.forEach((column, i) => {
    const raw = row[i] ?? '';
    if (raw === '') return;
    const value = raw === '#N/A' ? null : raw;
    const dot = column.indexOf('.');
    if (dot > 0) body[column.slice(0, dot)] = { [column.slice(dot + 1)]: value };
    else body[column] = value;
  });
  return body;
}

/** The header's first column the user cannot write by name, or null when all resolve. */
function unknownColumn(job: IngestJob, header: string[]): string | null {
  const object = visibleSchema(job.ctx).object(job.object)!;
  for (const column of header) {
    const [head, tail] = column.split('.', 2) as [string, string | undefined];
    if (tail === undefined) {
      if (!object.fields.has(head.toLowerCase())) return column;
      continue;
    }
    const ref = [...object.fields.values()].find(
      (f) => f.relationshipName?.toLowerCase() === head.toLowerCase(),
    );
    const target = ref && visibleSchema(job.ctx).object(ref.referenceTo[0] ?? '');
    if (!target?.fields.has(tail.toLowerCase())) return column;
  }
  return null;
}

function saveError(error: unknown): string {
  if (error instanceof SalesforceError)
    return `${error.errorCode}:${error.message}:${error.fields.join(',')} --`;
  return 'UNKNOWN_EXCEPTION:An unexpected error occurred:--';
}

function processRow(job: IngestJob, header: string[], row: string[]): { id: string; created: boolean } {
  const ctx = job.ctx;
  const body = bodyOf(header, row, job.object);
  const idAt = header.findIndex((h) => h.toLowerCase() === 'id');
  const id = idAt >= 0 ? (row[idAt] ?? '') : '';
  return ctx.store.atomic(() => {
    switch (job.operation) {
      case 'insert':
        return { id: createRecord(ctx, job.object, body), created: true };
      case 'update': {
        if (!id) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
        const fields = Object.fromEntries(Object.entries(body).filter(([k]) => k.toLowerCase() !== 'id'));
        updateRecord(ctx, job.object, id, fields);
        return { id, created: false };
      }
      case 'delete':
        if (!id) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
        deleteRecord(ctx, job.object, id);
        return { id, created: false };
      case 'upsert': {
        const field = job.externalIdFieldName!;
        const at = header.findIndex((h) => h.toLowerCase() === field.toLowerCase());
        const value = at >= 0 ? (row[at] ?? '') : '';
        if (!value) throw new SalesforceError('MISSING_ARGUMENT', `${field} not specified`, [field]);
        return upsertRecord(ctx, job.object, field, value, body);
      }
    }
  });
}

function run(bulk: BulkJobs<JobBase, IngestJob>, job: IngestJob): void {
  if (job.state !== 'UploadComplete') return;
  touch(job, 'InProgress');
  const rows: string[][] = [];
  try {
    for (const csv of job.uploads) {
      const [header = [], ...data] = parse(csv, { relax_column_count: false, bom: true }) as string[][];
      if (job.header.length === 0) job.header = header;
      else if (header.join(',') !== job.header.join(','))
        throw new Error('InvalidBatch : Every upload to a job must have the same header row');
      // A loop, not a spread: an upload holds more rows than a call takes arguments.
      for (const row of data) rows.push(row);
    }
  } catch (error) {
    job.errorMessage = (error as Error).message.startsWith('InvalidBatch')
      ? (error as Error).message
      : `InvalidBatch : Failed to parse CSV: ${(error as Error).message}`;
    touch(job, 'Failed');
    return;
  }
  job.uploads = [];
  const used = bulk.allocations(job.ctx.now());
  const batches = Math.max(1, Math.ceil(rows.length / RECORDS_PER_BATCH));
  const missing = unknownColumn(job, job.header);
  if (
    missing ||
    used.batches + batches > DAILY_BATCHES ||
    used.ingestRecords + rows.length > DAILY_INGEST_RECORDS
  ) {
    job.errorMessage = missing
      ? `InvalidBatch : Field name not found : ${missing}`
      : 'Exceeded the daily allocation of Bulk API batches or records; try again tomorrow';
    job.unprocessed = rows;
    touch(job, 'Failed');
    return;
  }
  used.batches += batches;
  used.ingestRecords += rows.length;
  const idAt = job.header.findIndex((h) => h.toLowerCase() === 'id');
  // Rows go in slices with the event loop free between them, as the platform works a job in
  // batches: the job reads InProgress with numberRecordsProcessed growing, and other requests
  // (an abort among them) are answered meanwhile.
  const slice = (from: number) => {
    if (job.state === 'Aborted') {
      job.unprocessed = rows.slice(from);
      return;
    }
    const to = Math.min(rows.length, from + ROWS_PER_SLICE);
    const started = Date.now();
    for (const row of rows.slice(from, to)) {
      try {
        const saved = processRow(job, job.header, row);
        job.successful.push([saved.id, String(saved.created), ...row]);
      } catch (error) {
        job.failed.push([idAt >= 0 ? (row[idAt] ?? '') : '', saveError(error), ...row]);
        job.numberRecordsFailed++;
      }
      job.numberRecordsProcessed++;
    }
    job.totalProcessingTime += Date.now() - started;
    if (to < rows.length) {
      setImmediate(() => slice(to));
      return;
    }
    touch(job, 'JobComplete');
  };
  slice(0);
}

const ROWS_PER_SLICE = 1000;

function resultCsv(job: IngestJob, kind: string): RestResponse {
  if (job.state !== 'JobComplete' && job.state !== 'Failed' && job.state !== 'Aborted')
    throw jobStateError(
      `Job ${job.id} is ${job.state}: its results are ready once it is JobComplete or Failed`,
    );
  const [first, rows] =
    kind === 'successfulResults'
      ? [['sf__Id', 'sf__Created'], job.successful]
      : kind === 'failedResults'
        ? [['sf__Id', 'sf__Error'], job.failed]
        : [[], job.unprocessed];
  const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
  return csvResponse(
    stringify([[...first, ...job.header], ...rows], { quoted: true, record_delimiter: eol }),
  );
}

export function handleIngestJobs(
  ctx: OrgContext,
  bulk: BulkJobs<JobBase, IngestJob>,
  req: RestRequest,
  segments: string[],
): RestResponse {
  const [id, sub] = segments;
  if (!id) {
    if (req.method === 'POST') return create(ctx, bulk, req.body);
    if (req.method === 'GET')
      return jobList(ctx, bulk.ingest, (j) => info(j), 'ingest', req.query.get('queryLocator'));
    throw notAllowed(req.method, 'GET, POST');
  }
  const job = ownJob(ctx, bulk.ingest, id);
  if (sub === 'batches') {
    if (req.method !== 'PUT') throw notAllowed(req.method, 'PUT');
    return upload(bulk, job, req.body);
  }
  if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
    if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
    return resultCsv(job, sub);
  }
  if (sub !== undefined) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist');
  switch (req.method) {
    case 'GET':
      return { status: 200, body: info(job) };
    case 'PATCH': {
      const state = (req.body as { state?: unknown } | null)?.state;
      if (state === 'UploadComplete') {
        if (job.state !== 'Open')
          throw jobStateError(`Job ${job.id} is ${job.state}: only an Open job can be closed`);
        touch(job, 'UploadComplete');
        bulk.later(() => run(bulk, job));
        return { status: 200, body: info(job) };
      }
      if (state === 'Aborted') {
        if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted')
          throw jobStateError(`Job ${job.id} is ${job.state} and can no longer be aborted`);
        touch(job, 'Aborted');
        return { status: 200, body: info(job) };
      }
      throw jobStateError(`An ingest job can be set to UploadComplete or Aborted, not ${String(state)}`);
    }
    case 'DELETE':
      if (job.state === 'UploadComplete' || job.state === 'InProgress')
        throw jobStateError(`Job ${job.id} is ${job.state}: abort it before deleting it`);
      bulk.ingest.delete(job.id);
      return { status: 204, body: null };
    default:
      throw notAllowed(req.method, 'GET, PATCH, DELETE');
  }
}
