import type { Conversation } from './conversation.js';
import { SourceFormatError } from './conversation.js';
import { normalizeText } from './normalize.js';
import { looksLikeEmail, parseEmail } from './email.js';
import { parseGong } from './gong.js';
import { looksLikeTranscript, parseTranscript, transcriptFromTurns } from './transcript.js';
import { parseNotes } from './notes.js';

/**
 * Reads any supported input and says what it is: Gong JSON, other transcript JSON (word-level ASR
 * monologues, meeting-corpus records), an email, a "Speaker: text" transcript, or notes.
 */
export function parseConversation(raw: string): Conversation {
  const text = normalizeText(raw);
  if (text.trim().length === 0) throw new SourceFormatError('the input is empty');
  if (text.includes('\u0000'))
    throw new SourceFormatError(
      'the input is binary, not text; give notes, an email, a transcript or Gong JSON',
    );
  const head = text.trimStart();
  // "[00:01:02] Dana:" and "[12:02 PM] Dana:" open transcripts: a "[" is JSON only if it parses as JSON.
  if (head.startsWith('{')) return parseJsonSource(text);
  if (head.startsWith('[') && looksLikeJsonArray(text)) return parseJsonSource(text);
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
