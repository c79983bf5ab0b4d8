import { describe, expect, it } from 'vitest';
import { extractCompetitors } from '../../../../src/domain/extraction/embedded/competitors.js';
import type { CompetitorCatalog } from '../../../../src/domain/extraction/competitor-catalog.js';
import type { OrgRules } from '../../../../src/domain/org-rules.js';
import { expectQuoted, extract, rules, sentencesOf } from './embedded-support.js';

/**
 * Where each competitor stands (incumbent / evaluating / lost to / mentioned), the catalog's casing,
 * and the vendors a customer only uses alongside us. The catalog here is made up for the test, as
 * sales ops would write one in Competitor__mdt.
 */
const CATALOG: CompetitorCatalog = {
  entries: [
    { name: 'qLedger', aliases: ['QL Cloud'], matchCase: true },
    { name: 'Beacon', aliases: [], matchCase: true },
    { name: 'Strata Books', aliases: ['Strata'], matchCase: false },
  ],
};

function standing(raw: string, catalog = CATALOG, excluded: string[] = []) {
  const { conversation, sentences } = sentencesOf(raw);
  const found = extractCompetitors({ sentences, catalog, excluded: new Set(excluded) });
  for (const c of found) expectQuoted(conversation, c.evidence);
  return Object.fromEntries(found.map((c) => [c.name, c.context]));
}

describe('the standing of each vendor', () => {
  it.each([
    ["Honestly we're on Vantora today and it mostly works.", 'Vantora', 'incumbent'],
    ['Our contract with Pelloris renews at the end of September.', 'Pelloris', 'incumbent'],
    ['The finance team is also looking at Kestrel Pay before they commit.', 'Kestrel Pay', 'evaluating'],
    ['Last spring the board went with Hollowell instead of us.', 'Hollowell', 'lost to'],
    ['We lost the northern region to Sorrento Labs.', 'Sorrento Labs', 'lost to'],
    ['Someone on the call brought up Strata in passing.', 'Strata Books', 'mentioned'],
    ['They switched over to Quantivo after the merger and kept it.', 'Quantivo', 'incumbent'],
    ['Last quarter we moved everyone to Halyard Desk.', 'Halyard Desk', 'incumbent'],
  ])('"%s" → %s (%s)', (text, name, context) => {
    expect(standing(text)).toMatchObject({ [name]: context });
  });
});

describe('names written the way their makers write them', () => {
  it('keeps a mixed-case name whole, catalogued or not', () => {
    expect(standing("We're on qLedger today for the loan book.")).toEqual({ qLedger: 'incumbent' });
    expect(standing('We are also evaluating eCollato this quarter.')).toEqual({ eCollato: 'evaluating' });
  });

  it('matches a cased catalog name only as written', () => {
    expect(standing('Beacon sent us a proposal on Monday.')).toEqual({ Beacon: 'evaluating' });
    expect(standing('The lighthouse beacon was a nice touch in their deck.')).toEqual({});
    expect(standing('Qledger came up once.')).toEqual({});
  });

  it('still matches an uncased catalog name in any case', () => {
    expect(standing('strata books got mentioned by their controller.')).toEqual({
      'Strata Books': 'mentioned',
    });
  });
});

describe('vendors used alongside us', () => {
  it.each([
    "We're on Nimbrix for hosting and that won't change.",
    'Single sign-on goes through Keyvault ID for every tool we buy.',
    'Everything we run is hosted on Cirrocloud today.',
  ])('"%s" names no competitor', (text) => {
    expect(standing(text)).toEqual({});
  });

  it("skips the vendors in the org's Non_Competitors__c list, and keeps real rivals", async () => {
    const base: OrgRules = await rules();
    expect(base.nonCompetitors.length).toBeGreaterThan(0);
    const vendor = base.nonCompetitors[0]!;
    const { insights } = await extract(
      `We're on ${vendor} today, and we are also evaluating Marrowline for the forecasting piece.`,
    );
    const names = insights.competitors.map((c) => c.name);
    expect(names).not.toContain(vendor);
    expect(names).toContain('Marrowline');
    expect(insights.stakeholders.map((s) => s.name)).not.toContain(vendor);
  });
});
