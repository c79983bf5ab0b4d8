import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { expectUtterancesInText, said } from '../../support/conversation.js';

const SELLER = '6432345678555530067';
const BUYER = '6432345678555530068';

/** The /v2/calls/transcript response with the call's parties, metaData and context from /v2/calls/extensive. */
function gongCall(overrides: Record<string, unknown> = {}) {
  return {
    metaData: { id: '778', title: 'Fabrikam <> Contoso: discovery', started: '2026-03-10T21:30:00-05:00' },
    context: [
      {
        system: 'Salesforce',
        objects: [
          {
            objectType: 'Opportunity',
            objectId: '006Dn00000A1b2cIAB',
            fields: [{ name: 'StageName', value: 'Qualification' }],
          },
          { objectType: 'Account', objectId: '001Dn00000Z9y8xIAB', fields: [] },
        ],
      },
    ],
    parties: [
      {
        id: '1',
        name: 'Roger Lane',
        title: 'Account Executive',
        emailAddress: 'Roger.Lane@contoso.com',
        speakerId: SELLER,
        affiliation: 'Internal',
      },
      {
        id: '2',
        name: 'Dmitri Volkov',
        title: 'VP of Revenue Operations',
        emailAddress: 'dmitri@fabrikam.com',
        speakerId: BUYER,
        affiliation: 'External',
      },
      {
        id: '3',
        name: 'Hannah Cole',
        title: null,
        emailAddress: 'hannah@fabrikam.com',
        speakerId: null,
        affiliation: 'External',
      },
    ],
    callTranscripts: [
      {
        callId: '778',
        transcript: [
          {
            speakerId: SELLER,
            topic: 'Call Setup',
            sentences: [
              { start: 1200, end: 5200, text: 'Thanks for making the time, Dmitri.' },
              { start: 5300, end: 9800, text: 'How do reps update Salesforce today?' },
            ],
          },
          {
            speakerId: BUYER,
            topic: 'Discovery',
            sentences: [{ start: 10100, end: 16800, text: 'Honestly it is painful.' }],
          },
          {
            speakerId: '999',
            topic: null,
            sentences: [{ start: 17000, end: 18000, text: 'Sorry, joining late.' }],
          },
          { speakerId: BUYER, sentences: [{ start: 18100, end: 18200, text: '   ' }] },
        ],
      },
    ],
    ...overrides,
  };
}

describe('parseConversation: Gong JSON', () => {
  it('resolves speakers to party names and keeps each monologue as one utterance', () => {
    const c = parseConversation(JSON.stringify(gongCall()));
    expect(c.format).toBe('gong');
    expect(said(c)).toEqual([
      {
        speaker: 'Roger Lane',
        text: 'Thanks for making the time, Dmitri. How do reps update Salesforce today?',
        quoted: false,
      },
      { speaker: 'Dmitri Volkov', text: 'Honestly it is painful.', quoted: false },
      { speaker: 'Speaker 999', text: 'Sorry, joining late.', quoted: false },
    ]);
    expectUtterancesInText(c);
  });

  it('maps Internal parties to the seller side and External ones to the customer, silent ones included', () => {
    const c = parseConversation(JSON.stringify(gongCall()));
    expect(
      c.participants.map((p) => ({
        name: p.name,
        title: p.title,
        email: p.email,
        affiliation: p.affiliation,
      })),
    ).toEqual([
      {
        name: 'Roger Lane',
        title: 'Account Executive',
        email: 'roger.lane@contoso.com',
        affiliation: 'seller',
      },
      {
        name: 'Dmitri Volkov',
        title: 'VP of Revenue Operations',
        email: 'dmitri@fabrikam.com',
        affiliation: 'customer',
      },
      { name: 'Hannah Cole', title: null, email: 'hannah@fabrikam.com', affiliation: 'customer' },
      { name: 'Speaker 999', title: null, email: null, affiliation: null },
    ]);
  });

  it('renders each named party in the text so their identity has evidence', () => {
    const c = parseConversation(JSON.stringify(gongCall()));
    const evidence = c.participants
      .filter((p) => p.evidenceStart !== null)
      .map((p) => c.text.slice(p.evidenceStart!, p.evidenceEnd!));
    expect(evidence).toEqual([
      'Roger Lane, Account Executive',
      'Dmitri Volkov, VP of Revenue Operations',
      'Hannah Cole',
    ]);
  });

  it("takes the meeting date from metaData.started as the call's own calendar date", () => {
    expect(parseConversation(JSON.stringify(gongCall())).meetingDate).toBe('2026-03-10');
  });

  it('takes the subject from the call title and the CRM context from the Salesforce opportunity', () => {
    const c = parseConversation(JSON.stringify(gongCall()));
    expect(c.subject).toBe('Fabrikam <> Contoso: discovery');
    expect(c.crmContext).toEqual({
      opportunityId: '006Dn00000A1b2cIAB',
      accountId: '001Dn00000Z9y8xIAB',
      stageName: 'Qualification',
    });
  });

  it('reads parties, metaData and context from an /v2/calls/extensive "calls" array too', () => {
    const { parties, metaData, context, callTranscripts } = gongCall();
    const c = parseConversation(JSON.stringify({ callTranscripts, calls: [{ metaData, parties, context }] }));
    expect(c.utterances.map((u) => u.speaker)).toEqual(['Roger Lane', 'Dmitri Volkov', 'Speaker 999']);
    expect(c.meetingDate).toBe('2026-03-10');
    expect(c.crmContext?.stageName).toBe('Qualification');
  });

  it('works on the bare transcript response: no parties, no date, no CRM context', () => {
    const c = parseConversation(JSON.stringify({ callTranscripts: gongCall().callTranscripts }));
    expect(c.utterances.map((u) => u.speaker)).toEqual([
      `Speaker ${SELLER}`,
      `Speaker ${BUYER}`,
      'Speaker 999',
    ]);
    expect(c.meetingDate).toBeNull();
    expect(c.crmContext).toBeNull();
    expectUtterancesInText(c);
  });

  it('reads the Gong sample shipped with the repo', () => {
    const c = parseConversation(
      readFileSync(
        new URL('../../../samples/conversations/01-fabrikam-discovery.gong.json', import.meta.url),
        'utf8',
      ),
    );
    expect(c.format).toBe('gong');
    expect(c.crmContext?.stageName).toBe('Qualification');
    expect(c.participants.find((p) => p.name === 'Dmitri Volkov')?.affiliation).toBe('customer');
    expectUtterancesInText(c);
  });

  it('rejects a call whose transcript has no sentences', () => {
    expect(() =>
      parseConversation(
        JSON.stringify({
          callTranscripts: [{ callId: '1', transcript: [{ speakerId: '1', sentences: [] }] }],
        }),
      ),
    ).toThrow(/Gong JSON: the transcript has no sentences/);
  });
});
