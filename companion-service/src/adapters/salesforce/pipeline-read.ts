import { z } from 'zod';
import type {
  ConversationSignal,
  EngagementEvent,
  OpportunityChange,
  OpportunityField,
  PipelineContact,
  PipelineDataset,
  PipelineOpportunity,
} from '../../domain/pipeline/records.js';
import type { PipelineRules } from '../../domain/hygiene/pipeline-rules.js';
import type { RecordValue } from '../../domain/writeback/field-values.js';
import { ACTION_FIELDS, ACTION_KEY_PREFIX, type ExistingAction } from '../../domain/actions/action-plan.js';
import { BUYING_PHASE_FIELDS, pipelineRulesFromRecords, RULE_FIELDS } from '../metadata/package-metadata.js';
import { MetadataRowSchema, toRecord, type OrgSnapshot } from './org-rules.js';
import type { CompositeSubrequest, CompositeSubresponse, SalesforceApi } from './salesforce-client.js';
import type { CsvRow, PollOptions } from './bulk-api.js';
import { readChunkInBulk } from './pipeline-read-bulk.js';
import {
  ActionRow,
  ActivityRow,
  allRecords,
  CalibrationRow,
  ContactRow,
  ConversationRow,
  HistoryRow,
  OpportunityRow,
  type Chunk,
} from './pipeline-read-rows.js';
import { bodyOf, queryPath, soqlList, withAllPages } from './responses.js';
import { conversationSignal } from './pipeline-conversations.js';

/**
 * The pipeline as the engines need it, read over the REST API: the open and recently closed
 * opportunities with their contact-role counts, their OpportunityHistory, the contacts of their
 * accounts, completed tasks and past events, processed conversations, the actions the scan wrote
 * before and the last calibration report. Queries go five to a composite call and every result is
 * paged through nextRecordsUrl. Nothing user-typed reaches the SOQL: ids are checked against the
 * Salesforce id shape and go into IN lists in chunks; every other value is a number or a constant.
 */

/** The Opportunity fields the scan sets; everything else on the record belongs to the rep. */
export const AI_OPPORTUNITY_FIELDS = [
  'Risk_Score__c',
  'Previous_Risk_Score__c',
  'Risk_Factors__c',
  'Risk_Scored_At__c',
  'Hygiene_Flags__c',
  'Hygiene_Details__c',
  'Customer_Decision_Phase__c',
  'Last_Conversation_Date__c',
  'Model_Close_Probability__c',
  'Suggested_Forecast_Category__c',
  'Slip_Probability__c',
  'Forecast_Drivers__c',
] as const;
export type AiOpportunityField = (typeof AI_OPPORTUNITY_FIELDS)[number];

/** What a calibration report found for a stage, as opposed to when and by which run. */
export const CALIBRATION_CONTENT_FIELDS = [
  'Stated_Probability__c',
  'Realized_Win_Rate__c',
  'Interval_Low__c',
  'Interval_High__c',
  'Suggested_Probability__c',
  'Sample_Size__c',
  'Won_Count__c',
  'Has_Enough_Data__c',
  'Base_Win_Rate__c',
  'Base_Rate_Brier_Score__c',
  'Model_Brier_Score__c',
  'Model_Calibration_Error__c',
  'Evaluated_Deal_Count__c',
  'Model_Version__c',
  'Note__c',
] as const;

export const CALIBRATION_FIELDS = [
  'Run_Id__c',
  'Stage_Name__c',
  'As_Of_Date__c',
  'Computed_At__c',
  ...CALIBRATION_CONTENT_FIELDS,
] as const;

// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
export const ID_CHUNK = 200;
const QUERIES_PER_COMPOSITE = 5;
/** Activities and conversations older than this say nothing about staleness or a silent champion. */
const ACTIVITY_DAYS = 365;

/** The 18-character form of a 15- or 18-character id (the suffix encodes the case of the 15). */
export function toId18(id: string): string {
  if (id.length === 18) return id;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += alphabet.charAt(bits);
  }
  return id + suffix;
}

