import type { Conversation } from './conversation.js';
import { SourceFormatError } from './conversation.js';
import { normalizeText } from './normalize.js';
import { looksLikeEmail, looksLikeMime, parseEmail } from './email.js';
import { parseGong } from './gong.js';
import { looksLikeTranscript, parseTranscript, transcriptFromTurns } from './transcript.js';
import { parseNotes } from './notes.js';
import { looksLikeSrt, looksLikeVtt, parseSubtitles } from './subtitles.js';

/**
 * The input formats a caller may name (`scribe extract --format-in`): what the file is, which can
 * be narrower than the conversation's format ("vtt" and "srt" are transcripts, "eml" an email).
 */
export const INPUT_FORMATS = ['eml', 'email', 'vtt', 'srt', 'gong', 'transcript', 'notes', 'memo'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export function isInputFormat(value: string): value is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(value);
}

export interface ReadConversation {
  conversation: Conversation;
  /** The format the input was read as: the one named, or the one detected. */
  inputFormat: InputFormat;
  /** What a reader of the result should know about how the input was read. */
  warnings: string[];
}

/**
 * Reads the input as the format named, or as the format detected, and never throws on content it
 * can read as text: an unknown JSON shape, or a file that does not parse as the format named, is
 * read as plain notes with a warning that says so. Only input with nothing to read (empty, binary)
 * is refused.
 */
export function readConversation(raw: string, formatIn?: InputFormat | null): ReadConversation {
  const text = normalizeText(raw);
  refuseUnreadable(text);
  const inputFormat = formatIn ?? detectInputFormat(text);
  const warnings: string[] = [];
  let conversation: Conversation;
  try {
    conversation = parseAs(text, inputFormat);
  } catch (error) {
    if (!(error instanceof SourceFormatError)) throw error;
    warnings.push(`${error.message}; read as plain text instead`);
    return { conversation: parseNotes(text), inputFormat: 'notes', warnings };
  }
  // A named format, or a caption file, that yields no text was the wrong reading; an email with
  // an empty body is still an email (and reads the same as the service's parseConversation).
  const named = formatIn != null || inputFormat === 'vtt' || inputFormat === 'srt';
  if (named && conversation.utterances.length === 0) {
    warnings.push(`no text was found in the input read as ${inputFormat}; read as plain text instead`);
    return { conversation: parseNotes(text), inputFormat: 'notes', warnings };
  }
  return { conversation, inputFormat, warnings };
}

function parseAs(text: string, format: InputFormat): Conversation {
  switch (format) {
    case 'gong':
      return parseJsonSource(text);
    case 'eml':
    case 'email':
      return parseEmail(text);
    case 'vtt':
    case 'srt':
      return parseSubtitles(text);
    case 'transcript':
      return isJson(text) ? parseJsonSource(text) : parseTranscript(text);
    case 'notes':
    case 'memo':
      return parseNotes(text);
  }
}

/** What the text looks like, in the order the formats are told apart. */
export function detectInputFormat(text: string): InputFormat {
  if (isJson(text)) return /"callTranscripts"\s*:/.test(text) ? 'gong' : 'transcript';
  if (looksLikeVtt(text)) return 'vtt';
  if (looksLikeSrt(text)) return 'srt';
  if (looksLikeMime(text)) return 'eml';
  if (looksLikeEmail(text)) return 'email';
  if (looksLikeTranscript(text)) return 'transcript';
  return 'notes';
}

// "[00:01:02] Dana:" and "[12:02 PM] Dana:" open transcripts: a "[" is JSON only if it parses as JSON.
function isJson(text: string): boolean {
  const head = text.trimStart();
  return head.startsWith('{') || (head.startsWith('[') && looksLikeJsonArray(text));
}

function refuseUnreadable(text: string): void {
  if (text.trim().length === 0) throw new SourceFormatError('the input is empty');
  if (text.includes('\u0000'))
    throw new SourceFormatError(
      'the input is binary, not text; give notes, an email, a transcript or Gong JSON',
    );
}

/**
 * Reads any supported input and says what it is: Gong JSON, other transcript JSON (word-level ASR
 * monologues, meeting-corpus records), an email, a "Speaker: text" transcript, or notes.
 */
export function parseConversation(raw: string): Conversation {
  const text = normalizeText(raw);
  refuseUnreadable(text);
  const head = text.trimStart();
  // "[00:01:02] Dana:" and "[12:02 PM] Dana:" open transcripts: a "[" is JSON only if it parses as JSON.
  if (head.startsWith('{')) return parseJsonSource(text);
  if (head.startsWith('[') && looksLikeJsonArray(text)) return parseJsonSource(text);
  if (looksLikeVtt(text) || looksLikeSrt(text)) return parseSubtitles(text);
  if (looksLikeEmail(text)) return parseEmail(text);
  if (looksLikeTranscript(text)) return parseTranscript(text);
  return parseNotes(text);
}

function parseJsonSource(text: string): Conversation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SourceFormatError(`the input looks like JSON but does not parse: ${(error as Error).message}`);
  }
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    const obj = json as Record<string, unknown>;
    if ('callTranscripts' in obj) return parseGong(obj);
    if (Array.isArray(obj.monologues)) return fromTurns(monologueTurns(obj.monologues));
    if (Array.isArray(obj.meeting_transcripts)) return fromTurns(meetingTurns(obj.meeting_transcripts));
  }
  throw new SourceFormatError(
    'unknown JSON format: expected Gong\'s transcript response (callTranscripts, optionally parties), ASR "monologues" or "meeting_transcripts"',
  );
}

type Turn = { speaker: string; text: string };

function fromTurns(turns: Turn[]): Conversation {
  const conversation = transcriptFromTurns(turns);
  if (conversation.utterances.length === 0)
    throw new SourceFormatError('the transcript JSON has no spoken text');
  return conversation;
}

/** Word-level ASR output (Gong's open-source gecko format): words and punctuation per monologue. */
function monologueTurns(monologues: unknown[]): Turn[] {
  return monologues.map((m, i) => {
    const mono = (m ?? {}) as { speaker?: { name?: unknown; id?: unknown } | null; terms?: unknown };
    const speaker = String(mono.speaker?.name || mono.speaker?.id || `Speaker ${i + 1}`);
    let text = '';
    const terms = Array.isArray(mono.terms)
      ? (mono.terms as ({ text?: unknown; type?: unknown } | null)[])
      : [];
    for (const term of terms) {
      if (typeof term?.text !== 'string') continue;
      text += term.type === 'PUNCTUATION' ? term.text : (text ? ' ' : '') + term.text;
    }
    return { speaker, text };
  });
}

/** Meeting-corpus records (QMSum): turns of { speaker, content }. */
function meetingTurns(turns: unknown[]): Turn[] {
  return turns.map((t) => {
    const turn = (t ?? {}) as { speaker?: unknown; content?: unknown };
    return {
      speaker: String(turn.speaker || 'Speaker'),
      text: typeof turn.content === 'string' ? turn.content : '',
    };
  });
}

function looksLikeJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
