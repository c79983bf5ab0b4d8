import type { FieldDef, ObjectDef } from '../schema/types.js';
import { qualify } from '../schema/types.js';
import type { FieldValue, SObjectRecord } from '../store/record-store.js';
import { toId18 } from '../schema/ids.js';
import { publishAfterCommit } from '../platform-events.js';
import { createRecord, updateRecord } from './dml.js';
import { formatDatetime } from './field-input.js';
import type { OrgContext, RestRequest, RestResponse } from './context.js';
import { SalesforceError } from './errors.js';
import { NEEDS_CONFIRMATION, needsConfirmation, stageDefinitions } from './stage-move.js';
import {
  AuraError,
  getActionQueue,
  getHygieneList,
  getMyOpenOpportunities,
  getOpportunityRisk,
  getProvenance,
  getRecentConversations,
  getSuggestions,
  getTeamRisk,
} from './apex-reads.js';
import { captureConversation, updateActionStatus } from './apex-actions.js';
import {
  getForecastOverview,
  getLatestCalibration,
  getReview,
  getReviewChoices,
  getRuleEffects,
} from './apex-pages.js';
import { dropRecording, getHeldRecordings, getInstallationChecks, releaseRecording } from './apex-setup.js';

/**
 * The package's Apex entry points, served as Apex REST resources of the local org so that tests and
 * tools act on the org the way the Lightning components do (through Apex), not by writing records:
 *
 *   POST /services/apexrest/<ns>/suggestions/decisions   body { "decisions": [SuggestionDecision] }
 *     = SuggestionController.decideSuggestions(List<SuggestionDecision>) → SuggestionService.decide,
 *       answering the List<ScribeOutcome> as JSON: [{ recordId, status, message, appliedValue }].
 *   POST /services/apexrest/<ns>/provenance/revert      body { "provenanceId": "a0X..." }
 *     = FieldProvenanceController.revertValue(Id) → ProvenanceService.revert, answering one
 *       ScribeOutcome (status Reverted or Failed).
 *   and the panels' reads and the action queue's update (apex-reads.ts, apex-actions.ts), one URL per
 *   method in APEX_ENTRY_POINTS below, each body the method's parameters by name.
 *
 * Like a namespaced @RestResource, the path carries the package's namespace (none without one):
 * https://developer.salesforce.com/docs/atlas.en-us.238.0.apexcode.meta/pages/apex_classes_annotation_rest_resource.htm
 * Apex REST binds the top-level JSON keys of the body to the method's parameters by name, and an
 * unhandled exception answers 500 `[{ errorCode: "APEX_ERROR", message }]`:
 * https://salesforce.stackexchange.com/questions/54010/apexrest-controlling-http-error-codes-on-exceptions
 *
 * What SuggestionService does, as the calling user: each decidable suggestion (Pending, Stale,
 * Failed) is rejected, or its value is written to the target record (a Stage/Field suggestion: the
 * target field is read again and a changed value makes the suggestion Stale), or the task, contact
 * or conversation link it proposes is made; every written value gets a Field_Provenance__c row
 * (system mode); the suggestion records its outcome; and Suggestion_Decided__e is published for
 * each after the transaction commits. A plain REST update of a suggestion publishes nothing. A stage
 * move that closes the deal or moves it back is left as it is, unless its decision says `confirmed`
 * (see stage-move.ts).
 */

const DECIDABLE = new Set(['Pending', 'Stale', 'Failed']);
const FIELD_TYPES = new Set(['Stage', 'Field']);
const ACTIONS = new Set(['accept', 'edit', 'reject']);
const MAX_DECISIONS = 200;
const ACCESS_HINT = ' Ask your Salesforce admin for the Pipeline Scribe permission set of your role.';
const ACCESS_CODES = /INSUFFICIENT_ACCESS|NO_ACCESS|INVALID_FIELD_FOR_INSERT_UPDATE/;

