import type { Stakeholder } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import type { Side } from './sides.js';
import { cleanName, isPlausibleName, withoutHonorific } from './names.js';
import { PERSONAL_RELATIONS, SELLER_TITLES } from './lexicon.js';
import { personKey, sellerKeys } from '../seller-side.js';
import { mergeCandidates, type Candidate } from './candidate.js';
import { assignRoles } from './roles.js';
import { signatureCandidates } from './signatures.js';
import { possessiveTitleNames } from './possessive-titles.js';
import { introducedPeople } from './introductions.js';
import { listedPeople, peopleByRoleKey } from './keyed-people.js';
import {
  CandidateSet,
  isSpeakerRole,
  nameEvidence,
  peopleContext,
  sideOfPossessive,
  type PeopleContext,
} from './people-context.js';

export interface PeopleInput {
  conversation: Conversation;
  sentences: Sentence[];
  sides: Map<string, Side>;
  /** Names that are organisations, never people (competitors, our own company). */
  organisations: string[];
  /** Our own people and the domains they write from (OrgRules): never the customer's. */
  seller?: { people: string[]; domains: string[] };
}

/**
 * Stakeholders: who took part and who was named with a part in the deal. Sources, strongest first:
 * Gong parties and email headers, speaker labels, deal-note keys ("EB: Maria Ortiz"), the ways people
 * introduce each other ("Maria Ortiz (CFO)", "our CFO, Maria Ortiz", "Maria, our CFO", "I'm Laura,
 * the project manager"), email signatures, and people named doing something in the deal.
 */
export function extractPeople(input: PeopleInput): Stakeholder[] {
  const { conversation, sentences, sides } = input;
  const ctx = peopleContext(conversation, sides, input.organisations);
  const found = new CandidateSet();
  participants(ctx, found);
  for (const s of sentences) for (const step of SENTENCE_STEPS) step(ctx, s, found);
  const seller = input.seller ?? { people: [], domains: [] };
  const signed = signatureCandidates(
    conversation,
    ctx.excluded,
    sides,
    found.candidates.length,
    seller.domains,
  );
  const ours = ourPeople(conversation.text, seller.people);
  return stakeholders(ctx, [...found.candidates, ...signed], sentences).map((p) =>
    p.affiliation === 'customer' && ours(p.name) ? { ...p, affiliation: 'seller' as const, role: null } : p,
  );
}

type SentenceStep = (ctx: PeopleContext, s: Sentence, found: CandidateSet) => void;

/** What each sentence is read for, in this order. */
const SENTENCE_STEPS: SentenceStep[] = [possessiveTitles, introducedPeople, listedPeople, peopleByRoleKey];

/** The participants the source lists: Gong parties, email headers, speaker labels. */
function participants(ctx: PeopleContext, found: CandidateSet): void {
  const { text } = ctx.conversation;
  for (const p of ctx.conversation.participants) {
    const label = p.speakerLabel ?? p.name;
    const personName = withoutHonorific(p.name.trim());
    if (isSpeakerRole(personName) || !isPlausibleName(personName, ctx.excluded)) continue;
    const evidence =
      (p.evidenceStart !== null ? nameEvidence(text, p.name, p.evidenceStart) : null) ??
      nameEvidence(text, p.name);
    if (!evidence) continue;
    ctx.labelNames.set(label, p.name);
    found.add({
      name: personName,
      title: p.title,
      company: p.company,
      side: ctx.sides.get(label) ?? ctx.sides.get(p.name) ?? null,
      role: null,
      evidence,
    });
  }
}

/**
 * Whether a name is one of our people: by full name, or by a first name alone when exactly one of
 * our people has it and their full name is in the conversation ("Avery" after "Avery Quinn" signed).
 */
function ourPeople(text: string, people: string[]): (name: string) => boolean {
  if (people.length === 0) return () => false;
  const full = sellerKeys(people);
  const firsts = new Map<string, number>();
  for (const key of full) {
    const first = key.split(' ')[0]!;
    firsts.set(first, (firsts.get(first) ?? 0) + 1);
  }
  // The names said in the text, as runs of up to four words: an org has thousands of users and a
  // call thousands of words, so each name is looked up, not searched for.
  const words = personKey(text).split(' ');
  const said = new Set<string>();
  for (let i = 0; i < words.length; i++)
    for (let n = 2; n <= 4 && i + n <= words.length; n++) said.add(words.slice(i, i + n).join(' '));
  const present = new Set([...full].filter((key) => said.has(key)).map((key) => key.split(' ')[0]!));
  return (name) => {
    const key = personKey(name);
    if (full.has(key)) return true;
    return !key.includes(' ') && firsts.get(key) === 1 && present.has(key);
  };
}

