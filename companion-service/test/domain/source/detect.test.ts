import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { SourceFormatError } from '../../../src/domain/source/conversation.js';
import { expectUtterancesInText, said } from '../../support/conversation.js';

/** The real meetings shared beside the repository (../shared/data/transcripts), when this machine has them. */
const TRANSCRIPTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/data/transcripts',
);
const AMI = path.join(TRANSCRIPTS, 'ami');
const withRealMeetings = existsSync(TRANSCRIPTS);

function formatError(raw: string): SourceFormatError {
  try {
    parseConversation(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceFormatError);
    return error as SourceFormatError;
  }
  throw new Error('expected a SourceFormatError');
}

describe('parseConversation: notes', () => {
  it('reads free notes as notes, one utterance per line and no speaker', () => {
    const c = parseConversation('Met Dana at Acme today.\nThey want a pilot before the end of Q2.\n');
    expect(c.format).toBe('notes');
    expect(said(c)).toEqual([
      { speaker: null, text: 'Met Dana at Acme today.', quoted: false },
      { speaker: null, text: 'They want a pilot before the end of Q2.', quoted: false },
    ]);
    expectUtterancesInText(c);
  });

  it('keeps bullet notes with "Budget:" and "Next steps:" lines as notes, not a transcript', () => {
    const raw = [
      'Acme sync 3/10',
      '- Budget: 50k approved for this year',
      '- Timeline: live by Q3',
      '- Next steps: Sam to send the proposal by Friday',
      '- Next steps: Dana to loop in legal',
      '',
    ].join('\n');
    const c = parseConversation(raw);
    expect(c.format).toBe('notes');
    expect(c.participants).toEqual([]);
    expect(said(c).map((u) => u.text)).toEqual(raw.trim().split('\n'));
    expectUtterancesInText(c);
  });

  it('keeps unbulleted "Key: value" notes as notes even when they repeat a key', () => {
    const raw = [
      'Budget: 50k',
      'Next steps: send the proposal',
      'Budget: might grow to 80k next year',
      'Next steps: security review',
    ].join('\n');
    expect(parseConversation(raw).format).toBe('notes');
  });

  it('does not take note keys such as "Concern:" for speakers when the notes carry "Budget:" lines', () => {
    const raw = 'Customer: Acme\nBudget: 50k\nConcern: pricing\nConcern: timing\nNext steps: proposal\n';
    const c = parseConversation(raw);
    expect(c.format).toBe('notes');
    expect(c.utterances.every((u) => u.speaker === null)).toBe(true);
  });

  it('dates notes from a date in their title lines, not from a date said further down', () => {
    expect(parseConversation('Northwind - call notes 2026-03-09\n- Budget: 90k\n').meetingDate).toBe(
      '2026-03-09',
    );
    expect(parseConversation('Call notes\nMeeting date: March 9, 2026\n- Budget: 90k\n').meetingDate).toBe(
      '2026-03-09',
    );
    const later = ['Call notes', '- Budget: 90k', '- Pilot starts', '- Legal', '- Go-live 2026-06-01'].join(
      '\n',
    );
    expect(parseConversation(later).meetingDate).toBeNull();
  });

  it('reads a dictated voice memo as notes', () => {
    const memo =
      'Quick memo after the Litware call. Their CFO, Priya, wants the business case by the 20th, ' +
      'and they are looking at Clari too. Budget sounds like around 60 grand.';
    const c = parseConversation(memo);
    expect(c.format).toBe('notes');
    expect(said(c)).toEqual([{ speaker: null, text: memo, quoted: false }]);
  });

  it('normalizes Windows line endings, tabs and non-breaking spaces but keeps every offset true', () => {
    const c = parseConversation('\uFEFFBudget:\t50k\r\nNext steps:\u00A0send proposal\r\n');
    expect(c.text).toBe('Budget: 50k\nNext steps: send proposal\n');
    expect(said(c).map((u) => u.text)).toEqual(['Budget: 50k', 'Next steps: send proposal']);
  });
});

describe('parseConversation: "Speaker: text" transcripts', () => {
  it('reads speaker labels and attaches unlabelled lines to the turn before', () => {
    const c = parseConversation(
      'Dana Lee: We looked at the proposal.\nSam: Great, any questions?\nDana Lee: Only on pricing,\nespecially the services line.\n',
    );
    expect(c.format).toBe('transcript');
    expect(said(c)).toEqual([
      { speaker: 'Dana Lee', text: 'We looked at the proposal.', quoted: false },
      { speaker: 'Sam', text: 'Great, any questions?', quoted: false },
      { speaker: 'Dana Lee', text: 'Only on pricing,\nespecially the services line.', quoted: false },
    ]);
    expect(c.participants.map((p) => p.name)).toEqual(['Dana Lee', 'Sam']);
    expect(c.participants.map((p) => p.speakerLabel)).toEqual(['Dana Lee', 'Sam']);
    expectUtterancesInText(c);
  });

  it.each([
    [
      '[00:01:02] Name:',
      '[00:01:02] Dana Lee: Hello there.\n[00:01:10] Sam: Hi Dana.\n[00:01:20] Dana Lee: Shall we start?\n',
    ],
    [
      '[   6.60] Name:',
      '[   0.03] Dana Lee: Hello there.\n[   6.60] Sam: Hi Dana.\n[  15.49] Dana Lee: Shall we start?\n',
    ],
    ['00:12 Name:', '00:12 Dana Lee: Hello there.\n00:20 Sam: Hi Dana.\n00:31 Dana Lee: Shall we start?\n'],
    [
      'Name (00:12):',
      'Dana Lee (00:12): Hello there.\nSam (00:20): Hi Dana.\nDana Lee (00:31): Shall we start?\n',
    ],
    [
      'Name (title):',
      'Dana Lee (VP Sales): Hello there.\nSam (AE): Hi Dana.\nDana Lee (VP Sales): Shall we start?\n',
    ],
  ])('reads timestamp style %s without the timestamp in the speaker or the text', (_style, raw) => {
    const c = parseConversation(raw);
    expect(c.format).toBe('transcript');
    expect(said(c)).toEqual([
      { speaker: 'Dana Lee', text: 'Hello there.', quoted: false },
      { speaker: 'Sam', text: 'Hi Dana.', quoted: false },
      { speaker: 'Dana Lee', text: 'Shall we start?', quoted: false },
    ]);
    expectUtterancesInText(c);
  });

  it.runIf(withRealMeetings)(
    'reads the Gong demo call exported as text with "[   6.60] Name:" timestamps',
    () => {
      const c = parseConversation(readFileSync(path.join(TRANSCRIPTS, 'gong-gecko-demo/demo.txt'), 'utf8'));
      expect(c.format).toBe('transcript');
      expect(new Set(c.utterances.map((u) => u.speaker))).toEqual(new Set(['Roger', 'Virgil']));
      expect(said(c)[0]).toEqual({
        speaker: 'Roger',
        text: "Hi, Virgil good to finally connect after all this talking back and forth a little bit we've been.",
        quoted: false,
      });
      expectUtterancesInText(c);
    },
  );
});

