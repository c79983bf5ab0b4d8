import type { ConversationSignal } from '../../domain/pipeline/records.js';
import { parseConversation } from '../../domain/source/detect.js';

/**
 * A processed Conversation__c as a risk signal: the competitors, a pricing objection, the champion
 * and who on the customer side spoke, read back from the notes the write-back stores (one item per
 * line, see conversation-notes.ts) and from the conversation text itself.
 */

export interface StoredConversation {
  opportunityId: string;
  occurredAt: string;
  competitors: string | null;
  objections: string | null;
  stakeholders: string | null;
  content: string | null;
}

const lines = (text: string | null) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** Words of an objection about what the deal costs, not about fit or timing. */
const PRICE_WORDS =
  /\b(price[ds]?|pricing|cost(s|ly)?|expensive|too much|discount(s|ed)?|afford(able)?|over budget|cheaper|quote (is|was) (too )?high)\b/i;

interface Stakeholder {
  name: string;
  side: 'customer' | 'seller' | null;
  champion: boolean;
}

/**
 * Stakeholder lines as the write-back writes them, "Name, Title (customer, champion)", and as the
 * sample data has them, "Name, Title: champion".
 */
function parseStakeholder(line: string): Stakeholder | null {
  const name = line.split(/[,(:]/)[0]!.trim();
  if (!name) return null;
  const tail = line.slice(name.length).toLowerCase();
  const side = /\(\s*seller\b/.test(tail) ? 'seller' : /\(\s*customer\b/.test(tail) ? 'customer' : null;
  return { name, side, champion: /\bchampion\b/.test(tail) };
}

function speakersOf(content: string | null): { name: string; side: 'customer' | 'seller' | null }[] {
  if (!content || !content.trim()) return [];
  try {
    const conversation = parseConversation(content);
    const sideOf = new Map(
      conversation.participants
        .filter((p) => p.speakerLabel)
        .map((p) => [p.speakerLabel!.toLowerCase(), p.affiliation]),
    );
    const names = new Set(
      conversation.utterances.flatMap((u) => (u.speaker && !u.quoted ? [u.speaker] : [])),
    );
    return [...names].map((name) => ({ name, side: sideOf.get(name.toLowerCase()) ?? null }));
  } catch {
    // Content that no parser reads (a blank, a binary paste) says nothing about who spoke.
    return [];
  }
}

/**
 * `sellerNames` are the deal owner's and other known seller-side names: a speaker is on the customer
 * side unless the conversation, the stakeholder notes or these names place them with the seller.
 */
export function conversationSignal(
  stored: StoredConversation,
  sellerNames: ReadonlySet<string>,
): ConversationSignal {
  const stakeholders = lines(stored.stakeholders).flatMap((l) => parseStakeholder(l) ?? []);
  const sellers = new Set([
    ...[...sellerNames].map((n) => n.toLowerCase()),
    ...stakeholders.filter((s) => s.side === 'seller').map((s) => s.name.toLowerCase()),
  ]);
  const customerSpeakers = speakersOf(stored.content)
    .filter((s) => s.side !== 'seller' && !sellers.has(s.name.toLowerCase()))
    .map((s) => s.name);
  const champion = stakeholders.find((s) => s.champion && s.side !== 'seller')?.name ?? null;
  return {
    opportunityId: stored.opportunityId,
    date: stored.occurredAt.slice(0, 10),
    competitors: [
      ...new Set(
        lines(stored.competitors)
          .map((l) => l.split(':')[0]!.trim())
          .filter(Boolean),
      ),
    ],
    pricingObjection: lines(stored.objections).some((l) => PRICE_WORDS.test(l)),
    customerSpeakers,
    champion,
  };
}
