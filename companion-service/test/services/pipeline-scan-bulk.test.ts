import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Connection } from 'jsforce';
import type { LocalOrgOptions } from '@pipeline-scribe/local-salesforce/org';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot, type OrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

/**
 * The scan past the Bulk Threshold of the Default Scribe Setting: Bulk API 2.0 query and ingest jobs
 * on the local org instead of REST calls, with the same outcome, failures reported the same way, and
 * nothing written twice when a scan runs again.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const FULL = { kind: 'full', closedLookbackDays: 730 } as const;

const orgs: TestOrg[] = [];
afterEach(async () => {
  for (const o of orgs.splice(0)) await o.org.close();
});

async function setUp(options: LocalOrgOptions = {}) {
  const running = await startTestOrg(options);
  orgs.push(running);
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const api = await SalesforceClient.connect({ ...config, logger });
  const snapshot = await readOrgSnapshot(api, Date.now());
  return { ...running, api, snapshot };
}

/** The snapshot with the Default Scribe Setting's Bulk Threshold set as an admin would set it. */
function withThreshold(snapshot: OrgSnapshot, threshold: number): OrgSnapshot {
  return {
    ...snapshot,
    settings: snapshot.settings.map((s) =>
      s.developerName === 'Default' ? { ...s, values: { ...s.values, Bulk_Threshold__c: threshold } } : s,
    ),
  };
}

/** The jobs the integration user has made, by kind. */
async function jobs(api: SalesforceClient, kind: 'query' | 'ingest') {
  const listed = (await api.bulk({ method: 'GET', path: `/jobs/${kind}` })).json as {
    records: { object: string; state: string }[];
  };
  return listed.records;
}

type Row = Record<string, unknown>;
const rows = async (admin: Connection, soql: string) => (await admin.query<Row>(soql)).records;

const AI = `Name, Risk_Score__c, Risk_Factors__c, Hygiene_Flags__c, Hygiene_Details__c, Customer_Decision_Phase__c,
  Last_Conversation_Date__c`;

