import type { Conversation } from '../source/conversation.js';

/**
 * Long conversations are read in pieces a model can take in one request. Pieces are cut between
 * utterances (a turn, a line of notes) so nobody's sentence is split, and consecutive pieces share
 * their edge turns so a statement that only makes sense with the turn before it ("Yes, that's the
 * budget") is seen with that turn at least once.
 *
 * Every chunk is a contiguous span of the normalized text, so whatever a model quotes from a chunk
 * is a substring of the source and can be grounded like any other quote.
 */

export interface ChunkOptions {
  /** Largest chunk, in characters of the normalized text. */
  maxChars: number;
  /** How much of the end of one chunk the next repeats, in characters; whole units only. */
  overlapChars: number;
}

export interface ConversationChunk {
  index: number;
  start: number;
  end: number;
  text: string;
}

/** Below this a chunk holds too little of a conversation to say anything about the deal. */
export const MIN_CHUNK_CHARS = 500;

export function chunkConversation(conversation: Conversation, options: ChunkOptions): ConversationChunk[] {
  const { text } = conversation;
  const maxChars = Math.max(MIN_CHUNK_CHARS, Math.floor(options.maxChars));
  const overlapChars = Math.max(0, Math.min(Math.floor(options.overlapChars), Math.floor(maxChars / 2)));
  if (text.length <= maxChars) return [{ index: 0, start: 0, end: text.length, text }];

  const units = splitOversized(text, unitBoundaries(conversation), maxChars);
  const chunks: ConversationChunk[] = [];
  let first = 0;
  while (first < units.length) {
    let last = first;
    while (last + 1 < units.length && units[last + 1]!.end - units[first]!.start <= maxChars) last++;
    const start = units[first]!.start;
    const end = last === units.length - 1 ? text.length : units[last]!.end;
    chunks.push({ index: chunks.length, start, end, text: text.slice(start, end) });
    if (last === units.length - 1) break;
    first = overlapStart(units, first, last, { maxChars, overlapChars });
  }
  return chunks;
}

interface Unit {
  start: number;
  end: number;
}

/**
 * Cuts the text into units that together cover all of it: each utterance from the start of its line
 * (so a speaker label travels with its words) to the start of the next. Text before the first
 * utterance (email headers, a participants block) belongs to the first unit.
 */
function unitBoundaries(conversation: Conversation): Unit[] {
  const { text } = conversation;
  const cuts = new Set<number>([0]);
  for (const u of conversation.utterances) {
    const lineStart = text.lastIndexOf('\n', u.start - 1) + 1;
    if (lineStart > 0) cuts.add(lineStart);
  }
  const sorted = [...cuts].filter((c) => c < text.length).sort((a, b) => a - b);
  return sorted.map((start, i) => ({ start, end: sorted[i + 1] ?? text.length }));
}

/** A unit longer than a chunk (a monologue, a note without line breaks) is cut at sentence ends, then spaces. */
function splitOversized(text: string, units: Unit[], maxChars: number): Unit[] {
  const out: Unit[] = [];
  for (const unit of units) {
    let start = unit.start;
    while (unit.end - start > maxChars) {
      const cut = cutPoint(text, start, start + maxChars);
      out.push({ start, end: cut });
      start = cut;
    }
    out.push({ start, end: unit.end });
  }
  return out;
}

/** The last sentence end (or line break, or space) in text[start, limit); `limit` when there is none. */
function cutPoint(text: string, start: number, limit: number): number {
  const floor = start + Math.floor((limit - start) / 2);
  for (const boundary of [/[.!?…]["'”’)\]]*\s/g, /\n/g, /\s/g]) {
    let best = -1;
    boundary.lastIndex = floor;
    let m: RegExpExecArray | null;
    while ((m = boundary.exec(text)) && m.index + m[0].length <= limit) best = m.index + m[0].length;
    if (best > floor) return best;
  }
  return limit;
}

/**
 * The first unit of the next chunk: as many trailing units of this one as fit in the overlap, never
 * all of them, and few enough that the next chunk still has room for something new.
 */
function overlapStart(units: Unit[], first: number, last: number, options: ChunkOptions): number {
  let next = last + 1;
  while (next - 1 > first && units[last]!.end - units[next - 1]!.start <= options.overlapChars) next--;
  const fresh = units[last + 1]!;
  while (next <= last && fresh.end - units[next]!.start > options.maxChars) next++;
  return next;
}