export type PipelineScope =
  { kind: 'full'; closedLookbackDays: number } | { kind: 'deals'; ids: readonly string[] };

export interface PipelineRead {
  dataset: PipelineDataset;
  rules: PipelineRules;
  /** Each deal's OwnerId: the rep whose queue its actions go to. */
  ownerIds: Map<string, string>;
  /** The AI fields as the org holds them, by opportunity id, to write only what changed. */
  current: Map<string, Partial<Record<AiOpportunityField, RecordValue>>>;
  /** Open and closed deals alike, so a deal that closed has its open actions closed. */
  actions: ExistingAction[];
  /** The latest Stage_Calibration__c run, by stage name. */
  calibration: { runId: string; rows: Map<string, Record<string, RecordValue>> } | null;
  /** Whether the deals were read with Bulk API 2.0 query jobs (past the Bulk Threshold). */
  bulk: boolean;
  /** The rows of `ReadOptions.alongside` queries, on a bulk read; absent for an object the org lacks. */
  alongside: Map<string, CsvRow[]>;
  /** Rows read per kind, for the scan report. */
  counts: Record<
    'opportunities' | 'history' | 'contacts' | 'activities' | 'conversations' | 'actions',
    number
  >;
}

const dateOf = (value: string | null | undefined) => (value ? value.slice(0, 10) : null);

/** Runs named queries five to a composite call; returns each one's result with all its pages. */
function compositeBatches(queries: Record<string, string>): CompositeSubrequest[][] {
  const entries = Object.entries(queries);
  const batches: CompositeSubrequest[][] = [];
  for (let i = 0; i < entries.length; i += QUERIES_PER_COMPOSITE)
    batches.push(
      entries
        .slice(i, i + QUERIES_PER_COMPOSITE)
        .map(([ref, soql]) => ({ method: 'GET', referenceId: ref, path: queryPath(soql) })),
    );
  return batches;
}

/** `first`: the first batch's answer when the caller already sent it. */
async function runQueries(
  api: SalesforceApi,
  queries: Record<string, string>,
  first?: CompositeSubresponse[],
): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const [i, batch] of compositeBatches(queries).entries()) {
    // Each batch's further pages are read before the next batch opens more query cursors (a user
    // holds at most ten).
    const responses = await withAllPages(api, i === 0 && first ? first : await api.composite(batch, false));
    for (const { referenceId } of batch) out.set(referenceId, bodyOf(responses, referenceId, z.unknown()));
  }
  return out;
}

function checkedIds(ids: readonly string[]): string[] {
  const bad = ids.filter((id) => !SALESFORCE_ID.test(id));
  if (bad.length > 0) {
    throw new Error(
      `not Salesforce record ids: ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}; give 15- or 18-character opportunity ids`,
    );
  }
  return [...new Set(ids.map(toId18))];
}

function ruleQueries(): Record<string, string> {
  const select = (type: string, fields: readonly string[]) =>
    `SELECT DeveloperName, MasterLabel, ${fields.join(', ')} FROM ${type}__mdt ORDER BY DeveloperName`;
  return {
    Stage_Definition: select('Stage_Definition', RULE_FIELDS.Stage_Definition!),
    Risk_Rule: select('Risk_Rule', RULE_FIELDS.Risk_Rule!),
    Buying_Phase_Rule: select('Buying_Phase_Rule', Object.values(BUYING_PHASE_FIELDS)),
  };
}

