import type { FieldDef, ObjectDef, OrgSchema } from '../schema/types.js';
import type { FieldValue, SObjectRecord } from '../store/record-store.js';
import { toId18 } from '../schema/ids.js';
import {
  crossReferenceDenied,
  insufficientAccess,
  notFound,
  objectAccessDenied,
  SalesforceError,
} from './errors.js';
import { coerceFieldValue, formatDatetime } from './field-input.js';
import { visibleSchema, type DmlContext } from './context.js';
import { announceSave, publishAfterCommit } from '../platform-events.js';
import {
  applyDefaults,
  checkReferences,
  checkRequired,
  checkUnique,
  checkValidationRules,
  derive,
  recordOpportunityHistory,
} from './record-checks.js';
import {
  afterActivityDelete,
  afterActivitySave,
  deriveActivity,
  isActivity,
  takeWhoIds,
} from './activities.js';

/**
 * Create, update, upsert and delete with the checks a real org makes: unknown and read-only fields,
 * required fields, restricted picklists, unique external ids, deleted records, validation rules; and
 * the values the platform derives (audit fields, auto-numbers, full names, opportunity stage facts).
 */

export function objectOrNotFound(schema: OrgSchema, name: string): ObjectDef {
  const object = schema.object(name);
  if (!object) throw notFound();
  return object;
}

/**
 * The object as the acting user sees it (NOT_FOUND when they cannot read it, as for an object that
 * does not exist) and its full definition, which the platform's own rules (defaults, required fields,
 * derived values) work on.
 */
function userObject(ctx: DmlContext, name: string): { object: ObjectDef; view: ObjectDef } {
  const view = objectOrNotFound(visibleSchema(ctx), name);
  return { view, object: ctx.schema.object(view.name)! };
}

/**
 * Lookups the user writes must name records they can read; the parent of a record Controlled by
 * Parent must be one they can edit (read, for an activity's WhatId).
 * https://help.salesforce.com/s/articleView?id=platform.sharing_model_fields.htm&language=en_US&type=5
 */
function checkReferenceAccess(
  ctx: DmlContext,
  object: ObjectDef,
  values: Record<string, FieldValue>,
  previous: SObjectRecord | null,
): void {
  const access = ctx.access;
  if (!access) return;
  const parentField = access.sharingParentField(object);
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string' || previous?.[name] === value) continue;
    const field = object.fields.get(name.toLowerCase());
    if (field?.type !== 'reference') continue;
    const target = ctx.schema.objectForId(value);
    const record = target ? ctx.store.get(target.name, value) : undefined;
    if (!target || !record) continue;
    const activity = object.name === 'Task' || object.name === 'Event';
    const allowed =
      name === parentField && !activity
        ? access.canEdit(target.name, record)
        : access.canRead(target.name, record);
    if (!allowed) throw crossReferenceDenied(value);
  }
}

