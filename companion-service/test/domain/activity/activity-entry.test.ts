import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_DESCRIPTION_LENGTH,
  activityEntry,
  contactsWhoTookPart,
  type ActivityContact,
} from '../../../src/domain/activity/activity-entry.js';
import { insights as baseInsights } from '../writeback/fixtures.js';
import type { Evidence, Insights } from '../../../src/domain/insights/schema.js';
import type { Participant } from '../../../src/domain/source/conversation.js';

const ev = (quote: string): Evidence => ({ quote, start: 0, end: quote.length });

/** The write-back's insights fixture, as a Gong discovery call. */
const insights = (overrides: Partial<Insights> = {}): Insights =>
  baseInsights({
    summary: 'Discovery call with Fabrikam about forecasting.',
    source: {
      format: 'gong',
      meetingDate: '2026-03-10',
      characters: 100,
      extractor: 'embedded',
      extractorVersion: '1',
    },
    ...overrides,
  });

const person = (
  name: string,
  email: string | null,
  affiliation: Participant['affiliation'],
): Participant => ({
  name,
  title: null,
  email,
  company: null,
  affiliation,
  speakerLabel: name,
  evidenceStart: null,
  evidenceEnd: null,
});

const contact = (id: string, name: string, email: string | null, accountId = 'A1'): ActivityContact => ({
  id,
  name,
  email,
  accountId,
});

const base = {
  channel: 'call' as const,
  title: 'Fabrikam <> Contoso: discovery',
  participants: [
    person('Roger Lane', 'roger.lane@contoso.com', 'seller'),
    person('Dmitri Volkov', 'dmitri.volkov@fabrikam.com', 'customer'),
    person('Hannah Cole', null, 'customer'),
  ],
  contacts: [
    contact('C1', 'Dmitri Volkov', 'dmitri.volkov@fabrikam.com'),
    contact('C2', 'Hannah Cole', 'hannah.cole@fabrikam.com'),
  ],
  accountId: 'A1',
  today: '2026-04-01',
  sellers: { domains: ['contoso.com'], people: ['Roger Lane'] },
};

