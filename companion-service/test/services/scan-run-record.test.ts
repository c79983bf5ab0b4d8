import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { INTEGRATION_USERNAME } from '@pipeline-scribe/local-salesforce/org';
import {
  SalesforceApiError,
  SalesforceClient,
  type SalesforceApi,
} from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import { describeScan } from '../../src/cli/scan-command.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const FULL = { kind: 'full', closedLookbackDays: 730 } as const;
const WINGTIP = 'Wingtip Toys - Pipeline Scribe';

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

async function setUp() {
  running = await startTestOrg();
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const api = await SalesforceClient.connect({ ...config, logger });
  const snapshot = await readOrgSnapshot(api, Date.now());
  return { ...running, api, snapshot };
}

type Row = Record<string, unknown>;
const RUN_FIELDS =
  'Run_Id__c, As_Of_Date__c, Started_At__c, Finished_At__c, Result__c, Deals_Read__c, Deals_Scored__c, Records_Written__c, Failures__c, Failure_Summary__c, API_Calls__c, CreatedById';

async function runs(admin: TestOrg['admin']): Promise<Row[]> {
  return (await admin.query<Row>(`SELECT ${RUN_FIELDS} FROM Scan_Run__c ORDER BY Started_At__c`)).records;
}

/** The API as the service has it, except that Salesforce refuses every write of `object` with `code`. */
function refusingWritesOf(api: SalesforceApi, object: string, code: string): SalesforceApi {
  return new Proxy(api, {
    get(target, property, receiver) {
      if (property !== 'composite') return Reflect.get(target, property, receiver) as unknown;
      return (requests: Parameters<SalesforceApi['composite']>[0], allOrNone: boolean) => {
        const writes = requests.some(
          (r) => r.method === 'PATCH' && JSON.stringify(r.body ?? '').includes(`"type":"${object}"`),
        );
        if (writes) return Promise.reject(new SalesforceApiError(code, 'TotalRequests Limit exceeded.'));
        return target.composite(requests, allOrNone);
      };
    },
  });
}

describe('the record of each full scan, for the admin’s setup page', () => {
  it('records when a scan ran, what it read and wrote, and the calls it spent', async () => {
    const { api, snapshot, admin, org } = await setUp();
    const report = await scanPipeline(api, snapshot, FULL);

    const [run] = await runs(admin);
    expect(run).toMatchObject({
      Run_Id__c: report.runId,
      As_Of_Date__c: report.asOf,
      Result__c: 'Succeeded',
      Deals_Read__c: report.read.opportunities,
      Deals_Scored__c: report.scored.open,
      Failures__c: 0,
      Failure_Summary__c: null,
      API_Calls__c: report.apiCalls.total,
    });
    const { changed } = report;
    expect(run!.Records_Written__c).toBe(
      changed.opportunities +
        changed.actionsCreated +
        changed.actionsUpdated +
        changed.actionsClosed +
        changed.calibrationRows +
        changed.provenance,
    );
    expect(run!.Records_Written__c).toBeGreaterThan(0);
    expect(Date.parse(String(run!.Finished_At__c))).toBeGreaterThanOrEqual(
      Date.parse(String(run!.Started_At__c)),
    );
    // Written by the integration user, with the Pipeline_Scribe_Integration permission set's access.
    expect(run!.CreatedById).toBe(org.users.find((u) => u.username === INTEGRATION_USERNAME)?.id);
    expect(report.runRecord).toEqual({ saved: true, calls: 1, failure: null });
    expect(describeScan(report, 'the local org')).toContain(
      `Recorded as Scan_Run__c ${report.runId} (1 more call): the package's Setup tab shows it.`,
    );

    // Each scan is its own run: the page shows the latest.
    const again = await scanPipeline(api, snapshot, FULL);
    expect((await runs(admin)).map((r) => r.Run_Id__c)).toEqual([report.runId, again.runId]);
    // The scan's own figures stay the scan's: a re-scan of an unchanged org still writes nothing else.
    expect(again.apiCalls.write).toBe(0);
  });

  it('says which records Salesforce refused, in its words', async () => {
    const { api, snapshot, admin, org } = await setUp();
    org.validationRules.push({
      object: 'Opportunity',
      name: 'Wingtip_Frozen',
      message: 'Wingtip is under legal hold: no edits',
      violated: (record) => record.Name === WINGTIP,
    });
    await scanPipeline(api, snapshot, FULL);

    const [wingtip] = (await admin.query<Row>(`SELECT Id FROM Opportunity WHERE Name = '${WINGTIP}'`))
      .records;
    const [run] = await runs(admin);
    expect(run).toMatchObject({ Result__c: 'Completed With Failures', Failures__c: 1 });
    expect(run!.Failure_Summary__c).toBe(
      `Opportunity ${String(wingtip!.Id)}: FIELD_CUSTOM_VALIDATION_EXCEPTION: Wingtip is under legal hold: no edits`,
    );
  });

  it('records a scan Salesforce stopped mid-way as stopped, with what was not sent', async () => {
    const { api, snapshot, admin } = await setUp();
    const report = await scanPipeline(
      refusingWritesOf(api, 'Opportunity', 'REQUEST_LIMIT_EXCEEDED'),
      snapshot,
      FULL,
    );

    const [run] = await runs(admin);
    expect(run).toMatchObject({ Result__c: 'Stopped', Failures__c: report.failures.length });
    const summary = String(run!.Failure_Summary__c);
    expect(summary).toMatch(
      /^\d+ record\(s\) not sent: Salesforce stopped taking calls \(REQUEST_LIMIT_EXCEEDED/,
    );
    expect(summary).toContain('Opportunity ');
    expect(summary).toContain(': REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
  });

  it('records a scan that could not read the pipeline as failed, with the reason, and still throws', async () => {
    const { api, snapshot, admin, org } = await setUp();
    org.faults.failNext('REQUEST_LIMIT_EXCEEDED', 1);

    await expect(scanPipeline(api, snapshot, FULL)).rejects.toThrow('TotalRequests Limit exceeded.');
    const [run] = await runs(admin);
    expect(run).toMatchObject({
      Result__c: 'Failed',
      Deals_Read__c: null,
      Records_Written__c: 0,
    });
    expect(run!.Failure_Summary__c).toBe(
      "The scan could not read the pipeline: the org's daily API limit is used up (TotalRequests Limit exceeded.); calls resume when Salesforce resets the count",
    );
  });

  it('records neither dry runs nor the re-scoring of single deals', async () => {
    const { api, snapshot, admin } = await setUp();
    const dryRun = await scanPipeline(api, snapshot, FULL, { dryRun: true });
    const [deal] = (await admin.query<Row>(`SELECT Id FROM Opportunity WHERE Name = '${WINGTIP}'`)).records;
    const single = await scanPipeline(api, snapshot, { kind: 'deals', ids: [String(deal!.Id)] });

    expect(await runs(admin)).toEqual([]);
    expect([dryRun.runRecord, single.runRecord]).toEqual([null, null]);
  });
});
