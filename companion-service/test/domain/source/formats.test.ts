import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectInputFormat, parseConversation, readConversation } from '../../../src/domain/source/detect.js';
import { parseMailboxes } from '../../../src/domain/source/email.js';
import { normalizeText } from '../../../src/domain/source/normalize.js';
import { EmbeddedExtractor } from '../../../src/domain/extraction/embedded/embedded-extractor.js';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import { expectUtterancesInText, said } from '../../support/conversation.js';

/**
 * What the extractor gets from each input format as mail clients and meeting platforms write it:
 * who said what, and which text is the conversation's own (newest message, forwarded message)
 * rather than quoted history kept as context.
 */
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/formats');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const own = (c: ReturnType<typeof readConversation>['conversation']) => said(c).filter((u) => !u.quoted);
const history = (c: ReturnType<typeof readConversation>['conversation']) =>
  said(c)
    .filter((u) => u.quoted)
    .map((u) => u.text)
    .join('\n');

describe('email threads', () => {
  it('Gmail forward: the forwarded message is the conversation, by its sender; the reply it quotes is context', () => {
    const { conversation: c, inputFormat, warnings } = readConversation(fixture('gmail-forward.txt'));
    expect(inputFormat).toBe('email');
    expect(warnings).toEqual([]);
    expect(own(c).map((u) => [u.speaker, u.text.split('\n')[0]])).toEqual([
      ['Priya Raman', 'FYI, logging this for the Fabrikam opportunity.'],
      ['Marcus Webb', 'Hi Priya,'],
      [
        'Marcus Webb',
        'Thanks for the call this morning. Our CFO approved a budget of $180,000 for the first year.',
      ],
      ['Marcus Webb', 'Best,'],
    ]);
    // The forward's header block is reproduced, not said; the older message is history.
    expect(history(c)).toContain('---------- Forwarded message ---------\nFrom: Marcus Webb');
    expect(history(c)).toContain('Our list price for 400 seats is $240,000');
    expect(own(c).some((u) => /list price|---------- Forwarded/.test(u.text))).toBe(false);
    expect(c.participants.map((p) => [p.name, p.email])).toEqual([
      ['Priya Raman', 'priya.raman@contoso.com'],
      ['Deal Desk', 'dealdesk@contoso.com'],
      ['Marcus Webb', 'marcus.webb@fabrikam.com'],
      ['Elena Fischer', 'elena.fischer@fabrikam.com'],
    ]);
    expect(c.meetingDate).toBe('2026-03-09');
    expectUtterancesInText(c);
  });

  it('Outlook reply chain: only the newest message is the conversation; "-----Original Message-----" blocks are history', () => {
    const { conversation: c } = readConversation(fixture('outlook-reply-chain.txt'));
    expect(own(c).map((u) => u.speaker)).toEqual(['Daniel Okafor', 'Daniel Okafor', 'Daniel Okafor']);
    expect(own(c)[1]!.text).toBe(
      'Legal has signed off on the MSA. Please send the final order form by Thursday so I can route it for signature.',
    );
    // The hold two messages down is history: it must not move this deal backward.
    expect(history(c)).toContain('we are putting the project on hold');
    expect(own(c).some((u) => /on hold|50 users/.test(u.text))).toBe(false);
    expect(c.participants.map((p) => p.name)).toEqual(['Daniel Okafor', 'Sam Carter']);
    expect(c.meetingDate).toBe('2026-03-10');
  });

  it('Apple Mail "Begin forwarded message:": the forwarded message is read with its sender, headers left out', () => {
    const { conversation: c } = readConversation(fixture('apple-mail-forward.txt'));
    expect(own(c).map((u) => [u.speaker, u.text.split('\n')[0]])).toEqual([
      ['Jordan Ellis', 'Sam - see below from Aiko, looks like we are in good shape.'],
      ['Aiko Tanaka', 'Jordan,'],
      ['Aiko Tanaka', 'We have decided to renew for another two years and expand to 120 seats.'],
      ['Aiko Tanaka', 'Aiko Tanaka'],
      ['Aiko Tanaka', 'Sent from my iPhone'],
    ]);
    expect(history(c)).toBe(
      [
        'Begin forwarded message:',
        'From: Aiko Tanaka <aiko.tanaka@litwareinc.com>',
        'Subject: Litware renewal',
        'Date: March 10, 2026 at 6:15:02 PM PDT',
        'To: Jordan Ellis <jordan.ellis@contoso.com>',
      ].join('\n'),
    );
    expect(c.participants.find((p) => p.name === 'Aiko Tanaka')?.speakerLabel).toBe('Aiko Tanaka');
  });

  it('an Outlook "FW:" with a rule and a header block is a forward, not history', () => {
    const raw = [
      'From: Sam Carter <sam.carter@contoso.com>',
      'To: Deal Desk <dealdesk@contoso.com>',
      'Subject: FW: Order form',
      '',
      'For the record.',
      '',
      '________________________________',
      'From: Grace Liu <grace.liu@wingtiptoys.com>',
      'Sent: Wednesday, March 11, 2026 2:10 PM',
      'To: Sam Carter <sam.carter@contoso.com>',
      'Subject: Order form',
      '',
      'We signed the order form today.',
    ].join('\n');
    const { conversation: c } = readConversation(raw);
    expect(own(c).map((u) => [u.speaker, u.text])).toEqual([
      ['Sam Carter', 'For the record.'],
      ['Grace Liu', 'We signed the order form today.'],
    ]);
  });

  it('a reply in Spanish or Chinese: the localized "wrote:" line starts the history', () => {
    const spanish = readConversation(
      'From: Lucía <lucia@tailspintoys.es>\nTo: roger@contoso.com\nSubject: Re: propuesta\n\nFirmamos el contrato.\n\nEl mar, 10 mar 2026 a las 16:02, Roger Lane <roger@contoso.com> escribió:\nEl precio es de 95.000 €.\n',
    ).conversation;
    expect(own(spanish).map((u) => u.text)).toEqual(['Firmamos el contrato.']);
    const chinese = readConversation(
      'From: 王伟 <wang@huabei.cn>\nTo: roger@contoso.com\nSubject: 回复：报价\n\n合同已经签了。\n\n在 2026年3月9日 周一 10:00，Roger Lane <roger@contoso.com> 写道：\n报价是十万元。\n',
    ).conversation;
    expect(own(chinese).map((u) => u.text)).toEqual(['合同已经签了。']);
  });

  it('reads Outlook\'s unquoted directory names ("Okafor, Daniel <…>") as one person', () => {
    expect(
      parseMailboxes('Okafor, Daniel <Daniel.Okafor@northwindtraders.com>, Sam Carter <sam@contoso.com>'),
    ).toEqual([
      { name: 'Daniel Okafor', email: 'daniel.okafor@northwindtraders.com' },
      { name: 'Sam Carter', email: 'sam@contoso.com' },
    ]);
  });
});

