import { afterEach, describe, expect, it } from 'vitest';
import { SalesforceApiError, type SalesforceApi } from '../../src/adapters/salesforce/salesforce-client.js';
import { loadPipelineRules } from '../../src/adapters/metadata/package-metadata.js';
import { auditPipeline } from '../../src/domain/review/pipeline-audit.js';
import { planReviewWrites } from '../../src/services/pipeline-scan-review.js';
import { dataset, deal } from '../domain/hygiene/pipeline-fixtures.js';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { Connection } from 'jsforce';
import { speakingLocalNames, startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline } from '../../src/services/pipeline-scan.js';
import { MANAGER_USERNAME, REP_USERNAMES } from '@pipeline-scribe/local-salesforce/org';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const FULL = { kind: 'full', closedLookbackDays: 730 } as const;
const REVIEW_FIELDS =
  'Id, Name, Review_Key__c, Scope__c, OwnerId, Manager__c, Week_Start__c, As_Of_Date__c, Confidence__c, Open_Deals__c, Total_Pipeline__c, Weighted_Pipeline__c, Expected_This_Quarter__c, Status_Summary__c, Content__c';

let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

/** The sample deals carry fixed dates, so the org and the scan run on the day they describe. */
function clockAt(iso: string): () => number {
  const offset = Date.parse(iso) - Date.now();
  return () => Date.now() + offset;
}

async function setUp() {
  const now = clockAt('2026-11-24T12:00:00Z');
  running = await startTestOrg({ now });
  const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
  const api = await SalesforceClient.connect({ ...config, logger, now });
  const snapshot = await readOrgSnapshot(api, now());
  return { ...running, api, snapshot, now };
}

type Row = Record<string, unknown>;
const rows = async (conn: Connection, soql: string) => (await conn.query<Row>(soql)).records;

/** A REST connection as one of the org's people, reading as the Team Review page would. */
function as(org: TestOrg, username: string): Connection {
  return speakingLocalNames(
    new Connection({
      instanceUrl: org.org.url,
      accessToken: org.org.issueAccessToken(username),
      version: '62.0',
    }),
    org.names,
  );
}

const userId = (org: TestOrg, username: string) => org.org.users.find((u) => u.username === username)!.id;