function dealQueries(where: string, snapshot: OrgSnapshot, withRules: boolean): Record<string, string> {
  const ai = AI_OPPORTUNITY_FIELDS.filter((f) => snapshot.opportunityFields[f]);
  const deals = `SELECT Id FROM Opportunity WHERE ${where}`;
  const recent = `ActivityDate = LAST_N_DAYS:${ACTIVITY_DAYS} AND ActivityDate <= TODAY`;
  return {
    ...(withRules ? ruleQueries() : {}),
    opportunities: `SELECT Id, Name, AccountId, Account.Name, OwnerId, Owner.Name, StageName, IsClosed, IsWon,
      Amount, Probability, ForecastCategoryName, CreatedDate, CloseDate, LastActivityDate, LastStageChangeDate,
      NextStep${ai.length ? `, ${ai.join(', ')}` : ''}, (SELECT Id FROM OpportunityContactRoles)
      FROM Opportunity WHERE ${where} ORDER BY Id`,
    history: `SELECT OpportunityId, CreatedDate, StageName, Amount, CloseDate, Probability, ForecastCategory
      FROM OpportunityHistory WHERE OpportunityId IN (${deals}) ORDER BY OpportunityId, CreatedDate`,
    contacts: `SELECT Id, AccountId, Name, Email, Phone FROM Contact
      WHERE AccountId IN (SELECT AccountId FROM Opportunity WHERE ${where}) ORDER BY Id`,
    tasks: `SELECT WhatId, WhoId, Subject, ActivityDate FROM Task
      WHERE WhatId IN (${deals}) AND Status = 'Completed' AND ${recent}`,
    events: `SELECT WhatId, WhoId, Subject, ActivityDate FROM Event WHERE WhatId IN (${deals}) AND ${recent}`,
    conversations: `SELECT Opportunity__c, Occurred_At__c, CreatedDate, Competitors_Mentioned__c, Objections__c,
      Stakeholders__c, Content__c FROM Conversation__c
      WHERE Opportunity__c IN (${deals}) AND Processing_Status__c = 'Processed'
      AND CreatedDate = LAST_N_DAYS:${ACTIVITY_DAYS}`,
    actions: `SELECT Id, External_Id__c, ${ACTION_FIELDS.join(', ')} FROM Next_Best_Action__c
      WHERE Opportunity__c IN (${deals}) AND External_Id__c LIKE '${ACTION_KEY_PREFIX}%'`,
  };
}

function toOpportunity(o: z.infer<typeof OpportunityRow>): PipelineOpportunity {
  return {
    id: o.Id,
    name: o.Name ?? null,
    accountId: o.AccountId ?? null,
    accountName: o.Account?.Name ?? null,
    owner: o.Owner?.Name ?? o.OwnerId ?? null,
    product: null,
    stage: o.StageName,
    isClosed: o.IsClosed,
    isWon: o.IsWon,
    amount: o.Amount ?? null,
    probability: o.Probability ?? null,
    forecastCategory: o.ForecastCategoryName ?? null,
    createdDate: dateOf(o.CreatedDate),
    closeDate: dateOf(o.CloseDate),
    lastActivityDate: dateOf(o.LastActivityDate),
    stageEnteredDate: dateOf(o.LastStageChangeDate),
    nextStep: o.NextStep ?? null,
    nextStepDate: null,
    contactRoleCount: o.OpportunityContactRoles.length,
    extra: {},
  };
}

/** The fields the query carries: a blank in one of them is the rep's, not unknown. */
const KNOWN_FIELDS: OpportunityField[] = [
  'name',
  'accountId',
  'accountName',
  'owner',
  'amount',
  'probability',
  'forecastCategory',
  'createdDate',
  'closeDate',
  'lastActivityDate',
  'nextStep',
  'contactRoleCount',
];

async function rulesOf(
  api: SalesforceApi,
  bodies: Map<string, unknown>,
  snapshot: OrgSnapshot,
): Promise<PipelineRules> {
  const records = [];
  for (const [type, fields] of [
    ['Stage_Definition', RULE_FIELDS.Stage_Definition!],
    ['Risk_Rule', RULE_FIELDS.Risk_Rule!],
    ['Buying_Phase_Rule', Object.values(BUYING_PHASE_FIELDS)],
  ] as const) {
    for (const row of await allRecords(api, bodies.get(type), MetadataRowSchema, type))
      records.push(toRecord(type, row, fields));
  }
  // The settings come with the org's rules the snapshot already read, which saves a query per scan.
  records.push(...snapshot.settings);
  return pipelineRulesFromRecords(records);
}

