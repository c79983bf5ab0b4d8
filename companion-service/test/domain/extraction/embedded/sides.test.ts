import { beforeAll, describe, expect, it } from 'vitest';
import { cueScore, domainOf, inferSides } from '../../../../src/domain/extraction/embedded/sides.js';
import type { OrgRules } from '../../../../src/domain/org-rules.js';
import { rules, sentencesOf, transcript } from './embedded-support.js';

let packageRules: OrgRules;
beforeAll(async () => {
  packageRules = await rules();
});

function sidesOf(raw: string, overrides: Partial<OrgRules> = {}) {
  const { conversation, sentences } = sentencesOf(raw);
  return Object.fromEntries(inferSides(conversation, sentences, { ...packageRules, ...overrides }));
}

const DISCOVERY = transcript(
  ['Sam Okafor', 'Thanks for taking the time today. Tell me a bit about your current process.'],
  ['Dana Whitfield', 'We currently use spreadsheets and our budget is tight this year.'],
  ['Sam Okafor', 'Our platform integrates with Salesforce, and I can send you a proposal.'],
  ['Dana Whitfield', 'What would it cost for our team of forty reps?'],
);

describe('inferSides', () => {
  it('tells the seller from the customer by how they talk', () => {
    expect(sidesOf(DISCOVERY)).toEqual({ 'Sam Okafor': 'seller', 'Dana Whitfield': 'customer' });
  });

  it('puts a quiet colleague on the customer side opposite a clear seller', () => {
    const raw = transcript(
      ['Sam Okafor', 'Thanks for taking the time today. Tell me a bit about your current process.'],
      ['Dana Whitfield', 'Sure.'],
      ['Sam Okafor', 'Our platform integrates with Salesforce, and I can send you a proposal.'],
      ['Dana Whitfield', 'Okay.'],
    );
    expect(sidesOf(raw)).toEqual({ 'Sam Okafor': 'seller', 'Dana Whitfield': 'customer' });
  });

  it("takes the seller's email domain from the org's settings", () => {
    const raw = [
      'From: Sam Okafor <sam.okafor@harborline.io>',
      'To: Katrin Vogel <k.vogel@vossberg-logistik.de>',
      'Cc: Jonas Weber <j.weber@vossberg-logistik.de>, Lee Park <lee.park@harborline.io>',
      'Date: Thu, 19 Mar 2026 08:41:00 +0100',
      'Subject: Next steps',
      '',
      'Hi Katrin,',
      '',
      'Thanks again for the call. I will send the order form by Friday.',
      '',
      'Best,',
      'Sam',
    ].join('\n');
    expect(sidesOf(raw, { sellerEmailDomains: ['harborline.io'] })).toMatchObject({
      'Sam Okafor': 'seller',
      'Katrin Vogel': 'customer',
      'Jonas Weber': 'customer',
      'Lee Park': 'seller',
    });
  });

  it("takes the customer's side for an email sender who talks like a buyer", () => {
    const raw = [
      'From: Katrin Vogel <k.vogel@vossberg-logistik.de>',
      'To: Sam Okafor <sam.okafor@harborline.io>',
      'Date: Thu, 19 Mar 2026 08:41:00 +0100',
      'Subject: Your proposal',
      '',
      'Hello Sam,',
      '',
      'Our budget for this project is €48.000 and we currently use Excel. Your proposal is above that.',
      '',
      'Kind regards',
      'Katrin Vogel',
    ].join('\n');
    expect(sidesOf(raw)).toMatchObject({ 'Katrin Vogel': 'customer', 'Sam Okafor': 'seller' });
  });

  it("reads Gong's Internal and External parties as they are", () => {
    const raw = JSON.stringify({
      metaData: { id: '1', title: 'Fabrikam <> Contoso', started: '2026-03-11T16:00:00Z' },
      parties: [
        { id: '1', name: 'Roger Lane', speakerId: 'a', affiliation: 'Internal' },
        { id: '2', name: 'Dmitri Volkov', speakerId: 'b', affiliation: 'External' },
      ],
      callTranscripts: [
        {
          callId: '1',
          transcript: [
            // Said the other way round on purpose: the parties list decides, not the words.
            { speakerId: 'a', topic: null, sentences: [{ start: 0, end: 1, text: 'Our budget is tight.' }] },
            {
              speakerId: 'b',
              topic: null,
              sentences: [{ start: 2, end: 3, text: 'Tell me about your current process.' }],
            },
          ],
        },
      ],
    });
    expect(sidesOf(raw)).toMatchObject({ 'Roger Lane': 'seller', 'Dmitri Volkov': 'customer' });
  });
});

describe('cueScore', () => {
  it('scores seller talk above zero and buyer talk below', () => {
    const { sentences: seller } = sentencesOf(
      'Let me walk you through our platform. How many reps are on your team?',
    );
    const { sentences: buyer } = sentencesOf('Our budget is tight. We currently use spreadsheets.');
    expect(cueScore(seller)).toBeGreaterThan(0);
    expect(cueScore(buyer)).toBeLessThan(0);
  });
});

describe('domainOf', () => {
  it('reads the domain of an address, in lower case', () => {
    expect(domainOf('Roger.Lane@Contoso.com')).toBe('contoso.com');
    expect(domainOf(null)).toBeNull();
    expect(domainOf('no address')).toBeNull();
  });
});
