import { z } from 'zod';
import type { SalesforceApi } from './salesforce-client.js';
import { allPages, queryPath, queryResultOf, soqlList } from './responses.js';

/**
 * The Next_Best_Action__c records that ask for a meeting's notes, keyed by External_Id__c
 * ("meeting:…"): read to see what a rep already decided, upserted to ask, updated to close.
 */

const ActionRow = z.looseObject({
  Id: z.string(),
  External_Id__c: z.string(),
  Status__c: z.string().nullable(),
  Status_Changed_At__c: z.string().nullable(),
});

export interface MeetingAction {
  id: string;
  externalId: string;
  status: string | null;
  /** Set by the queue's Done / Snooze / Dismiss: a rep's decision, never overridden. */
  decidedByRep: boolean;
}

/** Keys per query: 100 ids of ~40 characters keep the SOQL well under its 100,000-character limit. */
const KEY_BATCH = 100;
/** Subrequests per composite call (the documented maximum: resources_composite_composite.htm). */
const COMPOSITE_MAX = 25;

export async function readMeetingActions(
  api: SalesforceApi,
  externalIds: readonly string[],
): Promise<Map<string, MeetingAction>> {
  const found = new Map<string, MeetingAction>();
  for (let i = 0; i < externalIds.length; i += KEY_BATCH) {
    const keys = externalIds.slice(i, i + KEY_BATCH);
    const soql = `SELECT Id, External_Id__c, Status__c, Status_Changed_At__c FROM Next_Best_Action__c WHERE External_Id__c IN (${soqlList(keys)})`;
    const body = await allPages(api, await api.get<unknown>(queryPath(soql)));
    for (const row of queryResultOf(ActionRow).parse(body).records)
      found.set(row.External_Id__c, {
        id: row.Id,
        externalId: row.External_Id__c,
        status: row.Status__c,
        decidedByRep: row.Status__c !== 'Open' && row.Status_Changed_At__c !== null,
      });
  }
  return found;
}

export type MeetingActionWrite =
  | { kind: 'ask'; externalId: string; fields: Record<string, string> }
  | { kind: 'close'; id: string; externalId: string; why: string };

/** Writes each change on its own (allOrNone false); returns the external ids Salesforce refused, with why. */
export async function writeMeetingActions(
  api: SalesforceApi,
  writes: readonly MeetingActionWrite[],
): Promise<{ saved: number; refused: { externalId: string; error: string }[] }> {
  let saved = 0;
  const refused: { externalId: string; error: string }[] = [];
  for (let i = 0; i < writes.length; i += COMPOSITE_MAX) {
    const batch = writes.slice(i, i + COMPOSITE_MAX);
    const responses = await api.composite(
      batch.map((w, n) =>
        w.kind === 'ask'
          ? {
              method: 'PATCH' as const,
              path: `/sobjects/Next_Best_Action__c/External_Id__c/${encodeURIComponent(w.externalId)}`,
              referenceId: `action${n}`,
              body: w.fields,
            }
          : {
              method: 'PATCH' as const,
              path: `/sobjects/Next_Best_Action__c/${w.id}`,
              referenceId: `action${n}`,
              body: { Status__c: 'Done', Why__c: w.why.slice(0, 255) },
            },
      ),
      false,
    );
    batch.forEach((w, n) => {
      const response = responses[n];
      if (response && response.httpStatusCode < 300) saved++;
      else
        refused.push({
          externalId: w.externalId,
          error: JSON.stringify(response?.body ?? null).slice(0, 500),
        });
    });
  }
  return { saved, refused };
}
