import type { Stakeholder } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import { evidenceForSentence } from '../../stages/signal-matcher.js';
import type { Side } from './sides.js';
import { cleanName, isPlausibleName, withoutHonorific } from './names.js';
import { PERSONAL_RELATIONS, SELLER_TITLES } from './lexicon.js';
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
  const signed = signatureCandidates(conversation, ctx.excluded, sides, found.candidates.length);
  return stakeholders(ctx, [...found.candidates, ...signed], sentences);
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
  return merged
    .filter((c) => !namedAsRelation(text, c.name) && !tailOfLongerName(text, c.name, ctx.sides))
    .map(asStakeholder);
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
