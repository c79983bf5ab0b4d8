import { expect } from 'vitest';
import type { Conversation } from '../../src/domain/source/conversation.js';

/** What each utterance says, read back through its offsets: the only way extractors see the text. */
export function said(
  conversation: Conversation,
): { speaker: string | null; text: string; quoted: boolean }[] {
  return conversation.utterances.map((u) => ({
    speaker: u.speaker,
    text: conversation.text.slice(u.start, u.end),
    quoted: u.quoted,
  }));
}

/** Every utterance points at a non-empty, trimmed span of the text, in order and without overlap. */
export function expectUtterancesInText(conversation: Conversation): void {
  let previousEnd = 0;
  for (const u of conversation.utterances) {
    expect(u.start).toBeGreaterThanOrEqual(previousEnd);
    expect(u.end).toBeGreaterThan(u.start);
    expect(u.end).toBeLessThanOrEqual(conversation.text.length);
    const span = conversation.text.slice(u.start, u.end);
    expect(span).toBe(span.trim());
    previousEnd = u.end;
  }
}
