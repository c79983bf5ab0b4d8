import { describe, expect, it } from 'vitest';
import { matchOpportunity, type MatchHints } from '../../../src/domain/matching/match-opportunity.js';
import type { ContactView, OpportunityView } from '../../../src/domain/writeback/org-view.js';

/** Which deal a conversation belongs to, and the reasons a rep can check. */

const hints = (fill: Partial<MatchHints> = {}): MatchHints => ({
  crmOpportunityId: null,
  requestedOpportunityId: null,
  requestedAccountId: null,
  previousOpportunityId: null,
  emails: [],
  names: [],
  text: '',
  ...fill,
});

const deal = (
  id: string,
  name: string,
  roles: OpportunityView['contactRoles'] = [],
  accountId = '001A',
): OpportunityView => ({
  id,
  name,
  accountId,
  accountName: 'Fabrikam',
  stageName: 'Qualification',
  isClosed: false,
  values: {},
  contactRoles: roles,
  pendingSuggestions: [],
  provenance: [],
});

const dmitri: ContactView = {
  id: '003D',
  name: 'Dmitri Volkov',
  email: 'dmitri@fabrikam.com',
  accountId: '001A',
  accountName: 'Fabrikam',
};
const hannah: ContactView = {
  id: '003H',
  name: 'Hannah Cole',
  email: 'hannah@fabrikam.com',
  accountId: '001A',
  accountName: 'Fabrikam',
};
const role = (c: ContactView, r: string, isPrimary = false) => ({
  contactId: c.id,
  contactName: c.name,
  email: c.email,
  role: r,
  isPrimary,
});

describe('matchOpportunity', () => {
  it('trusts the CRM link that came with the conversation', () => {
    const linked = deal('006L', 'Fabrikam - Renewal');
    const m = matchOpportunity(
      hints({ crmOpportunityId: '006L' }),
      linked,
      [deal('006X', 'Other', [role(dmitri, 'Decision Maker')])],
      [dmitri],
    );
    expect(m).toMatchObject({
      kind: 'opportunity',
      opportunity: { id: '006L' },
      reasons: ["Gong's CRM context links the call to Fabrikam - Renewal"],
    });
  });

  it('falls back to the participants when the linked deal is not in the org, and says so', () => {
    const m = matchOpportunity(
      hints({ crmOpportunityId: '006Gone', emails: ['dmitri@fabrikam.com'] }),
      null,
      [deal('006A', 'Fabrikam - Pipeline Scribe', [role(dmitri, 'Decision Maker', true)])],
      [dmitri],
    );
    expect(m.kind).toBe('opportunity');
    expect(m.reasons).toEqual([
      "Gong's CRM context names opportunity 006Gone, which this org does not have",
      'dmitri@fabrikam.com has the contact role Decision Maker (primary) on Fabrikam - Pipeline Scribe',
      'the only open opportunity that matched (score 3.5)',
    ]);
  });

  it('prefers the deal the participants have roles on, with the scores in the reasons', () => {
    const scribe = deal('006A', 'Fabrikam - Pipeline Scribe', [
      role(dmitri, 'Decision Maker'),
      role(hannah, 'Evaluator'),
    ]);
    const other = deal('006B', 'Fabrikam - Forecasting add-on');
    const m = matchOpportunity(
      hints({ emails: ['dmitri@fabrikam.com', 'hannah@fabrikam.com'] }),
      null,
      [other, scribe],
      [dmitri, hannah],
    );
    expect(m).toMatchObject({ kind: 'opportunity', opportunity: { id: '006A' } });
    expect(m.reasons.at(-1)).toBe('score 6 against 2 for Fabrikam - Forecasting add-on');
  });

  it('does not guess between close candidates: the account and the candidates go to the rep', () => {
    const a = deal('006A', 'Fabrikam - Pipeline Scribe', [role(dmitri, 'Decision Maker')]);
    const b = deal('006B', 'Fabrikam - Forecasting add-on', [role(dmitri, 'Economic Buyer')]);
    const m = matchOpportunity(hints({ emails: ['dmitri@fabrikam.com'] }), null, [a, b], [dmitri]);
    expect(m).toMatchObject({
      kind: 'ambiguous',
      accountId: '001A',
      candidates: [{ score: 3 }, { score: 3 }],
    });
  });

  it('breaks a tie when the conversation names the deal', () => {
    const a = deal('006A', 'Fabrikam - Pipeline Scribe', [role(dmitri, 'Decision Maker')]);
    const b = deal('006B', 'Fabrikam - Forecasting add-on', [role(dmitri, 'Economic Buyer')]);
    const m = matchOpportunity(
      hints({ emails: ['dmitri@fabrikam.com'], text: 'Re: the forecasting add-on pricing' }),
      null,
      [a, b],
      [dmitri],
    );
    expect(m).toMatchObject({ kind: 'opportunity', opportunity: { id: '006B' } });
  });

  it('keeps the conversation on the account when no open deal matches, and unlinked when nobody is known', () => {
    expect(matchOpportunity(hints({ names: ['Dmitri Volkov'] }), null, [], [dmitri])).toMatchObject({
      kind: 'account',
      accountId: '001A',
    });
    expect(matchOpportunity(hints({ names: ['Someone Else'] }), null, [], [])).toMatchObject({
      kind: 'none',
    });
  });
});
