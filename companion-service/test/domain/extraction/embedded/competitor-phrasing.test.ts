import { describe, expect, it } from 'vitest';
import { cleanVendor } from '../../../../src/domain/extraction/embedded/competitor-names.js';
import { expectQuoted, extract, transcript } from './embedded-support.js';

/**
 * Competitors as buyers phrase them, by class of phrasing rather than by case: names that open
 * with digits or a long lower-case run, the field of an evaluation listed after a colon, the
 * standing said before the vendor, a vendor "had in" to pitch, notes keyed by the present, and the
 * seller's own comparisons. Every vendor name here is made up, so nothing passes by a list of names.
 */
async function competitorsOf(raw: string) {
  const { conversation, insights } = await extract(raw);
  for (const c of insights.competitors) expectQuoted(conversation, c.evidence);
  return Object.fromEntries(insights.competitors.map((c) => [c.name, c.context]));
}

/** A Gong call where `seller` is on our side (Internal) and `buyer` on the customer's. */
function gongCall(...turns: ['seller' | 'buyer', string][]): string {
  const parties = [
    { id: '1', name: 'Rhea Solano', speakerId: 's1', affiliation: 'Internal' },
    { id: '2', name: 'Tomas Vey', speakerId: 'b1', affiliation: 'External' },
  ];
  let at = 0;
  const transcript = turns.map(([who, text]) => ({
    speakerId: who === 'seller' ? 's1' : 'b1',
    topic: null,
    sentences: [{ start: (at += 5000), end: at + 4000, text }],
  }));
  return JSON.stringify({
    metaData: { id: '1', started: '2026-03-11T15:00:00Z', title: 'Discovery' },
    parties,
    callTranscripts: [{ callId: '1', transcript }],
  });
}

describe('names a tokenizer of capitalised words would cut or miss', () => {
  it.each([
    ["We're currently on 4Ledger Business, sixty seats.", '4Ledger'],
    ["We're also evaluating 720Learn for the compliance courses.", '720Learn'],
    ["We're on 6x6 today and the renewal is in June.", '6x6'],
    ['Our contract with quillOS renews in April.', 'quillOS'],
  ])('"%s" → %s', async (text, name) => {
    expect(Object.keys(await competitorsOf(text))).toContain(name);
  });

  it('keeps a proper name whose last word is a common one', async () => {
    expect(await competitorsOf('Marlin Service Management is on the shortlist with us.')).toEqual({
      'Marlin Service Management': 'evaluating',
    });
  });

  it('does not take a count, an ordinal or a multiplier for a name', async () => {
    expect(
      await competitorsOf("We're comparing 3x the volume against the 2nd quarter, about 60k tickets today."),
    ).toEqual({});
  });
});

describe('the field of an evaluation', () => {
  it.each([
    ['The RFP went to three vendors: you, Zenlo and Plantera.', ['Zenlo', 'Plantera']],
    ["We're running a bake-off in May: you, Zenlo and Plantera, two weeks each.", ['Zenlo', 'Plantera']],
    ["It's a three-horse race: you, Zenlo and Plantera.", ['Zenlo', 'Plantera']],
    ['La licitación se envió a tres proveedores: ustedes, Zenlo y Plantera.', ['Zenlo', 'Plantera']],
    ['Procurement invited Zenlo and Plantera to respond too.', ['Zenlo', 'Plantera']],
  ])('"%s" → %j', async (text, names) => {
    expect(await competitorsOf(text)).toEqual(Object.fromEntries(names.map((n) => [n, 'evaluating'])));
  });

  it.each([
    ["The other one we're looking at is Zenlo.", 'Zenlo'],
    ['We also had Zenlo in. Their number was lower.', 'Zenlo'],
    ['They had Zenlo in for a demo, too heavy for them.', 'Zenlo'],
    ["Zenlo's team came in last week to present.", 'Zenlo'],
    ['Zenlo and Plantera both pitched us last month.', 'Zenlo'],
    ["We're seeing Zenlo next week for a demo.", 'Zenlo'],
    ['We put Zenlo through a two-week trial.', 'Zenlo'],
    ["We're weighing you against Zenlo.", 'Zenlo'],
    ['Zenlo is also bidding.', 'Zenlo'],
  ])('"%s" → %s', async (text, name) => {
    expect(Object.keys(await competitorsOf(text))).toContain(name);
  });
});

