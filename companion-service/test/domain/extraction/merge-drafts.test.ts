import { describe, expect, it } from 'vitest';
import { mergeDrafts } from '../../../src/domain/extraction/merge-drafts.js';
import { emptyDraft, type DraftInsights } from '../../../src/domain/extraction/draft.js';
import type { Evidence } from '../../../src/domain/insights/schema.js';

const ev = (quote: string): Evidence => ({ quote, start: 0, end: 0 });

function draft(parts: Partial<DraftInsights>): DraftInsights {
  return { ...emptyDraft(), ...parts };
}

describe('mergeDrafts', () => {
  it('returns an empty draft for no chunks and the draft itself for one', () => {
    expect(mergeDrafts([])).toEqual(emptyDraft());
    const only = draft({ summary: 'One. Two. Three. Four.' });
    expect(mergeDrafts([only])).toBe(only);
  });

  it('keeps each person once, with the richest title and role any chunk gave', () => {
    const merged = mergeDrafts([
      draft({
        stakeholders: [
          { name: 'Dana', title: null, role: 'user', affiliation: 'customer', evidence: ev('Dana here.') },
          {
            name: 'Sam Rivera',
            title: 'AE',
            role: null,
            affiliation: 'seller',
            evidence: ev('Sam from sales.'),
          },
        ],
      }),
      draft({
        stakeholders: [
          {
            name: 'Dana Whitfield',
            title: 'CFO',
            role: 'economic_buyer',
            affiliation: 'customer',
            evidence: ev('As the CFO I sign.'),
          },
          {
            name: 'sam rivera',
            title: 'Account Executive',
            role: null,
            affiliation: 'seller',
            evidence: ev('I run the account.'),
          },
        ],
      }),
    ]);
    expect(merged.stakeholders).toEqual([
      {
        name: 'Dana Whitfield',
        title: 'CFO',
        role: 'economic_buyer',
        affiliation: 'customer',
        evidence: ev('As the CFO I sign.'),
      },
      {
        name: 'Sam Rivera',
        title: 'Account Executive',
        role: null,
        affiliation: 'seller',
        evidence: ev('I run the account.'),
      },
    ]);
  });

  it('does not join a first name to a full name when two people share it', () => {
    const merged = mergeDrafts([
      draft({
        stakeholders: [
          { name: 'Alex', title: null, role: null, affiliation: 'customer', evidence: ev('Alex agreed.') },
        ],
      }),
      draft({
        stakeholders: [
          {
            name: 'Alex Kim',
            title: 'CTO',
            role: null,
            affiliation: 'customer',
            evidence: ev('Alex Kim, CTO.'),
          },
          {
            name: 'Alex Ruiz',
            title: 'COO',
            role: null,
            affiliation: 'customer',
            evidence: ev('Alex Ruiz, COO.'),
          },
        ],
      }),
    ]);
    expect(merged.stakeholders.map((s) => s.name)).toEqual(['Alex', 'Alex Kim', 'Alex Ruiz']);
  });

  it('keeps competitors once by name, the first mention winning', () => {
    const merged = mergeDrafts([
      draft({
        competitors: [{ name: 'Gong', context: 'Evaluating', evidence: ev('We are evaluating Gong.') }],
      }),
      draft({
        competitors: [
          { name: 'gong', context: 'Still evaluating', evidence: ev('Gong is still in.') },
          { name: 'Clari', context: 'Demo', evidence: ev('Clari gave a demo.') },
        ],
      }),
    ]);
    expect(merged.competitors.map((c) => [c.name, c.context])).toEqual([
      ['Gong', 'Evaluating'],
      ['Clari', 'Demo'],
    ]);
  });

  it('dedupes statements by text or by the quote an overlap read twice', () => {
    const merged = mergeDrafts([
      draft({
        objections: [{ text: 'Price is too high.', evidence: ev('That price is too high for us.') }],
        meddpicc: {
          ...emptyDraft().meddpicc,
          identifiedPain: [{ text: 'Manual CRM updates', evidence: ev('Reps update the CRM by hand.') }],
        },
      }),
      draft({
        objections: [
          { text: 'price is too high', evidence: ev('Too pricey.') },
          { text: 'The price is more than we expected', evidence: ev('That price is too high for us.') },
          { text: 'Security review is slow', evidence: ev('Security takes months.') },
        ],
        meddpicc: {
          ...emptyDraft().meddpicc,
          identifiedPain: [
            { text: 'Manual CRM updates', evidence: ev('Reps update the CRM by hand.') },
            { text: 'Forecasts are guesses', evidence: ev('Our forecast is a guess.') },
          ],
        },
      }),
    ]);
    expect(merged.objections.map((o) => o.text)).toEqual(['Price is too high.', 'Security review is slow']);
    expect(merged.meddpicc.identifiedPain.map((p) => p.text)).toEqual([
      'Manual CRM updates',
      'Forecasts are guesses',
    ]);
    expect(merged.meddpicc.metrics).toEqual([]);
  });

  it("fills a next step's owner and due date from a duplicate that knows them", () => {
    const merged = mergeDrafts([
      draft({
        nextSteps: [
          {
            text: 'Send the proposal',
            owner: null,
            dueDate: null,
            priority: 'medium',
            evidence: ev("I'll send the proposal."),
          },
        ],
      }),
      draft({
        nextSteps: [
          {
            text: 'Send the proposal',
            owner: 'Sam',
            dueDate: '2025-03-14',
            priority: 'medium',
            evidence: ev("I'll send the proposal."),
          },
        ],
      }),
    ]);
    expect(merged.nextSteps).toEqual([
      {
        text: 'Send the proposal',
        owner: 'Sam',
        dueDate: '2025-03-14',
        priority: 'medium',
        evidence: ev("I'll send the proposal."),
      },
    ]);
  });

  it('takes budget, timeline, seat count and the proposed stage from the latest chunk that has one', () => {
    const merged = mergeDrafts([
      draft({
        budget: { amount: 80_000, currency: 'USD', evidence: ev('We set aside $80k.') },
        timeline: { date: '2025-06-30', text: 'Go live by June', evidence: ev('Live by June.') },
        timelineIsDecision: false,
        seatCount: { count: 200, evidence: ev('200 reps.') },
        useCase: { text: 'Call notes into the CRM', evidence: ev('We want notes in the CRM.') },
        proposedStage: {
          to: 'Needs Analysis',
          reasons: ['Needs discussed'],
          evidence: [ev('We need notes.')],
        },
      }),
      draft({
        budget: { amount: 120_000, currency: 'USD', evidence: ev('Finance approved $120k.') },
        timeline: { date: '2025-04-30', text: 'Decide by April', evidence: ev('We decide by April.') },
        timelineIsDecision: true,
        useCase: { text: 'Forecasting', evidence: ev('Also forecasting.') },
      }),
      draft({ summary: 'Nothing new.' }),
    ]);
    expect(merged.budget?.amount).toBe(120_000);
    expect(merged.timeline?.date).toBe('2025-04-30');
    expect(merged.timelineIsDecision).toBe(true);
    expect(merged.seatCount?.count).toBe(200);
    expect(merged.useCase?.text).toBe('Call notes into the CRM');
    expect(merged.proposedStage?.to).toBe('Needs Analysis');
  });

  it('writes a two-to-three sentence summary from how the conversation opened and ended', () => {
    const merged = mergeDrafts([
      draft({ summary: 'Dana described manual CRM work. She wants less of it.' }),
      draft({ summary: 'The team reviewed security. It went fine.' }),
      draft({ summary: 'Pricing was discussed.' }),
      draft({ summary: 'Dana agreed to a pilot in April. Sam sends the order form.' }),
    ]);
    expect(merged.summary).toBe(
      'Dana described manual CRM work. Pricing was discussed. Dana agreed to a pilot in April.',
    );
    expect(mergeDrafts([draft({ summary: 'Intro call.' }), draft({ summary: '' })]).summary).toBe(
      'Intro call.',
    );
  });
});
