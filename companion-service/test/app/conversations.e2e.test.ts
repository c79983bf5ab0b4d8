import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConversationResult } from '../../src/domain/conversation-result.js';
import type { ConversationStatusBody } from '../../src/app/schemas/conversation-status.js';
import { detectInputFormat, INPUT_FORMATS } from '../../src/domain/source/detect.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import {
  buildTestApp,
  opportunityByName,
  sampleBody,
  SAMPLE_FILES,
  startTestOrg,
  type TestOrg,
  settleConversation,
} from '../support/local-org.js';

/**
 * End to end over loopback: the service (through inject) stores each conversation in a real Postgres,
 * its worker logs into the local org with the JWT bearer flow and writes through its REST API; every
 * count and record checked here is the local org's own.
 */

let db: TestDatabase;
let t: TestOrg;
let app: FastifyInstance;

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);

afterAll(async () => db?.stop());

beforeEach(async () => {
  await db.reset();
  t = await startTestOrg();
  app = await buildTestApp(t.config, { db });
});

afterEach(async () => {
  await app.close();
  await t.org.close();
});

const settle = (id: string) => settleConversation(app, id);

/** POSTs, then follows the conversation until the worker is done with it. */
async function post(body: Record<string, unknown>, idempotencyKey?: string) {
  const before = t.org.usage().used;
  const response = await app.inject({
    method: 'POST',
    url: '/v1/conversations',
    payload: body,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
  const accepted = response.json() as ConversationStatusBody;
  const done = response.statusCode < 300 ? await settle(accepted.id) : accepted;
  return {
    response,
    accepted,
    done,
    result: done.result as ConversationResult,
    orgCalls: t.org.usage().used - before,
  };
}

async function records(soql: string) {
  return (await t.admin.query<Record<string, unknown>>(soql)).records;
}

describe('POST /v1/conversations on the local org', () => {
  it('writes the conversation, its suggestions and the auto-applied values with provenance, in at most 2 API calls', async () => {
    const { response, accepted, result, orgCalls } = await post(
      await sampleBody('02-tailspin-champion-left.txt'),
    );
    expect(response.statusCode).toBe(202);
    expect(response.headers.location).toBe(`/v1/conversations/${accepted.id}`);
    expect(accepted).toMatchObject({ status: 'queued', source: 'api', result: null });
    expect(result.id).toBe(accepted.id);
    expect(orgCalls).toBeLessThanOrEqual(2);
    expect(result.apiCalls).toBe(orgCalls);
    expect(result.match.opportunity?.name).toBe('Tailspin Toys - Sales Cloud rollout');
    expect(result.match.reasons.join(' ')).toContain('Morgan Diaz has the contact role Executive Sponsor');

    const [conversation] = await records(
      `SELECT Id, Source__c, Opportunity__c, Account__c, Processing_Status__c, Summary__c, Language__c FROM Conversation__c WHERE Source_Id__c = '${result.sourceId}'`,
    );
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    expect(conversation).toMatchObject({
      Source__c: 'Meeting',
      Opportunity__c: deal.Id,
      Account__c: deal.AccountId,
      Processing_Status__c: 'Processed',
      // Written by the integration user, so its permission set grants the field.
      Language__c: 'en',
    });
    expect(result.conversationRecordId).toBe(conversation!.Id);

    const suggestions = await records(
      `SELECT External_Id__c, Type__c, Target_Field__c, Status__c, Evidence_Quote__c, Due_Date__c, Task_Priority__c FROM Suggestion__c WHERE Conversation__c = '${conversation!.Id}'`,
    );
    // The summary promised for tomorrow is a High task; the call in three weeks a Low one.
    expect(
      suggestions
        .filter((s) => s.Type__c === 'Task')
        .map((s) => [s.Due_Date__c, s.Task_Priority__c])
        .sort(),
    ).toEqual([
      ['2026-03-12', 'High'],
      ['2026-04-02', 'Low'],
    ]);
    expect(suggestions.map((s) => s.Type__c).sort()).toEqual([
      'Contact',
      'Field',
      'Field',
      'Stage',
      'Task',
      'Task',
    ]);
    expect(suggestions.every((s) => typeof s.Evidence_Quote__c === 'string')).toBe(true);

    expect(result.autoApplied.map((a) => [a.field, a.value])).toEqual([['Competitors__c', 'Salesloft']]);
    expect(deal.Competitors__c).toBe('Salesloft');
    const provenance = await records(
      `SELECT Field_Name__c, Previous_Value__c, New_Value__c, Applied_By_Policy__c, Evidence_Quote__c, Suggestion__r.Status__c, Conversation__c FROM Field_Provenance__c WHERE Record_Id__c = '${deal.Id}'`,
    );
    expect(provenance).toHaveLength(result.autoApplied.length);
    expect(provenance[0]).toMatchObject({
      Field_Name__c: 'Competitors__c',
      Previous_Value__c: null,
      New_Value__c: 'Salesloft',
      Applied_By_Policy__c: 'Field_Policy.Opportunity_Competitors',
      Evidence_Quote__c: 'Is the Salesloft pilot still running on your end?',
      Conversation__c: conversation!.Id,
    });
    expect((provenance[0]!.Suggestion__r as { Status__c: string }).Status__c).toBe('Auto-applied');
  });

  it('changes nothing and calls Salesforce not once when the same conversations come again', async () => {
    const first = new Map<string, string>();
    for (const file of SAMPLE_FILES) {
      const { orgCalls, result, accepted } = await post(await sampleBody(file));
      expect(orgCalls, file).toBeLessThanOrEqual(2);
      expect(result.status, file).toBe('processed');
      first.set(file, accepted.id);
    }
    const count = async (object: string) => (await t.admin.query(`SELECT COUNT() FROM ${object}`)).totalSize;
    const before = {
      conversations: await count('Conversation__c'),
      suggestions: await count('Suggestion__c'),
      provenance: await count('Field_Provenance__c'),
      deals: await records(
        'SELECT Id, StageName, NextStep, Competitors__c, Budget__c, LastModifiedDate FROM Opportunity ORDER BY Id',
      ),
    };
    for (const file of SAMPLE_FILES) {
      const { response, orgCalls, accepted } = await post(await sampleBody(file));
      expect(response.statusCode, file).toBe(200);
      expect(accepted, file).toMatchObject({ id: first.get(file), status: 'processed', attempts: 1 });
      expect(orgCalls, file).toBe(0);
    }
    // A client that sends its own key for a conversation the service has not seen under that key
    // gets it processed again: the upserts by external id find the records and change nothing.
    const again = await post(await sampleBody('04-northwind-notes.md'), 'client-key-northwind-1');
    expect(again.response.statusCode).toBe(202);
    expect(again.result.changedOrg).toBe(false);
    expect(again.orgCalls).toBe(1);
    expect({
      conversations: await count('Conversation__c'),
      suggestions: await count('Suggestion__c'),
      provenance: await count('Field_Provenance__c'),
      deals: await records(
        'SELECT Id, StageName, NextStep, Competitors__c, Budget__c, LastModifiedDate FROM Opportunity ORDER BY Id',
      ),
    }).toEqual(before);
  });

  it("updates the sample data's suggestions for the Fabrikam call instead of adding a second set", async () => {
    const { result } = await post(await sampleBody('01-fabrikam-discovery.gong.json'));
    const rows = await records(
      "SELECT External_Id__c, Type__c, Target_Field__c FROM Suggestion__c WHERE Conversation__r.Source_Id__c = 'gong:7782342274025937895'",
    );
    const fields = rows
      .filter((r) => r.Type__c === 'Field' || r.Type__c === 'Stage')
      .map((r) => r.Target_Field__c);
    expect(new Set(fields).size).toBe(fields.length);
    expect(rows.filter((r) => r.Type__c === 'Contact')).toHaveLength(1);
    expect(result.suggestions.find((s) => s.field === 'Budget__c')?.externalId).toBe(
      'sample:gong:7782342274025937895:Opportunity.Budget__c',
    );
  });

  it('adds to a list a rep typed, and never overwrites a value a rep typed unless the policy says Always', async () => {
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    await t.admin.sobject('Opportunity').update({ Id: deal.Id as string, Competitors__c: 'Gong' });
    const { result } = await post(await sampleBody('02-tailspin-champion-left.txt'));
    // Competitors merge: the rep's entry stays and the one heard is added.
    expect(result.autoApplied.map((a) => [a.field, a.value])).toEqual([
      ['Competitors__c', 'Gong; Salesloft'],
    ]);
    const nextStep = result.suggestions.find((s) => s.field === 'NextStep');
    expect(nextStep).toMatchObject({ status: 'Pending', currentValue: 'Pilot review with Morgan' });
    expect(nextStep!.reasons.join(' ')).toContain('which a rep typed');
    const after = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    expect(after).toMatchObject({ Competitors__c: 'Gong; Salesloft', NextStep: 'Pilot review with Morgan' });
  });

  it('proposes only stages the org has in its picklist', async () => {
    await app.close();
    const stage = t.org.schema.object('Opportunity')!.fields.get('stagename')!;
    // The Northwind notes move the deal one step, from Qualification to Needs Analysis.
    stage.picklistValues = stage.picklistValues.filter((p) => p.value !== 'Needs Analysis');
    app = await buildTestApp(t.config, { db });
    const { result } = await post(await sampleBody('04-northwind-notes.md'));
    expect(result.suggestions.find((s) => s.field === 'StageName')).toBeUndefined();
    expect(result.fieldOutcomes.find((o) => o.field === 'StageName')).toMatchObject({ outcome: 'skipped' });
    expect(result.fieldOutcomes.find((o) => o.field === 'StageName')!.reason).toContain(
      '"Needs Analysis" is not a value of Stage',
    );
  });

  it('marks a pending suggestion Stale when its field changed since, saying what changed', async () => {
    const first = await post(await sampleBody('04-northwind-notes.md'));
    const pending = first.result.suggestions.find((s) => s.field === 'NextStep')!;
    const deal = await opportunityByName(t.admin, 'Northwind Traders - Dispatch automation');
    await t.admin
      .sobject('Opportunity')
      .update({ Id: deal.Id as string, NextStep: 'Security review booked' });
    const later = await post({
      content:
        'Northwind Traders - follow-up 2026-03-16\nAttendees: Lucia Fernandez (COO, Northwind)\n- Lucia confirmed the steering committee still meets April 15',
    });
    expect(later.result.match.opportunity?.id).toBe(deal.Id);
    expect(later.result.stale).toEqual([
      {
        suggestionId: pending.id,
        reason:
          'Next Step changed since this was suggested: it is now "Security review booked", it was "Technical deep dive".',
      },
    ]);
    const [row] = await records(
      `SELECT Status__c, Status_Reason__c FROM Suggestion__c WHERE Id = '${pending.id}'`,
    );
    expect(row).toMatchObject({ Status__c: 'Stale' });
  });

  it('respects a revert: the value a rep reverted is not applied again when the conversation comes back', async () => {
    const first = await post(await sampleBody('02-tailspin-champion-left.txt'));
    const applied = first.result.autoApplied[0]!;
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    // What the provenance panel's revert does: the field back to its previous value, the row marked.
    await t.admin.sobject('Opportunity').update({ Id: deal.Id as string, Competitors__c: null });
    await t.admin
      .sobject('Field_Provenance__c')
      .update({ Id: applied.provenanceId!, Reverted_At__c: '2026-03-12T10:00:00Z' });
    const again = await post(await sampleBody('02-tailspin-champion-left.txt'), 'tailspin-after-revert');
    expect(again.result.autoApplied).toEqual([]);
    expect(again.result.fieldOutcomes.find((o) => o.field === 'Competitors__c')).toMatchObject({
      outcome: 'kept',
    });
    expect(
      (await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout')).Competitors__c,
    ).toBeNull();
    expect(again.orgCalls).toBeLessThanOrEqual(2);
  });

  it('does not guess between two close deals: the conversation stays on the account and the rep is asked', async () => {
    const fabrikam = await opportunityByName(t.admin, 'Fabrikam - Pipeline Scribe');
    const second = await t.admin.sobject('Opportunity').create({
      Name: 'Fabrikam - Forecasting add-on',
      AccountId: fabrikam.AccountId as string,
      StageName: 'Qualification',
      CloseDate: '2027-02-26',
    });
    const [role] = await records(
      `SELECT ContactId FROM OpportunityContactRole WHERE OpportunityId = '${fabrikam.Id}'`,
    );
    await t.admin.sobject('OpportunityContactRole').create({
      OpportunityId: second.id,
      ContactId: role!.ContactId as string,
      Role: 'Decision Maker',
      IsPrimary: true,
    });
    const { result } = await post(
      await sampleBody('01-fabrikam-discovery.gong.json', { sourceId: 'gong:ambiguous-test' }),
    );
    expect(result.match.kind).toBe('ambiguous');
    expect(result.match.account?.id).toBe(fabrikam.AccountId);
    expect(result.suggestions.map((s) => [s.type, s.proposedValue]).sort()).toEqual(
      [
        ['Opportunity Match', fabrikam.Id],
        ['Opportunity Match', second.id],
      ].sort(),
    );
    expect(result.autoApplied).toEqual([]);
    const [conversation] = await records(
      "SELECT Account__c, Opportunity__c FROM Conversation__c WHERE Source_Id__c = 'gong:ambiguous-test'",
    );
    expect(conversation).toMatchObject({ Account__c: fabrikam.AccountId, Opportunity__c: null });
  });

  it("marks the auto-apply Failed with the validation rule's message and writes nothing half", async () => {
    t.org.validationRules.push({
      object: 'Opportunity',
      name: 'Competitive_Review',
      message: 'Add a competitive review before naming Salesloft as a competitor.',
      field: 'Competitors__c',
      violated: (record) => String(record.Competitors__c ?? '').includes('Salesloft'),
    });
    const { done, result, orgCalls } = await post(await sampleBody('02-tailspin-champion-left.txt'));
    expect(done.status).toBe('processed');
    expect(orgCalls).toBe(3);
    expect(result.errors[0]).toMatchObject({
      code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      fields: ['Competitors__c'],
    });
    expect(result.autoApplied).toEqual([]);
    const failed = result.suggestions.find((s) => s.field === 'Competitors__c')!;
    expect(failed).toMatchObject({
      status: 'Failed',
      statusReason: 'Add a competitive review before naming Salesloft as a competitor.',
    });
    const deal = await opportunityByName(t.admin, 'Tailspin Toys - Sales Cloud rollout');
    expect(deal.Competitors__c).toBeNull();
    expect(
      (await t.admin.query(`SELECT COUNT() FROM Field_Provenance__c WHERE Record_Id__c = '${deal.Id}'`))
        .totalSize,
    ).toBe(0);
    const [row] = await records(
      `SELECT Status__c, Status_Reason__c FROM Suggestion__c WHERE Id = '${failed.id}'`,
    );
    expect(row).toEqual(
      expect.objectContaining({ Status__c: 'Failed', Status_Reason__c: failed.statusReason }),
    );
    const [conversation] = await records(
      `SELECT Processing_Status__c, Processing_Error__c FROM Conversation__c WHERE Id = '${result.conversationRecordId}'`,
    );
    expect(conversation).toMatchObject({ Processing_Status__c: 'Processed' });
    expect(conversation!.Processing_Error__c).toContain('competitive review');
  });

  it('auto-applies a field that earned trust, and goes back to suggesting after a run of rejections', async () => {
    const wingtip = await opportunityByName(t.admin, 'Wingtip Toys - Pipeline Scribe');
    const decided = (status: string, n: number, day: number) =>
      Array.from({ length: n }, (_, i) => ({
        attributes: { type: 'Suggestion__c' },
        External_Id__c: `history:${status}:${day}:${i}`,
        Type__c: 'Field',
        Target_Object__c: 'Opportunity',
        Target_Field__c: 'NextStep',
        Proposed_Value__c: 'Call back',
        Status__c: status,
        Decided_At__c: `2026-02-${String(day).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00Z`,
      }));
    await t.admin.requestPost('/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: [...decided('Accepted', 20, 1), ...decided('Rejected', 1, 2)],
    });
    const trusted = await post(await sampleBody('03-wingtip-email.eml'));
    expect(trusted.result.autoApplied.map((a) => a.field)).toContain('NextStep');
    expect(trusted.result.fieldOutcomes.find((o) => o.field === 'NextStep')!.reason).toContain(
      'earned auto-apply: 20 accepted unedited of 21',
    );
    expect((await opportunityByName(t.admin, 'Wingtip Toys - Pipeline Scribe')).NextStep).toMatch(
      /security questionnaire/,
    );

    await t.admin.sobject('Opportunity').update({ Id: wingtip.Id as string, NextStep: null });
    await t.admin.requestPost('/services/data/v62.0/composite/sobjects', {
      allOrNone: true,
      records: decided('Rejected', 3, 3),
    });
    const demoted = await post(await sampleBody('03-wingtip-email.eml', { sourceId: 'email:wingtip-again' }));
    expect(demoted.result.autoApplied.map((a) => a.field)).not.toContain('NextStep');
    expect(demoted.result.fieldOutcomes.find((o) => o.field === 'NextStep')).toMatchObject({
      outcome: 'suggested',
    });
    expect(demoted.result.fieldOutcomes.find((o) => o.field === 'NextStep')!.reason).toContain(
      'rejections in a row',
    );
  });

  it('offers closed stages only as suggestions', async () => {
    const { result } = await post(await sampleBody('05-voice-memo-litware.txt'));
    expect(result.suggestions.find((s) => s.field === 'StageName')).toMatchObject({
      status: 'Pending',
      proposedValue: 'Closed Lost',
    });
    expect((await opportunityByName(t.admin, 'Litware - Support insights')).StageName).toBe(
      'Perception Analysis',
    );
  });
});

describe('GET /v1/conversations/:id and request errors', () => {
  it('decodes a MIME message before it records it: the record holds the text the evidence points into', async () => {
    const eml = await readFile(
      path.resolve(
        path.dirname(fileURLToPath(import.meta.url)),
        '../fixtures/formats/multipart-signature.eml',
      ),
      'utf8',
    );
    const { result } = await post({ content: eml });
    const [conversation] = await records(
      `SELECT Content__c, Language__c, Processing_Status__c FROM Conversation__c WHERE Source_Id__c = '${result.sourceId}'`,
    );
    expect(conversation).toMatchObject({ Language__c: 'es', Processing_Status__c: 'Processed' });
    const content = conversation!.Content__c as string;
    expect(content).toContain('Nuestro presupuesto aprobado es de 75.000 € para el primer año.');
    expect(content).not.toMatch(/=E2=82=AC|Content-Transfer-Encoding|boundary=/);
  });

  it('returns what processing produced, and 404 for a conversation it has not seen', async () => {
    const { result, done } = await post(await sampleBody('03-wingtip-email.eml'));
    const got = await app.inject({ method: 'GET', url: `/v1/conversations/${result.id}` });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(done);
    expect(done).toMatchObject({ status: 'processed', attempts: 1, error: null, deadLetter: null });
    expect(done.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await app.inject({ method: 'GET', url: '/v1/conversations/cv_AAAAAAAAAAAAAAAAAAAAAA' });
    expect(missing.statusCode).toBe(404);
  });

  it('answers a GET that prefers to wait when another process has processed the conversation, or at the wait', async () => {
    // Intake only, as a web process beside separate workers: it hears of the outcome from Postgres.
    await app.close();
    app = await buildTestApp(t.config, { db, worker: false });
    const accepted = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: await sampleBody('04-northwind-notes.md'),
    });
    const { id } = accepted.json() as ConversationStatusBody;
    const get = (prefer: string) =>
      app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: { prefer } });

    const started = Date.now();
    const unworked = await get('wait=1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(unworked.headers['preference-applied']).toBe('wait=1');
    expect(unworked.json()).toMatchObject({ id, status: 'queued' });

    const waiting = get('return=representation, wait=30');
    const worker = await buildTestApp(t.config, { db });
    try {
      const waited = await waiting;
      expect(waited.headers['preference-applied']).toBe('wait=30');
      expect(waited.json()).toMatchObject({ id, status: 'processed', attempts: 1 });
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await worker.close();
    }
    // Finished already: answered at once, and a wait longer than the service allows is held to it.
    const again = await get('wait=86400');
    expect(again.headers['preference-applied']).toBe('wait=60');
    expect(again.json()).toMatchObject({ status: 'processed' });
  });

  it('reads the content as the formatIn the caller names, and refuses a format it does not know', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: { content: 'Dana: we signed.', formatIn: 'docx' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toContain('formatIn');
    expect(unknown.json().error).toContain(INPUT_FORMATS.join(', '));

    // Read as what it looks like, this is a transcript (a Meeting); the caller says it is a rep's notes.
    const content =
      'Dana Reyes: The budget is approved.\nSam Ortiz: Great, I will send the order form Friday.\nDana Reyes: Perfect.';
    expect(detectInputFormat(content)).toBe('transcript');
    const { result } = await post({ content, formatIn: 'notes', meetingDate: '2026-03-11' });
    const [conversation] = await records(
      `SELECT Source__c FROM Conversation__c WHERE Source_Id__c = '${result.sourceId}'`,
    );
    expect(conversation).toMatchObject({ Source__c: 'Notes' });
  });

  it('names the field and the fix for a bad request, and says why content cannot be read', async () => {
    const both = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: { content: 'x', gong: { callTranscripts: [] } },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error).toContain('send exactly one of content (the text) or gong');
    const badId = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: { content: 'notes', opportunityId: 'nope' },
    });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error).toContain('opportunityId');
    const unreadable = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: { content: '{"not": "gong"}' },
    });
    expect(unreadable.statusCode).toBe(422);
    expect(unreadable.json().error).toContain('unknown JSON format');
  });

  it('pauses when the org says its API limit is used up, and processes the conversation once the window allows', async () => {
    t.org.faults.failNext('REQUEST_LIMIT_EXCEEDED', 1);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/conversations',
      payload: await sampleBody('04-northwind-notes.md'),
    });
    const id = (response.json() as ConversationStatusBody).id;
    let paused: ConversationStatusBody | null = null;
    for (let i = 0; i < 200 && !paused; i++) {
      const body = (
        await app.inject({ method: 'GET', url: `/v1/conversations/${id}` })
      ).json() as ConversationStatusBody;
      if (body.status === 'retrying') paused = body;
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(paused).toMatchObject({ attempts: 0, error: { code: 'REQUEST_LIMIT_EXCEEDED' } });
    expect(Date.parse(paused!.nextAttemptAt!)).toBeGreaterThan(Date.parse(paused!.updatedAt));
    const done = await settle(id);
    expect(done).toMatchObject({ status: 'processed', attempts: 1, error: null });
  });

  it('shows a conversation Salesforce refuses for good as dead with the reason, and a re-drive processes it once fixed', async () => {
    t.org.validationRules.push({
      object: 'Conversation__c',
      name: 'Summary_Required',
      message: 'Conversations need a reviewed summary before they are saved.',
      violated: () => true,
    });
    const { done, accepted } = await post(await sampleBody('04-northwind-notes.md'));
    expect(done).toMatchObject({
      status: 'dead',
      error: { code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
      deadLetter: { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    });
    expect(done.deadLetter!.reason).toContain('Conversations need a reviewed summary');
    expect(done.result?.status).toBe('failed');
    t.org.validationRules.length = 0;
    const { redrive } = await import('../../src/services/ingest/redrive.js');
    const { PostgresIngestQueue, startBoss } =
      await import('../../src/adapters/postgres/postgres-ingest-queue.js');
    const boss = await startBoss(db.database.pool, db.settings(), app.log);
    try {
      expect(await redrive(db.org, new PostgresIngestQueue(db.org, boss), [accepted.id])).toEqual([
        accepted.id,
      ]);
    } finally {
      await boss.stop({ graceful: false, close: false });
    }
    expect(await settle(accepted.id)).toMatchObject({ status: 'processed', deadLetter: null });
  });

  it('asks for the API key when one is configured, and keeps health checks open', async () => {
    const guarded = await buildTestApp(t.config, { db, apiKey: 'a-key-of-at-least-16-chars', worker: false });
    try {
      const refused = await guarded.inject({
        method: 'POST',
        url: '/v1/conversations',
        payload: { content: 'notes' },
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error).toContain('Authorization: Bearer <SCRIBE_API_KEY>');
      expect((await guarded.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await guarded.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const accepted = await guarded.inject({
        method: 'POST',
        url: '/v1/conversations',
        headers: { authorization: 'Bearer a-key-of-at-least-16-chars' },
        payload: await sampleBody('04-northwind-notes.md'),
      });
      expect(accepted.statusCode).toBe(202);
    } finally {
      await guarded.close();
    }
  });

  it('retries a write that hit a row lock, once', async () => {
    t.org.faults.failNext('UNABLE_TO_LOCK_ROW', 1);
    const { result, orgCalls } = await post(await sampleBody('04-northwind-notes.md'));
    expect(result.status).toBe('processed');
    expect(orgCalls).toBe(3);
  });
});
