import { eld } from 'eld/small';
import type { Conversation } from './conversation.js';

/** BCP 47 for "not determined": too little text, or no language stands out. */
export const UNDETERMINED = 'und';

// Enough text for the detector to be sure, and a bound on its work on a long transcript.
const SAMPLE_CHARS = 20_000;
const MIN_LETTERS = 12;

/**
 * The conversation's language as a BCP 47 tag ("en", "zh", "es"), read by `eld` (its small n-gram
 * set, loaded once, a few milliseconds a conversation) from what the conversation itself says: its
 * own utterances, not quoted history or header lines, and with addresses, links and numbers taken
 * out, which carry no language and sway a detector on short text. `eld` rather than `tinyld`:
 * tinyld read an unpunctuated English voice memo as Berber, with full confidence.
 */
export function detectLanguage(conversation: Conversation): string {
  let sample = '';
  for (const u of conversation.utterances) {
    if (u.quoted) continue;
    sample += conversation.text.slice(u.start, u.end) + '\n';
    if (sample.length >= SAMPLE_CHARS) break;
  }
  if (!sample.trim()) {
    for (const u of conversation.utterances) sample += conversation.text.slice(u.start, u.end) + '\n';
  }
  const cleaned = sample
    .slice(0, SAMPLE_CHARS)
    .replace(/\S+@\S+|https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{M}\s.,!?'’，。！？、：；]+/gu, ' ')
    .replace(/[ \t]+/g, ' ');
  const letters = cleaned.match(/\p{L}/gu)?.length ?? 0;
  const han = cleaned.match(/\p{Script=Han}/gu)?.length ?? 0;
  // Four Han characters are already a sentence ("预算批准"); Latin text needs a few words.
  if (letters < MIN_LETTERS && han < 4) return UNDETERMINED;
  const result = eld.detect(cleaned);
  if (!result.language || !result.isReliable()) return UNDETERMINED;
  return result.language;
}

/** "en" → "English", "zh" → "Chinese"; the tag itself when the runtime has no name for it. */
export function languageName(tag: string): string {
  if (tag === UNDETERMINED) return 'undetermined';
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}
