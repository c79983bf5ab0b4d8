import { beforeAll, describe, expect, it } from 'vitest';
import { extractCompetitors } from '../../../../src/domain/extraction/embedded/competitors.js';
import type { CompetitorCatalog } from '../../../../src/domain/extraction/competitor-catalog.js';
import { expectQuoted, rules, sentencesOf } from './embedded-support.js';

let catalog: CompetitorCatalog;
beforeAll(async () => {
  // The Competitor__mdt records in force-app: Clari (alias Wingman), Gong, Outreach, Salesloft, ...
  catalog = (await rules()).competitors;
});

/** Competitors named in the text, as a rep would read them: name → why it is there. */
function competitorsIn(raw: string, excluded: string[] = []) {
  const { conversation, sentences } = sentencesOf(raw);
  const found = extractCompetitors({ sentences, catalog, excluded: new Set(excluded) });
  for (const c of found) {
    expectQuoted(conversation, c.evidence);
    const named = c.name === 'Clari' && /Wingman/.test(raw) ? 'Wingman' : c.name;
    expect(c.evidence.quote.toLowerCase()).toContain(named.toLowerCase());
  }
  return Object.fromEntries(found.map((c) => [c.name, c.context]));
}

describe('extractCompetitors', () => {
  describe('vendors in the running', () => {
    it.each([
      ["We're also evaluating HubSpot.", 'HubSpot', 'evaluating'],
      ['We had a demo from Mindtickle last week.', 'Mindtickle', 'evaluating'],
      ['We are looking at Clari too.', 'Clari', 'evaluating'],
      ['Gong is the frontrunner right now.', 'Gong', 'evaluating'],
      ['Highspot is still in the running.', 'Highspot', 'evaluating'],
      ["We're trialing Chorus.ai this month.", 'Chorus', 'evaluating'],
      ['We shortlisted Gong and Outreach.', 'Gong', 'evaluating'],
    ])('"%s" → %s (%s)', (text, name, context) => {
      expect(competitorsIn(text)).toMatchObject({ [name]: context });
    });
  });

  // Bug: a capitalized word before the vendor ("Honestly Gong") swallows the name, so Gong is only "mentioned".
  it('sees the frontrunner after a sentence opener', () => {
    expect(competitorsIn('Honestly Gong is the frontrunner right now.')).toEqual({ Gong: 'evaluating' });
  });

  describe('vendors compared with us', () => {
    it.each([
      ["Honestly it's you or Outreach at this point.", 'Outreach'],
      ["We're comparing you with Salesloft.", 'Salesloft'],
      ['It comes down to you versus Seismic.', 'Seismic'],
      ["It's between you and Clari.", 'Clari'],
    ])('"%s" → %s', (text, name) => {
      expect(competitorsIn(text)).toEqual({ [name]: 'compared' });
    });
  });

  describe('the incumbent', () => {
    it.each([
      ["We're on Zendesk today.", 'Zendesk'],
      ["We've been using Pipedrive for three years.", 'Pipedrive'],
      ["We're outgrowing Pipedrive.", 'Pipedrive'],
      ["We're moving off Freshdesk this summer.", 'Freshdesk'],
      ['We need to replace Xactly before renewal.', 'Xactly'],
      ['Our incumbent is Zendesk.', 'Zendesk'],
      ['Zendesk is our current vendor.', 'Zendesk'],
      ['The Salesloft renewal is in June.', 'Salesloft'],
    ])('"%s" → %s', (text, name) => {
      expect(Object.keys(competitorsIn(text))).toEqual([name]);
      expect(competitorsIn(text)[name]).toMatch(/^incumbent/);
    });

    it('files a catalog alias under the competitor it belongs to', () => {
      expect(competitorsIn('We use Wingman for call coaching today.')).toEqual({ Clari: 'incumbent' });
    });
  });

  describe('the vendor the customer chose', () => {
    it.each([
      ['In the end they went with Clari.', 'Clari'],
      ['We landed on Chorus for now.', 'Chorus'],
      ['They picked Highspot over us.', 'Highspot'],
      ['Clari won the deal.', 'Clari'],
    ])('"%s" → %s', (text, name) => {
      expect(competitorsIn(text)).toEqual({ [name]: 'lost to' });
    });

    it('keeps a vendor not chosen yet in the running', () => {
      expect(competitorsIn("We haven't chosen Workday yet.")).toEqual({ Workday: 'evaluating' });
    });
  });

  describe("a rival's quote", () => {
    it.each([
      ['Outreach quoted us $60k for the same seats.', 'Outreach'],
      ['Seismic came in cheaper by about ten percent.', 'Seismic'],
      ['We have pricing from Highspot already.', 'Highspot'],
    ])('"%s" → %s', (text, name) => {
      expect(competitorsIn(text)).toEqual({ [name]: 'quoting against us' });
    });
  });

  it('reads a notes line listing the competition', () => {
    expect(Object.keys(competitorsIn('comp: clari, gong'))).toEqual(['Clari', 'Gong']);
  });

  it('reads a list of vendors after one cue', () => {
    expect(Object.keys(competitorsIn("We're evaluating Highspot, Seismic and Showpad.")).sort()).toEqual([
      'Highspot',
      'Seismic',
      'Showpad',
    ]);
  });

  it('names a vendor once, with the sentence it was first placed in', () => {
    const raw = "We're evaluating Clari. Clari quoted us 80k.";
    const { conversation, sentences } = sentencesOf(raw);
    const found = extractCompetitors({ sentences, catalog, excluded: new Set() });
    expect(found).toHaveLength(1);
    expectQuoted(conversation, found[0]!.evidence);
    expect(found[0]!.evidence.quote).toBe("We're evaluating Clari.");
  });

  describe('vendors that are not competing', () => {
    it.each([
      ['It has to integrate with Salesforce and Slack.', 'integrations'],
      ["We're keeping Gong for call recording; this would sit alongside it.", 'a tool kept alongside'],
      ['My brother-in-law works at Outreach, funny enough.', 'a family member at a vendor'],
      ['We never looked at Clari.', 'a negated look'],
      ["We're not considering HubSpot.", 'a negated look'],
      ["We looked at Clari in 2023 but didn't buy.", 'a past, abandoned look'],
      ["We're evaluating you and one other vendor.", 'no vendor named'],
      ['Our data lives in Snowflake and Salesforce.', 'systems of record'],
      ['My wife works at Salesforce.', 'a family member at a vendor'],
      ["We don't use Gong anymore.", 'a tool no longer used'],
    ])('"%s" (%s)', (text) => {
      expect(competitorsIn(text)).toEqual({});
    });

    // Bug: "we use Gong" reads as an incumbent even when the same sentence says it stays alongside us.
    it('does not take a tool the customer keeps alongside us for an incumbent', () => {
      expect(
        competitorsIn("We use Gong for call recording and we're keeping it alongside your tool."),
      ).toEqual({});
    });

    // Bug: a negated choice is turned into "still evaluating", so a vendor ruled out is listed.
    it('does not list a vendor the customer would never choose', () => {
      expect(competitorsIn("We'd never go with HubSpot.")).toEqual({});
    });

    it('does not take a person for a vendor', () => {
      expect(competitorsIn("We're talking to Dana about it.", ['dana'])).toEqual({});
    });
  });

  describe('the ways buyers name the vendor they are on', () => {
    it.each([
      ["Klaviyo is what we're on today, and it has gotten expensive.", 'Klaviyo'],
      ['Our Zuora contract renews in June.', 'Zuora'],
      ['Chargebee renews in March, so timing matters.', 'Chargebee'],
      ['We run everything out of ServiceTitan right now.', 'ServiceTitan'],
      ['Our current vendor, Paychex, raised prices again.', 'Paychex'],
      ['Paylocity has been our provider since 2019.', 'Paylocity'],
      ["We've used Gusto for years and it no longer scales.", 'Gusto'],
      ["We've had Samsara for three years.", 'Samsara'],
      ["We'd be replacing our Kisi setup.", 'Kisi'],
    ])('"%s" → %s', (text, name) => {
      expect(Object.keys(competitorsIn(text))).toEqual([name]);
      expect(competitorsIn(text)[name]).toMatch(/^incumbent/);
    });

    it('reads a well-known product typed in lower case, with a possessive, as the one outgrown', () => {
      expect(
        competitorsIn("Right now it's spreadsheets plus hubspot's free tier, which we've outgrown."),
      ).toEqual({
        hubspot: 'incumbent being replaced',
      });
    });

    it('does not take an everyday word that is also a product for a vendor', () => {
      expect(competitorsIn('We are on teams today and it works fine.')).toEqual({});
    });

    it('reads every vendor on a bill the customer pays, not just the first', () => {
      expect(
        Object.keys(
          competitorsIn('Today we pay Datadog roughly €700k per year and New Relic another €250k.'),
        ).sort(),
      ).toEqual(['Datadog', 'New Relic']);
    });
  });

  describe('the ways buyers name the vendors they weigh', () => {
    it.each([
      ["We've narrowed it down to you and Iterable.", 'Iterable', 'compared'],
      ['When I Work was on our list too.', 'When I Work', 'evaluating'],
      ["Juro's account manager called Mark twice last week.", 'Juro', 'evaluating'],
      ['BoostUp was too expensive for a team our size.', 'BoostUp', 'evaluating'],
      ["We're also looking at nCino.", 'nCino', 'evaluating'],
      ['We started a free trial of Pipedrive on Monday.', 'Pipedrive', 'evaluating'],
      ['Copper charges $40 per seat for the same thing.', 'Copper', 'quoting against us'],
      ['In the end they decided to go with Pipedrive.', 'Pipedrive', 'lost to'],
    ])('"%s" → %s (%s)', (text, name, context) => {
      expect(competitorsIn(text)).toEqual({ [name]: context });
    });

    it('reads a list of vendors named before the cue', () => {
      expect(competitorsIn('Verkada and Rhombus are both in the running.')).toEqual({
        Verkada: 'evaluating',
        Rhombus: 'evaluating',
      });
    });

    it('reads the other vendor in the mix', () => {
      expect(competitorsIn('The other vendor in the mix is Rhombus.')).toEqual({ Rhombus: 'alternative' });
    });

    it('reads a shortlist that leaves us out', () => {
      expect(Object.keys(competitorsIn("We've narrowed it down to Pipedrive and Copper.")).sort()).toEqual([
        'Copper',
        'Pipedrive',
      ]);
    });
  });

  describe('how buyers name rivals in the wild (issue 15)', () => {
    it.each([
      ['Verkada demoed last week and the cameras looked sharp.', 'Verkada', 'evaluating'],
      ['Rhombus came in on Tuesday to demo.', 'Rhombus', 'evaluating'],
      ['Lytx also in the mix per the fleet manager', 'Lytx', 'evaluating'],
      ["Coupa is the other one we're evaluating.", 'Coupa', 'evaluating'],
      ["We're running a pilot with Motive in two depots.", 'Motive', 'evaluating'],
      ['Brex gave us a better price.', 'Brex', 'quoting against us'],
      ["Navan's been aggressive on price.", 'Navan', 'quoting against us'],
      ['That is cheaper than Paycor.', 'Paycor', 'compared'],
      ['Unlike Deel, you have a local payroll team.', 'Deel', 'compared'],
      ['Dispatch and invoicing on Jobber since 2018, renewal is in June.', 'Jobber', 'incumbent'],
      ["We've been a Fleetio customer since 2017.", 'Fleetio', 'incumbent'],
      ["We're locked into Zuora until March.", 'Zuora', 'incumbent'],
      ['Our incumbent provider, Paychex, raised prices again.', 'Paychex', 'incumbent'],
      ["We're leaving Freshdesk when the contract ends.", 'Freshdesk', 'incumbent being replaced'],
      ['We opted for Dayforce in the end.', 'Dayforce', 'lost to'],
      ['The contract went to Paycom.', 'Paycom', 'lost to'],
      ['Workiva was selected by the committee.', 'Workiva', 'lost to'],
      ["ZoomInfo's renewal is in March.", 'ZoomInfo', 'incumbent'],
      ["We're a Verkada customer today.", 'Verkada', 'incumbent'],
      ['A rep from Motive called our fleet manager twice.', 'Motive', 'evaluating'],
      ['Routific handles our routing today.', 'Routific', 'incumbent'],
      ["We're in year two of our deal with Samsara.", 'Samsara', 'incumbent'],
    ])('"%s" → %s (%s)', (text, name, context) => {
      expect(competitorsIn(text)).toEqual({ [name]: context });
    });

    it('reads a shortlist that names us first', () => {
      expect(competitorsIn('Our shortlist is you, Kandji and Jamf.')).toEqual({
        Kandji: 'evaluating',
        Jamf: 'evaluating',
      });
      expect(competitorsIn('The finalists are you and Gusto.')).toEqual({ Gusto: 'alternative' });
    });

    it('reads both vendors of a pair and of a list of quotes', () => {
      expect(
        Object.keys(competitorsIn('Motive or Lytx would both work, but you are cheaper.')).sort(),
      ).toEqual(['Lytx', 'Motive']);
      expect(
        Object.keys(competitorsIn('We got a quote from Verizon Connect and one from Azuga.')).sort(),
      ).toEqual(['Azuga', 'Verizon Connect']);
    });

    it('reads vendors compared side by side, but not one name compared with something else', () => {
      expect(competitorsIn('We compared Paycor and Paylocity last quarter.')).toEqual({
        Paycor: 'compared',
        Paylocity: 'compared',
      });
      expect(competitorsIn("We're comparing you, Gorgias and Kustomer.")).toEqual({
        Gorgias: 'compared',
        Kustomer: 'compared',
      });
      expect(competitorsIn("We're comparing Snowflake reports with spreadsheets.")).toEqual({});
      expect(competitorsIn("We're weighing Option A and Option B internally.")).toEqual({});
    });

    it('reads notes keyed by standing', () => {
      expect(competitorsIn('Incumbent: Kronos (renews 3/27)')).toEqual({ Kronos: 'incumbent' });
      expect(competitorsIn('Also evaluating: Deputy, Homebase')).toEqual({
        Deputy: 'evaluating',
        Homebase: 'evaluating',
      });
    });

    it('keeps mixed-case and multi-word names whole', () => {
      expect(competitorsIn("We're on eMaint today.")).toEqual({ eMaint: 'incumbent' });
      expect(competitorsIn("We've been with Teletrac Navman since 2019.")).toEqual({
        'Teletrac Navman': 'incumbent',
      });
      expect(competitorsIn('Microsoft Defender came in cheaper.')).toEqual({
        'Microsoft Defender': 'quoting against us',
      });
    });

    it('takes a vendor chosen years ago for the one the customer is on, not for a loss', () => {
      expect(competitorsIn('We went with Deputy three years ago and it has been rough.')).toEqual({
        Deputy: 'incumbent',
      });
    });
  });

  describe('vendors the customer keeps, feeds, asks about or worked at', () => {
    it.each([
      [
        "Whatever we pick has to push fuel data into Sage Intacct, which we're keeping.",
        'data fed into a kept ERP',
      ],
      ['Our core is Jack Henry and that is not changing.', 'a core system not changing'],
      ['Everything has to write back into athenahealth.', 'a system written back into'],
      ['Whatever we buy sits on top of BigCommerce and Klaviyo.', 'platforms sat on top of'],
      ["We'd want it to talk to Epic.", 'a system the purchase talks to'],
      ["I'm Sam Okafor, Account Executive at Harborline.", 'our own rep introducing themselves'],
      ['Have you looked at Workiva at all? No, never.', "our rep's question, answered no"],
      ['Is Deel in the picture too? We never looked at them.', "our rep's question, answered no"],
      ['I spent six years at Wells Fargo before this.', 'a former employer'],
      ['Lena, our new CFO, joined from Stripe.', 'a former employer'],
      ['Ruth was at Kaiser Permanente when they rolled out the last tool.', 'a former employer'],
      ['We use Snowflake for analytics and Tableau for dashboards.', 'tools for other jobs'],
      ['Compared to Excel this is night and day.', 'a spreadsheet'],
      ["We've been using Salesloft for two years, and we'll keep it.", 'a tool kept, said after a comma'],
    ])('"%s" (%s)', (text) => {
      expect(competitorsIn(text)).toEqual({});
    });

    // Bug: a cue of alternatives matched its second half with no vendor before it, and extraction threw.
    it.each([
      "The tool that we've used for years is fine.",
      'We made the shortlist, apparently.',
      'The contract is due in March.',
    ])('reads "%s" without a vendor, and without failing', (text) => {
      expect(competitorsIn(text)).toEqual({});
    });

    it('keeps a vendor our rep asks about when the answer is yes', () => {
      const raw = [
        'Jordan Price: Is the Outreach pilot still running on your end?',
        'Alex Kim: It is, but nobody owns it now.',
      ].join('\n');
      expect(Object.keys(competitorsIn(raw))).toEqual(['Outreach']);
    });

    it('keeps the vendor replaced when another in the same sentence stays', () => {
      expect(competitorsIn("We're replacing Kronos but ADP stays.")).toEqual({
        Kronos: 'incumbent being replaced',
      });
      expect(competitorsIn("We're moving off Freshdesk this summer, and Shopify stays.")).toEqual({
        Freshdesk: 'incumbent being replaced',
      });
    });

    it('counts a business system the customer complains about, not one it is content with', () => {
      expect(competitorsIn('We use Gusto for payroll and it is fine.')).toEqual({});
      expect(competitorsIn('NetSuite runs our accounting right now, and it is fine.')).toEqual({});
      expect(competitorsIn("We use Gusto for payroll but we're frustrated with it.")).toEqual({
        Gusto: 'incumbent',
      });
    });
  });

  describe('names that look like vendors but are not competing', () => {
    it('does not take a person whose surname is a catalogued vendor for the vendor', () => {
      expect(
        competitorsIn('Wei Gong (Dir. IT) wants SSO before anything else.', ['wei gong', 'wei']),
      ).toEqual({});
      // The vendor itself, said by the same person, still counts.
      expect(competitorsIn('Wei said Gong is the frontrunner.', ['wei gong', 'wei'])).toEqual({
        Gong: 'evaluating',
      });
    });

    it.each([
      ["We're on NetSuite today and it stays.", 'a system kept'],
      ['Clari was ruled out early, they never took a demo.', 'a vendor ruled out'],
      ['The LIMS migration has been postponed.', 'a kind of system, not a vendor'],
      ["We're on Dropbox for files, and our claims sit in Guidewire.", 'infrastructure for other jobs'],
    ])('"%s" (%s)', (text) => {
      expect(competitorsIn(text)).toEqual({});
    });
  });
});
