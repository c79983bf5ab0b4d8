import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Connection } from 'jsforce';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import { scanForecast } from '../../src/services/pipeline-scan-forecast.js';
import { quarterQuota } from '../../src/services/pipeline-scan-history.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const FULL = { kind: 'full', closedLookbackDays: 730 } as const;
const DAY = 86_400_000;

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

/** The org and the scan on one clock, which a test moves on by whole days. */
async function setUp(startIso: string) {
  let offset = Date.parse(startIso) - Date.now();
  const now = () => Date.now() + offset;
  running = await startTestOrg({ now });
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const api = await SalesforceClient.connect({ ...config, logger, now });
  const snapshot = await readOrgSnapshot(api, now());
  const later = (days: number) => {
    offset += days * DAY;
    // The admin's session would have expired by then.
    running!.admin.accessToken = running!.org.issueAccessToken('admin@pipeline-scribe.local');
  };
  return { ...running, api, snapshot, now, later };
}

type Row = Record<string, unknown>;
const rows = async (admin: Connection, soql: string): Promise<Row[]> =>
  (await admin.query<Row>(soql)).records;

const HISTORY =
  'SELECT Opportunity__c, History_Key__c, Scored_At__c, Valid_Until__c, Risk_Score__c, Model_Close_Probability__c, Stage_Name__c, Amount__c, Close_Date__c, Is_Closed__c, Is_Won__c FROM Deal_Score_History__c';
const SNAPSHOT =
  'SELECT Snapshot_Key__c, As_Of_Date__c, Computed_At__c, Currency_Code__c, P10_Amount__c, P50_Amount__c, P90_Amount__c, Commit_Amount__c, Rep_Commit_Amount__c, Rep_Best_Case_Amount__c, Rep_Pipeline_Amount__c, Pipeline_Amount__c, Quota_Amount__c, Quota_Note__c, Weighted_Pipeline__c, Previous_Weighted_Pipeline__c, Movement_From__c, Movement_Json__c, Movement_Note__c FROM Forecast_Snapshot__c ORDER BY Computed_At__c';

