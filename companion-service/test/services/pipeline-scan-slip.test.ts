import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import { scanForecast } from '../../src/services/pipeline-scan-forecast.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

/**
 * What a full scan stores of the slip warning and the forecast's explanations on the sample org: on
 * each open deal and its history row, with the provenance that says why.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const SCAN_AT = '2026-11-24T06:00:00Z';

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

type Row = Record<string, unknown>;
const rows = async (admin: Connection, soql: string): Promise<Row[]> =>
  (await admin.query<Row>(soql)).records;

describe('the slip warning and the explanations a scan stores', () => {
  it('gives each open deal the slip chance the sample org’s closed history teaches, and keeps it and the drivers on the deal and its history row', async () => {
    const offset = Date.parse(SCAN_AT) - Date.now();
    const now = () => Date.now() + offset;
    running = await startTestOrg({ now });
    const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
    const api = await SalesforceClient.connect({ ...config, logger, now });
    const report = await scanPipeline(
      api,
      await readOrgSnapshot(api, now()),
      { kind: 'full', closedLookbackDays: 730 },
      { forecast: scanForecast, now },
    );
    expect(report.failures).toEqual([]);
    const { admin } = running;

    const open = await rows(
      admin,
      'SELECT Id, CloseDate, Slip_Probability__c, Forecast_Drivers__c FROM Opportunity WHERE IsClosed = false',
    );
    expect(open.length).toBeGreaterThanOrEqual(3);
    // The sample org's closed deals came with their history, many of them pushed before they closed:
    // the scan learns how often this org's close dates slip and gives each open deal with a close date
    // a chance (a deal whose close date is unknown gets none).
    const chances = open.map((d) => d.Slip_Probability__c).filter((p) => p !== null);
    expect(chances.length).toBeGreaterThan(0);
    for (const p of chances) {
      expect(Number(p)).toBeGreaterThan(0);
      expect(Number(p)).toBeLessThan(100);
    }
    for (const deal of open)
      for (const line of String(deal.Forecast_Drivers__c ?? '')
        .split('\n')
        .filter(Boolean))
        expect(line).toMatch(/: [+\u2212]\d+(\.\d)? points?$/);

    const history = new Map(
      (
        await rows(
          admin,
          'SELECT Opportunity__c, Slip_Probability__c, Forecast_Drivers__c FROM Deal_Score_History__c',
        )
      ).map((r) => [r.Opportunity__c, r]),
    );
    for (const deal of open) {
      expect(history.get(deal.Id)).toMatchObject({
        Slip_Probability__c: deal.Slip_Probability__c,
        Forecast_Drivers__c: deal.Forecast_Drivers__c,
      });
    }
  });

  it('learns the slip chance from the close dates the org saw come due, kept or pushed', async () => {
    let offset = Date.parse('2026-10-01T06:00:00Z') - Date.now();
    const now = () => Date.now() + offset;
    running = await startTestOrg({ now });
    const { admin } = running;
    const later = (days: number) => {
      offset += days * 86_400_000;
      running!.admin.accessToken = running!.org.issueAccessToken('admin@pipeline-scribe.local');
    };
    const [account] = await rows(admin, 'SELECT AccountId FROM Opportunity LIMIT 1');
    const created = (await admin.sobject('Opportunity').create(
      Array.from({ length: 10 }, (_, i) => ({
        Name: `Slip lesson ${i + 1}`,
        AccountId: account!.AccountId,
        StageName: 'Qualification',
        CloseDate: '2026-10-21',
        Amount: 10_000,
      })) as never,
    )) as unknown as { id: string; success: boolean }[];
    expect(created.every((c) => c.success)).toBe(true);
    const ids = created.map((c) => c.id);
    // Three close before their date; seven are still open when it passes, and are pushed.
    later(14);
    await admin
      .sobject('Opportunity')
      .update(ids.slice(0, 3).map((Id) => ({ Id, StageName: 'Closed Won' })) as never);
    later(10);
    await admin
      .sobject('Opportunity')
      .update(ids.slice(3).map((Id) => ({ Id, CloseDate: '2026-12-15' })) as never);
    later(6);

    const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
    const api = await SalesforceClient.connect({ ...config, logger, now });
    const report = await scanPipeline(
      api,
      await readOrgSnapshot(api, now()),
      { kind: 'full', closedLookbackDays: 730 },
      { forecast: scanForecast, now },
    );
    expect(report.failures).toEqual([]);

    const pushed = await rows(
      admin,
      `SELECT Id, Slip_Probability__c FROM Opportunity WHERE Id IN (${ids
        .slice(3)
        .map((id) => `'${id}'`)
        .join(', ')})`,
    );
    const [said] = await rows(
      admin,
      `SELECT Evidence_Quote__c FROM Field_Provenance__c WHERE Record_Id__c = '${ids[3]}' AND Field_Name__c = 'Slip_Probability__c'`,
    );
    const learned =
      /^(\d+\.\d)% chance of missing the close date 2026-12-15\. \1% of (\d+) close dates that came due were missed; [^.]+, so every deal with a close date gets the base rate\.$/.exec(
        String(said!.Evidence_Quote__c),
      );
    expect(learned, String(said!.Evidence_Quote__c)).not.toBeNull();
    // Ours are ten of the close dates that came due, seven of them missed, beside the sample org's
    // closed history (most of it pushed at least once): the base rate counts them all and is above the
    // 50% of a coin.
    expect(Number(learned![2])).toBeGreaterThanOrEqual(10);
    const rate = Number(learned![1]);
    expect(rate).toBeGreaterThan(50);
    expect(pushed.map((d) => Math.round(Number(d.Slip_Probability__c) * 10) / 10)).toEqual(
      Array(7).fill(rate),
    );
  });
});
