import { describe, expect, it } from 'vitest';
import {
  contentHash,
  reviewContent,
  reviewKey,
  reviewWrite,
} from '../../../src/adapters/salesforce/pipeline-review-records.js';
import type { DealLine, PipelineReview } from '../../../src/domain/review/team-review.js';

function deal(i: number): DealLine {
  return {
    opportunityId: `006${String(i).padStart(15, '0')}`,
    name: `Deal ${i} ${'x'.repeat(200)}`,
    accountName: 'Fabrikam',
    owner: 'Ana Rep',
    stage: 'Qualification',
    amount: 1000 * i,
    closeDate: '2026-03-20',
    status: 'Watch',
    confidence: 'Medium',
    winChance: 0.5,
    winChanceBasis: 'forecast model',
    risk: 30,
    riskChange: null,
    risks: ['No activity for 21 days'],
    nextStep: null,
    nextAction: null,
  };
}

function review(deals: number, steps = 3): PipelineReview {
  const period = { start: '2026-03-01', end: '2026-03-31', deals: 0, total: 0, weighted: 0 };
  return {
    version: 1,
    scope: 'Team',
    subject: { userId: '005000000000MGRAAA', name: 'Morgan Manager' },
    managerId: null,
    asOf: '2026-03-10',
    weekStart: '2026-03-09',
    statusSummary: "Morgan Manager's team (2 reps): …",
    confidence: { level: 'Medium', reasons: ['…'] },
    keyRisks: [],
    helpNeeded: [],
    nextSteps: Array.from({ length: steps }, (_, i) => ({
      opportunityId: deal(i).opportunityId,
      name: null,
      owner: 'Ana Rep',
      action: 'Re-engage',
      why: 'Quiet',
      dueDate: null,
    })),
    pipeline: {
      openDeals: deals,
      total: 1234.567,
      weighted: 617.2849,
      dealsWithoutAmount: 0,
      thisMonth: period,
      thisQuarter: { ...period, start: '2026-01-01' },
    },
    focus: [],
    closeOut: [],
    reps: [],
    deals: Array.from({ length: deals }, (_, i) => deal(i)),
  };
}

describe('a weekly review as a Pipeline_Review__c', () => {
  it('is keyed by scope, user and week, owned by its subject, with figures rounded to cents', () => {
    const write = reviewWrite(review(2), 'scan-1', '2026-03-10T06:00:00.000Z');
    expect(write.key).toBe('team:005000000000MGRAAA:2026-03-09');
    expect(reviewKey(review(0))).toBe(write.key);
    expect(write.fields).toMatchObject({
      Name: "Morgan Manager's team, week of 2026-03-09",
      Scope__c: 'Team',
      OwnerId: '005000000000MGRAAA',
      Week_Start__c: '2026-03-09',
      Total_Pipeline__c: 1234.57,
      Weighted_Pipeline__c: 617.28,
      Open_Deals__c: 2,
      Confidence__c: 'Medium',
    });
    expect(write.fields.Content_Hash__c).toBe(contentHash(String(write.fields.Content__c)));
    expect(JSON.parse(String(write.fields.Content__c))).toMatchObject({ version: 1, omitted: { deals: 0 } });
  });

  it('keeps the riskiest deals that fit the field and says how many it left out; bounds the lists', () => {
    const big = review(2000, 40);
    const text = reviewContent(big, 131_072);
    expect(text.length).toBeLessThanOrEqual(131_072);
    const content = JSON.parse(text);
    expect(content.deals.length).toBeGreaterThan(0);
    expect(content.deals.length + content.omitted.deals).toBe(2000);
    expect(content.deals[0].opportunityId).toBe(big.deals[0]!.opportunityId);
    expect(content.nextSteps).toHaveLength(15);
    expect(content.omitted.nextSteps).toBe(25);
    // A few deals fewer would not fit, so no more were dropped than needed.
    const more = { ...content, deals: big.deals.slice(0, content.deals.length + 1) };
    expect(JSON.stringify(more).length).toBeGreaterThan(131_072);
  });
});
