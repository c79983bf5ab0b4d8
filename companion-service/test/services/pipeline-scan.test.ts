import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { Connection } from 'jsforce';
import { speakingLocalNames, startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import { scanForecast } from '../../src/services/pipeline-scan-forecast.js';
import { PipelineScanner } from '../../src/services/pipeline-scan-schedule.js';
import { REP_USERNAMES, type LocalOrgOptions } from '@pipeline-scribe/local-salesforce/org';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const FULL = { kind: 'full', closedLookbackDays: 730 } as const;

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

async function setUp(options: LocalOrgOptions = {}) {
  running = await startTestOrg(options);
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  // The service signs its JWT on the org's clock, which a test may have set to another day.
  const api = await SalesforceClient.connect({ ...config, logger, now: options.now });
  const snapshot = await readOrgSnapshot(api, (options.now ?? Date.now)());
  return { ...running, api, snapshot };
}

/**
 * A clock that reads `iso` now and runs on from there. The sample deals carry fixed dates, and the
 * org stamps CreatedDate, history and TODAY from its own clock, so a test that describes a day runs
 * the org and the scan on that day: a deal created "today" on the wall clock did not exist yet on an
 * earlier as-of date, and the scan would judge none of the sample deals.
 */
function clockAt(iso: string): () => number {
  const offset = Date.parse(iso) - Date.now();
  return () => Date.now() + offset;
}

type Row = Record<string, unknown>;
async function rows(admin: Connection, soql: string): Promise<Row[]> {
  return (await admin.query<Row>(soql)).records;
}
async function dealNamed(admin: Connection, name: string): Promise<Row> {
  const [row] = await rows(
    admin,
    `SELECT Id, Name, StageName, Amount, CloseDate, NextStep, ForecastCategoryName, Risk_Score__c, Previous_Risk_Score__c, Risk_Factors__c, Hygiene_Flags__c, Hygiene_Details__c, Risk_Scored_At__c, Customer_Decision_Phase__c, Last_Conversation_Date__c FROM Opportunity WHERE Name = '${name}'`,
  );
  if (!row) throw new Error(`no deal ${name}`);
  return row;
}

const WINGTIP = 'Wingtip Toys - Pipeline Scribe';
const FABRIKAM = 'Fabrikam - Pipeline Scribe';
const TAILSPIN = 'Tailspin Toys - Sales Cloud rollout';

describe('a pipeline scan of the sample org', () => {
  it('writes risk, hygiene flags and next-best actions with provenance, and leaves the rep fields alone', async () => {
    // The sample deals carry fixed dates, so the org and the scan run on the day the expectations describe.
    const now = clockAt('2026-11-24T12:00:00Z');
    const { api, snapshot, admin } = await setUp({ now });
    const before = await dealNamed(admin, WINGTIP);
    const report = await scanPipeline(api, snapshot, FULL, { now });

    expect(report.failures).toEqual([]);
    const after = await dealNamed(admin, WINGTIP);
    expect(String(after.Hygiene_Flags__c).split(';')).toEqual(
      expect.arrayContaining(['Close_Date_Passed', 'No_Next_Step', 'Single_Threaded']),
    );
    expect(after.Risk_Score__c).toBeGreaterThanOrEqual(35);
    expect(after.Risk_Factors__c).toContain('Close date 2026-11-16 passed');
    expect(after.Hygiene_Details__c).toContain('Recommended: Update Close Date.');
    // The rep's own fields are exactly as they were.
    for (const field of ['StageName', 'Amount', 'CloseDate', 'NextStep', 'ForecastCategoryName', 'Name'])
      expect(after[field], field).toEqual(before[field]);
    const fabrikam = await dealNamed(admin, FABRIKAM);
    expect(fabrikam.Hygiene_Flags__c).toContain('Competitor_Present');
    expect(fabrikam.Last_Conversation_Date__c).toBe('2026-11-20');

    const [action] = await rows(
      admin,
      `SELECT Id, Action__c, Action_Type__c, Why__c, Status__c, Rank__c FROM Next_Best_Action__c WHERE External_Id__c = 'scan:${String(after.Id)}:update-close-date'`,
    );
    expect(action).toMatchObject({ Action_Type__c: 'Update Close Date', Status__c: 'Open', Rank__c: 1 });
    expect(action!.Why__c).toContain('passed 8 days ago');

    const provenance = await rows(
      admin,
      `SELECT Field_Name__c, New_Value__c, Evidence_Quote__c, Extractor__c, Extractor_Version__c, Applied_At__c FROM Field_Provenance__c WHERE Record_Id__c = '${String(after.Id)}'`,
    );
    const risk = provenance.find((p) => p.Field_Name__c === 'Risk_Score__c');
    expect(risk).toMatchObject({ Extractor__c: 'pipeline-risk-rules', Extractor_Version__c: '1.0.0' });
    expect(risk!.Evidence_Quote__c).toContain('Close date passed (+');
    expect(provenance.map((p) => p.Field_Name__c)).toEqual(
      expect.arrayContaining([
        'Hygiene_Flags__c',
        'Hygiene_Details__c',
        'Risk_Factors__c',
        'Risk_Scored_At__c',
      ]),
    );
    const actionProvenance = await rows(
      admin,
      `SELECT Field_Name__c, Extractor__c FROM Field_Provenance__c WHERE Record_Id__c = '${String(action!.Id)}'`,
    );
    expect(actionProvenance.map((p) => p.Field_Name__c)).toEqual(
      expect.arrayContaining(['Action__c', 'Why__c']),
    );
    // Every value the scan wrote has its provenance.
    expect(report.changed.provenance).toBe((await rows(admin, 'SELECT Id FROM Field_Provenance__c')).length);
    // The sample actions are not the scan's: left as they were.
    expect(
      (
        await rows(admin, "SELECT Status__c FROM Next_Best_Action__c WHERE External_Id__c LIKE 'sample:%'")
      ).every((r) => r.Status__c === 'Open'),
    ).toBe(true);
  });

  it('writes nothing on a second scan of an unchanged org: the re-scan costs reads only', async () => {
    const { api, snapshot } = await setUp();
    const first = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast });
    expect(first.apiCalls.write).toBeGreaterThan(0);
    expect(first.changed.calibrationRows).toBeGreaterThan(0);
    const second = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast });
    expect(second.apiCalls.write).toBe(0);
    expect(second.changed).toMatchObject({
      opportunities: 0,
      actionsCreated: 0,
      actionsUpdated: 0,
      actionsClosed: 0,
      calibrationRows: 0,
      provenance: 0,
    });
    expect(second.apiCalls.read).toBe(first.apiCalls.read);
  });

  it('writes no win probability or forecast category while no deal has closed, and says why', async () => {
    const { api, snapshot, admin } = await setUp();
    const closed = await rows(admin, 'SELECT Id FROM Opportunity WHERE IsClosed = true');
    for (const { Id } of closed) await admin.sobject('Opportunity').destroy(String(Id));
    await scanPipeline(api, snapshot, FULL, { forecast: scanForecast });
    const deals = await rows(
      admin,
      'SELECT Id, Model_Close_Probability__c, Suggested_Forecast_Category__c FROM Opportunity',
    );
    expect(deals.length).toBeGreaterThan(0);
    for (const deal of deals) {
      expect(deal.Model_Close_Probability__c).toBeNull();
      expect(deal.Suggested_Forecast_Category__c).toBeNull();
    }
    const provenance = await rows(
      admin,
      "SELECT Evidence_Quote__c FROM Field_Provenance__c WHERE Field_Name__c = 'Model_Close_Probability__c'",
    );
    expect(provenance.length).toBeGreaterThan(0);
    expect(String(provenance[0]!.Evidence_Quote__c)).toMatch(/No deal in this org has closed yet/);
  });

  it('reports a record a validation rule refuses and writes the rest', async () => {
    const { api, snapshot, admin, org } = await setUp();
    org.validationRules.push({
      object: 'Opportunity',
      name: 'Wingtip_Frozen',
      message: 'Wingtip is under legal hold: no edits',
      violated: (record) => record.Name === WINGTIP,
    });
    const report = await scanPipeline(api, snapshot, FULL);
    const wingtip = await dealNamed(admin, WINGTIP);
    expect(report.failures).toEqual([
      expect.objectContaining({
        object: 'Opportunity',
        key: wingtip.Id,
        code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Wingtip is under legal hold: no edits',
      }),
    ]);
    expect(wingtip.Risk_Factors__c).not.toContain('Close date 2026-11-16 passed');
    expect((await dealNamed(admin, FABRIKAM)).Hygiene_Flags__c).toContain('Competitor_Present');
    expect(report.changed.opportunities).toBe(4);
    // No provenance for a value that was not saved.
    expect(
      await rows(admin, `SELECT Id FROM Field_Provenance__c WHERE Record_Id__c = '${String(wingtip.Id)}'`),
    ).toEqual([]);
  });

  it('retries a record that hit a row lock once, and writes it', async () => {
    const { api, snapshot, org, admin } = await setUp();
    org.faults.failNext('UNABLE_TO_LOCK_ROW', 1);
    const report = await scanPipeline(api, snapshot, FULL);
    expect(report.failures).toEqual([]);
    expect(report.changed.opportunities).toBe(5);
    expect((await rows(admin, 'SELECT Id FROM Opportunity WHERE Risk_Scored_At__c != null')).length).toBe(5);
  });

  it('never touches an action a rep marked done, and closes open actions whose reason is gone', async () => {
    const { api, snapshot, admin } = await setUp();
    await scanPipeline(api, snapshot, FULL);
    const wingtip = await dealNamed(admin, WINGTIP);
    const tailspin = await dealNamed(admin, TAILSPIN);
    const done = `scan:${String(wingtip.Id)}:update-close-date`;
    const [doneRow] = await rows(
      admin,
      `SELECT Id FROM Next_Best_Action__c WHERE External_Id__c = '${done}'`,
    );
    await admin.sobject('Next_Best_Action__c').update({
      Id: String(doneRow!.Id),
      Status__c: 'Done',
      Status_Changed_At__c: new Date().toISOString(),
      Why__c: 'Called them, new date agreed',
    });
    // A second person on Tailspin: single-threaded no longer holds, so its Add Contact action goes.
    const [contact] = await rows(admin, "SELECT Id FROM Contact WHERE Email LIKE '%tailspin%' LIMIT 1");
    const extra = await admin.sobject('Contact').create({
      LastName: 'Okafor',
      FirstName: 'Ada',
      AccountId: String(
        (await rows(admin, `SELECT AccountId FROM Opportunity WHERE Id = '${String(tailspin.Id)}'`))[0]!
          .AccountId,
      ),
    });
    expect(contact).toBeDefined();
    await admin.sobject('OpportunityContactRole').create({
      OpportunityId: String(tailspin.Id),
      ContactId: (extra as { id: string }).id,
      Role: 'Influencer',
    });

    const report = await scanPipeline(api, snapshot, FULL);
    expect(report.changed.actionsLeftToRep).toBe(1);
    expect(report.changed.actionsClosed).toBe(1);
    const [kept] = await rows(
      admin,
      `SELECT Status__c, Why__c FROM Next_Best_Action__c WHERE External_Id__c = '${done}'`,
    );
    expect(kept).toMatchObject({ Status__c: 'Done', Why__c: 'Called them, new date agreed' });
    const [closed] = await rows(
      admin,
      `SELECT Status__c, Why__c, Status_Changed_At__c FROM Next_Best_Action__c WHERE External_Id__c = 'scan:${String(tailspin.Id)}:add-contact'`,
    );
    expect(closed).toMatchObject({ Status__c: 'Done', Status_Changed_At__c: null });
    expect(closed!.Why__c).toContain('no longer fire');
    expect((await dealNamed(admin, TAILSPIN)).Hygiene_Flags__c ?? '').not.toContain('Single_Threaded');
  });
});

