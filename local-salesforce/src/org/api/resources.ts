import { visibleSchema, type OrgContext, type RestRequest, type RestResponse } from './context.js';
import { notFound, SalesforceError } from './errors.js';
import {
  createRecord,
  deleteRecord,
  existingRecord,
  objectOrNotFound,
  updateRecord,
  upsertRecord,
} from './dml.js';
import { describeGlobal, describeObject, objectInfo } from './describe.js';
import { nextPage, runSoql } from './query-resource.js';
import { handleCollections } from './collections.js';
import { handleComposite, type Limits } from './composite.js';
import { handleTree } from './tree.js';
import { recordUrl } from '../soql/resolve.js';
import { handleQueryJobs } from './bulk-query.js';
import { handleIngestJobs } from './bulk-ingest.js';
import { DAILY_BATCHES, DAILY_QUERY_JOBS } from './bulk-jobs.js';

/**
 * The versioned REST resources (everything under /services/data/vXX.X), as one function from
 * request to response. The HTTP server and composite subrequests both call it, so a subrequest
 * behaves exactly like the same request sent alone.
 */

export type { Limits };

function readRecord(ctx: OrgContext, type: string, id: string, fieldsParam: string | null): RestResponse {
  const object = objectOrNotFound(visibleSchema(ctx), type);
  const record = existingRecord(ctx, object, id);
  // A record the user cannot see is not there for them: 404, "verify that there are no sharing issues".
  // https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/errorcodes.htm
  if (ctx.access && !ctx.access.canRead(object.name, record)) throw notFound();
  const names = fieldsParam
    ? fieldsParam.split(',').map((f) => f.trim())
    : [...object.fields.values()].map((f) => f.name);
  const body: Record<string, unknown> = {
    attributes: { type: object.name, url: recordUrl(ctx.apiVersion, object.name, record.Id) },
  };
  for (const name of names) {
    const field = object.fields.get(name.toLowerCase());
    if (!field)
      throw new SalesforceError('INVALID_FIELD', `No such column '${name}' on entity '${object.name}'`, [
        name,
      ]);
    body[field.name] = record[field.name] ?? null;
  }
  return { status: 200, body };
}

