import { CLOSED_TASK_STATUS } from '@pipeline-scribe/force-app-model';
import type { ObjectDef } from '../schema/types.js';
import type { SObjectRecord } from '../store/record-store.js';
import { SalesforceError } from './errors.js';
import { formatDatetime } from './field-input.js';
import type { DmlContext } from './context.js';

/**
 * What the platform does around a task or an event: the values it derives on save (a task is closed
 * by its status, an event's date and times follow from each other, both roll up to an account), the
 * relation rows Shared Activities keeps (TaskRelation / EventRelation: the WhatId and each related
 * contact), and LastActivityDate on the opportunities, accounts and contacts the activity touches.
 */

const RELATION: Record<string, { object: string; parentField: string; whoIds: string }> = {
  Task: { object: 'TaskRelation', parentField: 'TaskId', whoIds: 'TaskWhoIds' },
  Event: { object: 'EventRelation', parentField: 'EventId', whoIds: 'EventWhoIds' },
};

export const isActivity = (object: ObjectDef) => object.name in RELATION;

/** The relation rows of an activity; none in an org without Shared Activities. */
function relationRows(ctx: DmlContext, kind: string, field: string, id: string): SObjectRecord[] {
  const relation = RELATION[kind]!;
  return ctx.schema.object(relation.object) ? ctx.store.findBy(relation.object, field, id) : [];
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** The account an activity rolls up to: its WhatId's (an account, or an opportunity's account), else its primary contact's. */
function accountOf(ctx: DmlContext, record: SObjectRecord): string | null {
  const what = typeof record.WhatId === 'string' ? record.WhatId : null;
  const whatObject = what ? ctx.schema.objectForId(what) : undefined;
  if (what && whatObject?.name === 'Account') return what;
  if (what && whatObject?.name === 'Opportunity') {
    return (ctx.store.get('Opportunity', what)?.AccountId as string | null | undefined) ?? null;
  }
  const who = typeof record.WhoId === 'string' ? ctx.store.get('Contact', record.WhoId) : undefined;
  return (who?.AccountId as string | null | undefined) ?? null;
}

/**
 * An event's times as Salesforce completes them: an all-day event spans its ActivityDate (duration
 * 1,440 minutes); a timed one needs a start and either an end or a duration, and the other follows;
 * ActivityDate and ActivityDateTime follow the start.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-event.html
 */
function deriveEvent(record: SObjectRecord): void {
  if (record.IsAllDayEvent === true) {
    const day =
      (typeof record.ActivityDate === 'string' && record.ActivityDate) ||
      (typeof record.StartDateTime === 'string' ? record.StartDateTime.slice(0, 10) : null);
    if (!day) {
      throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ActivityDate]', [
        'ActivityDate',
      ]);
    }
    record.ActivityDate = day;
    record.StartDateTime = `${day}T00:00:00.000Z`;
    record.EndDateTime = `${day}T00:00:00.000Z`;
    record.ActivityDateTime = null;
    record.DurationInMinutes = DAY_MINUTES;
    return;
  }
  const start = (record.StartDateTime ?? record.ActivityDateTime) as string | null | undefined;
  if (!start) {
    throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [StartDateTime]', [
      'StartDateTime',
    ]);
  }
  const startMs = Date.parse(start);
  if (typeof record.EndDateTime === 'string') {
    const minutes = Math.round((Date.parse(record.EndDateTime) - startMs) / MINUTE);
    if (minutes < 0) {
      throw new SalesforceError(
        'FIELD_INTEGRITY_EXCEPTION',
        'End Date Time: The end date and time must be after the start date and time.',
        ['EndDateTime'],
      );
    }
    record.DurationInMinutes = minutes;
  } else if (typeof record.DurationInMinutes === 'number') {
    record.EndDateTime = formatDatetime(startMs + record.DurationInMinutes * MINUTE);
  } else {
    throw new SalesforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [DurationInMinutes]', [
      'DurationInMinutes',
    ]);
  }
  record.StartDateTime = start;
  record.ActivityDateTime = start;
  record.ActivityDate = start.slice(0, 10);
}

