import type { Conversation } from '../source/conversation.js';

/** A sentence of what was said or written, with offsets into the normalized source. */
export interface Sentence {
  start: number;
  end: number;
  text: string;
  speaker: string | null;
  isQuestion: boolean;
}

/** Abbreviations that never end a sentence: "Mr. Chen", "approx. 50", "vs. Clari", "Id. Decision Makers". */
const NEVER_FINAL = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'e.g',
  'i.e',
  'approx',
  'est',
  'dept',
  'id',
  'dir',
  'mgr',
  'mgmt',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
]);
/** Abbreviations that often close a sentence too: "at 10 a.m. Tomorrow we", "Acme Inc. They signed". */
const MAY_END = new Set([
  'etc',
  'inc',
  'ltd',
  'co',
  'corp',
  'u.s',
  'a.m',
  'p.m',
  'vp',
  'svp',
  'evp',
  'avp',
  'no',
]);
const FULL_WIDTH_END = new Set(['。', '！', '？', '；']);
const FULL_WIDTH_CLOSE = /[。！？”’」』）)\]]/;
const BULLET = /^(?:[-*•·▪◦–—>]+|\d{1,2}[.)]|[a-z][.)])\s+/;

/** Splits every unquoted utterance into sentences; quoted replies are not the conversation's own words. */
export function splitSentences(conversation: Conversation): Sentence[] {
  const out: Sentence[] = [];
  const { text } = conversation;
  for (const u of conversation.utterances) {
    if (u.quoted) continue;
    splitRange(text, u.start, u.end, u.speaker, out);
  }
  return out;
}

function splitRange(text: string, start: number, end: number, speaker: string | null, out: Sentence[]): void {
  let s = start;
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    let boundary = -1;
    if (ch === '\n') boundary = i;
    else if (FULL_WIDTH_END.has(ch)) {
      // Chinese ends a sentence at 。！？ with no space after: the closing quotes and brackets stay with it.
      let j = i + 1;
      while (j < end && FULL_WIDTH_CLOSE.test(text[j]!)) j++;
      boundary = j;
      i = j - 1;
    } else if (ch === '.' || ch === '!' || ch === '?' || ch === '…') {
      let j = i + 1;
      while (j < end && /[.!?…"'”’)\]]/.test(text[j]!)) j++;
      if (j >= end || /\s/.test(text[j]!)) {
        if (ch === '.' && isAbbreviationOrNumber(text, s, i, j, end)) continue;
        boundary = j;
        i = j - 1;
      }
    } else if (ch === ';' && i + 1 < end && text[i + 1] === ' ') {
      // Semicolons split clauses in shorthand notes ("budget 50k; decision by May") into claims of their own.
      boundary = i + 1;
    }
    if (boundary >= 0) {
      push(text, s, boundary, speaker, out);
      s = boundary;
    }
  }
  push(text, s, end, speaker, out);
}

function isAbbreviationOrNumber(
  text: string,
  sentenceStart: number,
  dot: number,
  after: number,
  end: number,
): boolean {
  // "3.5", "v2.0": a dot between digits is never a boundary (handled because no space follows).
  // "1. Send the proposal": a list number, not a sentence of its own.
  if (/^\s*\d{1,2}$/.test(text.slice(sentenceStart, dot))) return true;
  let w = dot;
  // Any script's letters: "año." ends a word of three letters, not an initial "o.".
  while (w > sentenceStart && /[\p{L}.]/u.test(text[w - 1]!)) w--;
  const word = text.slice(w, dot).toLowerCase();
  let n = after;
  while (n < end && text[n] === ' ') n++;
  const next = n < end ? text[n]! : '';
  if (NEVER_FINAL.has(word)) return true;
  if (MAY_END.has(word)) return !/[A-Z]/.test(next);
  // An initial ("Dana J. Lee"), but not a unit after a number ("50k.", "$3.5M.").
  if (word.length === 1 && /[a-z]/.test(word) && !(w > sentenceStart && /\d/.test(text[w - 1]!))) return true;
  return /[a-z]/.test(next);
}

function push(text: string, start: number, end: number, speaker: string | null, out: Sentence[]): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  const bullet = BULLET.exec(text.slice(s, Math.min(e, s + 6)));
  if (bullet) s += bullet[0].length;
  if (e - s < 2) return;
  const sentenceText = text.slice(s, e);
  out.push({
    start: s,
    end: e,
    text: sentenceText,
    speaker,
    isQuestion: /[?？][!?！？"'”’)\]」』）]*$/.test(sentenceText),
  });
}

/** A word token with its offsets; text is lower-cased with curly apostrophes straightened. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

// Latin letters with their accents ("firmó", "presupuesto"), and each Han character a word of its own:
// Chinese writes no spaces, so a phrase ("签 合 同") is matched character by character.
const WORD =
  /\b[wW]\/(?![\w/])|\p{Script=Han}|[\p{Script=Latin}0-9$€£][\p{Script=Latin}0-9'’&.\-/]*[\p{Script=Latin}0-9%]|[\p{Script=Latin}0-9$€£%]/gu;

export function tokenize(sentence: Sentence): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(sentence.text))) {
    let word = m[0];
    // Trailing dots belong to the sentence, not the word ("Clari." but keep "Gong.io").
    let len = word.length;
    while (word.endsWith('.') && len > 1) {
      word = word.slice(0, -1);
      len--;
    }
    const lower = word.toLowerCase().replace(/’/g, "'");
    tokens.push({
      // Shorthand reads as what it stands for: "went w/ Salesloft" is "went with Salesloft".
      text: lower === 'w/' ? 'with' : lower,
      start: sentence.start + m.index,
      end: sentence.start + m.index + word.length,
    });
  }
  return tokens;
}
