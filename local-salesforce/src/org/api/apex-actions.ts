import { qualify } from '../schema/types.js';
import { toId18 } from '../schema/ids.js';
import type { OrgContext } from './context.js';
import { createRecord, updateRecord } from './dml.js';
import { formatDatetime } from './field-input.js';
import { SalesforceError } from './errors.js';
import { AuraError } from './apex-reads.js';

/**
 * The panels' writes, as the package's Apex makes them, as the calling user:
 * NextBestActionController.updateActionStatus (the Home queue's Done, Snooze, Dismiss) and
 * ConversationController.captureConversation (quick capture's Save).
 */

const REP_STATUSES = new Set(['Done', 'Snoozed', 'Dismissed']);
const ACCESS_HINT = ' Ask your Salesforce admin for the Pipeline Scribe permission set of your role.';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function snoozeDate(ctx: OrgContext, requested: unknown): string {
  const today = day(ctx.now());
  if (requested === null || requested === undefined || requested === '') {
    const settingsObject = ctx.schema.object(qualify(ctx.schema.namespace, 'Scribe_Setting__mdt'));
    const settings = settingsObject
      ? ctx.store.all(settingsObject.name).find((row) => row.DeveloperName === 'Default')
      : undefined;
    const days = settings?.[qualify(ctx.schema.namespace, 'Default_Snooze_Days__c')];
    if (typeof days !== 'number') {
      throw new AuraError(
        'Could not snooze the action; pick a date, or ask your admin: Scribe_Setting__mdt.Default.Default_Snooze_Days__c is empty.',
      );
    }
    if (days < 1) {
      throw new AuraError(
        `Could not snooze the action; pick a date, or ask your admin: Scribe_Setting__mdt.Default.Default_Snooze_Days__c is ${days}, and a snooze lasts at least a day.`,
      );
    }
    return day(ctx.now() + Math.trunc(days) * 86_400_000);
  }
  // Apex binds a Date parameter from YYYY-MM-DD and refuses anything else before the method runs.
  if (typeof requested !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(requested)) {
    throw new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize "${String(requested)}" as a Date.`);
  }
  if (requested <= today) {
    throw new AuraError(`Snooze until a day after today; ${requested} has already come.`);
  }
  return requested;
}

/**
 * NextBestActionController.updateActionStatus: marks one of the user's actions Done, Dismissed or
 * Snoozed (until a day after today, or for the settings' Default_Snooze_Days__c), updated as the user;
 * answers the record as the Apex builds it.
 */
export function updateActionStatus(ctx: OrgContext, body: Record<string, unknown>): Record<string, unknown> {
  const object = ctx.schema.object(qualify(ctx.schema.namespace, 'Next_Best_Action__c'))!;
  const id = typeof body.actionId === 'string' ? toId18(body.actionId) : null;
  if (!id || ctx.schema.objectForId(id)?.name !== object.name) {
    throw new AuraError('Choose the action to update.');
  }
  const status = body.status;
  if (typeof status !== 'string' || !REP_STATUSES.has(status)) {
    throw new AuraError(
      `"${String(status)}" is not something you can do with an action; use Done, Snoozed or Dismissed.`,
    );
  }
  const until = status === 'Snoozed' ? snoozeDate(ctx, body.snoozeUntil) : null;
  if (ctx.access && !ctx.access.objectPermission(object.name).edit) {
    throw new AuraError(`You cannot edit ${object.labelPlural} (${object.name}).${ACCESS_HINT}`);
  }
  const record = ctx.store.get(object.name, id);
  if (!record || (ctx.access && !ctx.access.canRead(object.name, record))) {
    throw new AuraError('This action no longer exists or you cannot see it. Refresh the queue.');
  }
  const q = (name: string) => qualify(ctx.schema.namespace, name);
  const changedAt = formatDatetime(ctx.now());
  try {
    ctx.store.atomic(() =>
      updateRecord(ctx, object.name, id, {
        [q('Status__c')]: status,
        [q('Snoozed_Until__c')]: until,
        [q('Status_Changed_At__c')]: changedAt,
      }),
    );
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    const access = /INSUFFICIENT_ACCESS|NO_ACCESS/.test(error.errorCode);
    throw new AuraError(`Could not update the action: ${error.message}${access ? ACCESS_HINT : ''}`);
  }
  ctx.access?.recordsChanged();
  return {
    Id: id,
    Status__c: status,
    Snoozed_Until__c: until,
    Status_Changed_At__c: new Date(ctx.now()).toISOString(),
  };
}

/** What quick capture may set on a conversation (ConversationController.CAPTURED_FIELDS). */
const CAPTURED_FIELDS = [
  'Name',
  'Source__c',
  'Opportunity__c',
  'Content__c',
  'Recording_Document_Id__c',
  'Occurred_At__c',
];
const MAX_CONTENT = 131072;

/**
 * ConversationController.captureConversation: a Queued Conversation__c from what the rep pasted or
 * recorded, inserted as the user (its save announces Conversation_Captured__e, as the trigger does).
 * Only the captured fields are taken from the client; one the user may not set is refused by name, as
 * Security.stripInaccessible's removed fields are; the account is the deal's, read as the user.
 */
export function captureConversation(ctx: OrgContext, body: Record<string, unknown>): string {
  const ns = ctx.schema.namespace;
  const q = (name: string) => qualify(ns, name);
  const object = ctx.schema.object(q('Conversation__c'))!;
  const submitted = body.conversation;
  if (!submitted || typeof submitted !== 'object') {
    throw new AuraError('Nothing to save: paste the notes or attach a recording first.');
  }
  if (ctx.access && !ctx.access.objectPermission(object.name).create) {
    throw new AuraError(`You cannot create ${object.labelPlural} (${object.name}).${ACCESS_HINT}`);
  }
  const given = submitted as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  const refused: string[] = [];
  for (const local of CAPTURED_FIELDS) {
    const field = object.fields.get(q(local).toLowerCase())!;
    const value = given[field.name] ?? given[local];
    if (value === undefined || value === null) continue;
    const settable = field.createable && (!ctx.access || ctx.access.fieldPermission(object, field).editable);
    if (settable) record[local] = value;
    else refused.push(`${field.label} (${field.name})`);
  }
  if (refused.length > 0) {
    throw new AuraError(
      `You cannot set ${refused.join(', ')} on ${object.labelPlural} (${object.name}).${ACCESS_HINT}`,
    );
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
  const opportunityId = typeof record.Opportunity__c === 'string' ? toId18(record.Opportunity__c) : null;
  if (!opportunityId) throw new AuraError('Choose the opportunity the conversation was about.');
  const content = text(record.Content__c);
  const recording = text(record.Recording_Document_Id__c);
  if (!content && !recording) throw new AuraError('Paste the notes or attach a recording before saving.');
  if (content && content.length > MAX_CONTENT) {
    throw new AuraError(
      `The notes are ${content.length} characters long; a conversation holds ${MAX_CONTENT}. Split them into two captures.`,
    );
  }
  if (recording && ctx.schema.objectForId(toId18(recording) ?? '')?.name !== 'ContentDocument') {
    throw new AuraError(`The recording reference "${recording}" is not an uploaded file. Attach it again.`);
  }
  const opportunity = ctx.store.get('Opportunity', opportunityId);
  if (!opportunity || (ctx.access && !ctx.access.canRead('Opportunity', opportunity))) {
    throw new AuraError('The opportunity no longer exists or you cannot see it. Choose another one.');
  }
  const source = text(record.Source__c) ?? 'Notes';
  const occurredAt = text(record.Occurred_At__c) ?? formatDatetime(ctx.now());
  // Datetime.format('yyyy-MM-dd HH:mm') in the user's time zone; the local org's users are on UTC.
  const stamp = new Date(occurredAt.replace(/\+0000$/, 'Z')).toISOString().slice(0, 16).replace('T', ' ');
  const values = {
    Name: (text(record.Name) ?? `${source} ${stamp}`).slice(0, 80),
    Source__c: source,
    Opportunity__c: opportunityId,
    Account__c: opportunity.AccountId ?? null,
    Content__c: content,
    Recording_Document_Id__c: recording,
    Occurred_At__c: occurredAt,
    Processing_Status__c: 'Queued',
  };
  try {
    return ctx.store.atomic(() =>
      createRecord(ctx, object.name, Object.fromEntries(Object.entries(values).map(([k, v]) => [q(k), v]))),
    );
  } catch (error) {
    if (!(error instanceof SalesforceError)) throw error;
    const access = /INSUFFICIENT_ACCESS|NO_ACCESS/.test(error.errorCode);
    throw new AuraError(`Could not save the conversation: ${error.message}${access ? ACCESS_HINT : ''}`);
  }
}
