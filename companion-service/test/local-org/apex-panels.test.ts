import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MANAGER_USERNAME,
  REP_USERNAMES,
  startLocalOrg,
  type LocalOrg,
} from '@pipeline-scribe/local-salesforce/org';

/**
 * The panels' Apex as the local org serves it (apex-reads.ts, apex-actions.ts), on the sample data:
 * each method reads as the calling user (a rep never sees a deal that is not theirs, a manager the team
 * under them), answers the shape of the Apex view class, and refuses bad input as the Apex does.
 */

let org: LocalOrg;
const [OWNER, OTHER_REP] = REP_USERNAMES as [string, string];

async function apex(path: string, body: unknown, user: string) {
  const response = await fetch(`${org.url}/services/apexrest/${org.schema.namespace}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.issueAccessToken(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const field = (object: string, name: string) => org.schema.apiName(`${object}.${name}`).split('.')[1]!;
const deal = (name: string) => org.store.all('Opportunity').find((o) => String(o.Name).startsWith(name))!;

beforeAll(async () => {
  org = await startLocalOrg();
  // The sample data gives Fabrikam to the first rep; the tests lean on that.
  const owner = org.users.find((u) => u.username === OWNER)!;
  expect(deal('Fabrikam').OwnerId).toBe(owner.id);
});
afterAll(async () => org.close());

describe('SuggestionController.getSuggestions', () => {
  it("answers the deal's open suggestions as SuggestionView: labels, current values, quote, reasons, stage moves", async () => {
    const { status, body } = await apex('/suggestions/open', { opportunityId: deal('Fabrikam').Id }, OWNER);
    expect(status).toBe(200);
    const views = body as Record<string, unknown>[];
    expect(views).toHaveLength(7);
    const stage = views.find((v) => v.type === 'Stage')!;
    expect(stage).toMatchObject({
      fieldLabel: 'Stage',
      inputType: 'picklist',
      displayType: 'picklist',
      currentValue: 'Qualification',
      proposedValue: 'Needs Analysis',
      evidenceQuote: 'We have $64,000 budgeted for this fiscal year.',
      stageMove: null,
      needsConfirmation: false,
      closedStage: false,
      opportunityName: 'Fabrikam - Pipeline Scribe',
    });
    expect(stage.reasons).toEqual([
      'Budget discussed: "We have $64,000 budgeted for this fiscal year."',
      'Pain identified: "our reps batch their updates on Friday afternoons and half of it never gets entered."',
    ]);
    const options = stage.options as { value: string; stageMove: string | null }[];
    expect(options.find((o) => o.value === 'Prospecting')?.stageMove).toBe('back');
    expect(options.find((o) => o.value === 'Closed Lost')?.stageMove).toBe('close');
    expect(options.find((o) => o.value === 'Value Proposition')?.stageMove).toBeNull();
    expect(String(stage.conversationDate)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(views.find((v) => v.targetField === 'Budget__c')).toMatchObject({
      fieldLabel: 'Budget',
      displayType: 'currency',
      inputType: 'number',
    });
  });

  it("reads as the calling user: another rep's views never show a deal that rep cannot see", async () => {
    const { status, body } = await apex(
      '/suggestions/open',
      { opportunityId: deal('Fabrikam').Id },
      OTHER_REP,
    );
    expect(status).toBe(200);
    // Opportunity is Private: its name and field values read empty, as Opportunity__r.Name and the
    // target record's query do in Apex for that user. (Suggestion__c itself is Public Read/Write in
    // force-app, so the suggestions are listed.)
    const views = body as Record<string, unknown>[];
    expect(views.filter((v) => v.opportunityName !== null || v.currentValue !== null)).toEqual([]);
  });

  it('refuses a call without an opportunity as the Apex does', async () => {
    const { status, body } = await apex('/suggestions/open', {}, OWNER);
    expect(status).toBe(500);
    expect(body).toEqual([
      {
        errorCode: 'APEX_ERROR',
        message: 'System.AuraHandledException: Open an opportunity to see its suggestions.',
      },
    ]);
  });
});

describe('FieldProvenanceController.getProvenance', () => {
  it('lists the value a rep applied, current and revertible, then reverted', async () => {
    const fabrikam = deal('Fabrikam');
    const stageId = (
      (await apex('/suggestions/open', { opportunityId: fabrikam.Id }, OWNER)).body as {
        id: string;
        type: string;
      }[]
    ).find((v) => v.type === 'Stage')!.id;
    await apex('/suggestions/decisions', { decisions: [{ suggestionId: stageId, action: 'accept' }] }, OWNER);

    const [applied] = (await apex('/provenance/record', { recordId: fabrikam.Id }, OWNER)).body as Record<
      string,
      unknown
    >[];
    expect(applied).toMatchObject({
      fieldName: 'StageName',
      fieldLabel: 'Stage',
      newValue: 'Needs Analysis',
      previousValue: 'Qualification',
      evidenceQuote: 'We have $64,000 budgeted for this fiscal year.',
      isCurrent: true,
      canRevert: true,
      revertedAt: null,
    });
    expect(applied!.appliedBy).toBe(org.store.findBy('User', 'Username', OWNER)[0]!.Name);

    await apex('/provenance/revert', { provenanceId: applied!.id }, OWNER);
    const [reverted] = (await apex('/provenance/record', { recordId: fabrikam.Id }, OWNER)).body as Record<
      string,
      unknown
    >[];
    expect(reverted).toMatchObject({ isCurrent: false, canRevert: false });
    expect(reverted!.revertedBy).toBe(applied!.appliedBy);
  });
});

describe('OpportunityRiskController', () => {
  it("getTeamRisk gives the manager every report's open deal, riskiest first, with the risk level and flags", async () => {
    const { status, body } = await apex('/risk/team', {}, MANAGER_USERNAME);
    expect(status).toBe(200);
    const views = body as Record<string, unknown>[];
    expect(views.map((v) => String(v.name).split(' ')[0])).toEqual([
      'Litware',
      'Tailspin',
      'Wingtip',
      'Fabrikam',
      'Northwind',
    ]);
    expect(new Set(views.map((v) => v.ownerName)).size).toBe(2);
    const litware = views[0]!;
    expect(litware).toMatchObject({
      score: 90,
      previousScore: 40,
      trend: 50,
      riskLevel: 'High',
      closeOutCandidate: true,
    });
    expect((litware.flags as { signal: string }[]).map((f) => f.signal)).toEqual(['Zombie', 'Stale']);
    expect(views.at(-1)!.riskLevel).toBe('Low');
  });

  it('getTeamRisk gives a rep, who manages nobody, no deals', async () => {
    expect((await apex('/risk/team', {}, OWNER)).body).toEqual([]);
  });

  it("getHygieneList gives the rep only their own flagged open deals; getOpportunityRisk refuses another rep's deal", async () => {
    const own = (await apex('/risk/hygiene', {}, OWNER)).body as {
      opportunityId: string;
      flags: unknown[];
    }[];
    const ownerId = org.users.find((u) => u.username === OWNER)!.id;
    expect(own.length).toBeGreaterThan(0);
    for (const view of own) {
      expect(org.store.get('Opportunity', view.opportunityId)!.OwnerId).toBe(ownerId);
      expect(view.flags.length).toBeGreaterThan(0);
    }
    const notTheirs = org.store.all('Opportunity').find((o) => o.OwnerId !== ownerId)!;
    const { status, body } = await apex('/risk/opportunity', { opportunityId: notTheirs.Id }, OWNER);
    expect(status).toBe(500);
    expect(JSON.stringify(body)).toContain('This opportunity no longer exists or you cannot see it.');
  });
});

describe('NextBestActionController', () => {
  it("getActionQueue is the rep's own ranked queue; updateActionStatus marks one Done as the rep", async () => {
    const queue = (await apex('/actions/queue', {}, OWNER)).body as Record<string, unknown>[];
    expect(queue.map((a) => a.Rank__c)).toEqual([...queue.map((a) => a.Rank__c)].sort());
    expect(queue[0]).toMatchObject({ Action__c: 'Call Dmitri at Fabrikam', Status__c: 'Open' });
    expect((queue[0]!.Opportunity__r as { Account: { Name: string } }).Account.Name).toMatch(/Fabrikam/);

    const notAnAction = await apex(
      '/actions/status',
      { actionId: deal('Fabrikam').Id, status: 'Done' },
      OWNER,
    );
    expect(notAnAction.status).toBe(500);
    expect(JSON.stringify(notAnAction.body)).toContain('Choose the action to update.');

    const done = await apex('/actions/status', { actionId: queue[0]!.Id, status: 'Done' }, OWNER);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ Status__c: 'Done', Snoozed_Until__c: null });
    const stored = org.store.get(org.schema.apiName('Next_Best_Action__c'), String(queue[0]!.Id))!;
    expect(stored[field('Next_Best_Action__c', 'Status__c')]).toBe('Done');
    const after = (await apex('/actions/queue', {}, OWNER)).body as { Id: string }[];
    expect(after.map((a) => a.Id)).not.toContain(queue[0]!.Id);
  });

  it('snoozes for the default days, and refuses a status a rep cannot set and a day already come', async () => {
    const [action] = (await apex('/actions/queue', {}, OWNER)).body as { Id: string }[];
    const snoozed = await apex('/actions/status', { actionId: action!.Id, status: 'Snoozed' }, OWNER);
    expect(snoozed.status).toBe(200);
    expect(
      String((snoozed.body as { Snoozed_Until__c: string }).Snoozed_Until__c) >
        new Date().toISOString().slice(0, 10),
    ).toBe(true);

    const wrong = await apex('/actions/status', { actionId: action!.Id, status: 'Open' }, OWNER);
    expect(JSON.stringify(wrong.body)).toContain('is not something you can do with an action');
    const past = await apex(
      '/actions/status',
      { actionId: action!.Id, status: 'Snoozed', snoozeUntil: '2020-01-01' },
      OWNER,
    );
    expect(JSON.stringify(past.body)).toContain(
      'Snooze until a day after today; 2020-01-01 has already come.',
    );
  });
});

describe('ConversationController', () => {
  it("getRecentConversations and getMyOpenOpportunities read the rep's own", async () => {
    const notes = (
      await apex('/conversations/recent', { opportunityId: deal('Fabrikam').Id, maxRecords: 3 }, OWNER)
    ).body as Record<string, unknown>[];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ Processing_Status__c: 'Processed', Source__c: 'Gong Call' });
    const open = (await apex('/opportunities/open', {}, OWNER)).body as { Name: string }[];
    const ownerId = org.users.find((u) => u.username === OWNER)!.id;
    expect(open.map((o) => o.Name).sort()).toEqual(
      org.store
        .all('Opportunity')
        .filter((o) => o.OwnerId === ownerId && !o.IsClosed)
        .map((o) => String(o.Name))
        .sort(),
    );
  });
});

describe('ConversationController.captureConversation', () => {
  it("saves the rep's notes as a queued conversation on the deal, announced to the service", async () => {
    const fabrikam = deal('Fabrikam');
    const before = org.events.length;
    const { status, body } = await apex(
      '/conversations/capture',
      {
        conversation: {
          Opportunity__c: fabrikam.Id,
          Source__c: 'Notes',
          Content__c: 'Dmitri: budget is approved.',
        },
      },
      OWNER,
    );
    expect(status).toBe(200);
    const saved = org.store.get(org.schema.apiName('Conversation__c'), String(body))!;
    expect(saved[field('Conversation__c', 'Processing_Status__c')]).toBe('Queued');
    expect(saved[field('Conversation__c', 'Account__c')]).toBe(fabrikam.AccountId);
    expect(String(saved.Name)).toMatch(/^Notes \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(saved.OwnerId).toBe(org.users.find((u) => u.username === OWNER)!.id);
    expect(org.events.slice(before).map((e) => e.type)).toContain(
      org.schema.apiName('Conversation_Captured__e'),
    );
  });

  it('refuses notes without content, and notes on a deal the rep cannot see', async () => {
    const empty = await apex(
      '/conversations/capture',
      { conversation: { Opportunity__c: deal('Fabrikam').Id } },
      OWNER,
    );
    expect(JSON.stringify(empty.body)).toContain('Paste the notes or attach a recording before saving.');
    const notTheirs = await apex(
      '/conversations/capture',
      { conversation: { Opportunity__c: deal('Fabrikam').Id, Content__c: 'Notes' } },
      OTHER_REP,
    );
    expect(notTheirs.status).toBe(500);
    expect(JSON.stringify(notTheirs.body)).toContain(
      'The opportunity no longer exists or you cannot see it.',
    );
  });
});

describe('a user without the Pipeline Scribe permission set', () => {
  it('gets a sentence naming what failed and who can fix it, from every panel', async () => {
    const admin = org.issueAccessToken('admin@pipeline-scribe.local');
    const query = encodeURIComponent(
      `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${MANAGER_USERNAME}'`,
    );
    const found = await fetch(`${org.url}/services/data/v62.0/query?q=${query}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const [assignment] = ((await found.json()) as { records: { Id: string }[] }).records;
    const removed = await fetch(
      `${org.url}/services/data/v62.0/sobjects/PermissionSetAssignment/${assignment!.Id}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${admin}` },
      },
    );
    expect(removed.status).toBe(204);

    const team = await apex('/risk/team', {}, MANAGER_USERNAME);
    expect(team.status).toBe(500);
    const [{ message }] = team.body as [{ message: string }];
    expect(message).toMatch(/^System\.AuraHandledException: Could not load your team’s deals: /);
    expect(message).toMatch(
      /Ask your Salesforce admin for the Pipeline Scribe permission set of your role\.$/,
    );
    const queue = await apex('/actions/queue', {}, MANAGER_USERNAME);
    expect(JSON.stringify(queue.body)).toContain('Could not load your next best actions');
  });
});