describe('parseConversation: transcript JSON', () => {
  it.runIf(withRealMeetings)(
    'reads the word-level ASR demo call: speakers from ids, words joined, punctuation attached',
    () => {
      const raw = readFileSync(path.join(TRANSCRIPTS, 'gong-gecko-demo/demo.json'), 'utf8');
      const c = parseConversation(raw);
      expect(c.format).toBe('transcript');
      const monologues = (JSON.parse(raw) as { monologues: unknown[] }).monologues;
      expect(c.utterances).toHaveLength(monologues.length);
      expect(said(c)[0]).toEqual({
        speaker: 'Roger',
        text: "Hi, Virgil good to finally connect after all this talking back and forth a little bit we've been.",
        quoted: false,
      });
      expect(c.participants.map((p) => p.name)).toEqual(['Roger', 'Virgil']);
      expectUtterancesInText(c);
    },
  );

  it('keeps ASR speaker ids that do not look like names ("A", "spk_0")', () => {
    const monologue = (id: string, words: string[]) => ({
      speaker: { name: null, id },
      terms: words.map((w) => ({ text: w, type: w === '.' ? 'PUNCTUATION' : 'WORD' })),
    });
    for (const [a, b] of [
      ['A', 'B'],
      ['spk_0', 'spk_1'],
    ] as const) {
      const c = parseConversation(
        JSON.stringify({
          monologues: [monologue(a, ['We', 'need', 'a', 'pilot', '.']), monologue(b, ['Sure', '.'])],
        }),
      );
      expect(said(c)).toEqual([
        { speaker: a, text: 'We need a pilot.', quoted: false },
        { speaker: b, text: 'Sure.', quoted: false },
      ]);
    }
  });

  it
    .runIf(withRealMeetings)
    .each(withRealMeetings ? readdirSync(AMI).filter((f) => f.endsWith('.json')) : ['(no AMI data here)'])(
    'reads the AMI meeting %s: one utterance per spoken turn, by role',
    (file) => {
      const raw = readFileSync(path.join(AMI, file), 'utf8');
      const turns = (JSON.parse(raw) as { meeting_transcripts: { speaker: string; content: string }[] })
        .meeting_transcripts;
      const spoken = turns.filter((t) => t.content.trim());
      const c = parseConversation(raw);
      expect(c.format).toBe('transcript');
      expect(said(c)).toEqual(
        spoken.map((t) => ({
          speaker: t.speaker,
          text: t.content.replace(/\s+/g, ' ').trim(),
          quoted: false,
        })),
      );
      expectUtterancesInText(c);
    },
  );

  it('keeps a meeting turn whole when its content has line breaks or a "Key:" inside', () => {
    const c = parseConversation(
      JSON.stringify({
        meeting_transcripts: [
          { speaker: 'Project Manager', content: 'First point\nBudget: fifty' },
          { speaker: 'marketing', content: 'ok' },
        ],
      }),
    );
    expect(said(c)).toEqual([
      { speaker: 'Project Manager', text: 'First point Budget: fifty', quoted: false },
      { speaker: 'marketing', text: 'ok', quoted: false },
    ]);
  });
});

describe('parseConversation: errors', () => {
  it.each([
    ['empty input', '', /empty/],
    ['whitespace only', '  \n\t\n ', /empty/],
    ['binary input', 'PK\u0003\u0004\u0000\u0000binary', /binary/],
    ['JSON that parses but is unknown', '{"foo": 1}', /unknown JSON format/],
    ['a JSON array', '[1, 2, 3]', /unknown JSON format/],
    ['broken JSON', '{"callTranscripts": [', /does not parse/],
    [
      'transcript JSON with no words',
      '{"monologues": [{"speaker": {"id": "A"}, "terms": []}]}',
      /no spoken text/,
    ],
    [
      'Gong JSON of the wrong shape',
      '{"callTranscripts": [{"transcript": "x"}]}',
      /Gong JSON: callTranscripts\.0\.transcript/,
    ],
    ['Gong JSON with no call', '{"callTranscripts": []}', /callTranscripts holds no call/],
  ])('rejects %s with a one-line SourceFormatError naming the problem', (_what, raw, message) => {
    const error = formatError(raw);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});
