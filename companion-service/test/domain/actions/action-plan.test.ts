import { describe, expect, it } from 'vitest';
import { actionKey, planActions, type ExistingAction } from '../../../src/domain/actions/action-plan.js';
import type { NextBestAction } from '../../../src/domain/actions/next-best-action.js';

const OPP = '006000000000001AAA';
const REP = '005000000000001AAA';
const SCAN_USER = '005000000000009AAA';

const wanted = (action: NextBestAction['action'], extra: Partial<NextBestAction> = {}): NextBestAction => ({
  owner: 'Ana',
  rank: 1,
  opportunityId: OPP,
  opportunityName: 'Fabrikam rollout',
  accountName: 'Fabrikam',
  action,
  priority: 50,
  why: 'Stale for 19 days.',
  rules: ['Risk_Rule__mdt.Stale'],
  dueDate: null,
  ...extra,
});

const held = (
  action: NextBestAction['action'],
  fields: Partial<ExistingAction['fields']>,
): ExistingAction => ({
  id: `a00${action.length}`,
  externalId: actionKey(OPP, action),
  fields: {
    Opportunity__c: OPP,
    Action__c: 'Re-engage Fabrikam',
    Action_Type__c: action,
    Why__c: 'Stale for 19 days.',
    Rank__c: 1,
    Due_Date__c: null,
    Status__c: 'Open',
    Snoozed_Until__c: null,
    Status_Changed_At__c: null,
    OwnerId: REP,
    CreatedById: SCAN_USER,
    ...fields,
  },
});

describe('planActions', () => {
  it("creates a new action owned by the deal's owner, open, with what to do and why", () => {
    const plan = planActions([wanted('Re-engage')], [], '2026-03-31', true, new Map([[OPP, REP]]));
    expect(plan.writes).toEqual([
      expect.objectContaining({
        kind: 'create',
        externalId: `scan:${OPP}:re-engage`,
        fields: expect.objectContaining({
          Action__c: 'Re-engage Fabrikam',
          Status__c: 'Open',
          OwnerId: REP,
          Rank__c: 1,
        }),
      }),
    ]);
  });

  it('leaves an action the rep snoozed alone, even while its reason still holds', () => {
    const snoozed = held('Re-engage', { Status__c: 'Snoozed', Status_Changed_At__c: '2026-03-30T10:00:00Z' });
    const plan = planActions([wanted('Re-engage')], [snoozed], '2026-03-31', true);
    expect(plan).toEqual({ writes: [], leftToRep: 1 });
  });

  it('closes an open action whose rules no longer fire, saying so', () => {
    const plan = planActions([], [held('Escalate', {})], '2026-03-31', true);
    expect(plan.writes).toEqual([
      expect.objectContaining({
        kind: 'close',
        fields: expect.objectContaining({
          Status__c: 'Done',
          Why__c: expect.stringContaining('Closed by the pipeline scan on 2026-03-31'),
        }),
      }),
    ]);
  });

  it('writes only the fields that changed, and no rank on an incremental re-score', () => {
    const current = held('Re-engage', { Rank__c: 4 });
    const plan = planActions(
      [wanted('Re-engage', { why: 'Stale for 26 days.' })],
      [current],
      '2026-03-31',
      false,
    );
    expect(plan.writes).toEqual([
      expect.objectContaining({ kind: 'update', fields: { Why__c: 'Stale for 26 days.' } }),
    ]);
  });
});