describe('caption files', () => {
  it('WebVTT from Zoom: speakers from <v Name> tags, cues of one speaker joined, no timestamps in the text', () => {
    const { conversation: c, inputFormat } = readConversation(fixture('zoom.vtt'));
    expect(inputFormat).toBe('vtt');
    expect(c.format).toBe('transcript');
    expect(said(c)).toEqual([
      {
        speaker: 'Dana Whitfield',
        text: 'Thanks for joining. Before we start, is Priya on the line?',
        quoted: false,
      },
      {
        speaker: 'Priya Raman',
        text: "Yes, I'm here. I'll walk you through the security review status. Our CISO signed off last Friday, so that item is closed.",
        quoted: false,
      },
      {
        speaker: 'Dana Whitfield',
        text: "Great. Our budget for this is $120,000, and we're comparing you with Clari. I'll send the redlined MSA by next Wednesday.",
        quoted: false,
      },
    ]);
    expect(c.text).not.toMatch(/-->|00:00|<\/?v|WEBVTT/);
    expect(c.participants.map((p) => p.name)).toEqual(['Dana Whitfield', 'Priya Raman']);
    expectUtterancesInText(c);
  });

  it('WebVTT from Teams: GUID cue identifiers are not words, and the voice tags still name the speakers', () => {
    const vtt = [
      'WEBVTT',
      '',
      '6a1f0c3e-2d4b-4f7a-9c11-3b8e5d7a9f20/11-0',
      '00:00:02.140 --> 00:00:08.620',
      '<v Rhea Castellano>Where does lending run today?</v>',
      '',
      '6a1f0c3e-2d4b-4f7a-9c11-3b8e5d7a9f20/12-0',
      '00:00:09.010 --> 00:00:18.450',
      '<v Priyanka Deshmukh>On Baker Hill, and the contract renews in March.</v>',
      '',
    ].join('\n');
    const { conversation: c, inputFormat } = readConversation(vtt);
    expect(inputFormat).toBe('vtt');
    expect(said(c).map((u) => [u.speaker, u.text])).toEqual([
      ['Rhea Castellano', 'Where does lending run today?'],
      ['Priyanka Deshmukh', 'On Baker Hill, and the contract renews in March.'],
    ]);
    expect(c.text).not.toMatch(/6a1f0c3e|-->/);
  });

  it('SRT from Teams: speakers from "Name:" prefixes, a cue wrapped over two lines read whole', () => {
    const { conversation: c, inputFormat } = readConversation(fixture('teams.srt'));
    expect(inputFormat).toBe('srt');
    expect(said(c).map((u) => [u.speaker, u.text])).toEqual([
      ['Tomás Echeverría', 'Good morning everyone, thanks for making time.'],
      [
        'Grace Liu',
        'Morning. We looked at the proposal and the team likes the forecasting module. Our procurement process needs a signed DPA before the PO.',
      ],
      ['Tomás Echeverría', 'Understood. I will send the DPA by Friday.'],
    ]);
    expect(c.text).not.toMatch(/-->|\d{2}:\d{2}:\d{2},\d{3}/);
  });

  it('the embedded extractor hears the speakers of a WebVTT file as people on the call', async () => {
    const { conversation } = readConversation(fixture('zoom.vtt'));
    const insights = await new EmbeddedExtractor().extract(conversation, {
      currentStage: null,
      meetingDate: '2026-03-10',
      rules: await loadPackageRules(),
    });
    expect(insights.stakeholders.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Dana Whitfield', 'Priya Raman']),
    );
    expect(insights.budget?.amount).toBe(120000);
    expect(insights.language).toBe('en');
    expect(insights.warnings).toEqual([]);
  });
});