/** "our CFO, Maria Ortiz", "their VP of Sales Tom Becker". */
function possessiveTitles(ctx: PeopleContext, s: Sentence, found: CandidateSet): void {
  for (const hit of possessiveTitleNames(s.text)) {
    const name = cleanName(hit.name, ctx.excluded);
    if (!name || isSpeakerRole(name)) continue;
    const side = sideOfPossessive(ctx, hit.who.toLowerCase(), s);
    found.add({ name, title: hit.title, company: null, side, role: null, evidence: evidenceForSentence(s) });
  }
}

/** One stakeholder per person, without organisations, relatives and pieces of longer names. */
function stakeholders(ctx: PeopleContext, candidates: Candidate[], sentences: Sentence[]): Stakeholder[] {
  const { text } = ctx.conversation;
  // A name that is someone's company ("Lin Zhao (Adatum, Dir. Procurement)") is an organisation.
  const companies = new Set(candidates.map((c) => c.company?.toLowerCase()).filter(Boolean));
  const merged = mergeCandidates(candidates.filter((c) => !companies.has(c.name.toLowerCase())));
  assignRoles(merged, sentences);
  const spoken = new Set([...ctx.labelNames.values(), ...ctx.sides.keys()].map((n) => n.toLowerCase()));
  return merged
    .filter((c) => !namedAsRelation(text, c.name) && !tailOfLongerName(text, c.name, ctx.sides))
    .filter(
      (c) =>
        spoken.has(c.name.toLowerCase()) || (c.title !== null && !!c.role) || !namedAsProduct(text, c.name),
    )
    .map(asStakeholder);
}

/**
 * What follows a product's name and never a person's: "Routific's routing engine", "the Acme
 * dashboard", "our Foo licences". A name said that way is a vendor or its product.
 */
const PRODUCT_CUES = String.raw`(?:app|apps|platform|software|tool|tools|product|dashboard|api|apis|integration|integrations|licen[cs]es?|subscription|pricing|suite|module|modules|instance|deployment|implementation|rollout|seats|engine|plugin|plug-in|add-on|sdk|saas|tenant|workspace|portal|mobile app|sandbox|renewal|invoice|reseller)`;

function namedAsProduct(text: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    String.raw`(?<![\p{L}0-9])${n}(?:['’]s)?\s+(?:(?:routing|billing|mobile|web|admin|reporting|analytics|core|new|old|legacy)\s+)?${PRODUCT_CUES}\b`,
    'u',
  ).test(text);
}

/** Nobody said which side: a seller's title says seller, anyone else is the customer's. */
function asStakeholder(c: Candidate): Stakeholder {
  const affiliation: Side = c.side ?? (c.title && SELLER_TITLES.test(c.title) ? 'seller' : 'customer');
  return {
    name: c.name,
    title: c.title,
    role: affiliation === 'customer' ? c.role : null,
    affiliation,
    evidence: c.evidence,
  };
}

/** "her partner Tomasz", "my brother-in-law Mike": family and friends, wherever the name appears. */
function namedAsRelation(text: string, name: string): boolean {
  const first = name.split(' ')[0]!;
  let at = text.indexOf(first);
  let relations = 0;
  let mentions = 0;
  while (at >= 0) {
    mentions++;
    // Only the words just before the name, within its own sentence, say who they are to the speaker.
    const before =
      text
        .slice(Math.max(0, at - 30), at)
        .split(/[.!?\n]/)
        .pop() ?? '';
    if (PERSONAL_RELATIONS.test(before)) relations++;
    at = text.indexOf(first, at + first.length);
  }
  return mentions > 0 && relations === mentions;
}

/** "Foods" in "Halden Foods": a one-word name that only ever ends a longer proper noun is not a person. */
function tailOfLongerName(text: string, name: string, sides: Map<string, Side>): boolean {
  if (name.includes(' ') || sides.has(name)) return false;
  const alone = new RegExp(
    `(?<!\\p{Lu}[\\p{Ll}.]*\\s)\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`,
    'u',
  );
  return !alone.test(text);
}