async function readChunk(
  api: SalesforceApi,
  where: string,
  snapshot: OrgSnapshot,
  withRules: boolean,
  answered?: CompositeSubresponse[],
): Promise<Chunk> {
  const first = await runQueries(api, dealQueries(where, snapshot, withRules), answered);
  const rows = <T extends z.ZodTypeAny>(ref: string, row: T) => allRecords(api, first.get(ref), row, ref);
  const rules = withRules ? await rulesOf(api, first, snapshot) : null;
  return {
    opportunities: await rows('opportunities', OpportunityRow),
    history: await rows('history', HistoryRow),
    contacts: await rows('contacts', ContactRow),
    activities: [...(await rows('tasks', ActivityRow)), ...(await rows('events', ActivityRow))],
    conversations: await rows('conversations', ConversationRow),
    actions: await rows('actions', ActionRow),
    rules,
  };
}

async function latestCalibration(api: SalesforceApi): Promise<PipelineRead['calibration']> {
  const first = await api.get<unknown>(
    `/query?q=${encodeURIComponent(
      `SELECT Id, ${CALIBRATION_FIELDS.join(', ')} FROM Stage_Calibration__c ORDER BY Computed_At__c DESC NULLS LAST LIMIT 200`,
    )}`,
  );
  const rows = await allRecords(api, first, CalibrationRow, 'Stage_Calibration__c');
  const runId = rows[0]?.Run_Id__c;
  if (!runId) return null;
  return {
    runId,
    rows: new Map(
      rows
        .filter((r) => r.Run_Id__c === runId)
        .map((r) => [r.Stage_Name__c, r as unknown as Record<string, RecordValue>]),
    ),
  };
}

export interface ReadOptions {
  /**
   * From this many deals on, a full scan reads with Bulk API 2.0 query jobs (the Scribe Setting's
   * Bulk Threshold); without it, always over REST.
   */
  bulkThreshold?: number;
  poll?: PollOptions;
  /**
   * Further queries to run as jobs beside the deals' when the read goes in bulk, so one poll serves
   * them all; an object the org lacks is left out. Their rows come back in `PipelineRead.alongside`.
   */
  alongside?: Record<string, string>;
}

