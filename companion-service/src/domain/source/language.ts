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
  // Asked by the extractor (to choose its lexicon) and by the finishing steps: read once.
  let language = detected.get(conversation);
  if (language === undefined) detected.set(conversation, (language = readLanguage(conversation)));
  return language;
}

const detected = new WeakMap<Conversation, string>();

function readLanguage(conversation: Conversation): string {
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
    // From a word's start only: "\S+@" tried at every character of a long run costs its length squared.
    .replace(/(?<!\S)[^\s@]*@\S*|https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{M}\s.,!?'’，。！？、：；]+/gu, ' ')
    .replace(/[ \t]+/g, ' ');
  const letters = cleaned.match(/\p{L}/gu)?.length ?? 0;
  const han = cleaned.match(/\p{Script=Han}/gu)?.length ?? 0;
  // Four Han characters are already a sentence ("预算批准"); Latin text needs a few words.
  if (letters < MIN_LETTERS && han < 4) return UNDETERMINED;
  const result = eld.detect(cleaned);
  if (result.language && result.isReliable()) return result.language;
  // A short Chinese note ("结果：丢单，客户选择了别家。") is too short for the detector to be sure, yet
  // Han characters without kana, most of the letters, can only be Chinese.
  const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(cleaned);
  return han >= 4 && !kana && han * 2 > letters ? 'zh' : UNDETERMINED;
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
