import { describe, expect, it } from 'vitest';
import { expectQuoted, extract, rules } from './embedded-support.js';

/**
 * Open detection: vendors no catalog lists, found by their shape and judged on the commercial
 * frames around every mention, with the weights sales ops keep in Scribe_Setting__mdt. The vendor
 * names are made up, so nothing here can pass by a list of names.
 */
async function competitorsOf(
  raw: string,
  weights?: Partial<Awaited<ReturnType<typeof rules>>['competitorEvidence']>,
) {
  const base = await rules();
  const { conversation, insights } = await extract(raw, {
    rules: weights ? { ...base, competitorEvidence: { ...base.competitorEvidence, ...weights } } : base,
  });
  for (const c of insights.competitors) expectQuoted(conversation, c.evidence);
  return Object.fromEntries(insights.competitors.map((c) => [c.name, c.context]));
}

describe('open detection of competitors', () => {
  it('takes the vendors an answer names from the question it answers', async () => {
    const found = await competitorsOf(
      [
        'Rita Vance: Who else are you evaluating for this?',
        'Owen Pratt: Trellisoft and Quarrydesk, mostly.',
        'Rita Vance: Thanks, that helps.',
      ].join('\n'),
    );
    expect(found).toMatchObject({ Trellisoft: 'evaluating', Quarrydesk: 'evaluating' });
  });

  it('finds a rival by its own quote and its own demo, in lower or mixed case', async () => {
    const found = await competitorsOf(
      [
        'Rita Vance: How did the other demos go?',
        "Owen Pratt: Honestly fine. Vendaro quoted us about $48k, and the demo from zipPlan's team was slick.",
      ].join('\n'),
    );
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['Vendaro', 'zipPlan']));
  });

  it('finds rivals named in a Chinese sentence, where no space sets the name apart', async () => {
    const found = await competitorsOf('王总：我们也在看Routelyx和Dispatchly，下周再定。');
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['Routelyx', 'Dispatchly']));
  });

  it('keeps what the purchase integrates with, a former employer and either party’s own company out', async () => {
    const found = await competitorsOf(
      [
        "Rita Vance: Hi Owen, I'm Rita from Corvexa.",
        'Owen Pratt: Great. Whatever we buy has to integrate with Ledgerline, that is not changing.',
        'Owen Pratt: I spent six years at Brantwell before this, so I know the space.',
        'Owen Pratt: Here at Holloway Foods we are comparing a few options.',
      ].join('\n'),
    );
    expect(Object.keys(found)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/Corvexa|Ledgerline|Brantwell|Holloway/)]),
    );
  });

  it('needs a second sign for a tool the customer only runs today, as sales ops weigh it', async () => {
    const onlyRuns = 'Owen Pratt: Fleetora handles dispatch at the moment.';
    expect(await competitorsOf(onlyRuns)).not.toHaveProperty('Fleetora');
    // Sales ops who count running a tool today as enough lower the threshold to one weak point.
    expect(await competitorsOf(onlyRuns, { threshold: 1 })).toMatchObject({ Fleetora: 'incumbent' });
  });

  it('reads a rival only our rep names as weaker evidence, by the seller mention share', async () => {
    const raw = [
      'Rita Vance: Thanks for joining, Owen.',
      'Owen Pratt: Happy to be here.',
      'Rita Vance: Teams your size usually weigh Plannova too, it is the cheaper alternative.',
    ].join('\n');
    const base = await rules();
    const ours = { sellerNames: ['Corvexa'], sellerPeople: ['Rita Vance'] };
    const seller = await extract(raw, { rules: { ...base, ...ours } });
    expect(seller.insights.competitors.map((c) => c.name)).not.toContain('Plannova');
    const counted = await extract(raw, {
      rules: {
        ...base,
        ...ours,
        competitorEvidence: { ...base.competitorEvidence, sellerMentionShare: 1 },
      },
    });
    expect(counted.insights.competitors.map((c) => c.name)).toContain('Plannova');
  });
});
