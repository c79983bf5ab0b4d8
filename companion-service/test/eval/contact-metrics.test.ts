import { describe, expect, it } from 'vitest';
import { matchContactDetails, sameDetailValue } from '../../eval/metrics.js';
import { scoreCase, totalsOf } from '../../eval/score-case.js';
import type { ExpectedCase } from '../../eval/cases.js';

/** How contact details are counted: per kind, the right person with the same value. */
describe('contact details in the evaluation', () => {
  it('compares addresses in any case, numbers by their digits and titles by their words', () => {
    expect(sameDetailValue('email', 'Ana.Lima@Solis.com', 'ana.lima@solis.com')).toBe(true);
    expect(sameDetailValue('phone', '+1 (312) 555-0148', '+1 312 555 0148')).toBe(true);
    expect(sameDetailValue('phone', '(312) 555-0148', '+1 312 555 0148')).toBe(false);
    expect(sameDetailValue('title', 'VP, Operations', 'vp operations')).toBe(true);
    expect(sameDetailValue('title', 'VP of Operations', 'VP of Sales')).toBe(false);
  });

  it('counts a value on the wrong person as both missed and invented, and keeps kinds apart', () => {
    const expected = [
      { person: 'Ana Lima', kind: 'email' as const, value: 'ana@solis.com' },
      { person: 'Ana Lima', kind: 'mobile' as const, value: '+55 21 95555 0147' },
    ];
    const score = matchContactDetails(expected, [
      { person: 'Bruno Costa', kind: 'email', value: 'ana@solis.com' },
      { person: 'Ana', kind: 'phone', value: '+55 21 95555 0147' },
    ]);
    expect([score.email.pairs.length, score.email.missing.length, score.email.extra.length]).toEqual([
      0, 1, 1,
    ]);
    expect([score.mobile.missing.length, score.phone.extra.length]).toEqual([1, 1]);
  });

  it('leaves a case without contact labels out of the contact figures', () => {
    const label: ExpectedCase = {
      description: 'x',
      meetingDate: '2026-03-10',
      currentStage: null,
      competitors: [],
      stakeholders: [],
      budget: null,
      timeline: null,
      stage: { to: null, direction: 'none' },
      nextSteps: [],
    };
    const unlabelled = scoreCase(label, null, '');
    const labelled = scoreCase(
      { ...label, contactDetails: [{ person: 'Ana', kind: 'title', value: 'CFO' }] },
      null,
      '',
    );
    const totals = totalsOf([unlabelled, labelled]);
    expect(totals.contactCases).toBe(1);
    expect(totals.contactDetails.title).toEqual({ tp: 0, fp: 0, fn: 1 });
  });
});
