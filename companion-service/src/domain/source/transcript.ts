import type { Conversation, Participant, Utterance } from './conversation.js';
import { trimRange } from './normalize.js';
import { dateInHeader } from './header-date.js';
import { CHINESE_SURNAME, CHINESE_TITLE_SUFFIX } from '../text/chinese-names.js';

/**
 * "Speaker: text" transcripts, with the timestamp styles tools export: "[00:01:02] Name: ...",
 * "00:01 Name: ...", "Name (00:01): ...", "[ 12.5] Name: ...". Lines without a label continue the
 * previous speaker's turn.
 */
const TIMESTAMP = String.raw`(?:\[\s*[\d:.]+(?:\s*[AaPp]\.?[Mm]\.?)?\s*\]|\(?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*[AaPp]\.?[Mm]\.?)?\)?)`;
// Names in any script, with particles: "Tomás Echeverría", "Joost van der Berg", "Ayşe Yılmaz".
const NAME = String.raw`\p{Lu}[\p{L}\p{M}\d.'’-]*(?: [\p{L}][\p{L}\p{M}\d.'’-]*){0,4}`;
// A Chinese speaker is named by surname ("陈静：", "王总：") and followed by a full-width colon, no space.
const CHINESE_SPEAKER = String.raw`${CHINESE_SURNAME}(?:${CHINESE_TITLE_SUFFIX}|\p{Script=Han}{1,2})`;
const SPEAKER_LINE = new RegExp(
  String.raw`^[ ]*(?:${TIMESTAMP}[ ]*)?(${NAME}|${CHINESE_SPEAKER})(?:[ ]*(?:${TIMESTAMP}|\([^)\n]{1,40}\)))?[ ]*(?::[ ]+|：[ ]*)(?=\S)`,
  'u',
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

function isNoteKey(label: string): boolean {
  return NOTE_KEYS.has(label.toLowerCase());
}

export function matchSpeakerLine(line: string): { speaker: string; textStart: number } | null {
  const m = SPEAKER_LINE.exec(line);
  if (!m) return null;
  const speaker = m[1]!.trim();
  if (isNoteKey(speaker)) return null;
  return { speaker, textStart: m[0].length };
}

/** True when the text reads as a transcript: most lines carry a speaker label and someone speaks twice. */
export function looksLikeTranscript(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length < 2) return false;
  const counts = new Map<string, number>();
  let labelled = 0;
  let noteKeys = 0;
  for (const line of lines.slice(0, 400)) {
    const label = SPEAKER_LINE.exec(line)?.[1]?.trim();
    if (!label) continue;
    if (isNoteKey(label)) {
      noteKeys++;
      continue;
    }
    labelled++;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // "Budget:", "Next steps:" lines mark structured notes; other "Key: value" lines there ("Concern:")
  // would otherwise pass for speakers. Nobody in a real transcript is called "Budget".
  if (noteKeys >= 2 && noteKeys * 2 >= labelled) return false;
  const sample = Math.min(lines.length, 400);
  const repeats = [...counts.values()].some((c) => c >= 2);
  return labelled / sample >= 0.5 && counts.size >= 2 && repeats;
}

/**
 * Turns that arrive already split by speaker (transcript JSON) are rendered as "Speaker: text" lines
 * with their offsets kept, rather than re-read: labels like "spk_0" or "A" and line breaks inside a
 * turn would not survive a second parse.
 */
export function transcriptFromTurns(turns: { speaker: string; text: string }[]): Conversation {
  let text = '';
  const utterances: Utterance[] = [];
  const speakers: string[] = [];
  for (const turn of turns) {
    const said = turn.text.replace(/\s+/g, ' ').trim();
    if (!said) continue;
    const speaker = turn.speaker.replace(/\s+/g, ' ').trim() || 'Speaker';
    text += `${speaker}: `;
    utterances.push({ speaker, start: text.length, end: text.length + said.length, quoted: false });
    text += said + '\n';
    if (!speakers.includes(speaker)) speakers.push(speaker);
  }
  return {
    format: 'transcript',
    text,
    utterances,
    participants: speakers.map(participantFor),
    meetingDate: dateInHeader(text),
    subject: null,
    crmContext: null,
  };
}

function participantFor(name: string): Participant {
  return {
    name,
    title: null,
    email: null,
    company: null,
    affiliation: null,
    speakerLabel: name,
    evidenceStart: null,
    evidenceEnd: null,
  };
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
  return {
    format: 'transcript',
    text,
    utterances,
    participants: [...speakers.keys()].map(participantFor),
    meetingDate: dateInHeader(text),
    subject: null,
    crmContext: null,
  };
}