describe('the deal history and the forecast snapshot a scan records', () => {
  it('records each open deal once, then only what changed, and reads last week back from the rows', async () => {
    const { api, snapshot, admin, now, later } = await setUp('2026-11-24T06:00:00Z');
    const open = await rows(
      admin,
      'SELECT Id, Name, Amount, CloseDate FROM Opportunity WHERE IsClosed = false ORDER BY Name',
    );
    expect(open.length).toBeGreaterThanOrEqual(3);

    const first = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast, now });
    expect(first.failures).toEqual([]);
    expect(first.changed.historyRows).toBe(open.length);
    expect(first.changed.forecastSnapshots).toBe(1);
    // The history and the snapshot ride in the Opportunity update's composite call.
    expect(first.apiCalls.writesByObject.Deal_Score_History__c).toEqual({ calls: 1, records: open.length });
    expect(first.apiCalls.writesByObject.Opportunity!.calls).toBe(1);
    const recorded = await rows(admin, HISTORY);
    expect(recorded.map((r) => r.Opportunity__c).sort()).toEqual(open.map((o) => o.Id).sort());
    expect(recorded.every((r) => r.Valid_Until__c === null)).toBe(true);
    const [day1] = await rows(admin, SNAPSHOT);
    expect(day1).toMatchObject({
      Snapshot_Key__c: '2026-11-24',
      Currency_Code__c: 'USD',
      Movement_Json__c: null,
    });
    expect(day1!.Movement_Note__c).toMatch(/first forecast snapshot/);
    // The sample org's own quota (scripts/data/sample-org-settings.json), not the package's record.
    expect(day1!.Quota_Amount__c).toBe(300_000);
    expect(day1!.Quota_Note__c).toBe('Quarterly Quota of the Default Scribe Setting.');
    // Its closed deals taught the win model: the quarter has a range.
    expect(Number(day1!.P50_Amount__c)).toBeGreaterThan(0);
    expect(Number(day1!.P10_Amount__c)).toBeLessThanOrEqual(Number(day1!.P50_Amount__c));
    expect(Number(day1!.P50_Amount__c)).toBeLessThanOrEqual(Number(day1!.P90_Amount__c));

    // A week on: one deal grows, one slips a month, one is won.
    const [grows, slips, wins] = open as [Row, Row, Row];
    await admin.sobject('Opportunity').update([
      { Id: String(grows.Id), Amount: Number(grows.Amount) + 25_000 },
      { Id: String(slips.Id), CloseDate: '2027-02-26' },
      { Id: String(wins.Id), StageName: 'Closed Won' },
    ] as never);
    later(7);
    const second = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast, now });
    expect(second.failures).toEqual([]);
    expect(second.changed.historyRows).toBeGreaterThanOrEqual(3);

    const history = await rows(admin, HISTORY);
    const current = history.filter((r) => r.Valid_Until__c === null);
    // One current row per deal; each replaced row ends when its successor starts.
    expect(new Set(current.map((r) => r.Opportunity__c)).size).toBe(current.length);
    const won = current.find((r) => r.Opportunity__c === wins.Id)!;
    expect(won).toMatchObject({ Is_Closed__c: true, Is_Won__c: true, Stage_Name__c: 'Closed Won' });
    const replaced = history.filter((r) => r.Valid_Until__c !== null);
    expect(replaced.length).toBe(second.changed.historyRows);
    for (const r of replaced)
      expect(Date.parse(String(r.Valid_Until__c))).toBe(Date.parse(String(won.Scored_At__c)));

    const [, day8] = await rows(admin, SNAPSHOT);
    expect(day8).toMatchObject({ Snapshot_Key__c: '2026-12-01' });
    expect(Date.parse(String(day8!.Movement_From__c))).toBe(Date.parse(String(day1!.Computed_At__c)));
    // The movement starts where last week's snapshot ended, and adds up to the change since.
    expect(Number(day8!.Previous_Weighted_Pipeline__c)).toBeCloseTo(Number(day1!.Weighted_Pipeline__c), 2);
    const movement = JSON.parse(String(day8!.Movement_Json__c)) as {
      buckets: Record<string, { deals: number; weightedChange: number; pipelineChange: number }>;
      moves: {
        opportunityId: string;
        kind: string;
        reason: string;
        amountBefore: number;
        amountAfter: number;
        closeDateAfter: string;
      }[];
    };
    const cents = (v: unknown) => Math.round(Number(v) * 100);
    const total = Object.values(movement.buckets).reduce((s, b) => s + cents(b.weightedChange), 0);
    expect(total).toBe(cents(day8!.Weighted_Pipeline__c) - cents(day8!.Previous_Weighted_Pipeline__c));
    const move = (id: unknown) => movement.moves.find((m) => m.opportunityId === id);
    expect(move(wins.Id)).toMatchObject({ kind: 'out', reason: 'won' });
    expect(move(slips.Id)).toMatchObject({ kind: 'slipped', closeDateAfter: '2027-02-26' });
    expect(move(grows.Id)).toMatchObject({ kind: 'up', amountAfter: Number(grows.Amount) + 25_000 });
    expect(movement.buckets.out!.pipelineChange).toBe(-Number(wins.Amount));

    // Nothing changed since: the re-scan adds no row and leaves the day's snapshot as it is.
    const third = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast, now });
    expect(third.changed.historyRows).toBe(0);
    expect(third.changed.forecastSnapshots).toBe(0);

    // Reopened weeks after it was won: its closed row, older than the lookback, is replaced, not left current.
    later(21);
    await admin
      .sobject('Opportunity')
      .update({ Id: String(wins.Id), StageName: 'Negotiation/Review' } as never);
    const reopened = await scanPipeline(api, snapshot, FULL, { forecast: scanForecast, now });
    expect(reopened.failures).toEqual([]);
    const rowsOfWon = await rows(
      admin,
      `${HISTORY} WHERE Opportunity__c = '${String(wins.Id)}' ORDER BY Scored_At__c`,
    );
    expect(rowsOfWon.map((r) => [r.Is_Closed__c, r.Valid_Until__c === null])).toEqual([
      [false, false],
      [true, false],
      [false, true],
    ]);
  });

  it('records the deals a re-score touches with the probability the last full scan wrote', async () => {
    const { api, snapshot, admin, now } = await setUp('2026-11-24T06:00:00Z');
    await scanPipeline(api, snapshot, FULL, { forecast: scanForecast, now });
    const [deal] = await rows(
      admin,
      'SELECT Id, Model_Close_Probability__c FROM Opportunity WHERE IsClosed = false LIMIT 1',
    );
    await admin.sobject('Opportunity').update({ Id: String(deal!.Id), NextStep: null } as never);

    const report = await scanPipeline(api, snapshot, { kind: 'deals', ids: [String(deal!.Id)] }, { now });

    const current = await rows(
      admin,
      `${HISTORY} WHERE Opportunity__c = '${String(deal!.Id)}' AND Valid_Until__c = null`,
    );
    expect(current).toHaveLength(1);
    expect(current[0]!.Model_Close_Probability__c).toEqual(deal!.Model_Close_Probability__c);
    expect(report.changed.forecastSnapshots).toBe(0);
    expect((await rows(admin, SNAPSHOT)).length).toBe(1);
  });

  it('keeps no snapshot for a scan as of a past day, and says so', async () => {
    const { api, snapshot, admin, now } = await setUp('2026-11-24T06:00:00Z');

    const report = await scanPipeline(api, snapshot, FULL, {
      forecast: scanForecast,
      now,
      asOf: '2026-10-31',
    });

    expect(report.changed.forecastSnapshots).toBe(0);
    expect(report.skipped).toContain(
      'Forecast_Snapshot__c: not written for a scan as of 2026-10-31; the forecast snapshot is kept for scans as of today',
    );
    expect(await rows(admin, SNAPSHOT)).toEqual([]);
  });
});

describe('the quarter’s quota', () => {
  const setting = (value: string | number | null) => [
    {
      type: 'Scribe_Setting',
      developerName: 'Default',
      label: 'Default',
      file: 'Scribe_Setting.Default',
      values: { Quarterly_Quota__c: value },
    },
  ];

  it('is the Quarterly Quota of the Default Scribe Setting, and says so', () => {
    expect(quarterQuota(setting(750_000))).toEqual({
      amount: 750_000,
      note: 'Quarterly Quota of the Default Scribe Setting.',
    });
    expect(quarterQuota(setting('1250000.50')).amount).toBe(1_250_000.5);
  });

  it('says how to set one when none is set', () => {
    for (const value of [null, '', 0]) {
      const quota = quarterQuota(setting(value));
      expect(quota.amount).toBeNull();
      expect(quota.note).toMatch(
        /^No quota is set: enter the quarter’s quota in Quarterly Quota of the Default Scribe Setting \(Setup > Custom Metadata Types/,
      );
    }
  });
});
