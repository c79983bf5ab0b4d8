import type { Conversation, Utterance } from './conversation.js';
import { trimRange } from './normalize.js';
import { dateInHeader } from './header-date.js';

/** Free notes, bullet lists and dictated memos: one utterance per line or paragraph, no speaker. */
export function parseNotes(text: string): Conversation {
  const utterances: Utterance[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (line.trim().length === 0) continue;
    const [s, e] = trimRange(text, start, start + line.length);
    utterances.push({ speaker: null, start: s, end: e, quoted: false });
  }
  return {
    format: 'notes',
    text,
    utterances,
    participants: [],
    meetingDate: dateInHeader(text),
    subject: null,
    crmContext: null,
  };
}
