import { beforeAll, describe, expect, it } from 'vitest';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import { emptyDraft, type DraftInsights } from '../../../src/domain/extraction/draft.js';
import { deriveFieldUpdates } from '../../../src/domain/insights/field-updates.js';
import type { FieldMapping } from '../../../src/domain/insights/field-mapping.js';
import type { Evidence, StageSuggestion } from '../../../src/domain/insights/schema.js';

let mappings: FieldMapping[];
beforeAll(async () => {
  mappings = (await loadPackageRules()).fieldMappings;
});

const ev = (quote: string, start = 0): Evidence => ({ quote, start, end: start + quote.length });

function draft(fill: (d: DraftInsights) => void): DraftInsights {
  const d = emptyDraft();
  fill(d);
  return d;
}

const byField = (updates: ReturnType<typeof deriveFieldUpdates>) =>
  Object.fromEntries(updates.map((u) => [`${u.object}.${u.field}`, u]));

describe('deriveFieldUpdates under the package field policies', () => {
  it('proposes nothing for a conversation with nothing to record', () => {
    expect(deriveFieldUpdates(emptyDraft(), null, mappings)).toEqual([]);
  });

  it('proposes the budget amount with its quote', () => {
    const updates = byField(
      deriveFieldUpdates(
        draft((d) => (d.budget = { amount: 75_000, currency: 'EUR', evidence: ev('budget is €75,000') })),
        null,
        mappings,
      ),
    );
    expect(updates['Opportunity.Budget__c']).toEqual({
      object: 'Opportunity',
      field: 'Budget__c',
      value: 75_000,
      confidence: 0.75,
      evidence: ev('budget is €75,000'),
    });
  });

  it('proposes a budget range for Budget_Range__c, both ends as said, and its ceiling for Budget__c', () => {
    const quote = 'Our budget is between 50 and 70k for the first year.';
    const updates = byField(
      deriveFieldUpdates(
        draft(
          (d) =>
            (d.budget = {
              amount: 70_000,
              currency: 'USD',
              evidence: ev(quote),
              range: {
                low: { amount: 50_000, evidence: ev(quote) },
                high: { amount: 70_000, evidence: ev(quote) },
              },
            }),
        ),
        null,
        mappings,
      ),
    );
    expect(updates['Opportunity.Budget__c']).toMatchObject({ value: 70_000 });
    expect(updates['Opportunity.Budget_Range__c']).toEqual({
      object: 'Opportunity',
      field: 'Budget_Range__c',
      value: '$50,000–$70,000',
      confidence: 0.75,
      evidence: ev(quote),
    });
  });

  it('proposes no range for a budget that is one figure', () => {
    const updates = byField(
      deriveFieldUpdates(
        draft(
          (d) =>
            (d.budget = { amount: 75_000, currency: 'EUR', evidence: ev('budget is €75,000'), range: null }),
        ),
        null,
        mappings,
      ),
    );
    expect(updates['Opportunity.Budget_Range__c']).toBeUndefined();
  });

  it('proposes a stage move with the strongest quote, but not when the stage stays', () => {
    const stage: StageSuggestion = {
      from: 'Negotiation/Review',
      to: 'Closed Won',
      direction: 'forward',
      reasons: ['Contract signed (Closed Won reported)'],
      evidence: [ev('We signed the contract yesterday.')],
    };
    expect(byField(deriveFieldUpdates(emptyDraft(), stage, mappings))['Opportunity.StageName']).toMatchObject(
      {
        value: 'Closed Won',
        evidence: ev('We signed the contract yesterday.'),
      },
    );
    const stay: StageSuggestion = {
      from: 'Qualification',
      to: 'Qualification',
      direction: 'none',
      reasons: [],
      evidence: [],
    };
    expect(deriveFieldUpdates(emptyDraft(), stay, mappings)).toEqual([]);
  });

  it('proposes a close date only when the timeline is when the customer decides', () => {
    const timeline = { date: '2026-06-30', text: 'by end of Q2', evidence: ev('decide by end of Q2') };
    const goLive = draft((d) => (d.timeline = timeline));
    expect(byField(deriveFieldUpdates(goLive, null, mappings))['Opportunity.CloseDate']).toBeUndefined();
    const decision = draft((d) => {
      d.timeline = timeline;
      d.timelineIsDecision = true;
    });
    expect(byField(deriveFieldUpdates(decision, null, mappings))['Opportunity.CloseDate']?.value).toBe(
      '2026-06-30',
    );
  });

  it('writes the first next step with its owner and due date, within the 255 characters of NextStep', () => {
    const short = draft((d) => {
      d.nextSteps = [
        {
          text: 'Send the security questionnaire',
          owner: 'Roger',
          dueDate: '2026-03-17',
          priority: 'medium',
          evidence: ev('send it over by Tuesday'),
        },
      ];
    });
    expect(byField(deriveFieldUpdates(short, null, mappings))['Opportunity.NextStep']?.value).toBe(
      'Roger: Send the security questionnaire (by 2026-03-17)',
    );
    const long = draft((d) => {
      d.nextSteps = [
        { text: 'x'.repeat(400), owner: null, dueDate: null, priority: 'medium', evidence: ev('x') },
      ];
    });
    const value = String(byField(deriveFieldUpdates(long, null, mappings))['Opportunity.NextStep']?.value);
    expect(value).toHaveLength(255);
    expect(value.endsWith('…')).toBe(true);
  });

  it('lists each competitor once and proposes the seat count', () => {
    const d = draft((x) => {
      x.competitors = [
        { name: 'Clari', context: 'evaluating', evidence: ev('evaluating Clari') },
        { name: 'Gong', context: 'records calls', evidence: ev('record calls with Gong') },
        { name: 'Clari', context: 'quote', evidence: ev('Clari quoted 80k') },
      ];
      x.seatCount = { count: 120, evidence: ev('about 120 reps') };
    });
    const updates = byField(deriveFieldUpdates(d, null, mappings));
    expect(updates['Opportunity.Competitors__c']).toMatchObject({
      value: 'Clari; Gong',
      evidence: ev('evaluating Clari'),
    });
    expect(updates['Opportunity.TotalOpportunityQuantity']?.value).toBe(120);
  });

  it("drops a proposal below the policy's minimum confidence", () => {
    const unsure = draft((d) => {
      d.budget = { amount: 50_000, currency: 'USD', evidence: ev('maybe 50k') };
      d.confidence = { budget: 0.4 };
    });
    expect(deriveFieldUpdates(unsure, null, mappings)).toEqual([]);
  });
});
