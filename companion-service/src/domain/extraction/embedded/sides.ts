import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import type { OrgRules } from '../../org-rules.js';
import { SELLER_TITLES } from './lexicon.js';
import { personKey, sellerKeys } from '../seller-side.js';

/**
 * Which side each speaker is on. Gong says it outright (Internal/External); elsewhere we read it
 * from how people talk: sellers speak of "our platform", send proposals and ask discovery
 * questions; buyers speak of "our budget", "your product" and what they currently use.
 */
export type Side = 'customer' | 'seller';

const SELLER_CUES: RegExp[] = [
  /\bour (?:platform|product|solution|software|tool|app|offering|pricing|price list|list price|customers|clients|implementation|onboarding|support team|roadmap|integration|api|engineers|solutions? team|se\b|sales engineer)/i,
  /\bwe (?:offer|provide|charge|integrate|support|can (?:offer|do|give|provide|integrate)|help (?:companies|teams|customers))/i,
  /\bI(?:'ll| will| can)? (?:send|get) (?:you|over|the) .{0,30}\b(?:proposal|quote|pricing|contract|order form|deck|case study|trial|sandbox|demo)/i,
  /\blet me (?:show|walk|share|demo|pull up)/i,
  /\b(?:tell me|walk me through)(?: a bit)?(?: more)? about (?:your|how you)/i,
  /\b(?:your|you guys') (?:team|budget|current|process|timeline|goals|priorities|company|business|reps|agents|stack|setup)\b/i,
  /\bhow many (?:people|users|reps|agents|seats|employees|licenses)/i,
  /\b(?:are you the|who else is|who else will be|who (?:makes|signs)|what does your)\b/i,
  /\bthanks for (?:taking|making) the time\b/i,
  /\b(?:discount|half off program|our fee|subscription fee|we only make you pay)\b/i,
];
const CUSTOMER_CUES: RegExp[] = [
  /\bour (?:budget|team|company|reps|agents|cfo|ceo|coo|cto|vp|boss|it|legal|procurement|finance|security|board|current|existing|process|workflow|contract with|renewal|users|staff|managers|employees|offices|stack)\b/i,
  /\bmy (?:boss|manager|team|cfo|ceo|vp|director)\b/i,
  /\bwe(?:'re| are) (?:evaluating|looking at|comparing|considering|currently|using|struggling|trying|losing|spending)\b/i,
  /\bwe (?:currently )?use\b/i,
  /\byour (?:product|platform|solution|tool|pricing|proposal|quote|team|software|offering|contract|company)\b/i,
  /\b(?:send me|send us|what (?:does|would) (?:it|this|that) cost|how much (?:does|would|is))\b/i,
  /\bwe (?:need|have|had|can spend|budgeted|set aside|allocated)\b/i,
  /\b(?:budget is|budget of|we clocked in|our headcount)\b/i,
];

/** How sellers and buyers talk in another language than English (a lexicon's cues). */
export interface SideCues {
  sellerCues: RegExp[];
  customerCues: RegExp[];
}

export function cueScore(sentences: Sentence[], extra?: SideCues | null): number {
  const seller = extra ? [...SELLER_CUES, ...extra.sellerCues] : SELLER_CUES;
  const customer = extra ? [...CUSTOMER_CUES, ...extra.customerCues] : CUSTOMER_CUES;
  let score = 0;
  for (const s of sentences) {
    for (const re of seller) if (re.test(s.text)) score += 1;
    for (const re of customer) if (re.test(s.text)) score -= 1;
  }
  return score;
}

export function domainOf(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  return at >= 0 ? email!.slice(at + 1).toLowerCase() : null;
}

/** Side per speaker label (and per email address), from explicit data first, then from language. */
export function inferSides(
  conversation: Conversation,
  sentences: Sentence[],
  rules: OrgRules,
  cues?: SideCues | null,
): Map<string, Side> {
  const sides = new Map<string, Side>();
  const sellerNames = rules.sellerNames.map((n) => n.toLowerCase());
  const ourPeople = sellerKeys(rules.sellerPeople);
  for (const p of conversation.participants) {
    const key = p.speakerLabel ?? p.name;
    const domain = domainOf(p.email);
    if (p.affiliation) sides.set(key, p.affiliation);
    else if (domain && rules.sellerEmailDomains.includes(domain)) sides.set(key, 'seller');
    else if (ourPeople.has(personKey(p.name))) sides.set(key, 'seller');
    else if (p.title && SELLER_TITLES.test(p.title)) sides.set(key, 'seller');
    else if (p.company && sellerNames.includes(p.company.toLowerCase())) sides.set(key, 'seller');
  }

  const bySpeaker = new Map<string, Sentence[]>();
  for (const s of sentences) {
    if (!s.speaker) continue;
    // A transcript's speaker who is one of the org's users is ours, whatever they sound like.
    if (!sides.has(s.speaker) && ourPeople.has(personKey(s.speaker))) sides.set(s.speaker, 'seller');
    const list = bySpeaker.get(s.speaker) ?? [];
    list.push(s);
    bySpeaker.set(s.speaker, list);
  }
  const scores = [...bySpeaker.entries()]
    .filter(([speaker]) => !sides.has(speaker))
    .map(([speaker, list]) => ({ speaker, score: cueScore(list, cues) }));
  for (const { speaker, score } of scores) {
    if (score >= 2) sides.set(speaker, 'seller');
    else if (score <= -2) sides.set(speaker, 'customer');
  }
  // A two-sided call: whoever is still undecided sits opposite the side we know; with no side known
  // at all, the speaker who sounds most like a seller is taken for one.
  const known = new Set(sides.values());
  if (known.size === 0 && scores.length >= 2) {
    const top = [...scores].sort((a, b) => b.score - a.score);
    if (top[0]!.score > top[1]!.score) {
      sides.set(top[0]!.speaker, 'seller');
      known.add('seller');
    }
  }
  for (const { speaker, score } of scores) {
    if (sides.has(speaker)) continue;
    if (known.size === 1) sides.set(speaker, known.has('seller') ? 'customer' : 'seller');
    else sides.set(speaker, score > 0 ? 'seller' : 'customer');
  }
  // Email recipients: colleagues share the sender's domain; the other domain is the other side.
  if (conversation.format === 'email') {
    const sender = conversation.participants.find((p) => p.speakerLabel);
    const senderSide = sender?.speakerLabel ? sides.get(sender.speakerLabel) : undefined;
    const senderDomain = domainOf(sender?.email ?? null);
    if (sender && senderSide && senderDomain) {
      for (const p of conversation.participants) {
        if (p === sender || sides.has(p.name)) continue;
        const domain = domainOf(p.email);
        if (!domain) continue;
        sides.set(
          p.name,
          domain === senderDomain ? senderSide : senderSide === 'seller' ? 'customer' : 'seller',
        );
      }
    }
  }
  return sides;
}