describe('activityEntry', () => {
  it('logs a call as a completed call task on the day it happened, with the customer’s contacts, the first as primary', () => {
    const entry = activityEntry({ ...base, insights: insights() });
    expect(entry).toMatchObject({
      kind: 'Task',
      subtype: 'Call',
      subject: 'Call: Fabrikam <> Contoso: discovery',
      date: '2026-03-10',
      whoId: 'C1',
      contactIds: ['C1', 'C2'],
    });
  });

  it('logs a meeting as an event, an email as an email task, notes as a plain task; undated, on the day it was processed', () => {
    const undated = insights({ source: { ...insights().source, meetingDate: null } });
    expect(activityEntry({ ...base, channel: 'meeting', insights: undated })).toMatchObject({
      kind: 'Event',
      subtype: 'Event',
      date: '2026-04-01',
    });
    expect(activityEntry({ ...base, channel: 'email', insights: undated }).subtype).toBe('Email');
    expect(activityEntry({ ...base, channel: 'note', insights: undated }).subtype).toBe('Task');
  });

  it('writes who took part, what, the outcome, decisions, objections and next steps with owner and due date', () => {
    const entry = activityEntry({
      ...base,
      insights: insights({
        decisions: [{ text: 'Pilot with the RevOps team first', evidence: ev('pilot') }],
        objections: [{ text: 'Security review takes six weeks', evidence: ev('security') }],
        nextSteps: [
          {
            text: 'Send the SOC 2 report',
            owner: 'Roger Lane',
            dueDate: '2026-03-13',
            priority: 'high',
            evidence: ev('send'),
          },
          { text: 'Book the demo', owner: null, dueDate: null, priority: 'medium', evidence: ev('book') },
        ],
        budget: { amount: 90000, currency: 'USD', evidence: ev('90k') },
        stageSuggestion: {
          from: 'Qualification',
          to: 'Needs Analysis',
          direction: 'forward',
          reasons: ['pain confirmed'],
          evidence: [ev('pain')],
        },
      }),
    });
    expect(entry.description).toBe(
      [
        'Call on 2026-03-10, logged by Pipeline Scribe from "Fabrikam <> Contoso: discovery".',
        'Who took part\n- Roger Lane (our side)\n- Dmitri Volkov (customer)\n- Hannah Cole (customer)',
        'What was discussed\nDiscovery call with Fabrikam about forecasting.',
        'Outcome\n- The deal moved forward to Needs Analysis (from Qualification): pain confirmed\n- Budget: $90,000',
        'Decisions\n- Pilot with the RevOps team first',
        'Objections\n- Security review takes six weeks',
        'Next steps\n- Send the SOC 2 report (owner: Roger Lane; due: 2026-03-13; priority: high)\n- Book the demo (owner: not named; due: no date set; priority: medium)',
      ].join('\n\n'),
    );
  });

  it('says who is on our side when the source does not, by our people’s domains and names', () => {
    const entry = activityEntry({
      ...base,
      channel: 'email',
      participants: [
        person('Sofia Martins', 'sofia.martins@wingtiptoys.com', null),
        person('Ana Lopez', 'ana.lopez@contoso.com', null),
        person('Roger Lane', null, null),
      ],
      insights: insights({
        stakeholders: [
          {
            name: 'Sofia Martins',
            title: null,
            role: 'champion',
            affiliation: 'customer',
            evidence: ev('Sofia'),
          },
        ],
      }),
    });
    expect(entry.description).toContain(
      'Who took part\n- Sofia Martins (champion, customer)\n- Ana Lopez (our side)\n- Roger Lane (our side)',
    );
  });

  it('times a meeting from the source’s start and length, and only a meeting', () => {
    const timing = { start: '2026-03-10T16:00:00-05:00', minutes: 45 };
    expect(activityEntry({ ...base, channel: 'meeting', timing, insights: insights() }).times).toEqual({
      start: '2026-03-10T21:00:00.000Z',
      end: '2026-03-10T21:45:00.000Z',
    });
    expect(activityEntry({ ...base, channel: 'meeting', insights: insights() }).times).toBeNull();
    expect(activityEntry({ ...base, timing, insights: insights() }).times).toBeNull();
  });

  it('does not say twice what the title already says', () => {
    expect(activityEntry({ ...base, title: 'Call with Fabrikam', insights: insights() }).subject).toBe(
      'Call with Fabrikam',
    );
  });

  it('shows a next step’s priority when the extractor ranks them', () => {
    const step = {
      text: 'Send pricing',
      owner: 'Roger Lane',
      dueDate: null,
      evidence: ev('x'),
      priority: 'high' as const,
    };
    const entry = activityEntry({ ...base, insights: insights({ nextSteps: [step] }) });
    expect(entry.description).toContain(
      '- Send pricing (owner: Roger Lane; due: no date set; priority: high)',
    );
  });

  it('stays within the 32,000 characters of Task.Description, next steps included', () => {
    const entry = activityEntry({
      ...base,
      insights: insights({
        summary: 'word '.repeat(20_000),
        decisions: Array.from({ length: 200 }, (_, i) => ({
          text: `Decision ${i} `.repeat(40),
          evidence: ev('d'),
        })),
        nextSteps: [
          {
            text: 'Send the SOC 2 report',
            owner: null,
            dueDate: null,
            priority: 'medium',
            evidence: ev('s'),
          },
        ],
      }),
    });
    expect(entry.description.length).toBeLessThanOrEqual(ACTIVITY_DESCRIPTION_LENGTH);
    expect(entry.description).toMatch(/- … and \d+ more/);
    expect(entry.description).toContain('Next steps\n- Send the SOC 2 report');
  });
});

describe('contactsWhoTookPart', () => {
  it('matches by email first, then by name, never our own people, preferring the deal’s account for a shared name', () => {
    const found = contactsWhoTookPart(
      [
        { name: 'Roger Lane', email: 'roger.lane@contoso.com', side: 'seller' },
        { name: 'D. Volkov', email: 'DMITRI.VOLKOV@fabrikam.com', side: 'customer' },
        { name: 'Sam Patel', email: null, side: null },
      ],
      [
        contact('C0', 'Roger Lane', 'roger.lane@contoso.com'),
        contact('C1', 'Dmitri Volkov', 'dmitri.volkov@fabrikam.com'),
        contact('C8', 'Sam Patel', null, 'OTHER'),
        contact('C9', 'Sam Patel', null, 'A1'),
      ],
      'A1',
    );
    expect(found.map((c) => c.id)).toEqual(['C1', 'C9']);
  });
});
