import { describe, expect, it } from 'vitest';
import {
  describePriorityRule,
  prioritizeNextStep,
} from '../../../src/domain/extraction/next-step-priority.js';

const MEETING = '2026-03-11';
const SHIPPED = { highWithinDays: 3, mediumWithinDays: 14 };

const priority = (said: string, due: string | null, cutoffs = SHIPPED) =>
  prioritizeNextStep({ said, due, meetingDate: MEETING, cutoffs });

describe('a next step’s priority', () => {
  it('follows how soon it is due, counted from the meeting', () => {
    expect(priority('Send the recap', '2026-03-11')).toBe('high');
    expect(priority('Send the recap', '2026-03-14')).toBe('high');
    expect(priority('Send the recap', '2026-03-15')).toBe('medium');
    expect(priority('Send the recap', '2026-03-25')).toBe('medium');
    expect(priority('Send the recap', '2026-03-26')).toBe('low');
    expect(priority('Send the recap', null)).toBe('medium');
  });

  it('follows the cut-offs sales ops set, not numbers of its own', () => {
    const strict = { highWithinDays: 1, mediumWithinDays: 5 };
    expect(priority('Send the recap', '2026-03-14', strict)).toBe('medium');
    expect(priority('Send the recap', '2026-03-20', strict)).toBe('low');
  });

  it('is High when someone calls it urgent, whatever its date', () => {
    expect(priority('Send the W-9 ASAP, please', '2026-04-30')).toBe('high');
    expect(priority("It's time-sensitive: get me the updated quote", null)).toBe('high');
  });

  it('is Low when said to be no rush', () => {
    expect(priority('No rush, send the case studies whenever you can', '2026-03-12')).toBe('low');
  });

  it('is one level higher when the deal waits on it', () => {
    expect(priority('Send the order form', '2026-03-20')).toBe('high');
    expect(priority('Return the security questionnaire', null)).toBe('high');
    expect(priority('Get the MSA redlines back', '2026-04-30')).toBe('medium');
    expect(priority('Send the case studies', '2026-04-30')).toBe('low');
    expect(priority('Schedule the kickoff once the PO lands', null)).toBe('medium');
  });

  it('is told to the LLM with the same cut-offs', () => {
    const rule = describePriorityRule({ highWithinDays: 2, mediumWithinDays: 10 });
    expect(rule).toContain('within 2 days "high"');
    expect(rule).toContain('within 10 days "medium"');
  });
});