describe("next-best actions in the deal owner's queue", () => {
  it("creates each action owned by its deal's owner, and re-owns the scan's older actions it still owns", async () => {
    const { api, snapshot, admin, org } = await setUp();
    // Wingtip goes to the other rep (the seed gives it to the first).
    const [repRow] = await rows(admin, `SELECT Id FROM User WHERE Username = '${REP_USERNAMES[1]}'`);
    const rep = { id: String(repRow!.Id) };
    const wingtip = await dealNamed(admin, WINGTIP);
    const fabrikam = await dealNamed(admin, FABRIKAM);
    await admin.sobject('Opportunity').update({ Id: String(wingtip.Id), OwnerId: rep.id });
    // Actions an earlier scan created without an owner: the integration user made and owns them.
    const integration = speakingLocalNames(
      new Connection({ instanceUrl: org.url, accessToken: org.issueAccessToken(), version: '62.0' }),
      running!.names,
    );
    const old = await integration.sobject('Next_Best_Action__c').create({
      External_Id__c: `scan:${String(wingtip.Id)}:update-close-date`,
      Opportunity__c: String(wingtip.Id),
      Action__c: 'Update the close date',
      Action_Type__c: 'Update Close Date',
      Why__c: 'Close date passed',
      Status__c: 'Open',
    });
    // One the integration user made for someone else: moving it would be a transfer; it stays.
    await integration.sobject('Next_Best_Action__c').create({
      External_Id__c: `scan:${String(fabrikam.Id)}:add-contact`,
      Opportunity__c: String(fabrikam.Id),
      Action__c: 'Bring more people in',
      Action_Type__c: 'Add Contact',
      Why__c: 'One contact role',
      Status__c: 'Open',
      OwnerId: rep.id,
    });

    const report = await scanPipeline(api, snapshot, FULL);
    expect(report.failures).toEqual([]);
    const actions = await rows(
      admin,
      "SELECT Id, External_Id__c, OwnerId, Opportunity__c, Status__c FROM Next_Best_Action__c WHERE External_Id__c LIKE 'scan:%'",
    );
    const dealOwners = new Map(
      (await rows(admin, 'SELECT Id, OwnerId FROM Opportunity')).map((o) => [o.Id, o.OwnerId]),
    );
    const reowned = actions.find((a) => a.Id === (old as { id: string }).id);
    expect(reowned).toMatchObject({ OwnerId: rep.id, Status__c: 'Open' });
    for (const action of actions) {
      if (action.External_Id__c === `scan:${String(fabrikam.Id)}:add-contact`)
        expect(action.OwnerId, 'left with the rep it was given to').toBe(rep.id);
      else expect(action.OwnerId, String(action.External_Id__c)).toBe(dealOwners.get(action.Opportunity__c));
    }
    expect(actions.filter((a) => a.OwnerId === rep.id && a.Status__c === 'Open').length).toBeGreaterThan(1);
    // The owner routes the action; it is not a judgement, so it has no provenance.
    expect(await rows(admin, "SELECT Id FROM Field_Provenance__c WHERE Field_Name__c = 'OwnerId'")).toEqual(
      [],
    );
    // Nothing left to re-own: the next scan writes nothing.
    expect((await scanPipeline(api, snapshot, FULL)).apiCalls.write).toBe(0);
  });
});