interface Decision {
  suggestionId: string;
  action: string;
  editedValue?: string | null;
  editedDueDate?: string | null;
  confirmed?: boolean | null;
}

export interface ScribeOutcome {
  recordId: string;
  status: string;
  message: string | null;
  appliedValue: string | null;
}

/** An exception the Apex lets out: Apex REST answers it as 500 APEX_ERROR. */
class ApexError extends Error {}

const auraMessage = (message: string) => `System.AuraHandledException: ${message}`;

/** The package's own names as this org spells them (namespaced when installed with one). */
function names(ctx: OrgContext) {
  const ns = ctx.schema.namespace;
  const q = (name: string) => qualify(ns, name);
  /** A record with the namespace taken off the package's field names, as the package's Apex reads it. */
  const local = (record: SObjectRecord): Record<string, FieldValue> =>
    ns
      ? Object.fromEntries(
          Object.entries(record).map(([k, v]) => [k.startsWith(`${ns}__`) ? k.slice(ns.length + 2) : k, v]),
        )
      : record;
  const qualified = (values: Record<string, FieldValue>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [q(k), v]));
  return { ns, q, local, qualified };
}

/** An Apex method; one that calls out (the setup checks) answers once the callout has. */
type EntryPoint = (ctx: OrgContext, body: Record<string, unknown>) => unknown;

/**
 * The @AuraEnabled methods the components call, served as Apex REST: the Apex method each emulates →
 * its URL (after the namespace) and what it runs. The preview gallery reads this table to send a
 * component's call to the org (scripts/preview/server.mjs).
 */
export const APEX_ENTRY_POINTS: Record<string, { path: string; run: EntryPoint }> = {
  'SuggestionController.decideSuggestions': {
    path: '/suggestions/decisions',
    run: (ctx, body) => decideSuggestions(ctx, body.decisions),
  },
  'SuggestionController.getSuggestions': { path: '/suggestions/open', run: getSuggestions },
  'FieldProvenanceController.revertValue': {
    path: '/provenance/revert',
    run: (ctx, body) => revertValue(ctx, body.provenanceId),
  },
  'FieldProvenanceController.getProvenance': { path: '/provenance/record', run: getProvenance },
  'OpportunityRiskController.getOpportunityRisk': { path: '/risk/opportunity', run: getOpportunityRisk },
  'OpportunityRiskController.getTeamRisk': { path: '/risk/team', run: getTeamRisk },
  'OpportunityRiskController.getHygieneList': { path: '/risk/hygiene', run: getHygieneList },
  'NextBestActionController.getActionQueue': { path: '/actions/queue', run: getActionQueue },
  'NextBestActionController.updateActionStatus': { path: '/actions/status', run: updateActionStatus },
  'ConversationController.getRecentConversations': {
    path: '/conversations/recent',
    run: getRecentConversations,
  },
  'ConversationController.captureConversation': {
    path: '/conversations/capture',
    run: captureConversation,
  },
  'ConversationController.getMyOpenOpportunities': {
    path: '/opportunities/open',
    run: getMyOpenOpportunities,
  },
  'WeeklyReviewController.getReviewChoices': { path: '/reviews/choices', run: getReviewChoices },
  'WeeklyReviewController.getReview': { path: '/reviews/review', run: getReview },
  'ForecastOverviewController.getForecastOverview': { path: '/forecast/overview', run: getForecastOverview },
  'RuleEffectsController.getRuleEffects': { path: '/rules/effects', run: getRuleEffects },
  'StageCalibrationController.getLatestCalibration': {
    path: '/forecast/calibration',
    run: getLatestCalibration,
  },
  'ScribeSetupController.getInstallationChecks': { path: '/setup/checks', run: getInstallationChecks },
  'HeldRecordingsController.getHeldRecordings': { path: '/setup/held-recordings', run: getHeldRecordings },
  'HeldRecordingsController.releaseRecording': {
    path: '/setup/held-recordings/release',
    run: releaseRecording,
  },
  'HeldRecordingsController.dropRecording': { path: '/setup/held-recordings/drop', run: dropRecording },
};

