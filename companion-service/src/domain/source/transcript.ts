import type { Conversation, Participant, Utterance } from './conversation.js';
import { trimRange } from './normalize.js';

/**
 * "Speaker: text" transcripts, with the timestamp styles tools export: "[00:01:02] Name: ...",
 * "00:01 Name: ...", "Name (00:01): ...", "[ 12.5] Name: ...". Lines without a label continue the
 * previous speaker's turn.
 */
const TIMESTAMP = String.raw`(?:\[\s*[\d:.]+\s*\]|\(?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\)?)`;
const NAME = String.raw`[A-Z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,3}`;
const SPEAKER_LINE = new RegExp(
  String.raw`^[ ]*(?:${TIMESTAMP}[ ]*)?(${NAME})(?:[ ]*(?:${TIMESTAMP}|\([^)\n]{1,40}\)))?[ ]*:[ ]+(?=\S)`,
);

/** Keys of structured notes that look like speaker labels but are not people. */
const NOTE_KEYS = new Set(
  [
    'attendees',
    'participants',
    'present',
    'date',
    'subject',
    'budget',
    'timeline',
    'timing',
    'next steps',
    'next step',
    'action items',
    'action item',
    'actions',
    'todo',
    'to do',
    'competitors',
    'competition',
    'competitor',
    'decision',
    'decisions',
    'pain',
    'pains',
    'objections',
    'objection',
    'risks',
    'risk',
    'notes',
    'note',
    'summary',
    'stage',
    'status',
    'owner',
    'account',
    'opportunity',
    'contact',
    'contacts',
    'use case',
    'metrics',
    'champion',
    'economic buyer',
    'decision criteria',
    'decision process',
    'paper process',
    'seats',
    'users',
    'price',
    'pricing',
    'amount',
    'deal',
    'call',
    'meeting',
    'agenda',
    'update',
    'follow up',
    'follow-up',
    'from',
    'to',
    'cc',
    'sent',
    're',
    'fwd',
    'ps',
    'p.s',
    'note to self',
    'reminder',
    'important',
    'update',
    'context',
    'background',
    'goal',
    'goals',
    'ask',
    'asks',
    'outcome',
    'result',
    'q',
    'a',
  ].map((k) => k.toLowerCase()),
);

export function matchSpeakerLine(line: string): { speaker: string; textStart: number } | null {
  const m = SPEAKER_LINE.exec(line);
  if (!m) return null;
  const speaker = m[1]!.trim();
  if (NOTE_KEYS.has(speaker.toLowerCase())) return null;
  return { speaker, textStart: m[0].length };
}

/** True when the text reads as a transcript: most lines carry a speaker label and someone speaks twice. */
export function looksLikeTranscript(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length < 2) return false;
  const counts = new Map<string, number>();
  let labelled = 0;
  for (const line of lines.slice(0, 400)) {
    const m = matchSpeakerLine(line);
    if (!m) continue;
    labelled++;
    counts.set(m.speaker, (counts.get(m.speaker) ?? 0) + 1);
  }
  const sample = Math.min(lines.length, 400);
  const repeats = [...counts.values()].some((c) => c >= 2);
  return labelled / sample >= 0.5 && counts.size >= 2 && repeats;
}

export function parseTranscript(text: string): Conversation {
  const utterances: Utterance[] = [];
  const speakers = new Map<string, number>();
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    if (line.trim().length === 0) continue;
    const m = matchSpeakerLine(line);
    if (m) {
      const [s, e] = trimRange(text, lineStart + m.textStart, lineStart + line.length);
      utterances.push({ speaker: m.speaker, start: s, end: e, quoted: false });
      if (!speakers.has(m.speaker)) speakers.set(m.speaker, lineStart);
      continue;
    }
    const [s, e] = trimRange(text, lineStart, lineStart + line.length);
    const last = utterances[utterances.length - 1];
    if (last && last.end >= lineStart - 2) last.end = e;
    else utterances.push({ speaker: last?.speaker ?? null, start: s, end: e, quoted: false });
  }
  const participants: Participant[] = [...speakers.entries()].map(([name]) => ({
    name,
    title: null,
    email: null,
    company: null,
    affiliation: null,
    speakerLabel: name,
    evidenceStart: null,
    evidenceEnd: null,
  }));
  return {
    format: 'transcript',
    text,
    utterances,
    participants,
    meetingDate: null,
    subject: null,
    crmContext: null,
  };
}