/** The values the platform sets on a task or event before it is saved. */
export function deriveActivity(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
  whoIds: string | null,
  now: string,
): void {
  if (whoIds !== null) {
    // The primary contact comes from the contacts named when the call set no WhoId of its own (or
    // dropped the one it had): the first of them, as Salesforce promotes one.
    const ids = whoIds === '' ? [] : whoIds.split(',');
    const kept = typeof record.WhoId === 'string' && ids.includes(record.WhoId);
    const setNow = previous ? record.WhoId !== previous.WhoId : record.WhoId != null;
    if (!kept && !setNow) record.WhoId = ids[0] ?? null;
  }
  if (object.name === 'Task') {
    // Completed is the task status whose IsClosed is true in a new org.
    // https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-taskstatus.html
    record.IsClosed = record.Status === CLOSED_TASK_STATUS;
    if (!record.IsClosed) record.CompletedDateTime = null;
    else if (!previous?.IsClosed) record.CompletedDateTime = now;
  } else {
    deriveEvent(record);
  }
  // Task.AccountId: the WhatId's account, else the primary contact's (object-task.html, AccountId).
  record.AccountId = accountOf(ctx, record);
}

/** The contacts an activity relates to now: the ones it was given (primary first), else its WhoId alone. */
function relatedContacts(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
  whoIds: string | null,
): string[] {
  const relation = RELATION[object.name]!;
  const who = typeof record.WhoId === 'string' ? record.WhoId : null;
  if (whoIds !== null) {
    const ids = whoIds === '' ? [] : whoIds.split(',');
    for (const id of ids) {
      if (ctx.schema.objectForId(id)?.name !== 'Contact' || !ctx.store.get('Contact', id)) {
        throw new SalesforceError(
          'INVALID_CROSS_REFERENCE_KEY',
          `${relation.whoIds}: id value of incorrect type: ${id}`,
          [relation.whoIds],
        );
      }
    }
    return who && !ids.includes(who) ? [who, ...ids] : ids;
  }
  const before = previous
    ? relationRows(ctx, object.name, relation.parentField, record.Id)
        .filter((r) => r.IsWhat === false)
        .map((r) => String(r.RelationId))
    : [];
  const kept = before.filter((id) => id !== previous?.WhoId);
  return who ? [who, ...kept.filter((id) => id !== who)] : kept;
}

/**
 * Replaces the activity's relation rows with its WhatId and its contacts. The WhoId is the first
 * contact when the call named contacts but no WhoId, as Salesforce promotes one.
 */
function syncRelations(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  contacts: string[],
  now: string,
): void {
  const relation = RELATION[object.name]!;
  if (!ctx.schema.object(relation.object)) return;
  for (const row of relationRows(ctx, object.name, relation.parentField, record.Id)) {
    ctx.store.remove(relation.object, row.Id);
  }
  const rows: { id: string; isWhat: boolean }[] = [
    ...(typeof record.WhatId === 'string' ? [{ id: record.WhatId, isWhat: true }] : []),
    ...contacts.map((id) => ({ id, isWhat: false })),
  ];
  for (const row of rows) {
    const contact = row.isWhat ? undefined : ctx.store.get('Contact', row.id);
    ctx.store.put(relation.object, {
      Id: ctx.store.newId(relation.object),
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: ctx.userId || null,
      LastModifiedDate: now,
      LastModifiedById: ctx.userId || null,
      SystemModstamp: now,
      [relation.parentField]: record.Id,
      RelationId: row.id,
      IsWhat: row.isWhat,
      AccountId: ((row.isWhat ? record.AccountId : contact?.AccountId) as string | null | undefined) ?? null,
    });
  }
}

