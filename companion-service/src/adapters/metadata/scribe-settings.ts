import { z } from 'zod';
import {
  NextStepPriorityRecordSchema,
  type NextStepPriorityCutoffs,
} from '../../domain/settings/next-step-priority.js';
import {
  buildThresholds,
  ThresholdsRecordSchema,
  type PipelineThresholds,
} from '../../domain/settings/pipeline-thresholds.js';
import {
  CompetitorEvidenceWeightsSchema,
  type CompetitorEvidenceWeights,
} from '../../domain/extraction/embedded/competitor-evidence.js';
import { StageEvidenceRulesSchema, type StageEvidenceRules } from '../../domain/stages/stage-rules.js';

/**
 * The pipeline thresholds from the Default Scribe_Setting__mdt record, from the org or the package
 * files alike. A missing record or value fails the load with the record, the field and the fix: the
 * package ships every value, so a gap is an admin's edit, and a guessed number would go unseen.
 */

/** The Scribe_Setting__mdt fields the pipeline thresholds are read from. */
export const THRESHOLD_FIELDS = {
  commitProbability: 'Commit_Probability__c',
  bestCaseProbability: 'Best_Case_Probability__c',
  actionDueSoonDays: 'Action_Due_Soon_Days__c',
  actionDueThisWeekDays: 'Action_Due_This_Week_Days__c',
  actionFullSilenceDays: 'Action_Full_Silence_Days__c',
  recentConversationDays: 'Recent_Conversation_Days__c',
  reviewAtRiskScore: 'Review_At_Risk_Score__c',
  reviewWatchScore: 'Review_Watch_Score__c',
  reviewHighConfidenceShare: 'Review_High_Confidence_Share__c',
  reviewLowConfidenceShare: 'Review_Low_Confidence_Share__c',
} as const;

/** The Scribe_Setting__mdt fields the stage suggestion's evidence rules are read from. */
export const STAGE_EVIDENCE_FIELDS = {
  weakSignalMentions: 'Weak_Signal_Mentions__c',
} as const;

/** The Scribe_Setting__mdt fields the embedded extractor weighs a vendor's competitive frames by. */
export const COMPETITOR_EVIDENCE_FIELDS = {
  strongCuePoints: 'Competitor_Strong_Cue_Points__c',
  weakCuePoints: 'Competitor_Weak_Cue_Points__c',
  sellerMentionShare: 'Competitor_Seller_Mention_Share__c',
  threshold: 'Competitor_Evidence_Threshold__c',
} as const;

/** The Scribe_Setting__mdt fields the next steps' priority cut-offs are read from. */
export const NEXT_STEP_PRIORITY_FIELDS = {
  highWithinDays: 'Next_Step_High_Priority_Days__c',
  mediumWithinDays: 'Next_Step_Medium_Priority_Days__c',
} as const;

/** The Scribe_Setting__mdt field that says when a pipeline scan moves to Bulk API 2.0. */
export const BULK_FIELDS = {
  bulkThreshold: 'Bulk_Threshold__c',
} as const;

export const DEFAULT_SETTINGS = 'Default';

/** The shape both metadata readers give a record (package-metadata.ts MetadataRecord). */
interface SettingRecord {
  type: string;
  developerName: string;
  file: string;
  values: Record<string, string | number | boolean | null>;
}

const FIX = 'set it in Setup > Custom Metadata Types > Scribe Setting > Default (the package ships it)';

/**
 * Numbers of the Default record, checked by `schema`: a missing record or value, or one out of
 * range, fails with the file, the field and the fix.
 */
function settingNumbers<S extends z.ZodTypeAny>(
  records: readonly SettingRecord[],
  fields: Record<string, string>,
  schema: S,
): z.infer<S> {
  const record = records.find((r) => r.type === 'Scribe_Setting' && r.developerName === DEFAULT_SETTINGS);
  if (!record) {
    const all = [...Object.values(THRESHOLD_FIELDS), ...Object.values(STAGE_EVIDENCE_FIELDS)];
    throw new Error(
      `Scribe_Setting__mdt.${DEFAULT_SETTINGS} is missing: it holds the pipeline's thresholds (${all.join(', ')}) and the next steps' priority cut-offs (${Object.values(NEXT_STEP_PRIORITY_FIELDS).join(', ')}); deploy the package's record or create it in Setup > Custom Metadata Types > Scribe Setting`,
    );
  }
  const raw = Object.fromEntries(
    Object.entries(fields).map(([key, field]) => {
      const value = record.values[field];
      return [key, typeof value === 'string' && value.trim() !== '' ? Number(value) : value];
    }),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = fields[String(issue.path[0])]!;
    const value = record.values[field];
    const found = value === null || value === undefined ? 'is missing' : `has ${JSON.stringify(value)}`;
    const why = value === null || value === undefined ? FIX : `${issue.message}; ${FIX}`;
    throw new Error(`${record.file}: ${field} ${found}: ${why}`);
  }
  return result.data as z.infer<S>;
}

