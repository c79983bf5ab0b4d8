import type { Evidence } from '../insights/schema.js';
import { MEDDPICC_KEYS } from '../insights/schema.js';
import type { Conversation } from '../source/conversation.js';
import type { DraftInsights } from '../extraction/draft.js';
import { inInstructionBlock, isInstruction } from '../guards/instructions.js';
import { locateQuote } from './locate.js';

/**
 * The product's promise: nothing is emitted unless its quote is in the source, verbatim. Every item
 * of a draft is checked here whatever extractor made it; an item whose quote is missing, sits in a
 * quoted reply, or sits in text that gives orders to a machine is dropped.
 */
export function groundEvidence(conversation: Conversation, evidence: Evidence): Evidence | null {
  const { text } = conversation;
  const usable = (ev: Evidence) =>
    !isInQuotedReply(conversation, ev) &&
    !isInstruction(enclosingSentence(text, ev.start, ev.end)) &&
    !inInstructionBlock(text, ev.start, ev.end);
  if (evidence.end > evidence.start && text.slice(evidence.start, evidence.end) === evidence.quote) {
    const given = { quote: evidence.quote, start: evidence.start, end: evidence.end };
    if (usable(given)) return given;
  }
  // Offsets are hints: the same words may also stand where they count, after a quoted or
  // instruction-like occurrence ("> we signed" in the reply history, "we signed" in the new mail).
  for (
    let found = locateQuote(text, evidence.quote);
    found;
    found = locateQuote(text, evidence.quote, found.start + 1)
  ) {
    if (usable(found)) return found;
  }
  return null;
}

function isInQuotedReply(conversation: Conversation, ev: Evidence): boolean {
  return conversation.utterances.some((u) => u.quoted && ev.start < u.end && ev.end > u.start);
}

/**
 * The sentence (or line) around a span: the unit an instruction is judged on. A stop only ends a
 * sentence before a space, so "$1.5M" or "v2.0" do not cut it short.
 */
export function enclosingSentence(text: string, start: number, end: number): string {
  const endsSentence = (i: number) =>
    text[i] === '\n' || (/[.!?…]/.test(text[i]!) && (i + 1 >= text.length || /\s/.test(text[i + 1]!)));
  let s = start;
  while (s > 0 && !endsSentence(s - 1)) s--;
  // A quote that ends its sentence stays in it: the next sentence is not what it said.
  let e = end > start && endsSentence(end - 1) ? end - 1 : end;
  while (e < text.length && !endsSentence(e)) e++;
  return text.slice(s, Math.min(text.length, e + 1));
}

function groundList<T extends { evidence: Evidence }>(conversation: Conversation, items: T[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    const evidence = groundEvidence(conversation, item.evidence);
    if (evidence) out.push({ ...item, evidence });
  }
  return out;
}

function groundOne<T extends { evidence: Evidence }>(conversation: Conversation, item: T | null): T | null {
  if (!item) return null;
  const evidence = groundEvidence(conversation, item.evidence);
  return evidence ? { ...item, evidence } : null;
}

export function groundDraft(conversation: Conversation, draft: DraftInsights): DraftInsights {
  const meddpicc = { ...draft.meddpicc };
  for (const key of MEDDPICC_KEYS) meddpicc[key] = groundList(conversation, draft.meddpicc[key]);
  const proposedEvidence = (draft.proposedStage?.evidence ?? [])
    .map((e) => groundEvidence(conversation, e))
    .filter((e): e is Evidence => e !== null);
  return {
    ...draft,
    decisions: groundList(conversation, draft.decisions),
    objections: groundList(conversation, draft.objections),
    nextSteps: groundList(conversation, draft.nextSteps),
    stakeholders: groundList(conversation, draft.stakeholders),
    budget: groundOne(conversation, draft.budget),
    timeline: groundOne(conversation, draft.timeline),
    competitors: groundList(conversation, draft.competitors),
    useCase: groundOne(conversation, draft.useCase),
    seatCount: groundOne(conversation, draft.seatCount),
    meddpicc,
    proposedStage:
      draft.proposedStage && proposedEvidence.length > 0
        ? { ...draft.proposedStage, evidence: proposedEvidence }
        : null,
  };
}