function sobjectRoutes(ctx: OrgContext, req: RestRequest, segments: string[]): RestResponse {
  const [type, second, third] = segments;
  if (!type) {
    if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
    return { status: 200, body: describeGlobal(ctx.apiVersion, visibleSchema(ctx), ctx.access) };
  }
  if (!second) {
    const object = objectOrNotFound(visibleSchema(ctx), type);
    if (req.method === 'GET') return { status: 200, body: objectInfo(ctx.apiVersion, object, ctx.access) };
    if (req.method !== 'POST') throw notAllowed(req.method, 'GET, POST');
    const id = ctx.store.atomic(() => createRecord(ctx, object.name, req.body));
    return {
      status: 201,
      body: { id, success: true, errors: [] },
      headers: { Location: recordUrl(ctx.apiVersion, object.name, id) },
    };
  }
  if (second === 'describe' && !third) {
    if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
    const object = objectOrNotFound(visibleSchema(ctx), type);
    return { status: 200, body: describeObject(ctx.apiVersion, object, ctx.access) };
  }
  if (!third) {
    switch (req.method) {
      case 'GET':
        return readRecord(ctx, type, second, req.query.get('fields'));
      case 'PATCH':
        ctx.store.atomic(() => updateRecord(ctx, type, second, req.body));
        return { status: 204, body: null };
      case 'DELETE':
        ctx.store.atomic(() => deleteRecord(ctx, type, second));
        return { status: 204, body: null };
      default:
        throw notAllowed(req.method, 'GET, PATCH, DELETE');
    }
  }
  const object = objectOrNotFound(visibleSchema(ctx), type);
  const external = object.fields.get(second.toLowerCase());
  if (!external || !(external.externalId || external.type === 'id')) {
    throw new SalesforceError(
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${second}`,
    );
  }
  const value = third;
  if (req.method === 'PATCH') {
    const result = ctx.store.atomic(() => upsertRecord(ctx, object.name, external.name, value, req.body));
    return {
      status: result.created ? 201 : 200,
      body: { id: result.id, success: true, errors: [], created: result.created },
      headers: { Location: recordUrl(ctx.apiVersion, object.name, result.id) },
    };
  }
  const matches = ctx.store
    .findBy(object.name, external.name, value)
    .filter((m) => !ctx.access || ctx.access.canRead(object.name, m));
  if (matches.length === 0) throw notFound();
  if (matches.length > 1) {
    return { status: 300, body: matches.map((m) => recordUrl(ctx.apiVersion, object.name, m.Id)) };
  }
  if (req.method === 'GET') return readRecord(ctx, object.name, matches[0]!.Id, req.query.get('fields'));
  if (req.method === 'DELETE') {
    ctx.store.atomic(() => deleteRecord(ctx, object.name, matches[0]!.Id));
    return { status: 204, body: null };
  }
  throw notAllowed(req.method, 'GET, PATCH, DELETE');
}

/**
 * The Limits resource as Salesforce answers it: every org limit by name, each with its Max and what
 * Remains (https://developer.salesforce.com/docs/platform/api-rest/guide/dome-limits.md; the limits it
 * lists: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm).
 * Daily API requests follow the local org's budget, the one Sforce-Limit-Info reports; the others are a
 * Developer Edition's, untouched, since nothing here spends them.
 */
const UNSPENT_LIMITS: Readonly<Record<string, number>> = {
  DailyAsyncApexExecutions: 250_000,
  DailyBulkV2QueryFileStorageMB: 976_562,
  DailyDurableStreamingApiEvents: 10_000,
  DailyStandardVolumePlatformEvents: 10_000,
  DailyWorkflowEmails: 390,
  DataStorageMB: 5,
  FileStorageMB: 20,
  HourlyPublishedPlatformEvents: 50_000,
  MassEmail: 10,
  SingleEmail: 15,
};

function orgLimits(ctx: OrgContext, limits: Limits): Record<string, { Max: number; Remaining: number }> {
  const bulk = ctx.bulk.allocations(ctx.now());
  return {
    DailyApiRequests: { Max: limits.max, Remaining: Math.max(0, limits.max - limits.used) },
    DailyBulkApiBatches: { Max: DAILY_BATCHES, Remaining: Math.max(0, DAILY_BATCHES - bulk.batches) },
    DailyBulkV2QueryJobs: {
      Max: DAILY_QUERY_JOBS,
      Remaining: Math.max(0, DAILY_QUERY_JOBS - bulk.queryJobs),
    },
    ...Object.fromEntries(
      Object.entries(UNSPENT_LIMITS).map(([name, max]) => [name, { Max: max, Remaining: max }]),
    ),
  };
}

function notAllowed(method: string, allowed: string): SalesforceError {
  return new SalesforceError(
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${method}' not allowed. Allowed are ${allowed}`,
  );
}

/** Runs one REST request; Salesforce errors come back as their array body and status. */
export function handleRest(
  ctx: OrgContext,
  req: RestRequest,
  limits: Limits,
): RestResponse & { failed?: boolean } {
  try {
    return route(ctx, req, limits);
  } catch (error) {
    if (error instanceof SalesforceError) return { status: error.status, body: error.toBody() };
    throw error;
  }
}

function route(ctx: OrgContext, req: RestRequest, limits: Limits): RestResponse & { failed?: boolean } {
  const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  const [resource, ...rest] = segments;
  const base = `/services/data/v${ctx.apiVersion}`;
  switch (resource) {
    case undefined:
      return {
        status: 200,
        body: {
          sobjects: `${base}/sobjects`,
          query: `${base}/query`,
          queryAll: `${base}/queryAll`,
          composite: `${base}/composite`,
          limits: `${base}/limits`,
        },
      };
    case 'limits':
      if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
      // "available ... for API users with the View Setup and Configuration permission"
      // (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-limits.md).
      if (ctx.access && !ctx.access.has('ViewSetup')) {
        throw new SalesforceError(
          'INSUFFICIENT_ACCESS_OR_READONLY',
          'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.',
          [],
          403,
        );
      }
      return { status: 200, body: orgLimits(ctx, limits) };
    case 'query':
    case 'queryAll':
      if (req.method !== 'GET') throw notAllowed(req.method, 'GET');
      if (rest[0]) return nextPage(ctx, rest[0], req.headers['sforce-query-options']);
      return runSoql(
        ctx,
        req.query.get('q'),
        resource === 'queryAll',
        req.headers['sforce-query-options'],
        req.query.get('columns') === 'true',
      );
    case 'sobjects':
      return sobjectRoutes(ctx, req, rest);
    case 'jobs':
      // Bulk API 2.0 (api/bulk-query.ts, api/bulk-ingest.ts); every call counts as one API request.
      if (rest[0] === 'query') return handleQueryJobs(ctx, ctx.bulk, req, rest.slice(1));
      if (rest[0] === 'ingest') return handleIngestJobs(ctx, ctx.bulk, req, rest.slice(1));
      throw notFound();
    case 'composite':
      if (rest[0] === 'sobjects') return handleCollections(ctx, req, rest.slice(1));
      if (rest[0] === 'tree' && rest[1]) return handleTree(ctx, req, rest[1]);
      if (rest.length === 0 && req.method === 'POST') return handleComposite(ctx, req, limits, handleRest);
      throw notFound();
    default:
      throw notFound();
  }
}
