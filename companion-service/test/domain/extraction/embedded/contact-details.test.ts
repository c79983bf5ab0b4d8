import { beforeAll, describe, expect, it } from 'vitest';
import type { OrgRules } from '../../../../src/domain/org-rules.js';
import type { ContactDetail } from '../../../../src/domain/insights/schema.js';
import { expectQuoted, extract, rules, transcript } from './embedded-support.js';

/**
 * Contact details as a rep would notice them: a number under a customer's signature lands on that
 * customer, our own people's never do, a title change is read with its quote, and a number that is
 * not one (a PO number, a support line) lands on nobody.
 */
let base: OrgRules;
beforeAll(async () => {
  base = await rules();
});

async function details(raw: string, overrides: Partial<OrgRules> = {}): Promise<ContactDetail[]> {
  const { conversation, insights } = await extract(raw, { rules: { ...base, ...overrides } });
  for (const d of insights.contactDetails ?? []) {
    expectQuoted(conversation, d.evidence);
    expect(d.evidence.quote).toContain(d.kind === 'title' ? d.value : d.value.slice(-4));
  }
  return insights.contactDetails ?? [];
}

const said = (found: ContactDetail[]) => found.map((d) => `${d.person} | ${d.kind} | ${d.value}`).sort();

const email = (body: string[], from = 'Ilse Brandvold <ilse.brandvold@fjordkraft-logistics.no>') =>
  [
    `From: ${from}`,
    'To: Theo Marsh <theo.marsh@quillcrest.com>',
    'Date: Wed, 11 Mar 2026 09:30:00 +0100',
    'Subject: Re: Rollout plan',
    '',
    ...body,
  ].join('\n');

describe('contact details from email signatures', () => {
  it("puts a signature's numbers and address on the person who signed, each by its label", async () => {
    const raw = email([
      'Hi Theo,',
      '',
      'The warehouse team is ready for the second workshop.',
      '',
      'Best regards,',
      'Ilse Brandvold',
      'Head of Warehouse Systems, Fjordkraft Logistics',
      'Tel: +47 22 55 01 23',
      'Mobile: +47 412 55 067',
      'ilse.brandvold@fjordkraft-logistics.no',
    ]);
    const found = await details(raw, { sellerEmailDomains: ['quillcrest.com'] });
    expect(said(found)).toEqual([
      'Ilse Brandvold | email | ilse.brandvold@fjordkraft-logistics.no',
      'Ilse Brandvold | mobile | +47 412 55 067',
      'Ilse Brandvold | phone | +47 22 55 01 23',
    ]);
    const phone = found.find((d) => d.kind === 'phone')!;
    expect(phone.evidence.quote).toBe('Tel: +47 22 55 01 23');
    expect(phone.extractor).toBe('embedded');
    expect(phone.confidence).toBeGreaterThan(0.8);
  });

  it("never takes our own rep's signature for a customer's details", async () => {
    const raw = email(
      [
        'Hi Ilse,',
        '',
        'Attached is the rollout plan we discussed.',
        '',
        'Best,',
        'Theo Marsh',
        'Account Executive, Quillcrest',
        'Direct: +1 415 555 0132',
        'theo.marsh@quillcrest.com',
      ],
      'Theo Marsh <theo.marsh@quillcrest.com>',
    );
    expect(await details(raw, { sellerEmailDomains: ['quillcrest.com'] })).toEqual([]);
  });
});

describe('contact details said in the conversation', () => {
  it('reads a title change, with the sentence that says it as its quote', async () => {
    const raw = transcript(
      ['Theo Marsh', 'Thanks for joining. Who else should be on the next call?'],
      [
        'Ilse Brandvold',
        'Our controller, Jonas Berg, should be. Jonas Berg is now VP of Finance, so he approves spend.',
      ],
      ['Theo Marsh', 'Great, I will invite him.'],
    );
    const found = await details(raw, { sellerPeople: ['Theo Marsh'] });
    const title = found.find((d) => d.kind === 'title');
    expect(title).toMatchObject({ person: 'Jonas Berg', value: 'VP of Finance' });
    expect(title!.evidence.quote).toBe('Jonas Berg is now VP of Finance, so he approves spend.');
  });

  it("gives the speaker's own number and role to the speaker, and a seller's to nobody", async () => {
    const raw = transcript(
      [
        'Ilse Brandvold',
        "I've moved into the Director of Logistics role. My cell is 917-555-0142 if the line drops.",
      ],
      ['Theo Marsh', "Congratulations. And I'm on 646-555-0175 if you need me."],
      ['Ilse Brandvold', 'Thanks, noted.'],
    );
    const found = await details(raw, { sellerPeople: ['Theo Marsh'] });
    expect(said(found)).toEqual([
      'Ilse Brandvold | mobile | 917-555-0142',
      'Ilse Brandvold | title | Director of Logistics',
    ]);
  });

  it('ties an address to the person it spells, and leaves a shared mailbox and a PO number alone', async () => {
    const notes = [
      'Call with Ilse Brandvold and Jonas Berg (Controller).',
      'Invoices go to ap@fjordkraft-logistics.no, PO number 4500 2210 8876.',
      'Jonas asked us to send the DPA to jonas.berg@fjordkraft-logistics.no.',
    ].join('\n');
    expect(said(await details(notes))).toEqual(['Jonas Berg | email | jonas.berg@fjordkraft-logistics.no']);
  });

  it('keeps a number no numbering plan allows out, whatever the words around it', async () => {
    const raw = transcript(
      ['Ilse Brandvold', 'My direct line is 555 1234 5678 9012 3456 7.'],
      ['Theo Marsh', 'Thanks.'],
      ['Ilse Brandvold', 'Talk soon.'],
    );
    expect(await details(raw, { sellerPeople: ['Theo Marsh'] })).toEqual([]);
  });
});