describe('the incumbent', () => {
  it.each([
    ['Hexwise is what finance uses today.', 'Hexwise'],
    ['Hexwise is what our recruiters live in today.', 'Hexwise'],
    ['Hexwise is what the platform team pays for today.', 'Hexwise'],
    ['Today we run Hexwise across all sites.', 'Hexwise'],
    ["We switched to Hexwise two years ago and we're not happy with it.", 'Hexwise'],
    ['The team is sick of Hexwise.', 'Hexwise'],
    ['Hexwise has had the contract since 2018.', 'Hexwise'],
    ['- today: ~300 workflows on Hexwise, cost went up this year', 'Hexwise'],
    ['- sourcing today = Hexwise; she is lukewarm', 'Hexwise'],
  ])('"%s" → %s (incumbent)', async (text, name) => {
    const found = await competitorsOf(text);
    expect(found[name]).toMatch(/^incumbent/);
  });
});

describe('not competing for the deal', () => {
  it.each([
    "We're on Hexwise for the ledger and that's not moving.",
    'Our competitors Zenlo and Plantera just raised prices.',
    "We looked at Zenlo back in 2021 but didn't buy.",
    "Zenlo reached out but we're not taking a meeting with them.",
    'Most of our revenue comes from Zenlo and Plantera, our two biggest accounts.',
  ])('"%s" names no competitor', async (text) => {
    expect(await competitorsOf(text)).toEqual({});
  });

  it('leaves out a vendor only our rep sets us against, and keeps one the customer weighs', async () => {
    const pitchOnly = await competitorsOf(
      gongCall(
        ['seller', 'Compared to Zenlo, our pricing is simpler.'],
        ['buyer', 'Good to know. We need the ledger export first.'],
      ),
    );
    expect(pitchOnly).toEqual({});
    const weighed = await competitorsOf(
      gongCall(
        ['buyer', 'Zenlo is the other option on the table for us.'],
        ['seller', 'Compared to Zenlo, our pricing is simpler.'],
      ),
    );
    expect(Object.keys(weighed)).toEqual(['Zenlo']);
  });

  it("counts our rep playing back what the customer said as the customer's word", async () => {
    const found = await competitorsOf(
      gongCall(
        ['seller', "Last time you said Hexwise's renewal quote went up forty percent."],
        ['buyer', 'It did, and finance noticed.'],
      ),
    );
    expect(Object.keys(found)).toEqual(['Hexwise']);
  });
});

/** A short call where the customer says `lines`, one sentence after another, between our rep's turns. */
function callWith(...lines: string[]): string {
  return transcript(
    ['Alex Ames', 'Thanks for the time today.'],
    ['Dana Cole', 'Sure, happy to.'],
    ['Alex Ames', 'Where do things stand?'],
    ['Dana Cole', lines.join(' ')],
    ['Alex Ames', 'Thanks, that helps.'],
  );
}

describe('a vendor spoken of through a pronoun in the next sentence', () => {
  it.each([
    ['We use Hexwise. It is clunky and the renewal is in June.', 'incumbent'],
    [
      'Scheduling lives in Hexwise. Their contract ends in January and nobody wants to renew it.',
      'incumbent',
    ],
    ["We have Hexwise for dispatch. Honestly we'd love to get rid of it.", 'incumbent being replaced'],
  ])('"%s" → Hexwise (%s), quoted where it is named', async (said, standing) => {
    const { insights } = await extract(callWith(said));
    const hexwise = insights.competitors.find((c) => c.name === 'Hexwise');
    expect(hexwise?.context).toBe(standing);
    expect(hexwise?.evidence.quote).toContain('Hexwise');
  });

  it.each([
    "Okta is our identity provider. We'd never replace it.",
    'Our biggest client is Zenlo. They raised prices last year.',
    'Brian Zenlo runs procurement. He wants to get rid of it.',
    "Our finance team lives in Hexwise. It's not going anywhere.",
  ])('"%s" names no competitor', async (said) => {
    expect(await competitorsOf(callWith(said))).toEqual({});
  });
});

