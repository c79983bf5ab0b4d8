import type { Evidence } from '../insights/schema.js';
import type { Conversation } from '../source/conversation.js';
import { inInstructionBlock, isInstruction } from '../guards/instructions.js';
import { locateQuote } from './locate.js';

/**
 * The product's promise: nothing is emitted unless its quote is in the source, verbatim. Every item
 * of a draft is checked here (through hold-to-quotes) whatever extractor made it; an item whose quote
 * is missing, sits in a quoted reply, or sits in text that gives orders to a machine is dropped.
 */
export function groundEvidence(conversation: Conversation, evidence: Evidence): Evidence | null {
  const grounded = groundQuote(conversation, evidence);
  return 'evidence' in grounded ? grounded.evidence : null;
}

/** Grounding that says why a quote cannot stand, for the record of what was dropped. */
export function groundQuote(
  conversation: Conversation,
  evidence: Evidence,
): { evidence: Evidence } | { reason: string } {
  const { text } = conversation;
  let refused: string | null = null;
  const usable = (ev: Evidence) => {
    if (isInQuotedReply(conversation, ev))
      refused = 'the quote sits in a quoted reply, not in this conversation';
    else if (
      isInstruction(enclosingSentence(text, ev.start, ev.end)) ||
      inInstructionBlock(text, ev.start, ev.end)
    )
      refused = 'the quote sits in text that gives orders to a machine';
    else return true;
    return false;
  };
  if (evidence.end > evidence.start && text.slice(evidence.start, evidence.end) === evidence.quote) {
    const given = { quote: evidence.quote, start: evidence.start, end: evidence.end };
    if (usable(given)) return { evidence: given };
  }
  // Offsets are hints: the same words may also stand where they count, after a quoted or
  // instruction-like occurrence ("> we signed" in the reply history, "we signed" in the new mail).
  for (
    let found = locateQuote(text, evidence.quote);
    found;
    found = locateQuote(text, evidence.quote, found.start + 1)
  ) {
    if (usable(found)) return { evidence: found };
  }
  return { reason: refused ?? 'the quote is not in the conversation' };
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