/** Every opportunity, account and contact an activity counts for. */
function touched(ctx: DmlContext, object: ObjectDef, record: SObjectRecord | null): string[] {
  if (!record) return [];
  const relation = RELATION[object.name]!;
  const contacts = relationRows(ctx, object.name, relation.parentField, record.Id)
    .filter((r) => r.IsWhat === false)
    .map((r) => String(r.RelationId));
  return [record.WhatId, record.AccountId, record.WhoId, ...contacts].filter(
    (id): id is string => typeof id === 'string',
  );
}

/** The activities that count for one record's LastActivityDate. */
function activitiesOf(ctx: DmlContext, kind: 'Task' | 'Event', id: string, type: string): SObjectRecord[] {
  if (type === 'Contact') {
    const relation = RELATION[kind]!;
    const ids = new Set([
      ...ctx.store.findBy(kind, 'WhoId', id).map((r) => r.Id),
      ...relationRows(ctx, kind, 'RelationId', id)
        .filter((r) => r.IsWhat === false)
        .map((r) => String(r[relation.parentField])),
    ]);
    return [...ids].flatMap((activityId) => ctx.store.get(kind, activityId) ?? []);
  }
  const byWhat = ctx.store.findBy(kind, 'WhatId', id);
  if (type !== 'Account') return byWhat;
  const byAccount = ctx.store.findBy(kind, 'AccountId', id);
  return [...new Map([...byWhat, ...byAccount].map((r) => [r.Id, r])).values()];
}

/**
 * LastActivityDate, as the object reference defines it on Account, Contact and Opportunity: the most
 * recent of the due date of its most recently closed task and the date of its most recent event.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunity.html
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-account.html
 * Like Salesforce, the platform sets it without touching the record's LastModifiedDate.
 */
function refreshLastActivityDates(ctx: DmlContext, ids: Iterable<string>): void {
  for (const id of new Set(ids)) {
    const type = ctx.schema.objectForId(id)?.name;
    if (type !== 'Opportunity' && type !== 'Account' && type !== 'Contact') continue;
    const target = ctx.store.get(type, id);
    if (!target) continue;
    const dates = [
      ...activitiesOf(ctx, 'Task', id, type).filter((t) => t.IsClosed === true),
      ...activitiesOf(ctx, 'Event', id, type),
    ]
      .map((a) => a.ActivityDate)
      .filter((d): d is string => typeof d === 'string');
    const latest = dates.length > 0 ? dates.reduce((a, b) => (b > a ? b : a)) : null;
    if ((target.LastActivityDate ?? null) !== latest) {
      ctx.store.put(type, { ...target, LastActivityDate: latest });
    }
  }
}

/** After a task or event is saved: its relations, then LastActivityDate of everything it touched before and now. */
export function afterActivitySave(
  ctx: DmlContext,
  object: ObjectDef,
  record: SObjectRecord,
  previous: SObjectRecord | null,
  whoIds: string | null,
  now: string,
): void {
  const before = touched(ctx, object, previous);
  syncRelations(ctx, object, record, relatedContacts(ctx, object, record, previous, whoIds), now);
  refreshLastActivityDates(ctx, [...before, ...touched(ctx, object, record)]);
}

/** Deleting an activity deletes its relations, and it no longer counts for anyone's LastActivityDate. */
export function afterActivityDelete(ctx: DmlContext, object: ObjectDef, record: SObjectRecord): void {
  const before = touched(ctx, object, record);
  const relation = RELATION[object.name]!;
  for (const row of relationRows(ctx, object.name, relation.parentField, record.Id)) {
    ctx.store.remove(relation.object, row.Id);
  }
  refreshLastActivityDates(ctx, before);
}

/** The contacts the call named (TaskWhoIds / EventWhoIds), taken off the record: they live as relation rows. */
export function takeWhoIds(object: ObjectDef, record: SObjectRecord): string | null {
  const field = RELATION[object.name]?.whoIds;
  if (!field || !(field in record)) return null;
  const value = record[field];
  delete record[field];
  return typeof value === 'string' ? value : '';
}
