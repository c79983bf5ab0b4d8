import type { Evidence } from '../../insights/schema.js';
import type { Conversation } from '../../source/conversation.js';
import type { Sentence } from '../../text/sentences.js';
import type { Candidate } from './candidate.js';
import type { Side } from './sides.js';

/**
 * What every step of the people extractor reads (the conversation, who speaks for which side, the
 * names that are organisations) and what the steps build together: the speaker labels put to names,
 * and the candidates found so far.
 */

export interface PeopleContext {
  conversation: Conversation;
  sides: Map<string, Side>;
  /** Organisation names, lower-cased: never people. */
  excluded: Set<string>;
  /** A speaker label and the person behind it, from the participants and from self-introductions. */
  labelNames: Map<string, string>;
  /** Deal notes are written by the rep: "our CFO" in them is the seller's. */
  inNotes: boolean;
}

export function peopleContext(
  conversation: Conversation,
  sides: Map<string, Side>,
  organisations: string[],
): PeopleContext {
  return {
    conversation,
    sides,
    excluded: new Set(organisations.map((o) => o.toLowerCase())),
    labelNames: new Map<string, string>(),
    inNotes: conversation.format === 'notes',
  };
}

/** Speaker labels and job names that transcripts use in place of a person's name. */
const ROLE_LABELS =
  /^(?:speaker\s*\d*|unknown|rep|sales ?rep|ae|se|customer|prospect|client|buyer|seller|host|guest|interviewer|moderator|agent|caller|me|us|them|project manager|marketing|industrial designer|user interface|[a-z ]*(?:manager|designer|engineer|director|officer|lead|interface|marketing|expert))$/i;

export function isSpeakerRole(name: string): boolean {
  return ROLE_LABELS.test(name);
}

export type NewCandidate = Omit<Candidate, 'order' | 'roleStrength'> & { roleStrength?: number };

/** The candidates in the order they were found, each said the same way only once. */
export class CandidateSet {
  readonly candidates: Candidate[] = [];
  private readonly seen = new Set<string>();

  /** A person said the same way twice adds nothing: long calls repeat names hundreds of times. */
  add(c: NewCandidate): void {
    const key = `${c.name}|${c.title}|${c.side}|${c.role}|${c.company}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.candidates.push({ roleStrength: c.role ? 1 : 0, ...c, order: this.candidates.length });
  }
}

/** Where `name` first appears in the text at or after `from`. */
export function nameEvidence(text: string, name: string, from = 0): Evidence | null {
  const at = text.indexOf(name, from);
  return at >= 0 ? { quote: name, start: at, end: at + name.length } : null;
}

export function sideOfSpeaker(ctx: PeopleContext, s: Sentence): Side | null {
  return s.speaker ? (ctx.sides.get(s.speaker) ?? null) : null;
}

export function opposite(side: Side | null): Side | null {
  return side === 'seller' ? 'customer' : side === 'customer' ? 'seller' : null;
}

/** Whoever wrote or said the sentence; in deal notes, the rep. */
export function authorSide(ctx: PeopleContext, s: Sentence): Side | null {
  return sideOfSpeaker(ctx, s) ?? (ctx.inNotes ? 'seller' : null);
}

/** "our CFO" is the speaker's side, "their CFO" the other side, "the CFO" nobody's in particular. */
export function sideOfPossessive(ctx: PeopleContext, who: string | undefined, s: Sentence): Side | null {
  if (who === 'our' || who === 'my') return authorSide(ctx, s);
  if (who === 'the' || !who) return null;
  return opposite(authorSide(ctx, s)) ?? 'customer';
}
