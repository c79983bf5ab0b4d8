import { visibleSchema, type OrgContext, type RestRequest, type RestResponse } from './context.js';
import { SalesforceError } from './errors.js';
import { createRecord, objectOrNotFound } from './dml.js';

/**
 * The sObject Tree resource that `sf data import tree` posts to: records of one type, each with a
 * referenceId and optionally nested child records, created all or none (up to 200 in total).
 */

const MAX_RECORDS = 200;

interface TreeRecord {
  attributes?: { type?: string; referenceId?: string };
  [field: string]: unknown;
}

function createTree(
  ctx: OrgContext,
  type: string,
  record: TreeRecord,
  parent: { field: string; id: string } | null,
  results: { referenceId: string; id: string }[],
): void {
  const object = objectOrNotFound(visibleSchema(ctx), type);
  const fields: Record<string, unknown> = {};
  const children: [string, TreeRecord[]][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    const nested = value as { records?: TreeRecord[] } | null;
    if (nested && typeof nested === 'object' && Array.isArray(nested.records))
      children.push([key, nested.records]);
    else fields[key] = value;
  }
  if (parent) fields[parent.field] = parent.id;
  const id = createRecord(ctx, object.name, fields);
  results.push({ referenceId: record.attributes?.referenceId ?? id, id });
  for (const [relationship, rows] of children) {
    const relation = object.childRelationships.find(
      (r) => r.relationshipName.toLowerCase() === relationship.toLowerCase(),
    );
    if (!relation) {
      throw new SalesforceError('INVALID_FIELD', `No such relationship '${relationship}' on ${object.name}`, [
        relationship,
      ]);
    }
    for (const row of rows)
      createTree(ctx, relation.childSObject, row, { field: relation.field, id }, results);
  }
}

function count(records: TreeRecord[]): number {
  return records.reduce((sum, r) => {
    const nested = Object.values(r).filter(
      (v): v is { records: TreeRecord[] } =>
        !!v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records),
    );
    return sum + 1 + nested.reduce((n, v) => n + count(v.records), 0);
  }, 0);
}

export function handleTree(ctx: OrgContext, req: RestRequest, type: string): RestResponse {
  if (req.method !== 'POST') {
    throw new SalesforceError(
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are POST`,
    );
  }
  const records = (req.body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records))
    throw new SalesforceError('JSON_PARSER_ERROR', 'The request body needs a "records" array');
  if (count(records as TreeRecord[]) > MAX_RECORDS) {
    throw new SalesforceError(
      'EXCEEDED_ID_LIMIT',
      `a tree request may create at most ${MAX_RECORDS} records`,
    );
  }
  const results: { referenceId: string; id: string }[] = [];
  const current: { referenceId: string } = { referenceId: '' };
  try {
    ctx.store.atomic(() => {
      for (const record of records as TreeRecord[]) {
        current.referenceId = record.attributes?.referenceId ?? '';
        createTree(ctx, type, record, null, results);
      }
    });
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    return {
      status: 400,
      body: {
        hasErrors: true,
        results: [
          {
            referenceId: current.referenceId,
            errors: [{ statusCode: error.errorCode, message: error.message, fields: error.fields }],
          },
        ],
      },
    };
  }
  return { status: 201, body: { hasErrors: false, results } };
}
