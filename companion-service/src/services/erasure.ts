import type { OrgDatabase } from '../adapters/postgres/org-scope.js';
import {
  conversationsById,
  conversationsMentioning,
  emptyStoreCounts,
  eraseAddressElsewhere,
  eraseConversationRows,
  expiredConversations,
  purgeEventLetters,
  type ErasableConversation,
  type StoreCounts,
} from '../adapters/postgres/erasure-store.js';
import { eraseMeetingsNaming, purgeWrittenMeetings } from '../adapters/postgres/meeting-table.js';
import { eraseConversationRecords, type OrgErasure } from '../adapters/salesforce/conversation-erase.js';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import { ConversationInputSchema, conversationOf, sourceIdFor } from './conversation-input.js';

/**
 * Erasure on request (GDPR Art. 17, CCPA deletion) and retention: what `DELETE /v1/conversations/:id`,
 * `scribe erase` and the retention sweep do. A conversation's copies in the service go together, in
 * one transaction; with the org asked for too, its records in Salesforce go after them. The summary
 * counts what each store lost, and never holds the text or the address.
 */

export type ErasureTarget = { conversationId: string } | { email: string };

export interface ErasureSummary {
  /** The conversations erased from the service. */
  conversations: string[];
  /** Conversations a worker holds right now, left as they are: erase them again in a minute. */
  busy: string[];
  service: StoreCounts;
  /** Null unless the org was asked for. */
  org: OrgErasure | null;
}

export interface ErasureDeps {
  /** The org's rows (org-scope.ts): an erasure reaches no other org's. */
  db: OrgDatabase;
  /** The org, for erasing there too; null to erase the service's copies only. */
  org: SalesforceApi | null;
}

/** The source id the conversation's Conversation__c carries, from its result or else its text. */
function sourceIdOf(c: ErasableConversation): string | null {
  if (c.sourceId) return c.sourceId;
  const input = ConversationInputSchema.safeParse(c.payload);
  if (!input.success) return null;
  try {
    return sourceIdFor(input.data, conversationOf(input.data));
  } catch {
    // Text that cannot be parsed never reached the org.
    return null;
  }
}

/**
 * The org goes first: if Salesforce cannot be reached, nothing is erased and the same request can
 * be made again. A record Salesforce refuses to delete (a rep's own) is reported, and the service's
 * copies go regardless: the refusal names the record for an admin.
 */
export async function erase(deps: ErasureDeps, target: ErasureTarget): Promise<ErasureSummary> {
  const email = 'email' in target ? target.email.trim() : null;
  const found =
    'email' in target
      ? await conversationsMentioning(deps.db, target.email.trim())
      : await conversationsById(deps.db, [target.conversationId]);
  const idle = found.filter((c) => c.status !== 'processing');
  let org: OrgErasure | null = null;
  if (deps.org) {
    org = await eraseConversationRecords(deps.org, {
      recordIds: idle.flatMap((c) => (c.recordId ? [c.recordId] : [])),
      sourceIds: idle.flatMap((c) => {
        const id = sourceIdOf(c);
        return id ? [id] : [];
      }),
      ...(email ? { contactEmail: email } : {}),
    });
  }
  const { counts, erased, busy } = await eraseConversationRows(deps.db, idle);
  if (email) {
    const elsewhere = await eraseAddressElsewhere(deps.db, email);
    counts.suggestionDecisions += elsewhere.suggestionDecisions;
    counts.pubsubDeadLetters += elsewhere.pubsubDeadLetters;
    counts.calendarMeetings += await eraseMeetingsNaming(deps.db, email);
  }
  const held = found.filter((c) => c.status === 'processing').map((c) => c.id);
  return { conversations: erased, busy: [...held, ...busy], service: counts, org };
}

export interface RetentionRun {
  /** Finished before this instant: purged. */
  cutoff: string;
  purged: StoreCounts;
}

/** How many conversations one transaction of the sweep removes, so a large backlog never holds long locks. */
const SWEEP_BATCH = 500;

/**
 * Purges what is older than the retention: finished conversations (their text, result and dead
 * letters, and their jobs), the Platform Events kept as unusable, and the calendar invitations whose
 * meeting ended before it and whose Event is written. Salesforce keeps what came of them (the
 * Conversation__c, the suggestions and their quotes a rep can see, the Events).
 */
export async function purgeExpired(
  pool: OrgDatabase,
  retentionDays: number,
  now: Date,
): Promise<RetentionRun> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const purged = emptyStoreCounts();
  for (;;) {
    const expired = await expiredConversations(pool, cutoff, SWEEP_BATCH);
    if (expired.length === 0) break;
    const { counts, erased } = await eraseConversationRows(pool, expired, cutoff);
    for (const key of Object.keys(counts) as (keyof StoreCounts)[]) purged[key] += counts[key];
    // Nothing taken (another sweep got there first): the next sweep takes whatever is left.
    if (erased.length === 0) break;
  }
  purged.pubsubDeadLetters += await purgeEventLetters(pool, cutoff);
  purged.calendarMeetings += await purgeWrittenMeetings(pool, cutoff);
  return { cutoff: cutoff.toISOString(), purged };
}
