import { describe, expect, it } from 'vitest';
import { extractStatements } from '../../../../src/domain/extraction/embedded/statements.js';
import type { Statement } from '../../../../src/domain/insights/schema.js';
import { expectQuoted, MEETING_DATE, sentencesOf } from './embedded-support.js';

/** Statements from a customer's notes, with every quote checked against the source. */
function statementsOf(raw: string, customer = true) {
  const { conversation, sentences } = sentencesOf(raw);
  const out = extractStatements({ sentences, isCustomer: () => customer, meetingDate: MEETING_DATE });
  const quoted: Statement[] = [
    ...out.decisions,
    ...out.objections,
    ...Object.values(out.meddpicc).flat(),
    ...(out.useCase ? [out.useCase] : []),
  ];
  for (const s of quoted) expectQuoted(conversation, s.evidence);
  if (out.seatCount) expectQuoted(conversation, out.seatCount.evidence);
  if (out.timeline) expectQuoted(conversation, out.timeline.evidence);
  return out;
}

const texts = (statements: Statement[]) => statements.map((s) => s.text);

describe('extractStatements', () => {
  describe('decisions', () => {
    it.each([
      "We've decided to go ahead with the annual plan.",
      "We're going with the enterprise tier.",
      'The plan is to roll out to EMEA first.',
    ])('"%s"', (text) => {
      expect(texts(statementsOf(text).decisions)).toEqual([text]);
    });

    it('does not take a question or a denial for a decision', () => {
      expect(statementsOf('Have we decided to go ahead? No decision has been made yet.').decisions).toEqual(
        [],
      );
    });
  });

  describe('objections', () => {
    it.each([
      'Honestly the price is too high for us.',
      "I'm worried about the learning curve for the reps.",
      "It doesn't integrate with NetSuite, which is a problem.",
    ])('"%s"', (text) => {
      expect(texts(statementsOf(text).objections)).toEqual([text]);
    });

    it("takes only the customer's objections, not what the seller says", () => {
      expect(statementsOf('I know it can seem expensive at first.', false).objections).toEqual([]);
    });
  });

  describe('MEDDPICC statements', () => {
    it.each([
      ['metrics', 'We want to cut forecast prep time by 50%.'],
      ['decisionCriteria', 'It must integrate with Salesforce and support SSO.'],
      ['decisionProcess', 'The decision will be made by the steering committee.'],
      ['paperProcess', 'Legal review of the MSA usually takes two weeks.'],
      ['identifiedPain', 'Our reps update a spreadsheet manually every Friday.'],
    ] as const)('%s: "%s"', (key, text) => {
      expect(texts(statementsOf(text).meddpicc[key])).toEqual([text]);
    });

    it('does not take a discount for a metric', () => {
      expect(statementsOf('We can reduce the price by 10% off the list price.').meddpicc.metrics).toEqual([]);
    });
  });

  describe('use case', () => {
    it('reads what the customer wants to do', () => {
      const raw = "We're looking to give managers a weekly forecast roll-up.";
      expect(statementsOf(raw).useCase).toEqual({
        text: 'give managers a weekly forecast roll-up',
        evidence: { quote: raw, start: 0, end: raw.length },
      });
    });
  });

  describe('seat count', () => {
    it.each([
      ["We'd start with 40 seats for the sales team.", 40],
      ['Roughly 1,200 users across the regions.', 1200],
      ['We have 85 agents today, and 2,000 employees overall.', 85],
    ])('"%s" → %d', (text, count) => {
      expect(statementsOf(text).seatCount?.count).toBe(count);
    });

    it('does not take headcount for seats', () => {
      expect(statementsOf('We have 2,000 employees worldwide.').seatCount).toBeNull();
    });

    // Bug: headcount said just before the seats ("2,000 employees, but only 85 agents") hides the seats.
    it('finds the seats when headcount is said first', () => {
      expect(statementsOf('We have 2,000 employees, but only 85 agents would use it.').seatCount?.count).toBe(
        85,
      );
    });
  });

  describe('timeline', () => {
    // Bug: "sign" 50 characters back still counts for the go-live date, so July (go-live) beats end of Q2 (signing).
    it('takes the signing date over a go-live date in the same sentence', () => {
      const out = statementsOf('We need to sign by the end of Q2 so we can go live in July.');
      expect(out.timeline).toMatchObject({ date: '2026-06-30' });
      expect(out.timelineIsDecision).toBe(true);
    });

    it('takes a signing date as a decision timeline', () => {
      const out = statementsOf('We need to sign by the end of Q2.');
      expect(out.timeline).toMatchObject({ date: '2026-06-30', text: 'the end of Q2' });
      expect(out.timelineIsDecision).toBe(true);
    });

    it('takes a go-live date as a timeline that is not a decision', () => {
      const out = statementsOf('We want to be live by June 1.');
      expect(out.timeline).toMatchObject({ date: '2026-06-01', text: 'June 1' });
      expect(out.timelineIsDecision).toBe(false);
    });

    it('prefers the decision date to a go-live date', () => {
      const out = statementsOf('We want to be live by June 1. The committee will decide by April 15.');
      expect(out.timeline).toMatchObject({ date: '2026-04-15' });
      expect(out.timelineIsDecision).toBe(true);
    });

    it.each([
      "Let's meet next Tuesday to walk through the demo.",
      'The steering committee met on March 3.',
      "I'll send the contract by Friday.",
      'Our renewal with Zendesk is in 2029.',
    ])('finds no timeline in "%s"', (text) => {
      expect(statementsOf(text).timeline).toBeNull();
    });
  });
});
