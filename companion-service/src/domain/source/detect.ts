import type { Conversation } from './conversation.js';
import { SourceFormatError } from './conversation.js';
import { normalizeText } from './normalize.js';
import { looksLikeEmail, parseEmail } from './email.js';
import { parseGong } from './gong.js';
import { looksLikeTranscript, parseTranscript } from './transcript.js';
import { parseNotes } from './notes.js';

/**
 * Reads any supported input and says what it is: Gong JSON, other transcript JSON (word-level ASR
 * monologues, meeting-corpus records), an email, a "Speaker: text" transcript, or notes.
 */
export function parseConversation(raw: string): Conversation {
  const text = normalizeText(raw);
  if (text.trim().length === 0) throw new SourceFormatError('the input is empty');
  if (text.includes('\u0000')) throw new SourceFormatError('the input is binary, not text; give notes, an email, a transcript or Gong JSON');
  const head = text.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return parseJsonSource(text);
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
    if (Array.isArray(obj.monologues)) return parseTranscript(renderTurns(monologueTurns(obj.monologues)));
    if (Array.isArray(obj.meeting_transcripts)) return parseTranscript(renderTurns(meetingTurns(obj.meeting_transcripts)));
  }
  throw new SourceFormatError(
    'unknown JSON format: expected Gong\'s transcript response (callTranscripts, optionally parties), ASR "monologues" or "meeting_transcripts"',
  );
}

type Turn = { speaker: string; text: string };

function renderTurns(turns: Turn[]): string {
  const lines = turns.filter((t) => t.text.trim()).map((t) => `${t.speaker}: ${t.text.trim()}`);
  if (lines.length === 0) throw new SourceFormatError('the transcript JSON has no spoken text');
  return lines.join('\n') + '\n';
}

/** Word-level ASR output (Gong's open-source gecko format): words and punctuation per monologue. */
function monologueTurns(monologues: unknown[]): Turn[] {
  return monologues.map((m, i) => {
    const mono = m as { speaker?: { name?: string | null; id?: string | null }; terms?: { text?: string; type?: string }[] };
    const speaker = mono.speaker?.name || mono.speaker?.id || `Speaker ${i + 1}`;
    let text = '';
    for (const term of mono.terms ?? []) {
      if (typeof term.text !== 'string') continue;
      text += term.type === 'PUNCTUATION' ? term.text : (text ? ' ' : '') + term.text;
    }
    return { speaker, text };
  });
}

/** Meeting-corpus records (QMSum): turns of { speaker, content }. */
function meetingTurns(turns: unknown[]): Turn[] {
  return turns.map((t) => {
    const turn = t as { speaker?: string; content?: string };
    return { speaker: turn.speaker || 'Speaker', text: turn.content ?? '' };
  });
}