describe('incremental re-scoring', () => {
  it('touches only the given deals, and refuses ids that are not Salesforce ids', async () => {
    const { api, snapshot, admin } = await setUp();
    await scanPipeline(api, snapshot, FULL);
    const fabrikam = await dealNamed(admin, FABRIKAM);
    const tailspin = await dealNamed(admin, TAILSPIN);
    const [actionBefore] = await rows(
      admin,
      `SELECT Rank__c, Why__c FROM Next_Best_Action__c WHERE External_Id__c = 'scan:${String(fabrikam.Id)}:add-contact'`,
    );
    await admin.sobject('Opportunity').update([
      { Id: String(fabrikam.Id), NextStep: null },
      { Id: String(tailspin.Id), NextStep: null },
    ] as never);
    const scanner = new PipelineScanner(
      { api, snapshot: async () => snapshot, logger },
      { intervalMs: 0, firstDelayMs: 0, closedLookbackDays: 730 },
    );
    // Asked twice while nothing ran yet: gathered into one re-score.
    const [one, two] = await Promise.all([
      scanner.rescoreOpportunities([String(fabrikam.Id).slice(0, 15)]),
      scanner.rescoreOpportunities([String(fabrikam.Id)]),
    ]);
    expect(one).toBe(two);
    expect(one.mode).toBe('deals');
    expect(one.read.opportunities).toBe(1);
    expect(one.changed.opportunities).toBe(1);
    expect((await dealNamed(admin, FABRIKAM)).Hygiene_Flags__c).toContain('No_Next_Step');
    expect((await dealNamed(admin, TAILSPIN)).Hygiene_Flags__c ?? '').not.toContain('No_Next_Step');
    // Its action's reason is refreshed; its place in the owner's queue waits for the next full scan.
    const [action] = await rows(
      admin,
      `SELECT Rank__c, Why__c FROM Next_Best_Action__c WHERE External_Id__c = 'scan:${String(fabrikam.Id)}:add-contact'`,
    );
    expect(action).toMatchObject({ Rank__c: actionBefore!.Rank__c });
    expect(action!.Why__c).not.toBe(actionBefore!.Why__c);

    await expect(scanner.rescoreOpportunities(["006' OR Name != '"])).rejects.toThrow(
      /not Salesforce record ids/,
    );
    await scanner.stop();
  });
});