export async function readPipeline(
  api: SalesforceApi,
  snapshot: OrgSnapshot,
  scope: PipelineScope,
  options: ReadOptions = {},
): Promise<PipelineRead> {
  if (scope.kind === 'deals' && scope.ids.length === 0)
    throw new Error('no opportunity ids to re-score: give at least one');
  const wheres =
    scope.kind === 'full'
      ? [`IsClosed = false OR CloseDate = LAST_N_DAYS:${Math.max(1, Math.floor(scope.closedLookbackDays))}`]
      : chunk(checkedIds(scope.ids), ID_CHUNK).map((ids) => `Id IN (${soqlList(ids)})`);
  const chunks: Chunk[] = [];
  const alongside = new Map<string, CsvRow[]>();
  let bulk = false;
  if (scope.kind === 'full' && options.bulkThreshold !== undefined) {
    // The first composite call is the REST read's own; its opportunity count decides the path, so a
    // small org spends nothing on the decision and a large one only this call (its rules are kept).
    const [batch] = compositeBatches(dealQueries(wheres[0]!, snapshot, true));
    const answered = await api.composite(batch!, false);
    const total = totalSizeOf(answered, 'opportunities');
    bulk = total >= options.bulkThreshold;
    chunks.push(
      bulk
        ? await readChunkInBulk(api, {
            where: wheres[0]!,
            snapshot,
            rules: await rulesOf(
              api,
              new Map(answered.map((r) => [r.referenceId, bodyOf(answered, r.referenceId, z.unknown())])),
              snapshot,
            ),
            restQueries: dealQueries(wheres[0]!, snapshot, false),
            aiFields: AI_OPPORTUNITY_FIELDS.filter((f) => snapshot.opportunityFields[f]),
            options,
            alongside,
            threshold: options.bulkThreshold,
            answered,
          })
        : await readChunk(api, wheres[0]!, snapshot, true, answered),
    );
  } else {
    for (const [i, where] of wheres.entries()) chunks.push(await readChunk(api, where, snapshot, i === 0));
  }
  type Rows = Exclude<keyof Chunk, 'rules'>;
  const all = <K extends Rows>(key: K): Chunk[K] => {
    const rows: unknown[] = [];
    for (const c of chunks) for (const row of c[key]) rows.push(row);
    return rows as Chunk[K];
  };
  const opportunityRows = all('opportunities');
  const opportunities = opportunityRows.map(toOpportunity);
  const owners = new Map(opportunities.map((o) => [o.id, o.owner]));
  const contacts = new Map(
    all('contacts').map((c) => [
      c.Id,
      {
        id: c.Id,
        accountId: c.AccountId ?? null,
        name: c.Name ?? null,
        email: c.Email ?? null,
        phone: c.Phone ?? null,
      } satisfies PipelineContact,
    ]),
  );
  const history: OpportunityChange[] = all('history').map((h) => ({
    opportunityId: h.OpportunityId,
    date: h.CreatedDate.slice(0, 10),
    stage: h.StageName,
    amount: h.Amount ?? null,
    closeDate: dateOf(h.CloseDate),
    probability: h.Probability ?? null,
    forecastCategory: h.ForecastCategory ?? null,
  }));
  const activities = all('activities');
  const engagement: EngagementEvent[] = activities.flatMap((a) =>
    a.WhatId && a.ActivityDate
      ? [
          {
            opportunityId: a.WhatId,
            date: a.ActivityDate.slice(0, 10),
            kind: a.Subject?.trim() || 'Activity',
            contactId: a.WhoId ?? null,
          },
        ]
      : [],
  );
  const conversations: ConversationSignal[] = all('conversations').map((c) => {
    const owner = owners.get(c.Opportunity__c);
    return conversationSignal(
      {
        opportunityId: c.Opportunity__c,
        occurredAt: c.Occurred_At__c ?? c.CreatedDate,
        competitors: c.Competitors_Mentioned__c ?? null,
        objections: c.Objections__c ?? null,
        stakeholders: c.Stakeholders__c ?? null,
        content: c.Content__c ?? null,
      },
      new Set(owner ? [owner] : []),
    );
  });
  const current = new Map(
    opportunityRows.map((o) => [
      o.Id,
      Object.fromEntries(
        AI_OPPORTUNITY_FIELDS.filter((f) => snapshot.opportunityFields[f]).map((f) => [
          f,
          ((o as Record<string, unknown>)[f] ?? null) as RecordValue,
        ]),
      ),
    ]),
  );
  const actions = all('actions').map((a) => ({
    id: a.Id,
    externalId: a.External_Id__c,
    fields: Object.fromEntries(
      ACTION_FIELDS.map((f) => [f, ((a as Record<string, unknown>)[f] ?? null) as RecordValue]),
    ) as ExistingAction['fields'],
  }));
  return {
    dataset: {
      opportunities,
      history,
      contacts: [...contacts.values()],
      engagement,
      conversations,
      knownFields: KNOWN_FIELDS,
    },
    rules: chunks[0]!.rules!,
    ownerIds: new Map(opportunityRows.flatMap((o) => (o.OwnerId ? [[o.Id, o.OwnerId] as const] : []))),
    current,
    actions,
    calibration: scope.kind === 'full' ? await latestCalibration(api) : null,
    bulk,
    alongside,
    counts: {
      opportunities: opportunities.length,
      history: history.length,
      contacts: contacts.size,
      activities: activities.length,
      conversations: conversations.length,
      actions: actions.length,
    },
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function totalSizeOf(responses: CompositeSubresponse[], ref: string): number {
  const body = responses.find((r) => r.referenceId === ref)?.body as { totalSize?: unknown } | undefined;
  return typeof body?.totalSize === 'number' ? body.totalSize : 0;
}