export function thresholdsFromRecords(records: readonly SettingRecord[]): PipelineThresholds {
  return buildThresholds(settingNumbers(records, THRESHOLD_FIELDS, ThresholdsRecordSchema));
}

/** How much evidence a stage suggestion needs; like the thresholds, shipped once in the record. */
export function stageEvidenceFromRecords(records: readonly SettingRecord[]): StageEvidenceRules {
  return settingNumbers(records, STAGE_EVIDENCE_FIELDS, StageEvidenceRulesSchema);
}

/** The days that make a next step High or Medium priority (Low beyond), for both extractors. */
export function nextStepPriorityFromRecords(records: readonly SettingRecord[]): NextStepPriorityCutoffs {
  return settingNumbers(records, NEXT_STEP_PRIORITY_FIELDS, NextStepPriorityRecordSchema);
}

/** How much a vendor's competitive frames count before it is reported as a competitor. */
export function competitorEvidenceFromRecords(records: readonly SettingRecord[]): CompetitorEvidenceWeights {
  return settingNumbers(records, COMPETITOR_EVIDENCE_FIELDS, CompetitorEvidenceWeightsSchema);
}

const BulkSettingsSchema = z.object({ bulkThreshold: z.number().int().min(1) });

/**
 * How many records a scan reads or writes before it uses Bulk API 2.0 jobs instead of REST calls
 * (Salesforce's advice is about 2,000: salesforce-app-limits-platform-bulkapi.html in the limits
 * quick reference).
 */
export function bulkThresholdFromRecords(records: readonly SettingRecord[]): number {
  return settingNumbers(records, BULK_FIELDS, BulkSettingsSchema).bulkThreshold;
}

/** The Scribe_Setting__mdt field that says when a deal's chance of missing its close date is a warning. */
export const SLIP_WARNING_FIELDS = {
  slipWarningProbability: 'Slip_Warning_Probability__c',
} as const;

const SlipWarningSchema = z.object({ slipWarningProbability: z.number().gt(0).max(1) });

/** The chance of missing the close date (0-1) at which a deal is flagged as likely to slip. */
export function slipWarningFromRecords(records: readonly SettingRecord[]): number {
  return settingNumbers(records, SLIP_WARNING_FIELDS, SlipWarningSchema).slipWarningProbability;
}

/** The Scribe_Setting__mdt field that says how long a customer meeting may go without a conversation. */
export const MEETING_NOTES_FIELDS = {
  waitHours: 'Meeting_Notes_Wait_Hours__c',
} as const;

const MeetingNotesSchema = z.object({ waitHours: z.number().int().min(1).max(720) });

/**
 * Hours after a customer meeting ends before its owner is asked for notes, or null for never, with
 * the problem when the value cannot be used. Unlike the thresholds this fails closed to "never ask"
 * instead of failing the load: the prompt is an extra nudge, and a guessed wait would either nag reps
 * about meetings still being recorded or hide the nudge; while the meeting Events it rides with must
 * keep being written. Empty is the documented way to turn the prompt off.
 */
export function meetingNotesWaitFromRecords(records: readonly SettingRecord[]): {
  waitHours: number | null;
  problem: string | null;
} {
  const record = records.find((r) => r.type === 'Scribe_Setting' && r.developerName === DEFAULT_SETTINGS);
  const value = record?.values[MEETING_NOTES_FIELDS.waitHours];
  if (value === null || value === undefined || value === '') return { waitHours: null, problem: null };
  try {
    return {
      waitHours: settingNumbers(records, MEETING_NOTES_FIELDS, MeetingNotesSchema).waitHours,
      problem: null,
    };
  } catch (error) {
    return { waitHours: null, problem: (error as Error).message };
  }
}