describe('a scan past the Bulk Threshold', () => {
  it('reads and writes with Bulk API 2.0 jobs and leaves the org as the REST scan leaves it', async () => {
    const rest = await setUp();
    const bulk = await setUp();
    const overRest = await scanPipeline(rest.api, rest.snapshot, FULL);
    const overBulk = await scanPipeline(bulk.api, withThreshold(bulk.snapshot, 1), FULL);

    expect(await jobs(rest.api, 'query')).toEqual([]);
    expect(await jobs(rest.api, 'ingest')).toEqual([]);
    // Each query went as a job once its first REST page counted rows at the threshold (1 here):
    // the deals always, the others when the org holds any.
    const queried = new Set((await jobs(bulk.api, 'query')).map((j) => j.object));
    const held = async (soql: string) => (await bulk.admin.query(soql)).totalSize > 0;
    expect(queried.has('Opportunity')).toBe(true);
    expect(queried.has('OpportunityHistory')).toBe(await held('SELECT Id FROM OpportunityHistory'));
    expect(queried.has('Contact')).toBe(await held('SELECT Id FROM Contact'));
    expect(queried.has('Task')).toBe(await held("SELECT Id FROM Task WHERE Status = 'Completed'"));
    expect(queried.has('Deal_Score_History__c')).toBe(true);
    const ingested = await jobs(bulk.api, 'ingest');
    expect(new Set(ingested.map((j) => j.object))).toEqual(
      new Set([
        'Opportunity',
        'Deal_Score_History__c',
        'Next_Best_Action__c',
        'Field_Provenance__c',
        'Pipeline_Review__c',
      ]),
    );
    expect(ingested.every((j) => j.state === 'JobComplete')).toBe(true);

    expect(overBulk.failures).toEqual([]);
    expect(overBulk.read).toEqual(overRest.read);
    expect(overBulk.changed).toEqual(overRest.changed);
    const dealsBy = async (admin: Connection) =>
      (await rows(admin, `SELECT ${AI} FROM Opportunity ORDER BY Name`)).map(({ attributes, ...r }) => {
        void attributes;
        return r;
      });
    expect(await dealsBy(bulk.admin)).toEqual(await dealsBy(rest.admin));
    const countOf = async (admin: Connection, object: string) =>
      (await admin.query(`SELECT COUNT() FROM ${object}`)).totalSize;
    for (const object of ['Field_Provenance__c', 'Next_Best_Action__c', 'Deal_Score_History__c'])
      expect(await countOf(bulk.admin, object), object).toBe(await countOf(rest.admin, object));
  });

  it('switches at the threshold: one deal under it stays on REST, at it goes to Bulk API 2.0', async () => {
    const { api, snapshot } = await setUp();
    const deals = (await scanPipeline(api, withThreshold(snapshot, 1_000_000), { ...FULL }, { dryRun: true }))
      .read.opportunities;
    await scanPipeline(api, withThreshold(snapshot, deals + 1), FULL, { dryRun: true });
    expect(await jobs(api, 'query')).toEqual([]);
    const report = await scanPipeline(api, withThreshold(snapshot, deals), FULL, { dryRun: true });
    expect(report.read.opportunities).toBe(deals);
    expect((await jobs(api, 'query')).length).toBeGreaterThan(0);
    // A dry run writes nothing, in bulk or not.
    expect(await jobs(api, 'ingest')).toEqual([]);
  });

  it('reports a row the org refuses like a REST failure, and a re-scan writes it once the rule is lifted, nothing twice', async () => {
    const { api, snapshot, admin, org } = await setUp();
    const [frozen] = await rows(
      admin,
      `SELECT Id, Name FROM Opportunity WHERE IsClosed = false ORDER BY Name LIMIT 1`,
    );
    org.validationRules.push({
      object: 'Opportunity',
      name: 'Legal_Hold',
      message: 'This deal is under legal hold: no edits',
      violated: (record) => record.Name === frozen!.Name,
    });
    const bulk = withThreshold(snapshot, 1);
    const first = await scanPipeline(api, bulk, FULL);
    expect(first.failures).toEqual([
      {
        object: 'Opportunity',
        key: frozen!.Id,
        code: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'This deal is under legal hold: no edits',
        fields: [],
      },
    ]);
    const provenanceOf = async (id: unknown) =>
      (await rows(admin, `SELECT Id FROM Field_Provenance__c WHERE Record_Id__c = '${String(id)}'`)).length;
    expect(await provenanceOf(frozen!.Id)).toBe(0);
    const before = (await admin.query('SELECT COUNT() FROM Field_Provenance__c')).totalSize;
    const actionsBefore = (await admin.query('SELECT COUNT() FROM Next_Best_Action__c')).totalSize;

    org.validationRules.pop();
    const second = await scanPipeline(api, bulk, FULL);
    expect(second.failures).toEqual([]);
    expect(second.changed.opportunities).toBe(1);
    expect(await provenanceOf(frozen!.Id)).toBeGreaterThan(0);
    // Only the held deal's provenance is new; the actions and the other deals' rows are not rewritten.
    expect((await admin.query('SELECT COUNT() FROM Field_Provenance__c')).totalSize).toBe(
      before + (await provenanceOf(frozen!.Id)),
    );
    expect((await admin.query('SELECT COUNT() FROM Next_Best_Action__c')).totalSize).toBe(actionsBefore);
    const third = await scanPipeline(api, bulk, FULL);
    expect(third.apiCalls.write).toBe(0);
  });

  it('sends a row that hit a row lock once more, and writes it', async () => {
    const { api, snapshot, org, admin } = await setUp();
    org.faults.failNext('UNABLE_TO_LOCK_ROW', 1);
    const report = await scanPipeline(api, withThreshold(snapshot, 1), FULL);
    expect(report.failures).toEqual([]);
    expect(report.changed.opportunities).toBe(report.scored.open);
    expect((await rows(admin, 'SELECT Id FROM Opportunity WHERE Risk_Scored_At__c != null')).length).toBe(
      report.scored.open,
    );
  });

  it('follows Sforce-Locator through result sets the org cuts small', async () => {
    const whole = await setUp();
    const cut = await setUp({ bulkResultSetBytes: 300 });
    const a = await scanPipeline(whole.api, withThreshold(whole.snapshot, 1), FULL, { dryRun: true });
    const b = await scanPipeline(cut.api, withThreshold(cut.snapshot, 1), FULL, { dryRun: true });
    expect(b.read).toEqual(a.read);
    expect(b.scored).toEqual(a.scored);
    // Each further result set is one more call.
    expect(b.apiCalls.read).toBeGreaterThan(a.apiCalls.read);
  });
});