describe('format detection and --format-in', () => {
  it.each([
    ['gmail-forward.txt', 'email'],
    ['outlook-reply-chain.txt', 'email'],
    ['apple-mail-forward.txt', 'email'],
    ['multipart-signature.eml', 'eml'],
    ['zoom.vtt', 'vtt'],
    ['teams.srt', 'srt'],
    ['chinese-notes.txt', 'notes'],
  ])('detects %s as %s', (name, format) => {
    expect(detectInputFormat(normalizeText(fixture(name)))).toBe(format);
  });

  it('reads input as the format named, even when it looks like another', () => {
    const read = readConversation(fixture('teams.srt'), 'notes');
    expect(read.inputFormat).toBe('notes');
    expect(read.conversation.format).toBe('notes');
    expect(read.conversation.utterances.every((u) => u.speaker === null)).toBe(true);
  });

  it('falls back to plain text with a warning when the input is not the format named', () => {
    const read = readConversation('Met Dana at Acme. Budget is 50k.', 'vtt');
    expect(read.inputFormat).toBe('notes');
    expect(read.conversation.format).toBe('notes');
    expect(read.warnings).toEqual(['no text was found in the input read as vtt; read as plain text instead']);
    const json = readConversation('{"calls": 3}');
    expect(json.conversation.format).toBe('notes');
    expect(json.warnings[0]).toMatch(/^unknown JSON format.*; read as plain text instead$/);
  });

  it('keeps an email with an empty body an email: only a format named or a caption file falls back', () => {
    const read = readConversation(
      'From: Dana <dana@acme.com>\nTo: sam@contoso.com\nSubject: Budget approved\n\n',
    );
    expect(read.conversation.format).toBe('email');
    expect(read.warnings).toEqual([]);
  });

  it('reads every text input the way the service parses it, so records and evidence share one text', () => {
    const samples = path.resolve(FIXTURES, '../../../samples/conversations');
    const inputs = [
      ...[
        'gmail-forward.txt',
        'outlook-reply-chain.txt',
        'apple-mail-forward.txt',
        'zoom.vtt',
        'teams.srt',
      ].map(fixture),
      ...['01-fabrikam-discovery.gong.json', '02-tailspin-champion-left.txt', '03-wingtip-email.eml'].map(
        (name) => readFileSync(path.join(samples, name), 'utf8'),
      ),
    ];
    for (const raw of inputs) expect(readConversation(raw).conversation).toEqual(parseConversation(raw));
  });
});