describe('prices, contracts and rounds said every way', () => {
  it.each([
    ["Zenlo's number was lower.", 'Zenlo'],
    ['Zenlo came back at 52 thousand.', 'Zenlo'],
    ['We got pricing back from Zenlo yesterday.', 'Zenlo'],
    ['The cheapest so far is the one from Zenlo.', 'Zenlo'],
    ["We're leaning Zenlo right now, to be honest.", 'Zenlo'],
    ['Zenlo made it to the final round.', 'Zenlo'],
    ["We've got Hexwise on a three-year deal that ends in March.", 'Hexwise'],
    ['We inherited Hexwise from the previous CIO.', 'Hexwise'],
    ['Hexwise has been in place since 2016.', 'Hexwise'],
  ])('"%s" → %s', async (said, name) => {
    expect(Object.keys(await competitorsOf(callWith(said)))).toContain(name);
  });

  it.each([
    "We're an Acme shop, their suite runs everything.",
    "We're evaluating tools for the Denver office.",
    'Chicago is the cheapest office so far.',
    "At one point I looked at Craig's paper and knew what he was thinking.",
  ])('"%s" names no competitor', async (said) => {
    expect(await competitorsOf(callWith(said))).toEqual({});
  });
});

describe('what a vendor name is once the words swept up with it are gone', () => {
  it('never opens a name with the pronoun I, stammered or not ("I I think")', () => {
    expect(cleanVendor('I I', new Set())).toBeNull();
    expect(cleanVendor('I Think', new Set())).toBeNull();
    expect(cleanVendor('Intacct', new Set())).toBe('Intacct');
  });

  it('keeps a name that opens with digits, not a count', () => {
    expect(cleanVendor('1Password', new Set())).toBe('1Password');
    expect(cleanVendor('8x8', new Set())).toBe('8x8');
    expect(cleanVendor('3rd', new Set())).toBeNull();
  });
});

describe('Spanish phrasing, and Spanish words that open a sentence', () => {
  it.each([
    ['Actualmente usamos Hexwise y el contrato vence en junio.', ['Hexwise']],
    ['Estamos evaluando Zenlo y Plantera.', ['Zenlo', 'Plantera']],
    ['Queremos dejar Hexwise antes de fin de año.', ['Hexwise']],
    ['La otra opción es Zenlo.', ['Zenlo']],
    ['Zenlo nos pasó una cotización más baja.', ['Zenlo']],
    ['Llevamos cinco años con Hexwise.', ['Hexwise']],
    ['Hexwise es lo que usa finanzas hoy.', ['Hexwise']],
  ])('"%s" → %j, and no opening word', async (said, names) => {
    expect(Object.keys(await competitorsOf(callWith(said))).sort()).toEqual([...names].sort());
  });

  it('keeps payroll the customer stays with out', async () => {
    expect(await competitorsOf(callWith('Trabajamos con Hexwise para la nómina y eso no cambia.'))).toEqual(
      {},
    );
  });
});

describe('more of how buyers say a rival is in play', () => {
  it.each([
    ["We're also kicking the tires on Zenlo.", 'Zenlo'],
    ['Zenlo is on the table too.', 'Zenlo'],
    ["Zenlo's been pushing hard on price.", 'Zenlo'],
    ['Zenlo gave us a really aggressive number.', 'Zenlo'],
    ['Zenlo wants to do a pilot with us.', 'Zenlo'],
  ])('"%s" → %s', async (said, name) => {
    expect(Object.keys(await competitorsOf(callWith(said)))).toContain(name);
  });
});

describe('what a team works in is its stack until something else is said of it', () => {
  it.each([
    "NetSuite is what finance uses, and we'd want your tool to post into it.",
    'Hexwise is what the warehouse team lives in all day.',
    "Workday is what HR uses today and that's not changing.",
    'Our ERP is Hexwise. Its price went up, but the board likes it.',
  ])('"%s" names no competitor', async (said) => {
    expect(await competitorsOf(callWith(said))).toEqual({});
  });

  it('takes it for the incumbent when its contract is said to run out in the same sentence', async () => {
    const found = await competitorsOf(
      callWith('Hexwise is what our recruiters live in, and our contract with them renews in March.'),
    );
    expect(found).toEqual({ Hexwise: 'incumbent' });
  });
});
