import { CONVERSATION_FIELDS, SUGGESTION_FIELDS } from './records.js';
import { ACTION_FIELDS } from '../../domain/actions/action-plan.js';
import { AI_OPPORTUNITY_FIELDS, CALIBRATION_FIELDS } from './pipeline-read.js';
import { EVENT_FIELDS, TASK_FIELDS } from './activity-records.js';
import { SCAN_RUN_FIELDS } from './scan-run-write.js';
import { REVIEW_FIELDS } from './pipeline-review-records.js';
import { HISTORY_CONTEXT_FIELDS, HISTORY_FIELDS, SNAPSHOT_FIELDS } from './score-history.js';

/** Objects whose policy fields are suggested only (decide-fields.ts): read, never written, by the service. */
export { SUGGEST_ONLY_OBJECTS } from '../../domain/writeback/decide-fields.js';

/**
 * Every field the companion service writes, by object, with the package's local names (no namespace).
 * The integration permission set must let the integration user read and edit each of them, and no
 * more: `npm run check:metadata` compares this list with
 * force-app/main/app/permissionsets/Pipeline_Scribe_Integration.permissionset-meta.xml and with the
 * Field_Policy__mdt records. Lists that exist elsewhere are imported; fields the service only writes
 * inline are listed here, each with where it is written.
 *
 * Standard fields that take no field permission (Name, OwnerId, and required fields such as
 * StageName and CloseDate) are listed too: the object's Edit permission covers them.
 */

/** Opportunity fields the write-back applies from a conversation when a Field_Policy__mdt allows it. */
const POLICY_APPLIED_OPPORTUNITY_FIELDS = [
  // conversation-write.ts sends `a.field` for each planned apply; the shipped Field_Policy__mdt
  // records (force-app/main/configuration/customMetadata/Field_Policy.*) name these fields.
  'StageName',
  'CloseDate',
  'Budget__c',
  'Budget_Range__c',
  'NextStep',
  'Competitors__c',
  'TotalOpportunityQuantity',
  'Use_Case__c',
  'Decision_Timeline__c',
] as const;

/**
 * Next_Best_Action__c fields the pipeline scan upserts (pipeline-records.ts planActions): the fields it
 * reads back, except the two a rep's Done / Snooze / Dismiss sets, plus the upsert key and the owner.
 */
const REP_DECIDED_ACTION_FIELDS: readonly string[] = ['Snoozed_Until__c', 'Status_Changed_At__c'];
const ACTION_WRITTEN_FIELDS = [
  ...ACTION_FIELDS.filter((field) => !REP_DECIDED_ACTION_FIELDS.includes(field)),
  'External_Id__c', // the upsert key (pipeline-scan.ts, externalIdField), sent in each record body
  'OwnerId', // the opportunity's owner on create, so the rep's queue (filtered by owner) shows it
];

/** Field_Provenance__c fields: records.ts provenanceRecord and pipeline-write.ts provenanceWrite. */
const PROVENANCE_WRITTEN_FIELDS = [
  'External_Id__c',
  'Object_Name__c',
  'Record_Id__c',
  'Opportunity__c',
  'Field_Name__c',
  'Previous_Value__c',
  'New_Value__c',
  'Conversation__c',
  'Suggestion__c',
  'Evidence_Quote__c',
  'Evidence_Start__c',
  'Evidence_End__c',
  'Extractor__c',
  'Extractor_Version__c',
  'Confidence__c',
  'Applied_By_Policy__c',
  'Applied_At__c',
] as const;

export const WRITTEN_FIELDS: Record<string, readonly string[]> = {
  // conversation-write.ts (upsert by Source_Id__c) and platform-events-input.ts (stamps Source_Id__c)
  // OwnerId on the three: the deal's owner on create (conversation-write.ts ownedOnCreate), since
  // the objects are Private and the owner is who reads them
  Conversation__c: [...CONVERSATION_FIELDS, 'OwnerId'],
  // conversation-write.ts: suggestions upserted by External_Id__c; stale ones get Status__c and
  // Status_Reason__c, both in the list
  Suggestion__c: [...SUGGESTION_FIELDS, 'OwnerId'],
  Field_Provenance__c: [...PROVENANCE_WRITTEN_FIELDS, 'OwnerId'],
  // the scan's AI fields (pipeline-scan.ts) and the fields policies auto-apply (conversation-write.ts)
  Opportunity: [...AI_OPPORTUNITY_FIELDS, ...POLICY_APPLIED_OPPORTUNITY_FIELDS],
  Next_Best_Action__c: [...ACTION_WRITTEN_FIELDS],
  // pipeline-scan-calibration.ts writes one row of CALIBRATION_FIELDS per stage, upserted by
  // Calibration_Key__c (pipeline-scan.ts)
  Stage_Calibration__c: [...CALIBRATION_FIELDS, 'Calibration_Key__c'],
  // scan-run-write.ts: one record per full scan, upserted by Run_Id__c (services/scan-run-record.ts)
  Scan_Run__c: [...SCAN_RUN_FIELDS],
  // pipeline-scan-review.ts upserts one weekly review per rep and per team by Review_Key__c
  // (pipeline-review-records.ts), owned by the rep or the manager
  Pipeline_Review__c: [...REVIEW_FIELDS, 'Review_Key__c'],
  // pipeline-scan-history.ts: history rows upserted on History_Key__c (score-history.ts historyRowWrite,
  // historyCloseWrite) and the day's snapshot upserted on Snapshot_Key__c (snapshotWrite)
  Deal_Score_History__c: [...HISTORY_FIELDS, ...HISTORY_CONTEXT_FIELDS],
  Forecast_Snapshot__c: [...SNAPSHOT_FIELDS],
  // conversation-write.ts logs each processed conversation as a completed Task or an Event
  // (activity-records.ts); tasks and events are written with the Edit Tasks / Edit Events permissions
  Task: [...TASK_FIELDS],
  Event: [...EVENT_FIELDS],
};

/**
 * Fields a Field_Policy__mdt names that the service only ever suggests, whatever the policy's mode: a
 * contact's title, email and numbers are personal data a rep vouches for, so the rep applies them as
 * themselves (decide-contact-details.ts). The integration user reads them, to compare, and never
 * edits them: `npm run check:metadata` holds it to that.
 */
export const SUGGESTED_ONLY_FIELDS: Record<string, readonly string[]> = {
  Contact: ['Title', 'Email', 'Phone', 'MobilePhone'],
};
