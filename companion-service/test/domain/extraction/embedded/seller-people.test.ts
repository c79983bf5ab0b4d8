import { beforeAll, describe, expect, it } from 'vitest';
import type { OrgRules } from '../../../../src/domain/org-rules.js';
import { expectQuoted, extract, rules, transcript } from './embedded-support.js';

/**
 * Who is ours: the org's users and domains (OrgRules.sellerPeople, sellerEmailDomains) keep our own
 * people out of the customer's stakeholders, and vendors' names out of anyone's.
 */
let base: OrgRules;
beforeAll(async () => {
  base = await rules();
});

async function people(raw: string, overrides: Partial<OrgRules> = {}) {
  const { conversation, insights } = await extract(raw, { rules: { ...base, ...overrides } });
  for (const p of insights.stakeholders) expectQuoted(conversation, p.evidence);
  return Object.fromEntries(insights.stakeholders.map((p) => [p.name, p.affiliation]));
}

describe("the seller's people", () => {
  it('puts a speaker who is one of our users on our side, however customer-like they sound', async () => {
    const raw = transcript(
      ['Ingrid Solheim', 'Our budget is tight and our team is small, so we need to keep costs down.'],
      ['Kwame Asante', 'We currently use spreadsheets and we need something better.'],
      ['Ingrid Solheim', 'We have the same problem with our team on the support side.'],
    );
    const found = await people(raw, { sellerPeople: ['Ingrid Solheim'] });
    expect(found['Ingrid Solheim']).toBe('seller');
    expect(found['Kwame Asante']).toBe('customer');
  });

  it('keeps one of our users named in passing off the customer list, by full or first name', async () => {
    const notes = [
      'Call with Beatriz Lindqvist (Director of Operations) at Norrvik Freight.',
      'Farid Haddad joined to cover the integration questions.',
      'Farid will send the security questionnaire by Friday.',
    ].join('\n');
    const without = await people(notes);
    expect(without['Farid Haddad']).toBe('customer');
    const found = await people(notes, { sellerPeople: ['Farid Haddad'] });
    expect(found['Farid Haddad']).toBe('seller');
    expect(found['Beatriz Lindqvist']).toBe('customer');
  });

  it("reads a signature's address: a rep's signature under forwarded mail is ours", async () => {
    const raw = [
      'From: Noor Whitaker <noor.whitaker@tallyforge.com>',
      'To: Deal Desk <deals@tallyforge.com>',
      'Date: Tue, 10 Mar 2026 09:12:00 +0000',
      'Subject: Fwd: pricing questions',
      '',
      'Looping in the deal desk on the questions below.',
      '',
      'Thanks,',
      'Noor Whitaker',
      'Account Executive',
      'noor.whitaker@tallyforge.com',
      '',
      'Odette Lambrecht asked whether the annual plan covers all 40 depots.',
    ].join('\n');
    const found = await people(raw, { sellerEmailDomains: ['tallyforge.com'] });
    expect(found['Noor Whitaker']).toBe('seller');
    expect(
      Object.entries(found)
        .filter(([, side]) => side === 'customer')
        .map(([n]) => n),
    ).not.toContain('Noor Whitaker');
  });
});

describe('people told apart from products', () => {
  it.each([
    ["Dispatch lives in Plotwise all day. Plotwise's routing engine struggles with our rural stops."],
    ['Our drivers log everything in the Fleetmatic app. Fleetmatic support takes days to answer.'],
    ['We pay for forty Zentrak licences and Zentrak renewal is due in June.'],
  ])('"%s" names no person', async (text) => {
    const found = await people(`Notes from the call with Hana Kovacs (VP Operations).\n${text}`);
    expect(Object.keys(found)).toEqual(['Hana Kovacs']);
  });

  it('keeps a person whose name is followed by their own things', async () => {
    const found = await people(
      'Notes: Marguerite Osei (Head of Finance) joined. Marguerite approves budgets over 20k.',
    );
    expect(found).toEqual({ 'Marguerite Osei': 'customer' });
  });
});