async function insertDeals(admin: Connection, n: number) {
  const [account] = await rows(admin, 'SELECT Id FROM Account LIMIT 1');
  const accountId = account
    ? String(account.Id)
    : ((await admin.sobject('Account').create({ Name: 'Contoso' })) as { id: string }).id;
  for (let start = 0; start < n; start += 200) {
    const batch = Array.from({ length: Math.min(200, n - start) }, (_, i) => ({
      attributes: { type: 'Opportunity' },
      Name: `Bulk deal ${start + i + 1}`,
      AccountId: accountId,
      StageName: (start + i) % 3 === 0 ? 'Proposal/Price Quote' : 'Qualification',
      CloseDate: (start + i) % 2 === 0 ? '2026-10-30' : '2027-03-31',
      Amount: 10_000 + (start + i) * 100,
    }));
    await admin.request({
      method: 'POST',
      url: '/services/data/v62.0/composite/sobjects',
      body: JSON.stringify({ allOrNone: true, records: batch }),
      headers: { 'content-type': 'application/json' },
    });
  }
}

describe('a large org', () => {
  for (const n of [160, 450]) {
    it(`pages the reads and writes ${n} deals in at most ceil(n/200) calls per object`, async () => {
      const { api, snapshot, admin } = await setUp({ dataPlan: null, queryBatchSize: 200 });
      await insertDeals(admin, n);
      const report = await scanPipeline(api, snapshot, FULL);
      expect(report.read.opportunities).toBe(n);
      expect(report.failures).toEqual([]);
      expect(report.changed.opportunities).toBe(n);
      const byObject = report.apiCalls.writesByObject;
      expect(byObject.Opportunity!.records).toBe(n);
      for (const [object, { calls, records }] of Object.entries(byObject))
        expect(calls, object).toBeLessThanOrEqual(Math.ceil(records / 200));
      expect(
        (await admin.query('SELECT COUNT() FROM Opportunity WHERE Risk_Score__c != null')).totalSize,
      ).toBe(n);
      const again = await scanPipeline(api, snapshot, FULL);
      expect(again.apiCalls.write).toBe(0);
    });
  }
});