const ENTRY_POINTS = new Map(Object.values(APEX_ENTRY_POINTS).map(({ path, run }) => [path, run]));

export async function handleApexRest(ctx: OrgContext, req: RestRequest): Promise<RestResponse> {
  const { ns } = names(ctx);
  const prefix = ns ? `/${ns}` : '';
  const path = req.path.replace(/\/$/, '');
  const entry = path.startsWith(prefix) ? ENTRY_POINTS.get(path.slice(prefix.length)) : undefined;
  if (!entry) throw new SalesforceError('NOT_FOUND', `Could not find a match for URL ${req.path}`, [], 404);
  if (req.method !== 'POST') {
    throw new SalesforceError(
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are POST`,
      [],
      405,
    );
  }
  try {
    return { status: 200, body: await entry(ctx, (req.body ?? {}) as Record<string, unknown>) };
  } catch (error) {
    // An exception the Apex throws reaches an Apex REST caller as a 500 with APEX_ERROR.
    if (error instanceof ApexError || error instanceof AuraError)
      return { status: 500, body: [{ errorCode: 'APEX_ERROR', message: error.message }] };
    throw error;
  }
}

/**
 * FieldProvenanceController.revertValue → ProvenanceService.revert: puts the value Pipeline Scribe
 * set back to the one it replaced, as the user, only while the field still holds the value that was
 * set; the provenance row keeps who reverted it and when (written in system mode).
 */
function revertValue(ctx: OrgContext, raw: unknown): ScribeOutcome {
  const { q, local, qualified } = names(ctx);
  const provenanceObject = ctx.schema.object(q('Field_Provenance__c'))!;
  const id = typeof raw === 'string' ? toId18(raw) : null;
  if (!id || ctx.schema.objectForId(id)?.name !== provenanceObject.name) {
    throw new ApexError(auraMessage('Choose the value to revert.'));
  }
  const failed = (message: string): ScribeOutcome => ({
    recordId: id,
    status: 'Failed',
    message,
    appliedValue: null,
  });
  const stored = selected(ctx, provenanceObject.name, id);
  if (!stored) return failed('This value no longer exists or you cannot see it.');
  const row = local(stored);
  if (row.Reverted_At__c) return failed(`Already reverted on ${String(row.Reverted_At__c)}.`);
  const objectName = String(row.Object_Name__c ?? '');
  const object = objectName ? ctx.schema.object(objectName) : undefined;
  const field = object?.fields.get(String(row.Field_Name__c ?? '').toLowerCase());
  if (!object || !field || !field.updateable) {
    return failed(`You cannot edit ${field?.label ?? String(row.Field_Name__c)}.${ACCESS_HINT}`);
  }
  const current = selected(ctx, object.name, toId18(String(row.Record_Id__c ?? '')) ?? '');
  if (!current) return failed('The record no longer exists or you cannot see it.');
  const currentValue = current[field.name] ?? null;
  if (!sameValue(field, currentValue, row.New_Value__c ?? null)) {
    return failed(
      `${field.label} now holds ${display(field, toText(field, currentValue))}, not the value Pipeline Scribe set (${display(field, (row.New_Value__c as string | null) ?? null)}), so nothing was reverted.`,
    );
  }
  const previous = parseValue(field, (row.Previous_Value__c as string | null) ?? null);
  if ('error' in previous) return failed(`The previous value cannot be restored: ${previous.error}`);
  try {
    return ctx.store.atomic(() => {
      try {
        ctx.store.atomic(() => updateRecord(ctx, object.name, current.Id, { [field.name]: previous.value }));
      } catch (error) {
        return failed(errorMessage(error));
      }
      updateRecord(
        systemModeOf(ctx),
        provenanceObject.name,
        id,
        qualified({
          Reverted_At__c: formatDatetime(ctx.now()),
          Reverted_By__c: ctx.userId || null,
        }),
      );
      const back = (row.Previous_Value__c as string | null) ?? null;
      const message = `${field.label} is back to ${display(field, back)}.`;
      return { recordId: id, status: 'Reverted', message, appliedValue: back };
    });
  } catch (error) {
    if (error instanceof SalesforceError) {
      throw new ApexError(auraMessage(`Nothing was reverted: ${errorMessage(error)}`));
    }
    throw error;
  }
}

/** SuggestionService.validated: a request the panel should never send. */
function validated(raw: unknown, isSuggestionId: (id: string) => boolean): Map<string, Decision> {
  const fail = (message: string) => new ApexError(auraMessage(message));
  if (!Array.isArray(raw) || raw.length === 0) {
    throw fail('Choose at least one suggestion to accept, edit or reject.');
  }
  if (raw.length > MAX_DECISIONS) {
    throw fail(`Decide at most ${MAX_DECISIONS} suggestions at a time; ${raw.length} were sent.`);
  }
  const byId = new Map<string, Decision>();
  for (const item of raw as (Partial<Decision> | null)[]) {
    const id = item?.suggestionId ? toId18(String(item.suggestionId)) : null;
    if (!item || !id) throw fail('Every decision needs the id of its suggestion.');
    if (!isSuggestionId(id)) throw fail(`"${id}" is not a suggestion.`);
    const action = item.action ?? 'accept';
    if (!ACTIONS.has(action)) {
      throw fail(`"${action}" is not a decision; use accept, edit or reject.`);
    }
    if (action === 'edit' && !item.editedValue?.trim() && !item.editedDueDate) {
      throw fail('An edit needs the value to use instead of the proposed one.');
    }
    if (byId.has(id)) throw fail(`Suggestion ${id} was decided twice in one request.`);
    byId.set(id, { ...item, suggestionId: id, action } as Decision);
  }
  return byId;
}

/** FieldValues.toText: the text a field value is compared and recorded as. */
function toText(field: FieldDef | undefined, value: FieldValue): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field?.type === 'datetime' && typeof value === 'string') {
    return new Date(value.replace(/\+0000$/, 'Z')).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return String(value);
}

const NUMBER_TYPES = new Set(['currency', 'double', 'int', 'long', 'percent']);

/**
 * FieldValues.display: a value as the running user reads it in a sentence, in their locale (the local
 * org's users are en_US): Decimal.format() groups digits, Date.format() writes M/d/yyyy
 * (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_decimal.htm#apex_System_Decimal_format);
 * text in quotes, blank as "empty", a value that is not what its type says as it was typed.
 */
function display(field: FieldDef, text: string | null): string {
  if (text === null || text.trim() === '') return 'empty';
  const value = text.trim();
  const decimal = /^-?[\d.]+$/.test(value) && value.split('.').length <= 2 && !value.endsWith('.');
  if (NUMBER_TYPES.has(field.type) && decimal) {
    const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 20 }).format(Number(value));
    return field.type === 'percent' ? `${grouped}%` : grouped;
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (field.type === 'date' && date) return `${Number(date[2])}/${Number(date[3])}/${date[1]}`;
  return `"${text}"`;
}

/** FieldValues.sameValue: blank equals blank, numbers compare by value. */
function sameValue(field: FieldDef, current: FieldValue, recorded: FieldValue): boolean {
  const a = toText(field, current);
  const b = recorded === null || recorded === undefined ? null : String(recorded).trim() || null;
  if (a === null || b === null) return a === b;
  if (typeof current === 'number') return Number(b) === current;
  return a === b;
}

const EXPECTED_FORMS: Partial<Record<FieldDef['type'], string>> = {
  date: 'expected a date as YYYY-MM-DD',
  datetime: 'expected a date and time as YYYY-MM-DDThh:mm:ssZ',
  boolean: 'expected true or false',
};

/** FieldValues.parse: the typed value to write, or the message that names field, value and fix. */
function parseValue(field: FieldDef, text: string | null): { value: FieldValue } | { error: string } {
  if (text === null || text.trim() === '') return { value: null };
  const value = text.trim();
  const invalid = () => ({
    error: `"${text}" is not a valid ${field.label} (${EXPECTED_FORMS[field.type] ?? 'expected a number such as 64000 or 0.25'}).`,
  });
  switch (field.type) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? { value } : invalid();
    case 'datetime':
      return Number.isNaN(Date.parse(value)) ? invalid() : { value };
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value) ? { value: Number(value) } : invalid();
    case 'boolean':
      return { value: value.toLowerCase() === 'true' };
    case 'picklist': {
      const allowed = field.picklistValues.filter((p) => p.active).map((p) => p.value);
      return allowed.includes(value)
        ? { value }
        : { error: `"${value}" is not a value of ${field.label}. Choose one of: ${allowed.join(', ')}.` };
    }
    default:
      return field.length > 0 && text.length > field.length
        ? {
            error: `${field.label} holds ${field.length} characters; this value has ${text.length}. Shorten it.`,
          }
        : { value: text };
  }
}

/**
 * What the package's selectors find: they query `WITH USER_MODE`, so a record the user's sharing hides
 * is not returned at all, and the Apex answers as for a record that does not exist.
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_enforce_usermode.htm
 */
function selected(ctx: OrgContext, objectName: string, id: string): SObjectRecord | undefined {
  const record = ctx.store.get(objectName, id);
  return record && (!ctx.access || ctx.access.canRead(objectName, record)) ? record : undefined;
}

function errorMessage(error: unknown): string {
  if (!(error instanceof SalesforceError)) throw error;
  return ACCESS_CODES.test(error.errorCode) ? error.message + ACCESS_HINT : error.message;
}

function decideSuggestions(ctx: OrgContext, raw: unknown): ScribeOutcome[] {
  const { q, local, qualified } = names(ctx);
  const suggestionObject = ctx.schema.object(q('Suggestion__c'))!;
  const decisions = validated(raw, (id) => ctx.schema.objectForId(id)?.name === suggestionObject.name);
  const outcomes = new Map<string, ScribeOutcome>();
  const outcome = (id: string, status: string, message: string | null, appliedValue: string | null = null) =>
    outcomes.set(id, { recordId: id, status, message, appliedValue });
  const decidedStatus = (id: string) => (decisions.get(id)!.action === 'edit' ? 'Edited' : 'Accepted');
  const valueOf = (s: Record<string, FieldValue>, d: Decision) =>
    d.action === 'edit' && d.editedValue?.trim() ? d.editedValue : (s.Proposed_Value__c as string | null);

  try {
    // Savepoint: anything thrown below undoes every write of the request.
    ctx.store.atomic(() => {
      const suggestions = [...decisions.keys()]
        .map((id) => selected(ctx, suggestionObject.name, id))
        .filter((s): s is SObjectRecord => s !== undefined)
        .map((s) => ({ id: s.Id, row: local(s) }));
      const toRecord: typeof suggestions = [];
      const fieldChanges: typeof suggestions = [];
      const newRecords: typeof suggestions = [];
      // Stage_Definition__mdt.getAll(): custom metadata is read whatever the user's access to it.
      const stageObject = ctx.schema.object(q('Stage_Definition__mdt'));
      const stages = stageDefinitions(
        stageObject ? ctx.store.all(stageObject.name).map((row) => local(row)) : [],
      );
      for (const s of suggestions) {
        const status = String(s.row.Status__c ?? '');
        if (!DECIDABLE.has(status)) {
          outcome(s.id, status, `Already ${status.toLowerCase()}.`);
          continue;
        }
        const decision = decisions.get(s.id)!;
        if (decision.confirmed !== true && needsConfirmation(stages, s.row, decision)) {
          // Neither recorded nor announced: the rep has not decided it yet.
          outcome(s.id, status, NEEDS_CONFIRMATION);
          continue;
        }
        toRecord.push(s);
        if (decisions.get(s.id)!.action === 'reject') outcome(s.id, 'Rejected', null);
        else if (FIELD_TYPES.has(String(s.row.Type__c ?? ''))) fieldChanges.push(s);
        else newRecords.push(s);
      }

      // FieldChangeApplier: check each target, stage the values per record, write them as the user.
      const staged = new Map<
        string,
        { object: ObjectDef; values: Record<string, FieldValue>; ids: string[] }
      >();
      const drafts = new Map<string, Record<string, FieldValue>>();
      const claimed = new Set<string>();
      for (const s of fieldChanges) {
        const fail = (message: string, status = 'Failed') => outcome(s.id, status, message);
        const objectName = String(s.row.Target_Object__c ?? '');
        const object = objectName ? ctx.schema.object(ctx.schema.apiName(objectName)) : undefined;
        const fieldName = String(s.row.Target_Field__c ?? '');
        const field =
          object?.fields.get(q(fieldName).toLowerCase()) ?? object?.fields.get(fieldName.toLowerCase());
        if (!object || !field) {
          fail(
            `This org has no field ${objectName}.${fieldName}. Ask your admin to check the Pipeline Scribe field policies.`,
          );
          continue;
        }
        if (!field.updateable) {
          fail(`You cannot edit ${field.label}.${ACCESS_HINT}`);
          continue;
        }
        const targetId =
          (s.row.Target_Record_Id__c as string | null) ||
          (objectName === 'Opportunity' ? (s.row.Opportunity__c as string | null) : null);
        const current = targetId ? selected(ctx, object.name, toId18(targetId) ?? '') : undefined;
        if (!current) {
          fail('The record this suggestion is for no longer exists or you cannot see it.');
          continue;
        }
        const currentValue = current[field.name] ?? null;
        if (
          s.row.Status__c !== 'Stale' &&
          !sameValue(field, currentValue, s.row.Value_At_Suggestion__c ?? null)
        ) {
          fail(
            `${field.label} changed since this was suggested: it is now ${display(field, toText(field, currentValue))}, it was ${display(field, (s.row.Value_At_Suggestion__c as string | null) ?? null)}. Accept again to replace it anyway, or reject to keep it.`,
            'Stale',
          );
          continue;
        }
        const key = `${current.Id}.${field.name}`;
        if (claimed.has(key)) {
          fail(
            `Another suggestion for ${field.label} was applied in the same action. Decide this one on its own.`,
          );
          continue;
        }
        const decision = decisions.get(s.id)!;
        if (decision.action === 'edit' && !decision.editedValue?.trim()) {
          fail(
            `An edit of ${field.label} needs the value to write; reject the suggestion to keep the field as it is.`,
          );
          continue;
        }
        const parsed = parseValue(field, valueOf(s.row, decision));
        if ('error' in parsed) {
          fail(parsed.error);
          continue;
        }
        claimed.add(key);
        const conversation = s.row.Conversation__c
          ? ctx.store.get(q('Conversation__c'), String(s.row.Conversation__c))
          : undefined;
        const conversationRow = conversation ? local(conversation) : null;
        const value = parsed.value;
        const entry = staged.get(current.Id) ?? { object, values: {}, ids: [] };
        entry.values[field.name] = value;
        entry.ids.push(s.id);
        staged.set(current.Id, entry);
        drafts.set(s.id, {
          Object_Name__c: object.name,
          Record_Id__c: current.Id,
          Field_Name__c: field.name,
          Opportunity__c: object.name === 'Opportunity' ? current.Id : (s.row.Opportunity__c ?? null),
          Previous_Value__c: toText(field, currentValue),
          Conversation__c: s.row.Conversation__c ?? null,
          Suggestion__c: s.id,
          Evidence_Quote__c: s.row.Evidence_Quote__c ?? null,
          Evidence_Start__c: s.row.Evidence_Start__c ?? null,
          Evidence_End__c: s.row.Evidence_End__c ?? null,
          Extractor__c: conversationRow?.Extractor__c ?? null,
          Extractor_Version__c: conversationRow?.Extractor_Version__c ?? null,
          Confidence__c: s.row.Confidence__c ?? null,
          Applied_By__c: ctx.userId || null,
          Applied_At__c: formatDatetime(ctx.now()),
        });
      }
      const provenance: Record<string, FieldValue>[] = [];
      // Database.update(records, false, AccessLevel.USER_MODE): each record saves or fails alone.
      for (const [recordId, { object, values, ids }] of staged) {
        try {
          ctx.store.atomic(() => updateRecord(ctx, object.name, recordId, values));
          const saved = ctx.store.get(object.name, recordId)!;
          for (const id of ids) {
            const draft = drafts.get(id)!;
            const written = toText(
              object.fields.get(String(draft.Field_Name__c).toLowerCase()),
              saved[String(draft.Field_Name__c)] ?? null,
            );
            provenance.push({ ...draft, New_Value__c: written });
            outcome(id, decidedStatus(id), null, written);
          }
        } catch (error) {
          for (const id of ids) outcome(id, 'Failed', errorMessage(error));
        }
      }

      // NewRecordApplier: the task, contact or deal link the suggestion proposes, as the user.
      for (const s of newRecords) {
        const decision = decisions.get(s.id)!;
        const text = valueOf(s.row, decision);
        const type = String(s.row.Type__c ?? '');
        const attempt = (write: () => string) => {
          try {
            outcome(s.id, decidedStatus(s.id), null, ctx.store.atomic(write));
          } catch (error) {
            outcome(s.id, 'Failed', errorMessage(error));
          }
        };
        if (type === 'Task') {
          if (!text?.trim()) {
            outcome(s.id, 'Failed', 'The task has no subject. Edit it and give it one.');
            continue;
          }
          const due =
            (decision.action === 'edit' && decision.editedDueDate) || (s.row.Due_Date__c as string | null);
          attempt(() => {
            createRecord(ctx, 'Task', {
              Subject: text.slice(0, 255),
              ActivityDate: due ?? null,
              WhatId: s.row.Opportunity__c ?? null,
              OwnerId: ctx.userId,
            });
            return `${text.slice(0, 255)}${due ? ` (due ${due})` : ''}`;
          });
        } else if (type === 'Contact') {
          if (!text?.trim()) {
            outcome(s.id, 'Failed', 'The contact has no name. Edit it and give one.');
            continue;
          }
          const full = text.trim();
          const cut = full.lastIndexOf(' ');
          const [first, last] = cut < 0 ? [null, full] : [full.slice(0, cut), full.slice(cut + 1)];
          const opportunity = s.row.Opportunity__c
            ? ctx.store.get('Opportunity', String(s.row.Opportunity__c))
            : undefined;
          attempt(() => {
            const contactId = createRecord(ctx, 'Contact', {
              LastName: last.slice(0, 80),
              FirstName: first?.slice(0, 40) ?? null,
              Title: s.row.Contact_Title__c ?? null,
              Email: s.row.Contact_Email__c ?? null,
              AccountId: s.row.Account__c ?? opportunity?.AccountId ?? null,
            });
            if (s.row.Opportunity__c && s.row.Contact_Role__c) {
              createRecord(ctx, 'OpportunityContactRole', {
                OpportunityId: s.row.Opportunity__c,
                ContactId: contactId,
                Role: s.row.Contact_Role__c,
              });
            }
            return first ? `${first} ${last}` : last;
          });
        } else if (type === 'Opportunity Match') {
          const opportunityId = text ? toId18(text.trim()) : null;
          if (
            !opportunityId ||
            !ctx.schema.objectForId(opportunityId) ||
            ctx.schema.objectForId(opportunityId)!.name !== 'Opportunity'
          ) {
            outcome(s.id, 'Failed', 'Choose the opportunity this conversation belongs to.');
          } else if (!s.row.Conversation__c) {
            outcome(s.id, 'Failed', 'This suggestion has no conversation to link.');
          } else {
            attempt(() => {
              updateRecord(ctx, q('Conversation__c'), String(s.row.Conversation__c), {
                [q('Opportunity__c')]: opportunityId,
              });
              return opportunityId;
            });
          }
        } else {
          outcome(s.id, 'Failed', `Pipeline Scribe cannot apply suggestions of type "${type}".`);
        }
      }

      // Provenance is an audit trail reps may read but not write: the Apex inserts it in system mode.
      const systemMode = systemModeOf(ctx);
      for (const row of provenance) createRecord(systemMode, q('Field_Provenance__c'), qualified(row));
      ctx.access?.recordsChanged();

      // record(): the outcome on each suggestion (update as user), and Suggestion_Decided__e after commit.
      const now = formatDatetime(ctx.now());
      const eventObject = ctx.schema.object(q('Suggestion_Decided__e'));
      for (const s of toRecord) {
        const o = outcomes.get(s.id)!;
        const byRep = o.status !== 'Stale' && o.status !== 'Failed';
        updateRecord(
          ctx,
          suggestionObject.name,
          s.id,
          qualified({
            Status__c: o.status,
            Status_Reason__c: o.message,
            Applied_Value__c: o.appliedValue,
            Decided_By__c: byRep ? ctx.userId || null : null,
            Decided_At__c: byRep ? now : null,
          }),
        );
        if (!eventObject) continue;
        const payload = qualified({
          Suggestion_Id__c: s.id,
          Suggestion_External_Id__c: s.row.External_Id__c ?? null,
          Decision__c: o.status,
          Opportunity_Id__c: s.row.Opportunity__c ?? null,
          Target_Object__c: s.row.Target_Object__c ?? null,
          Target_Record_Id__c:
            s.row.Target_Record_Id__c ??
            (s.row.Target_Object__c === 'Opportunity' ? (s.row.Opportunity__c ?? null) : null),
          Target_Field__c: s.row.Target_Field__c ?? null,
          Proposed_Value__c: s.row.Proposed_Value__c ?? null,
          Applied_Value__c: o.appliedValue,
          Confidence__c: s.row.Confidence__c ?? null,
          Decided_By_Id__c: ctx.userId || null,
          Decided_At__c: now,
          Message__c: o.message === null ? null : o.message.slice(0, 255),
        });
        const known = Object.fromEntries(
          Object.entries(payload).filter(([f]) => eventObject.fields.has(f.toLowerCase())),
        );
        publishAfterCommit(ctx, eventObject.name, ctx.store.newId(eventObject.name), known);
      }
    });
  } catch (error) {
    if (error instanceof ApexError) throw error;
    // SuggestionController: anything else becomes "Nothing was changed: <why>".
    if (error instanceof SalesforceError)
      throw new ApexError(auraMessage(`Nothing was changed: ${errorMessage(error)}`));
    throw error;
  }
  return [...decisions.keys()].map(
    (id) =>
      outcomes.get(id) ?? {
        recordId: id,
        status: 'Failed',
        message: 'This suggestion no longer exists or you cannot see it.',
        appliedValue: null,
      },
  );
}

/**
 * Apex DML with `AccessLevel.SYSTEM_MODE`: no object, field or sharing checks for that statement,
 * while the rest of the request keeps the user's access.
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_classes_enforce_usermode.htm
 */
function systemModeOf<T extends OrgContext>(ctx: T): T {
  return { ...ctx, accessLevel: 'system' as const, access: undefined };
}
