import { describe, expect, it } from 'vitest';
import { formatNotes } from '../../../src/domain/notes/format-notes.js';
import { insights as baseInsights } from '../writeback/fixtures.js';
import { emptyMeddpicc } from '../../../src/domain/extraction/draft.js';
import type { Evidence, Insights } from '../../../src/domain/insights/schema.js';

const ev = (quote: string): Evidence => ({ quote, start: 0, end: quote.length });

/** The write-back's insights fixture, as an email. */
const insights = (overrides: Partial<Insights> = {}): Insights =>
  baseInsights({
    summary: 'Email "Re: proposal" with Sofia Martins.',
    source: {
      format: 'email',
      meetingDate: '2026-03-12',
      characters: 100,
      extractor: 'embedded',
      extractorVersion: '1',
    },
    ...overrides,
  });

describe('formatNotes', () => {
  it('prints only the summary when nothing else was found', () => {
    expect(formatNotes(insights())).toBe('SUMMARY\nEmail "Re: proposal" with Sofia Martins.\n');
  });

  it('prints the sections a rep pastes into Salesforce', () => {
    const notes = formatNotes(
      insights({
        nextSteps: [
          {
            text: 'Send the security questionnaire',
            owner: 'Roger Lane',
            dueDate: '2026-03-17',
            priority: 'medium',
            evidence: ev('send it'),
          },
          {
            text: 'Legal sends redlines',
            owner: null,
            dueDate: null,
            priority: 'medium',
            evidence: ev('redlines'),
          },
        ],
        decisions: [{ text: 'Go ahead with a pilot', evidence: ev('pilot') }],
        objections: [{ text: 'Price is above budget', evidence: ev('above budget') }],
        stakeholders: [
          {
            name: 'Sofia Martins',
            title: 'Head of Sales Enablement',
            role: 'champion',
            affiliation: 'customer',
            evidence: ev('Sofia'),
          },
          {
            name: 'Ben Okafor',
            title: null,
            role: 'procurement_legal',
            affiliation: 'customer',
            evidence: ev('Ben'),
          },
          { name: 'Roger Lane', title: null, role: null, affiliation: 'seller', evidence: ev('Roger') },
        ],
        budget: {
          amount: 75_000,
          currency: 'EUR',
          evidence: ev('our approved budget is €75,000 for the first year'),
        },
        timeline: { date: '2026-03-20', text: 'by March 20', evidence: ev('by March 20') },
        seatCount: { count: 120, evidence: ev('120 reps') },
        competitors: [{ name: 'Outreach', context: 'pricing compared', evidence: ev('Outreach') }],
      }),
    );
    expect(notes).toContain(
      'NEXT STEPS\n- Send the security questionnaire (owner: Roger Lane) due 2026-03-17\n- Legal sends redlines\n',
    );
    expect(notes).toContain('DECISIONS\n- Go ahead with a pilot\n');
    expect(notes).toContain('OBJECTIONS\n- Price is above budget\n');
    expect(notes).toContain(
      'STAKEHOLDERS\n- Sofia Martins, Head of Sales Enablement (customer, champion)\n- Ben Okafor (customer, procurement/legal)\n- Roger Lane (seller)\n',
    );
    expect(notes).toContain('- Budget: €75,000 "our approved budget is €75,000 for the first year"');
    expect(notes).toContain('- Timeline: 2026-03-20 "by March 20"');
    expect(notes).toContain('- Seats: 120');
    expect(notes).toContain('COMPETITORS\n- Outreach: pricing compared\n');
  });

  it("lists each customer's new title, address and numbers under Contact details", () => {
    const detail = (kind: 'title' | 'email' | 'mobile', value: string) => ({
      person: 'Sofia Martins',
      kind,
      value,
      confidence: 0.9,
      extractor: 'embedded',
      evidence: ev(value),
    });
    const notes = formatNotes(
      insights({
        contactDetails: [
          detail('title', 'VP of Revenue Enablement'),
          detail('email', 'sofia.martins@wingtiptoys.com'),
          detail('mobile', '+1 206 555 0147'),
        ],
      }),
    );
    expect(notes).toContain(
      [
        'CONTACT DETAILS',
        '- Sofia Martins: new title VP of Revenue Enablement',
        '- Sofia Martins: email sofia.martins@wingtiptoys.com',
        '- Sofia Martins: mobile +1 206 555 0147',
      ].join('\n'),
    );
    expect(formatNotes(insights())).not.toContain('CONTACT DETAILS');
  });

  it('shows a suggested stage with its reasons and quotes, and hides one that stays put', () => {
    const moved = formatNotes(
      insights({
        stageSuggestion: {
          from: 'Proposal/Price Quote',
          to: 'Qualification',
          direction: 'backward',
          reasons: ['Budget frozen (Qualification backward signal)'],
          evidence: [ev('Our budget has been\nfrozen.')],
        },
      }),
    );
    expect(moved).toContain(
      'SUGGESTED STAGE\n- Proposal/Price Quote -> Qualification (backward)\n  because: Budget frozen (Qualification backward signal)\n  "Our budget has been frozen."\n',
    );
    const stay = formatNotes(
      insights({
        stageSuggestion: {
          from: 'Qualification',
          to: 'Qualification',
          direction: 'none',
          reasons: [],
          evidence: [],
        },
      }),
    );
    expect(stay).not.toContain('SUGGESTED STAGE');
  });

  it('lists proposed field updates with confidence and a shortened quote', () => {
    const notes = formatNotes(
      insights({
        fieldUpdates: [
          {
            object: 'Opportunity',
            field: 'Budget__c',
            value: 75_000,
            confidence: 0.75,
            evidence: ev('a'.repeat(200)),
          },
        ],
      }),
    );
    const line = notes.split('\n').find((l) => l.startsWith('- Opportunity.Budget__c'));
    expect(line).toBe(`- Opportunity.Budget__c = 75000 (confidence 0.75) "${'a'.repeat(89)}…"`);
  });

  it('lists MEDDPICC items that were found, under their names', () => {
    const meddpicc = emptyMeddpicc();
    meddpicc.identifiedPain = [{ text: 'Forecast runs on week-old data', evidence: ev('week old') }];
    meddpicc.paperProcess = [
      { text: 'Legal reviews the MSA', evidence: ev('MSA') },
      { text: 'Procurement issues a PO', evidence: ev('PO') },
    ];
    expect(formatNotes(insights({ meddpicc }))).toContain(
      'MEDDPICC\n- Paper process: Legal reviews the MSA; Procurement issues a PO\n- Identified pain: Forecast runs on week-old data\n',
    );
  });
});
