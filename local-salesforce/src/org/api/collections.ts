import { visibleSchema, type OrgContext, type RestRequest, type RestResponse } from './context.js';
import { SalesforceError } from './errors.js';
import {
  createRecord,
  deleteRecord,
  existingRecord,
  objectOrNotFound,
  updateRecord,
  upsertRecord,
} from './dml.js';
import { recordUrl } from '../soql/resolve.js';

/**
 * sObject Collections: up to 200 records per request, one SaveResult per record in order (errors
 * use `statusCode` here). With allOrNone, one failure rolls every record back.
 */

// More answers 400 EXCEEDED_ID_LIMIT "record limit reached. cannot submit more than 200 records into
// this call": https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections.htm,
// https://github.com/sorenkrabbe/Chrome-Salesforce-inspector/issues/134
const MAX_RECORDS = 200;

type SaveError = { statusCode: string; message: string; fields: string[] };
export type SaveResult = { id?: string; success: boolean; errors: SaveError[]; created?: boolean };

class RolledBack extends Error {}

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function toSaveError(error: unknown): SaveError {
  if (error instanceof SalesforceError) return error.toSaveError();
  return { statusCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred', fields: [] };
}

function recordsOf(body: unknown): { allOrNone: boolean; records: Record<string, unknown>[] } {
  const b = (body ?? {}) as { allOrNone?: unknown; records?: unknown };
  if (!Array.isArray(b.records)) {
    throw new SalesforceError('JSON_PARSER_ERROR', 'The request body needs a "records" array');
  }
  if (b.records.length > MAX_RECORDS) {
    throw new SalesforceError(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
    );
  }
  return { allOrNone: b.allOrNone === true, records: b.records as Record<string, unknown>[] };
}

function typeOf(record: Record<string, unknown>): string {
  const type = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof type !== 'string') {
    throw new SalesforceError('INVALID_TYPE', 'Each record needs attributes.type naming its sObject type');
  }
  return type;
}

/** Runs one operation per record; with allOrNone, any failure undoes them all. */
function each(
  ctx: OrgContext,
  allOrNone: boolean,
  items: unknown[],
  op: (item: unknown) => Omit<SaveResult, 'success' | 'errors'>,
): { results: SaveResult[]; failed: boolean } {
  const results: SaveResult[] = [];
  let failed = false;
  const runAll = () => {
    for (const item of items) {
      try {
        results.push({ ...ctx.store.atomic(() => op(item)), success: true, errors: [] });
      } catch (error) {
        failed = true;
        results.push({ success: false, errors: [toSaveError(error)] });
      }
    }
    if (allOrNone && failed) throw new RolledBack();
  };
  try {
    ctx.store.atomic(runAll);
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
    return {
      results: results.map((r) => (r.success ? { success: false, errors: [ROLLED_BACK] } : r)),
      failed,
    };
  }
  return { results, failed };
}

/** POST, PATCH and DELETE on /composite/sobjects, PATCH upsert, and GET of records by ids. */
export function handleCollections(
  ctx: OrgContext,
  req: RestRequest,
  segments: string[],
): RestResponse & { failed?: boolean } {
  const [type, externalField] = segments;
  if (req.method === 'GET' && type) {
    const object = objectOrNotFound(visibleSchema(ctx), type);
    const fields = (req.query.get('fields') ?? 'Id').split(',').map((f) => f.trim());
    const records = (req.query.get('ids') ?? '')
      .split(',')
      .filter(Boolean)
      .map((id) => {
        try {
          const record = existingRecord(ctx, object, id);
          // A record the user cannot see comes back null, as an unknown id does.
          if (ctx.access && !ctx.access.canRead(object.name, record)) return null;
          const out: Record<string, unknown> = {
            attributes: { type: object.name, url: recordUrl(ctx.apiVersion, object.name, record.Id) },
          };
          for (const f of fields) {
            const def = object.fields.get(f.toLowerCase());
            if (!def)
              throw new SalesforceError('INVALID_FIELD', `No such column '${f}' on entity '${object.name}'`, [
                f,
              ]);
            out[def.name] = record[def.name] ?? null;
          }
          return out;
        } catch (error) {
          if (error instanceof SalesforceError && error.errorCode === 'INVALID_FIELD') throw error;
          return null;
        }
      });
    return { status: 200, body: records };
  }
  if (req.method === 'DELETE' && !type) {
    const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
    const allOrNone = req.query.get('allOrNone') === 'true';
    const { results, failed } = each(ctx, allOrNone, ids, (id) => {
      const object = ctx.schema.objectForId(String(id));
      if (!object) throw new SalesforceError('MALFORMED_ID', `invalid id: ${String(id)}`);
      deleteRecord(ctx, object.name, String(id));
      return { id: String(id) };
    });
    return { status: 200, body: results, failed };
  }
  const { allOrNone, records } = recordsOf(req.body);
  if (req.method === 'POST' && !type) {
    const { results, failed } = each(ctx, allOrNone, records, (r) => {
      const record = r as Record<string, unknown>;
      return { id: createRecord(ctx, typeOf(record), record) };
    });
    return { status: 200, body: results, failed };
  }
  if (req.method === 'PATCH' && !type) {
    const { results, failed } = each(ctx, allOrNone, records, (r) => {
      const { id, ...rest } = r as Record<string, unknown>;
      if (typeof id !== 'string')
        throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call', ['id']);
      updateRecord(ctx, typeOf(rest), id, rest);
      return { id };
    });
    return { status: 200, body: results, failed };
  }
  if (req.method === 'PATCH' && type && externalField) {
    const { results, failed } = each(ctx, allOrNone, records, (r) => {
      const record = r as Record<string, unknown>;
      const key = Object.keys(record).find((k) => k.toLowerCase() === externalField.toLowerCase());
      const value = key ? record[key] : undefined;
      if (value === undefined || value === null) {
        throw new SalesforceError('MISSING_ARGUMENT', `${externalField} not specified`, [externalField]);
      }
      return upsertRecord(ctx, type, externalField, String(value), record);
    });
    return { status: 200, body: results, failed };
  }
  throw new SalesforceError(
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${req.method}' not allowed. Allowed are GET,POST,PATCH,DELETE`,
  );
}
