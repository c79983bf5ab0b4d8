import { z } from 'zod';
import type { PipelineRules } from '../../domain/hygiene/pipeline-rules.js';
import type { SalesforceApi } from './salesforce-client.js';
import { allPages, childRecordsOf, queryResultOf } from './responses.js';

/**
 * The rows of the pipeline read as Salesforce answers them, whichever API read them (REST queries
 * or Bulk API 2.0 result sets made to look like them), checked with zod.
 */

export const OpportunityRow = z.looseObject({
  Id: z.string(),
  Name: z.string().nullish(),
  AccountId: z.string().nullish(),
  Account: z.looseObject({ Name: z.string().nullish() }).nullish(),
  OwnerId: z.string().nullish(),
  Owner: z.looseObject({ Name: z.string().nullish() }).nullish(),
  StageName: z.string(),
  IsClosed: z.boolean(),
  IsWon: z.boolean(),
  Amount: z.number().nullish(),
  Probability: z.number().nullish(),
  ForecastCategoryName: z.string().nullish(),
  CreatedDate: z.string().nullish(),
  CloseDate: z.string().nullish(),
  LastActivityDate: z.string().nullish(),
  LastStageChangeDate: z.string().nullish(),
  NextStep: z.string().nullish(),
  OpportunityContactRoles: childRecordsOf(z.looseObject({ Id: z.string() })),
});
export const HistoryRow = z.looseObject({
  OpportunityId: z.string(),
  CreatedDate: z.string(),
  StageName: z.string(),
  Amount: z.number().nullish(),
  CloseDate: z.string().nullish(),
  Probability: z.number().nullish(),
  ForecastCategory: z.string().nullish(),
});
export const ContactRow = z.looseObject({
  Id: z.string(),
  AccountId: z.string().nullish(),
  Name: z.string().nullish(),
  Email: z.string().nullish(),
  Phone: z.string().nullish(),
});
export const ActivityRow = z.looseObject({
  WhatId: z.string().nullish(),
  WhoId: z.string().nullish(),
  Subject: z.string().nullish(),
  ActivityDate: z.string().nullish(),
});
export const ConversationRow = z.looseObject({
  Opportunity__c: z.string(),
  Occurred_At__c: z.string().nullish(),
  CreatedDate: z.string(),
  Competitors_Mentioned__c: z.string().nullish(),
  Objections__c: z.string().nullish(),
  Stakeholders__c: z.string().nullish(),
  Content__c: z.string().nullish(),
});
export const ActionRow = z.looseObject({ Id: z.string(), External_Id__c: z.string() });
export const CalibrationRow = z.looseObject({
  Id: z.string(),
  Run_Id__c: z.string().nullish(),
  Stage_Name__c: z.string(),
});

/** The rows of one query, every page of it and of its child relationship results. */
export async function allRecords<T extends z.ZodTypeAny>(
  api: SalesforceApi,
  first: unknown,
  row: T,
  what: string,
): Promise<z.infer<T>[]> {
  return parse(queryResultOf(row), await allPages(api, first), what).records;
}

export function parse<T extends z.ZodTypeAny>(schema: T, body: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(
    `Salesforce's answer to the ${what} query does not have the expected shape at ${issue?.path.join('.') || 'the top'}: ${issue?.message}`,
  );
}

/** One read's rows, before they become the engines' dataset. */
export interface Chunk {
  opportunities: z.infer<typeof OpportunityRow>[];
  history: z.infer<typeof HistoryRow>[];
  contacts: z.infer<typeof ContactRow>[];
  activities: z.infer<typeof ActivityRow>[];
  conversations: z.infer<typeof ConversationRow>[];
  actions: z.infer<typeof ActionRow>[];
  rules: PipelineRules | null;
}
