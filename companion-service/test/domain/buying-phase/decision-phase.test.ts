import { beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineRules } from '../../../src/adapters/metadata/package-metadata.js';
import { decisionPhase, PhaseMatcher } from '../../../src/domain/buying-phase/decision-phase.js';
import { parsePattern } from '../../../src/domain/stages/stage-rules.js';
import { kindWords, phraseMatches } from '../../../src/domain/buying-phase/phase-rules.js';

let matcher: PhaseMatcher;
beforeAll(async () => {
  matcher = new PhaseMatcher((await loadPipelineRules()).phases);
});

const event = (date: string, kind: string) => ({ opportunityId: 'A', date, kind, contactId: null });

describe('customer decision phase from Buying_Phase_Rule metadata', () => {
  it('takes the furthest phase whose behaviour was seen, with the events that show it', () => {
    const phase = decisionPhase(
      [
        event('2026-03-01', 'Demo_Requested'),
        event('2026-03-05', 'Price_List_Viewed'),
        event('2026-03-09', 'Proposal_Opened'),
        event('2026-03-10', 'Webinar_Registered'),
      ],
      matcher,
    )!;
    expect(phase.phase).toBe('Supplier Selection');
    expect(phase.since).toBe('2026-03-05');
    expect(phase.evidence).toEqual([
      { date: '2026-03-09', kind: 'Proposal_Opened', behaviour: 'Pricing reviewed' },
      { date: '2026-03-05', kind: 'Price_List_Viewed', behaviour: 'Pricing reviewed' },
    ]);
  });

  it('moves to Purchase on a paper-process behaviour and has no phase for behaviour the rules do not name', () => {
    expect(decisionPhase([event('2026-03-01', 'Procurement Engaged')], matcher)!.phase).toBe('Purchase');
    expect(decisionPhase([event('2026-03-01', 'Logo_Clicked')], matcher)).toBeNull();
  });

  it('matches patterns with word prefixes and gaps the way stage signals do', () => {
    const pattern = parsePattern('book * demo', 'test');
    expect(pattern.kind === 'phrase' && phraseMatches(pattern.tokens, kindWords('Book_A_Product_Demo'))).toBe(
      true,
    );
    expect(pattern.kind === 'phrase' && phraseMatches(pattern.tokens, kindWords('Demo_Book'))).toBe(false);
  });
});
