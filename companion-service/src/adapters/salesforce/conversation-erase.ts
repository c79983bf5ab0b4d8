import { z } from 'zod';
import type { CompositeSubrequest, SalesforceApi } from './salesforce-client.js';
import { kindOfActivityId } from './activity-records.js';
import { allPages, queryPath, queryResultOf, SaveResultSchema, soqlList, soqlString } from './responses.js';

/**
 * A conversation's records in Salesforce, erased on request (`scribe erase --in-org`): the
 * Conversation__c (it holds the text, in Content__c), its Suggestion__c records (each holds a quote
 * and the values proposed from it), the Field_Provenance__c records that cite it (each holds the
 * quote a value was applied from) and the Task or Event it was logged as (Activity_Id__c: its entry
 * names who took part and what was said). A provenance record names one conversation, so each one
 * found here cites only the erased one. What reps own stays: the deal's values (applied or typed),
 * the Tasks and Contacts accepted suggestions created, and Salesforce's own field history.
 *
 * Deleting is done as the integration user, so the org's object permissions and sharing decide. The
 * package's records belong to the deal's owner (the objects are Private) and the integration user
 * holds Modify All on them, so a rep's records, and a conversation a rep captured, are erased too;
 * whatever the org still refuses (a permission an admin took away) is reported with the reason and
 * left for an admin. Deleted records sit in the org's Recycle Bin for 15 days before Salesforce deletes them for
 * good (https://developer.salesforce.com/docs/atlas.en-us.254.0.api.meta/api/sforce_api_calls_emptyrecyclebin.htm);
 * emptying it sooner is SOAP's emptyRecycleBin(), which this REST client does not call.
 */

export interface OrgCounts {
  conversations: number;
  suggestions: number;
  provenance: number;
  /** The Tasks and Events the conversations were logged as. */
  activities: number;
}

export interface OrgRefusal {
  object: string;
  id: string;
  code: string;
  message: string;
}

export interface OrgErasure {
  deleted: OrgCounts;
  refused: OrgRefusal[];
}

/** Which records to look for: the Conversation__c ids and source ids the service knew them by. */
export interface OrgConversationKeys {
  recordIds: string[];
  sourceIds: string[];
  /** An erased person's address: the conversations whose suggestions propose them as a contact. */
  contactEmail?: string;
}

const IdRow = z.looseObject({ Id: z.string() });
const ConversationRow = z.looseObject({
  Id: z.string(),
  Activity_Id__c: z.string().nullish(),
  Suggestions__r: z
    .looseObject({ records: z.array(IdRow) })
    .nullish()
    .transform((v) => v?.records ?? []),
  Field_Provenance__r: z
    .looseObject({ records: z.array(IdRow) })
    .nullish()
    .transform((v) => v?.records ?? []),
});
const SuggestionRow = z.looseObject({ Conversation__c: z.string().nullable() });

/** sObject Collections deletes up to 200 records per request. */
const DELETE_BATCH = 200;
/** A composite request holds up to 25 subrequests. */
const COMPOSITE_LIMIT = 25;
/** Keeps each SOQL statement well under its 100,000-character limit. */
const KEY_BATCH = 200;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function query<T extends z.ZodTypeAny>(
  api: SalesforceApi,
  soql: string,
  row: T,
): Promise<z.infer<T>[]> {
  const body = await allPages(api, await api.get<unknown>(queryPath(soql)));
  return queryResultOf(row).parse(body).records;
}

async function findConversations(api: SalesforceApi, keys: OrgConversationKeys) {
  const recordIds = new Set(keys.recordIds);
  if (keys.contactEmail) {
    const proposing = await query(
      api,
      `SELECT Conversation__c FROM Suggestion__c WHERE Contact_Email__c = ${soqlString(keys.contactEmail)} AND Conversation__c != null`,
      SuggestionRow,
    );
    for (const s of proposing) if (s.Conversation__c) recordIds.add(s.Conversation__c);
  }
  const found = new Map<string, z.infer<typeof ConversationRow>>();
  const select = `SELECT Id, Activity_Id__c, (SELECT Id FROM Suggestions__r), (SELECT Id FROM Field_Provenance__r) FROM Conversation__c`;
  for (const ids of chunks([...recordIds], KEY_BATCH)) {
    for (const row of await query(api, `${select} WHERE Id IN (${soqlList(ids)})`, ConversationRow))
      found.set(row.Id, row);
  }
  for (const sourceIds of chunks(keys.sourceIds, KEY_BATCH)) {
    for (const row of await query(
      api,
      `${select} WHERE Source_Id__c IN (${soqlList(sourceIds)})`,
      ConversationRow,
    ))
      found.set(row.Id, row);
  }
  return [...found.values()];
}

/**
 * Deletes the records, children first (a deleted conversation would otherwise leave its suggestions
 * behind with the lookup cleared), each record on its own: one refusal does not keep the others.
 */
export async function eraseConversationRecords(
  api: SalesforceApi,
  keys: OrgConversationKeys,
): Promise<OrgErasure> {
  const erasure: OrgErasure = {
    deleted: { conversations: 0, suggestions: 0, provenance: 0, activities: 0 },
    refused: [],
  };
  const conversations = await findConversations(api, keys);
  const batches: { object: string; counter: keyof OrgCounts; ids: string[] }[] = [];
  const add = (object: string, counter: keyof OrgCounts, ids: string[]) => {
    for (const batch of chunks(ids, DELETE_BATCH)) batches.push({ object, counter, ids: batch });
  };
  add(
    'Field_Provenance__c',
    'provenance',
    conversations.flatMap((c) => c.Field_Provenance__r.map((p) => p.Id)),
  );
  add(
    'Suggestion__c',
    'suggestions',
    conversations.flatMap((c) => c.Suggestions__r.map((s) => s.Id)),
  );
  const activities = conversations.flatMap((c) => (c.Activity_Id__c ? [c.Activity_Id__c] : []));
  add(
    'Task',
    'activities',
    activities.filter((id) => kindOfActivityId(id) === 'Task'),
  );
  add(
    'Event',
    'activities',
    activities.filter((id) => kindOfActivityId(id) === 'Event'),
  );
  add(
    'Conversation__c',
    'conversations',
    conversations.map((c) => c.Id),
  );
  // Subrequests of one composite run in order; allOrNone false keeps one refusal from undoing the rest.
  for (const group of chunks(batches, COMPOSITE_LIMIT)) {
    const requests: CompositeSubrequest[] = group.map((b, i) => ({
      method: 'DELETE',
      referenceId: `delete${i}`,
      path: `/composite/sobjects?ids=${b.ids.join(',')}&allOrNone=false`,
    }));
    const responses = await api.composite(requests, false);
    group.forEach((batch, i) => {
      const response = responses.find((r) => r.referenceId === `delete${i}`);
      const results = z.array(SaveResultSchema).safeParse(response?.body);
      if (!results.success) {
        for (const id of batch.ids) {
          erasure.refused.push({
            object: batch.object,
            id,
            code: `HTTP_${response?.httpStatusCode ?? 'NONE'}`,
            message: JSON.stringify(response?.body ?? null).slice(0, 300),
          });
        }
        return;
      }
      results.data.forEach((result, j) => {
        if (result.success) erasure.deleted[batch.counter] += 1;
        else {
          const error = result.errors[0];
          erasure.refused.push({
            object: batch.object,
            id: result.id ?? batch.ids[j]!,
            code: error?.statusCode ?? 'UNKNOWN',
            message: error?.message ?? 'refused',
          });
        }
      });
    });
  }
  return erasure;
}
