import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '@pipeline-scribe/local-salesforce/org';

/**
 * The package's Apex entry point the suggestions panel calls (SuggestionController.decideSuggestions),
 * served by the local org as Apex REST: it decides as the calling user, writes the value and its
 * provenance, records the decision and publishes Suggestion_Decided__e after commit; a plain REST
 * update of a suggestion publishes nothing.
 */

const ADMIN = 'admin@pipeline-scribe.local';
let org: LocalOrg;

/** An object or field name as force-app spells it, as the org names it (namespaced or not). */
const n = (name: string) => org.schema.apiName(name);
const f = (object: string, field: string) => n(`${object}.${field}`).split('.')[1]!;
/** A record body with force-app field names, as this org names them. */
const fields = (object: string, values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [f(object, k), v]));

async function call(method: string, path: string, body?: unknown, user = ADMIN) {
  const response = await fetch(`${org.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${org.issueAccessToken(user)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: response.status === 204 ? null : ((await response.json()) as unknown),
  };
}

const decide = (decisions: unknown, user = ADMIN) =>
  call(
    'POST',
    `/services/apexrest${org.schema.namespace ? `/${org.schema.namespace}` : ''}/suggestions/decisions`,
    { decisions },
    user,
  );

async function suggestion(values: Record<string, unknown>): Promise<string> {
  const { status, body } = await call(
    'POST',
    `/services/data/v62.0/sobjects/${n('Suggestion__c')}`,
    fields('Suggestion__c', { Status__c: 'Pending', Target_Object__c: 'Opportunity', ...values }),
  );
  expect(status).toBe(201);
  return (body as { id: string }).id;
}

const decidedEvents = () =>
  org.events.filter((e) => e.type === n('Suggestion_Decided__e')).map((e) => e.payload);
const read = (object: string, id: string) => org.store.get(n(object), id)!;
const value = (object: string, id: string, field: string) => read(object, id)[f(object, field)];

let deal: { Id: string; NextStep: unknown; Name: unknown };

// Without a namespace and installed under one (`/services/apexrest/pscribe/...`, `pscribe__` names).
describe.each(['', 'pscribe'])(
  'SuggestionController.decideSuggestions as Apex REST (namespace "%s")',
  (namespace) => {
    beforeAll(async () => {
      org = await startLocalOrg({ namespace, dataPlan: null });
      const created = await call('POST', '/services/data/v62.0/sobjects/Opportunity', {
        Name: 'Litware - Support insights',
        StageName: 'Qualification',
        CloseDate: '2026-06-30',
        NextStep: 'Demo to the support leads',
      });
      const open = org.store.get('Opportunity', (created.body as { id: string }).id)!;
      deal = { Id: open.Id, NextStep: open.NextStep ?? null, Name: open.Name };
    });
    afterAll(async () => org.close());

    it('accepts a field suggestion as the user: the value, its provenance, the decision and the event', async () => {
      const id = await suggestion({
        External_Id__c: 'apex-accept',
        Type__c: 'Field',
        Opportunity__c: deal.Id,
        Target_Field__c: 'NextStep',
        Value_At_Suggestion__c: deal.NextStep,
        Proposed_Value__c: 'Legal review Monday',
        Confidence__c: 0.8,
        Evidence_Quote__c: 'legal review starts Monday',
      });
      const before = decidedEvents().length;
      const result = await decide([{ suggestionId: id, action: 'accept' }]);
      expect(result).toEqual({
        status: 200,
        body: [{ recordId: id, status: 'Accepted', message: null, appliedValue: 'Legal review Monday' }],
      });
      expect(org.store.get('Opportunity', deal.Id)!.NextStep).toBe('Legal review Monday');
      const admin = org.store.findBy('User', 'Username', ADMIN)[0]!.Id;
      expect(value('Suggestion__c', id, 'Status__c')).toBe('Accepted');
      expect(value('Suggestion__c', id, 'Decided_By__c')).toBe(admin);
      expect(value('Suggestion__c', id, 'Applied_Value__c')).toBe('Legal review Monday');

      const provenance = org.store
        .all(n('Field_Provenance__c'))
        .filter((p) => p[f('Field_Provenance__c', 'Suggestion__c')] === id);
      expect(provenance).toHaveLength(1);
      expect(provenance[0]).toMatchObject(
        fields('Field_Provenance__c', {
          Object_Name__c: 'Opportunity',
          Record_Id__c: deal.Id,
          Field_Name__c: 'NextStep',
          Opportunity__c: deal.Id,
          Previous_Value__c: deal.NextStep ?? null,
          New_Value__c: 'Legal review Monday',
          Evidence_Quote__c: 'legal review starts Monday',
          Applied_By__c: admin,
        }),
      );

      const events = decidedEvents().slice(before);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject(
        fields('Suggestion_Decided__e', {
          Suggestion_Id__c: id,
          Suggestion_External_Id__c: 'apex-accept',
          Decision__c: 'Accepted',
          Target_Record_Id__c: deal.Id,
          Target_Field__c: 'NextStep',
          Applied_Value__c: 'Legal review Monday',
          Decided_By_Id__c: admin,
        }),
      );
    });

    it('says what a changed amount holds now as the rep reads it, not as the API stores it', async () => {
      const budget = f('Opportunity', 'Budget__c');
      org.store.put('Opportunity', { ...org.store.get('Opportunity', deal.Id)!, [budget]: 70000 });
      const changed = await suggestion({
        Type__c: 'Field',
        Opportunity__c: deal.Id,
        Target_Field__c: 'Budget__c',
        Value_At_Suggestion__c: '64000',
        Proposed_Value__c: '80000',
      });
      const { body } = await decide([{ suggestionId: changed, action: 'accept' }]);
      expect(body).toMatchObject([
        {
          status: 'Stale',
          message:
            'Budget changed since this was suggested: it is now 70,000, it was 64,000. Accept again to replace it anyway, or reject to keep it.',
        },
      ]);
    });

    it('edits, rejects, goes stale on a changed field, and reports what was already decided', async () => {
      const current = String(org.store.get('Opportunity', deal.Id)!.NextStep ?? '');
      const edited = await suggestion({
        Type__c: 'Field',
        Opportunity__c: deal.Id,
        Target_Field__c: 'NextStep',
        Value_At_Suggestion__c: current,
        Proposed_Value__c: 'Send the MSA',
      });
      const rejected = await suggestion({
        Type__c: 'Field',
        Opportunity__c: deal.Id,
        Target_Field__c: 'Description',
      });
      const stale = await suggestion({
        Type__c: 'Stage',
        Opportunity__c: deal.Id,
        Target_Field__c: 'StageName',
        Value_At_Suggestion__c: 'Not the stage it has',
        Proposed_Value__c: 'Negotiation/Review',
      });
      const before = decidedEvents().length;
      const { status, body } = await decide([
        { suggestionId: edited, action: 'edit', editedValue: 'Send the MSA on Friday' },
        { suggestionId: rejected, action: 'reject' },
        { suggestionId: stale, action: 'accept' },
      ]);
      expect(status).toBe(200);
      expect(body).toMatchObject([
        { recordId: edited, status: 'Edited', appliedValue: 'Send the MSA on Friday' },
        { recordId: rejected, status: 'Rejected', message: null },
        {
          recordId: stale,
          status: 'Stale',
          message: expect.stringMatching(/changed since this was suggested/),
        },
      ]);
      expect(org.store.get('Opportunity', deal.Id)!.NextStep).toBe('Send the MSA on Friday');
      expect(value('Suggestion__c', stale, 'Decided_By__c') ?? null).toBeNull();
      expect(
        decidedEvents()
          .slice(before)
          .map((e) => e[f('Suggestion_Decided__e', 'Decision__c')]),
      ).toEqual(['Edited', 'Rejected', 'Stale']);

      const again = await decide([{ suggestionId: rejected, action: 'accept' }]);
      expect(again.body).toEqual([
        { recordId: rejected, status: 'Rejected', message: 'Already rejected.', appliedValue: null },
      ]);
    });

    it('fails a value the target field cannot hold, with the message the Apex gives, and writes nothing', async () => {
      const stage = String(org.store.get('Opportunity', deal.Id)!.StageName);
      const id = await suggestion({
        Type__c: 'Stage',
        Opportunity__c: deal.Id,
        Target_Field__c: 'StageName',
        Value_At_Suggestion__c: stage,
        Proposed_Value__c: 'Signed',
      });
      // A stage the rules do not define might close the deal: the rep confirms it, then Salesforce refuses it.
      const { body } = await decide([{ suggestionId: id, action: 'accept', confirmed: true }]);
      expect(body).toMatchObject([
        {
          recordId: id,
          status: 'Failed',
          message: expect.stringMatching(/^"Signed" is not a value of Stage\. Choose one of: Prospecting, /),
        },
      ]);
      expect(org.store.get('Opportunity', deal.Id)!.StageName).toBe(stage);
      expect(value('Suggestion__c', id, 'Status__c')).toBe('Failed');
    });

    it('leaves a stage move that closes the deal or moves it back pending until the rep confirms it', async () => {
      const created = await call('POST', '/services/data/v62.0/sobjects/Opportunity', {
        Name: 'Litware - Field insights',
        StageName: 'Negotiation/Review',
        CloseDate: '2026-06-30',
      });
      const dealId = (created.body as { id: string }).id;
      const stageSuggestion = (proposed: string) =>
        suggestion({
          Type__c: 'Stage',
          Opportunity__c: dealId,
          Target_Field__c: 'StageName',
          Value_At_Suggestion__c: 'Negotiation/Review',
          Proposed_Value__c: proposed,
        });
      const closing = await stageSuggestion('Closed Lost');
      const backward = await stageSuggestion('Qualification');
      const before = decidedEvents().length;

      const refused = await decide([
        { suggestionId: closing, action: 'accept' },
        { suggestionId: backward, action: 'accept' },
      ]);

      const waiting = 'Closing a deal or moving it back needs your confirmation: accept it on its own.';
      expect(refused.body).toEqual([
        { recordId: closing, status: 'Pending', message: waiting, appliedValue: null },
        { recordId: backward, status: 'Pending', message: waiting, appliedValue: null },
      ]);
      expect(org.store.get('Opportunity', dealId)!.StageName).toBe('Negotiation/Review');
      expect(value('Suggestion__c', closing, 'Status__c')).toBe('Pending');
      expect(value('Suggestion__c', closing, 'Status_Reason__c') ?? null).toBeNull();
      expect(decidedEvents()).toHaveLength(before);

      const confirmed = await decide([{ suggestionId: backward, action: 'accept', confirmed: true }]);

      expect(confirmed.body).toMatchObject([{ recordId: backward, status: 'Accepted' }]);
      expect(org.store.get('Opportunity', dealId)!.StageName).toBe('Qualification');
      expect(value('Suggestion__c', closing, 'Status__c')).toBe('Pending');
    });

    it('reverts an applied value through FieldProvenanceController.revertValue, once', async () => {
      const before = org.store.get('Opportunity', deal.Id)!.NextStep ?? null;
      const id = await suggestion({
        Type__c: 'Field',
        Opportunity__c: deal.Id,
        Target_Field__c: 'NextStep',
        Value_At_Suggestion__c: before,
        Proposed_Value__c: 'Pilot kickoff',
      });
      expect((await decide([{ suggestionId: id, action: 'accept' }])).body).toMatchObject([
        { status: 'Accepted' },
      ]);
      const provenance = org.store
        .all(n('Field_Provenance__c'))
        .find((p) => p[f('Field_Provenance__c', 'Suggestion__c')] === id)!;
      const revert = (provenanceId: string) =>
        call(
          'POST',
          `/services/apexrest${org.schema.namespace ? `/${org.schema.namespace}` : ''}/provenance/revert`,
          { provenanceId },
        );
      expect(await revert(provenance.Id)).toEqual({
        status: 200,
        body: {
          recordId: provenance.Id,
          status: 'Reverted',
          message: before ? `Next Step is back to "${String(before)}".` : 'Next Step is back to empty.',
          appliedValue: before,
        },
      });
      expect(org.store.get('Opportunity', deal.Id)!.NextStep ?? null).toBe(before);
      expect(value('Field_Provenance__c', provenance.Id, 'Reverted_At__c')).toEqual(expect.any(String));
      expect((await revert(provenance.Id)).body).toMatchObject({
        status: 'Failed',
        message: expect.stringMatching(/^Already reverted on /),
      });
    });

    it('creates the task a task suggestion proposes, owned by the user', async () => {
      const id = await suggestion({
        Type__c: 'Task',
        Opportunity__c: deal.Id,
        Target_Object__c: 'Task',
        Proposed_Value__c: 'Send the security questionnaire',
        Due_Date__c: '2026-04-01',
      });
      // The rep who owns the deal decides, as in the panel.
      const user = String(org.store.get('Opportunity', deal.Id)!.OwnerId);
      const rep = String(org.store.get('User', user)!.Username);
      const { body } = await decide([{ suggestionId: id, action: 'accept' }], rep);
      expect(body).toMatchObject([
        { status: 'Accepted', appliedValue: 'Send the security questionnaire (due 2026-04-01)' },
      ]);
      const task = org.store.findBy('Task', 'Subject', 'Send the security questionnaire')[0]!;
      expect(task).toMatchObject({ WhatId: deal.Id, OwnerId: user, ActivityDate: '2026-04-01' });
    });

    it('refuses a request the panel never sends as Apex does: 500 APEX_ERROR, nothing changed', async () => {
      expect(await decide([])).toEqual({
        status: 500,
        body: [
          {
            errorCode: 'APEX_ERROR',
            message: 'System.AuraHandledException: Choose at least one suggestion to accept, edit or reject.',
          },
        ],
      });
      const id = await suggestion({ Type__c: 'Field', Opportunity__c: deal.Id, Target_Field__c: 'NextStep' });
      expect(await decide([{ suggestionId: id, action: 'approve' }])).toMatchObject({
        status: 500,
        body: [{ errorCode: 'APEX_ERROR', message: expect.stringContaining('"approve" is not a decision') }],
      });
      expect(value('Suggestion__c', id, 'Status__c')).toBe('Pending');
      expect(await decide([{ suggestionId: deal.Id, action: 'accept' }])).toMatchObject({
        status: 500,
        body: [
          {
            errorCode: 'APEX_ERROR',
            message: `System.AuraHandledException: "${deal.Id}" is not a suggestion.`,
          },
        ],
      });
      const missing = await call('GET', '/services/apexrest/nothing-here');
      expect(missing).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    });

    it('publishes nothing for a plain REST update of a suggestion', async () => {
      const id = await suggestion({ Type__c: 'Field', Opportunity__c: deal.Id, Target_Field__c: 'NextStep' });
      const before = decidedEvents().length;
      const { status } = await call(
        'PATCH',
        `/services/data/v62.0/sobjects/${n('Suggestion__c')}/${id}`,
        fields('Suggestion__c', { Status__c: 'Accepted' }),
      );
      expect(status).toBe(204);
      expect(decidedEvents().length).toBe(before);
    });
  },
);
