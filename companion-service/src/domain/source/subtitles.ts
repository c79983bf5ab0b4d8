import { parseSync, type NodeCue } from 'subtitle';
import type { Conversation } from './conversation.js';
import { transcriptFromTurns } from './transcript.js';

/**
 * Meeting platforms' caption exports: WebVTT (Zoom, Meet, Teams) and SRT. The `subtitle` package
 * reads the cue structure (numbering, timings, cue settings, NOTE blocks); what it leaves in a cue's
 * text is read here: the speaker from a WebVTT voice tag ("<v Dana Lee>") or a "Name:" prefix
 * (Teams, Zoom's SRT), the words without inline tags. Timestamps never reach the text, so a
 * "00:01:02,000" is never read as an amount or a date.
 */
const TIMING = /^\s*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s+-->\s+(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}/;

export function looksLikeVtt(text: string): boolean {
  return /^WEBVTT(?:[ \t].*)?$/m.test(text.trimStart().split('\n', 1)[0] ?? '');
}

/** An SRT opens with a cue number and a timing line ("1" then "00:00:01,000 --> 00:00:04,000"). */
export function looksLikeSrt(text: string): boolean {
  const lines = text
    .trimStart()
    .split('\n', 8)
    .map((l) => l.trim())
    .filter(Boolean);
  return /^\d+$/.test(lines[0] ?? '') && TIMING.test(lines[1] ?? '') && /,\d{3}/.test(lines[1] ?? '');
}

// One cue's speaker: "<v Dana Lee>", "<v.loud Dana Lee>", or a "Dana Lee:" prefix at its start.
const VOICE = /<v(?:\.[\w.-]+)?\s+([^>]+)>/;
const PREFIX =
  /^\s*(\p{Lu}[\p{L}\p{M}.'’-]*(?: [\p{L}][\p{L}\p{M}.'’-]*){0,4}|[\p{Script=Han}]{2,4})\s*[:：]\s+(?=\S)/u;

function cueTurn(raw: string): { speaker: string | null; text: string } {
  const voice = VOICE.exec(raw)?.[1]?.trim() ?? null;
  // Inline tags (<c>, <i>, <b>, <u>, <lang>, karaoke timestamps <00:00:01.000>) and their closers.
  let text = raw
    .replace(/<\/?[a-z](?:[.\w-]*)(?:\s[^>]*)?>|<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}>/gi, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let speaker = voice;
  const prefix = PREFIX.exec(text);
  if (prefix && !speaker) {
    speaker = prefix[1]!.trim();
    text = text.slice(prefix[0].length).trim();
  }
  return { speaker, text };
}

/**
 * A WebVTT cue may carry any identifier above its timing line; Teams writes a GUID and a counter
 * ("6a1f0c3e-…/12-0"), which `subtitle` reads as a broken timing or as words of the cue before.
 * The identifier carries nothing the conversation needs, so it is dropped before parsing.
 */
const CUE_ID = /^(?!.*-->)[^\n]*\S[^\n]*\n(?=[ \t]*(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}[ \t]+-->)/gm;
const withoutCueIds = (text: string) => (looksLikeVtt(text) ? text.replace(CUE_ID, '') : text);

/**
 * Cues become turns: consecutive cues of one speaker are one turn (captions cut sentences every few
 * seconds), and a cue without a speaker continues the turn before it.
 */
export function parseSubtitles(text: string): Conversation {
  const turns: { speaker: string; text: string }[] = [];
  let cues: NodeCue[];
  try {
    cues = parseSync(withoutCueIds(text)).filter((n): n is NodeCue => n.type === 'cue');
  } catch {
    cues = [];
  }
  for (const cue of cues) {
    const turn = cueTurn(cue.data.text);
    if (!turn.text) continue;
    const last = turns[turns.length - 1];
    if (last && (turn.speaker === null || turn.speaker === last.speaker)) last.text += ' ' + turn.text;
    else turns.push({ speaker: turn.speaker ?? 'Speaker', text: turn.text });
  }
  return transcriptFromTurns(turns);
}
