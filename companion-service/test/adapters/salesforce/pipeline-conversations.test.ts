import { describe, expect, it } from 'vitest';
import { conversationSignal } from '../../../src/adapters/salesforce/pipeline-conversations.js';

describe('a stored conversation as a risk signal', () => {
  const stored = {
    opportunityId: '0065L0000000001QAA',
    occurredAt: '2026-11-20T21:00:00.000Z',
    competitors: 'Clari: being evaluated\nGong: records their calls',
    objections: 'The price is above what finance approved\nMust integrate with Salesforce',
    stakeholders:
      'Dmitri Volkov, VP of Revenue Operations (customer, champion)\nRoger Lane, Account Executive (seller)\nPriya Raman, CFO: economic buyer',
    content:
      'Roger Lane: Thanks for the time.\nPriya Raman: We need the business case.\nRoger Lane: I will send it Friday.',
  };

  it('reads competitors, a pricing objection, the champion and the customer speakers', () => {
    expect(conversationSignal(stored, new Set())).toEqual({
      opportunityId: stored.opportunityId,
      date: '2026-11-20',
      competitors: ['Clari', 'Gong'],
      pricingObjection: true,
      customerSpeakers: ['Priya Raman'],
      champion: 'Dmitri Volkov',
    });
  });

  it('does not take a fit objection for a price one, or the deal owner for a customer', () => {
    const signal = conversationSignal(
      { ...stored, objections: 'Must keep field history', stakeholders: null },
      new Set(['Roger Lane']),
    );
    expect(signal.pricingObjection).toBe(false);
    expect(signal.customerSpeakers).toEqual(['Priya Raman']);
    expect(signal.champion).toBeNull();
  });
});