function assertWritable(object: ObjectDef, operation: 'inserted' | 'updated' | 'deleted'): void {
  if (object.kind === 'cmdt') {
    throw new SalesforceError(
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be ${operation}: ${object.name} (custom metadata is deployed, not written through the REST API)`,
    );
  }
}

/** Resolves `Parent__r: { Ext_Id__c: 'x' }` to the parent's id, as Salesforce does for upserts. */
function resolveForeignKey(ctx: DmlContext, field: FieldDef, value: unknown): string {
  const target = visibleSchema(ctx).object(field.referenceTo[0] ?? '');
  if (!target) {
    throw new SalesforceError('INVALID_FIELD', `No such column '${field.relationshipName}'`, [field.name]);
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'attributes');
  const [key, extValue] = entries[0] ?? [];
  const extField = key ? target.fields.get(key.toLowerCase()) : undefined;
  if (entries.length !== 1 || !extField || !(extField.externalId || extField.type === 'id')) {
    throw new SalesforceError(
      'INVALID_FIELD',
      `Foreign key external ID reference for ${field.relationshipName} must name one external ID field of ${target.name}`,
      [field.name],
    );
  }
  const matches = ctx.store.findBy(target.name, extField.name, String(extValue));
  if (matches.length !== 1) {
    throw new SalesforceError(
      'INVALID_FIELD',
      `Foreign key external ID: ${String(extValue)} not found for field ${extField.name} in entity ${target.name}`,
      [field.name],
    );
  }
  return matches[0]!.Id;
}

/** The body's fields, checked and converted, keyed by canonical field name. */
function readBody(
  ctx: DmlContext,
  object: ObjectDef,
  body: unknown,
  creating: boolean,
): Record<string, FieldValue> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceError('JSON_PARSER_ERROR', 'The request body must be a JSON object of field values');
  }
  const out: Record<string, FieldValue> = {};
  const readOnly: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'attributes') continue;
    const lower = key.toLowerCase();
    let field = object.fields.get(lower);
    if (!field && value && typeof value === 'object') {
      field = [...object.fields.values()].find((f) => f.relationshipName?.toLowerCase() === lower);
      if (field) {
        out[field.name] = resolveForeignKey(ctx, field, value);
        continue;
      }
    }
    if (!field) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `No such column '${key}' on sobject of type ${object.name}`,
        [key],
      );
    }
    if (!(creating ? field.createable : field.updateable)) {
      readOnly.push(field.name);
      continue;
    }
    out[field.name] = coerceFieldValue(field, value);
  }
  if (readOnly.length > 0) {
    throw new SalesforceError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  return out;
}

function save(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
): void {
  ctx.beforeWrite?.(record.Id);
  const now = formatDatetime(ctx.now());
  const activity = isActivity(object);
  const whoIds = activity ? takeWhoIds(object, record) : null;
  derive(object, record, previous, now);
  if (activity) deriveActivity(ctx, object, record, previous, whoIds, now);
  checkRequired(object, record);
  checkUnique(ctx, object, record);
  checkValidationRules(ctx, object, record, previous);
  record.LastModifiedDate = now;
  record.LastModifiedById = ctx.userId || null;
  record.SystemModstamp = now;
  ctx.store.put(object.name, record);
  ctx.access?.recordsChanged();
  announceSave(ctx, object, record, previous);
  if (object.name === 'Opportunity') recordOpportunityHistory(ctx, record, previous, now);
  if (activity) afterActivitySave(ctx, object, record, previous, whoIds, now);
}

function autoNumber(format: string, n: number): string {
  return format.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
}

export function createRecord(ctx: DmlContext, objectName: string, body: unknown): string {
  const { object, view } = userObject(ctx, objectName);
  assertWritable(object, 'inserted');
  if (ctx.access && !ctx.access.objectPermission(object.name).create) throw objectAccessDenied();
  const values = readBody(ctx, view, body, true);
  checkReferences(ctx, object, values);
  checkReferenceAccess(ctx, object, values, null);
  const id = ctx.store.newId(object.name);
  if (object.kind === 'event') {
    publishAfterCommit(ctx, object.name, id, values);
    return id;
  }
  const now = formatDatetime(ctx.now());
  const record: SObjectRecord = {
    ...values,
    Id: id,
    IsDeleted: false,
    CreatedDate: now,
    CreatedById: ctx.userId || null,
  };
  if (object.fields.has('ownerid') && !record.OwnerId) record.OwnerId = ctx.userId || null;
  const nameField = object.fields.get('name');
  if (nameField?.autoNumberFormat) {
    record.Name = autoNumber(nameField.autoNumberFormat, ctx.store.count(object.name, true) + 1);
  } else if (object.kind === 'custom' && nameField && !record.Name) {
    record.Name = id;
  }
  applyDefaults(object, record);
  save(ctx, object, record, null);
  return id;
}

/** The live record, or the error Salesforce gives for a deleted or unknown one. */
export function existingRecord(ctx: DmlContext, object: ObjectDef, rawId: string): SObjectRecord {
  const id = toId18(rawId);
  const record = id ? ctx.store.get(object.name, id) : undefined;
  if (record) return record;
  if (id && ctx.store.getDeleted(object.name, id))
    throw new SalesforceError('ENTITY_IS_DELETED', 'entity is deleted');
  if (!id)
    throw new SalesforceError('MALFORMED_ID', `Record ID: id value of incorrect type: ${rawId}`, ['Id']);
  throw notFound();
}

export function updateRecord(ctx: DmlContext, objectName: string, id: string, body: unknown): void {
  const { object, view } = userObject(ctx, objectName);
  assertWritable(object, 'updated');
  const previous = existingRecord(ctx, object, id);
  const access = ctx.access;
  if (access) {
    if (!access.objectPermission(object.name).edit) throw objectAccessDenied();
    if (!access.canEdit(object.name, previous)) throw insufficientAccess();
  }
  const values = readBody(ctx, view, body, false);
  if (access && 'OwnerId' in values && values.OwnerId !== previous.OwnerId) {
    if (!access.canTransfer(object.name, previous)) throw insufficientAccess();
  }
  checkReferences(ctx, object, values);
  checkReferenceAccess(ctx, object, values, previous);
  save(ctx, object, { ...previous, ...values }, previous);
}

export function deleteRecord(ctx: DmlContext, objectName: string, id: string): void {
  const { object } = userObject(ctx, objectName);
  assertWritable(object, 'deleted');
  const record = existingRecord(ctx, object, id);
  if (ctx.access) {
    if (!ctx.access.objectPermission(object.name).delete) throw objectAccessDenied();
    if (!ctx.access.canDelete(object.name, record)) throw insufficientAccess();
  }
  ctx.store.remove(object.name, record.Id);
  if (isActivity(object)) afterActivityDelete(ctx, object, record);
  ctx.access?.recordsChanged();
}

export function upsertRecord(
  ctx: DmlContext,
  objectName: string,
  externalField: string,
  externalValue: string,
  body: unknown,
): { id: string; created: boolean } {
  const { object, view } = userObject(ctx, objectName);
  const field = view.fields.get(externalField.toLowerCase());
  if (!field || !(field.externalId || field.type === 'id')) {
    throw new SalesforceError(
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${externalField}`,
    );
  }
  const sent = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const inBody = Object.entries(sent).find(([k]) => k.toLowerCase() === field.name.toLowerCase());
  if (inBody && String(inBody[1]) !== externalValue) {
    throw new SalesforceError(
      'INVALID_FIELD',
      `Value for external ID field ${field.name} in the body (${String(inBody[1])}) does not match the value in the URL (${externalValue})`,
      [field.name],
    );
  }
  const matches = ctx.store.findBy(object.name, field.name, externalValue);
  if (matches.length > 1) {
    throw new SalesforceError(
      'MULTIPLE_CHOICES',
      `More than one record found for ${field.name} = ${externalValue}`,
    );
  }
  if (matches[0]) {
    updateRecord(ctx, object.name, matches[0].Id, body);
    return { id: matches[0].Id, created: false };
  }
  return { id: createRecord(ctx, object.name, { ...sent, [field.name]: externalValue }), created: true };
}