describe('the weekly reviews a full scan writes', () => {
  it("writes one review per rep and one for the manager's team, each owned so that sharing decides who reads it", async () => {
    const org = await setUp();
    const report = await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });

    expect(report.failures).toEqual([]);
    const reviews = await rows(
      org.admin,
      `SELECT ${REVIEW_FIELDS} FROM Pipeline_Review__c ORDER BY Review_Key__c`,
    );
    const managerId = userId(org, MANAGER_USERNAME);
    const repIds = REP_USERNAMES.map((u) => userId(org, u));
    expect(reviews.map((r) => [r.Scope__c, r.OwnerId]).sort()).toEqual(
      [...repIds.map((id) => ['Rep', id]), ['Team', managerId]].sort(),
    );
    expect(report.changed.reviews).toBe(reviews.length);
    expect(report.apiCalls.writesByObject.Pipeline_Review__c).toEqual({ calls: 1, records: reviews.length });
    for (const review of reviews) {
      expect(review.Week_Start__c).toBe('2026-11-23');
      expect(review.As_Of_Date__c).toBe('2026-11-24');
      expect(review.Review_Key__c).toBe(
        `${String(review.Scope__c).toLowerCase()}:${String(review.OwnerId)}:2026-11-23`,
      );
      if (review.Scope__c === 'Rep') expect(review.Manager__c).toBe(managerId);
    }

    // Each rep's figures are their own open deals', and the team's are the reps' added.
    const open = await rows(org.admin, 'SELECT OwnerId, Amount FROM Opportunity WHERE IsClosed = false');
    const reps = reviews.filter((r) => r.Scope__c === 'Rep');
    for (const review of reps) {
      const own = open.filter((o) => o.OwnerId === review.OwnerId);
      expect(review.Open_Deals__c).toBe(own.length);
      expect(review.Total_Pipeline__c).toBe(own.reduce((n, o) => n + Number(o.Amount ?? 0), 0));
    }
    const team = reviews.find((r) => r.Scope__c === 'Team')!;
    expect(team.Total_Pipeline__c).toBe(reps.reduce((n, r) => n + Number(r.Total_Pipeline__c), 0));
    expect(['High', 'Medium', 'Low']).toContain(team.Confidence__c);

    const content = JSON.parse(String(team.Content__c));
    expect(content).toMatchObject({ version: 1, scope: 'Team', weekStart: '2026-11-23' });
    expect(content.statusSummary).toBe(team.Status_Summary__c);
    expect(content.statusSummary).toMatch(/^Morgan Manager's team \(2 reps\): \d+ open deals worth \$/);
    expect(content.focus.length).toBe(Math.min(3, Number(team.Open_Deals__c)));
    expect(content.reps.map((r: { userId: string }) => r.userId).sort()).toEqual([...repIds].sort());
    expect(content.deals).toHaveLength(Number(team.Open_Deals__c));
    for (const key of [
      'confidence',
      'keyRisks',
      'helpNeeded',
      'nextSteps',
      'pipeline',
      'closeOut',
      'omitted',
    ])
      expect(content, key).toHaveProperty(key);
    expect(content.confidence.reasons.length).toBeGreaterThan(0);

    // A rep reads their own review only; the manager, above both reps in the role hierarchy, all three.
    const [firstRep] = REP_USERNAMES;
    const seenByRep = await rows(as(org, firstRep!), 'SELECT OwnerId, Scope__c FROM Pipeline_Review__c');
    expect(seenByRep).toEqual([
      expect.objectContaining({ OwnerId: userId(org, firstRep!), Scope__c: 'Rep' }),
    ]);
    const seenByManager = await rows(as(org, MANAGER_USERNAME), 'SELECT Id FROM Pipeline_Review__c');
    expect(seenByManager).toHaveLength(reviews.length);
  });

  it('writes nothing again while the week’s review is unchanged, and nothing on a re-score of single deals', async () => {
    const org = await setUp();
    await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });
    const again = await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });
    expect(again.changed.reviews).toBe(0);
    expect(again.apiCalls.writesByObject.Pipeline_Review__c).toBeUndefined();

    const [deal] = await rows(
      org.admin,
      'SELECT Id, OwnerId FROM Opportunity WHERE IsClosed = false LIMIT 1',
    );
    await org.admin.sobject('Opportunity').update({ Id: String(deal!.Id), Amount: 999_000 });
    const single = await scanPipeline(
      org.api,
      org.snapshot,
      { kind: 'deals', ids: [String(deal!.Id)] },
      { now: org.now },
    );
    expect(single.changed.reviews).toBe(0);
    const before = await rows(
      org.admin,
      `SELECT Total_Pipeline__c FROM Pipeline_Review__c WHERE Scope__c = 'Rep' AND OwnerId = '${String(deal!.OwnerId)}'`,
    );
    const full = await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });
    // The rep's review and the team's change (the other rep's may too: amounts rank actions org-wide).
    expect(full.changed.reviews).toBeGreaterThanOrEqual(2);
    const [after] = await rows(
      org.admin,
      `SELECT Total_Pipeline__c FROM Pipeline_Review__c WHERE Scope__c = 'Rep' AND OwnerId = '${String(deal!.OwnerId)}'`,
    );
    expect(Number(after!.Total_Pipeline__c)).toBeGreaterThan(Number(before[0]!.Total_Pipeline__c));
    expect(await rows(org.admin, 'SELECT Id FROM Pipeline_Review__c')).toHaveLength(3);
  });

  it("empties a rep's review of the week once the rep has no open deal left, instead of leaving it stale", async () => {
    const org = await setUp();
    await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });
    const [rep] = REP_USERNAMES;
    const repId = userId(org, rep!);
    const theirs = await rows(
      org.admin,
      `SELECT Id FROM Opportunity WHERE IsClosed = false AND OwnerId = '${repId}'`,
    );
    expect(theirs.length).toBeGreaterThan(0);
    for (const { Id } of theirs)
      await org.admin.sobject('Opportunity').update({ Id: String(Id), StageName: 'Closed Lost' });

    const report = await scanPipeline(org.api, org.snapshot, FULL, { now: org.now });

    expect(report.failures).toEqual([]);
    const [review] = await rows(
      org.admin,
      `SELECT Open_Deals__c, Total_Pipeline__c, Status_Summary__c, Content__c FROM Pipeline_Review__c WHERE Scope__c = 'Rep' AND OwnerId = '${repId}'`,
    );
    expect(review).toMatchObject({ Open_Deals__c: 0, Total_Pipeline__c: 0 });
    expect(review!.Status_Summary__c).toMatch(/: no open deals\.$/);
    expect(JSON.parse(String(review!.Content__c)).deals).toEqual([]);
    const [team] = await rows(org.admin, "SELECT Content__c FROM Pipeline_Review__c WHERE Scope__c = 'Team'");
    expect(JSON.parse(String(team!.Content__c)).reps.map((r: { userId: string }) => r.userId)).not.toContain(
      repId,
    );
  });

  it('are skipped with the reason, not failed, in an org on a package version without them', async () => {
    const rules = await loadPipelineRules();
    const data = dataset({
      opportunities: [deal('006000000000001AAA', { owner: 'Ana Rep', amount: 10_000 })],
    });
    const refusing: SalesforceApi = {
      apiVersion: '62.0',
      instanceUrl: 'https://example.my.salesforce.com',
      composite: () => Promise.reject(new Error('no write expected')),
      bulk: () => Promise.reject(new Error('no bulk job expected')),
      get: () =>
        Promise.reject(
          new SalesforceApiError('INVALID_TYPE', "sObject type 'Pipeline_Review__c' is not supported."),
        ),
      usage: () => ({ used: 0, max: 0 }) as unknown as ReturnType<SalesforceApi['usage']>,
    };
    const plan = await planReviewWrites(refusing, {
      audit: auditPipeline({ dataset: data, rules, asOf: '2026-03-10', weekAgo: null, formatMoney: String }),
      nextSteps: new Map(data.opportunities.map((o) => [o.id, o.nextStep])),
      rules,
      ownerIds: new Map([['006000000000001AAA', '005000000000ANAAAA']]),
      asOf: '2026-03-10',
      runId: 'scan-1',
      computedAt: '2026-03-10T06:00:00.000Z',
      formatMoney: String,
    });
    expect(plan.writes).toEqual([]);
    expect(plan.skipped).toMatch(
      /^Pipeline_Review__c: not in this org or not readable by the integration user \(install the current package version/,
    );
  });
});
