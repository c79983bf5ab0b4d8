import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { ADMIN_USERNAME, MANAGER_USERNAME, REP_USERNAMES } from '@pipeline-scribe/local-salesforce/org';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { scanPipeline, type ScanReport } from '../../src/services/pipeline-scan.js';
import { scanForecast } from '../../src/services/pipeline-scan-forecast.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

/**
 * The Team Review, Forecast and Rule Effects pages' Apex as the local org serves it (apex-pages.ts),
 * over what the service's full scan wrote to the sample org: each reads as the calling user (a rep
 * sees their own review, a manager their team's and their reps'), answers the Apex view's shape, and
 * refuses in a sentence what the Apex refuses.
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const [AVERY, BLAKE] = REP_USERNAMES as [string, string];
let test: TestOrg;
let scan: ScanReport;
type Row = Record<string, unknown>;

async function apex(path: string, body: unknown, user: string) {
  const { org } = test;
  const response = await fetch(`${org.url}/services/apexrest/${org.schema.namespace}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.issueAccessToken(user)}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const q = (name: string) => (test.org.schema.namespace ? `${test.org.schema.namespace}__${name}` : name);
/** Changes one stored record's fields (by local name), as a later scan or a damaged write would. */
function patch(object: string, id: string, values: Row) {
  const name = test.org.schema.object(q(object))!.name;
  const record = test.org.store.get(name, id)!;
  test.org.store.put(name, {
    ...record,
    ...Object.fromEntries(Object.entries(values).map(([k, v]) => [q(k), v])),
  } as never);
}

beforeAll(async () => {
  test = await startTestOrg();
  const api = await SalesforceClient.connect({
    ...(test.config as Extract<SalesforceConfig, { kind: 'org' }>),
    logger,
  });
  scan = await scanPipeline(
    api,
    await readOrgSnapshot(api, Date.now()),
    { kind: 'full', closedLookbackDays: 730 },
    { forecast: scanForecast },
  );
  expect(scan.failures).toEqual([]);
});
afterAll(async () => test.org.close());

describe('WeeklyReviewController', () => {
  it("offers a manager the team's review first, then each rep's of the week, by name", async () => {
    const { status, body } = await apex('/reviews/choices', {}, MANAGER_USERNAME);
    expect(status).toBe(200);
    const choices = body as Row[];
    expect(choices.map((c) => [c.label, c.scope])).toEqual([
      ['My team', 'Team'],
      ['Avery Rep', 'Rep'],
      ['Blake Rep', 'Rep'],
    ]);
    expect(String(choices[0]!.weekStart)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('offers a rep only their own review, and refuses another rep’s in a sentence', async () => {
    const own = (await apex('/reviews/choices', {}, AVERY)).body as Row[];
    expect(own.map((c) => c.label)).toEqual(['My deals']);
    const blakes = ((await apex('/reviews/choices', {}, BLAKE)).body as Row[])[0]!;
    const { status, body } = await apex('/reviews/review', { reviewId: blakes.reviewId }, AVERY);
    expect(status).toBe(500);
    expect((body as Row[])[0]!.message).toMatch(/no longer exists or is not shared with you/);
  });

  it("answers a review as WeeklyReviewView: the record's figures and the content's sections", async () => {
    const [team] = (await apex('/reviews/choices', {}, MANAGER_USERNAME)).body as Row[];
    const { status, body } = await apex('/reviews/review', { reviewId: team!.reviewId }, MANAGER_USERNAME);
    expect(status).toBe(200);
    const review = body as Row;
    const stored = test.records('Pipeline_Review__c').find((r) => r.Id === team!.reviewId)!;
    expect(review).toMatchObject({
      reviewId: team!.reviewId,
      scope: 'Team',
      ownerName: 'Morgan Manager',
      openDeals: stored.Open_Deals__c,
      totalPipeline: stored.Total_Pipeline__c,
      confidence: stored.Confidence__c,
    });
    expect((review.content as Row).version).toBe(1);
    expect(String(review.computedAt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('refuses a content of another version, and a missing id, with a sentence', async () => {
    const [, avery] = (await apex('/reviews/choices', {}, MANAGER_USERNAME)).body as Row[];
    const stored = test.records('Pipeline_Review__c').find((r) => r.Id === avery!.reviewId)!;
    patch('Pipeline_Review__c', String(stored.Id), { Content__c: JSON.stringify({ version: 2 }) });
    try {
      const { status, body } = await apex('/reviews/review', { reviewId: avery!.reviewId }, MANAGER_USERNAME);
      expect(status).toBe(500);
      expect((body as Row[])[0]!.message).toMatch(/format \(version 2\).*does not read \(version 1\)/);
    } finally {
      patch('Pipeline_Review__c', String(stored.Id), { Content__c: stored.Content__c });
    }
    const missing = await apex('/reviews/review', {}, MANAGER_USERNAME);
    expect((missing.body as Row[])[0]!.message).toMatch(/Choose your team or a rep/);
  });
});

describe('ForecastOverviewController', () => {
  it('answers the latest snapshot as ForecastOverview to a manager', async () => {
    const { status, body } = await apex('/forecast/overview', {}, MANAGER_USERNAME);
    expect(status).toBe(200);
    const [stored] = test.records('Forecast_Snapshot__c');
    expect(body).toMatchObject({
      hasSnapshot: true,
      pipelineAmount: stored!.Pipeline_Amount__c,
      repPipelineAmount: stored!.Rep_Pipeline_Amount__c,
      currencyCode: stored!.Currency_Code__c,
      buckets: [],
      moves: [],
    });
  });

  it("names a moved deal only to who can see it; the buckets keep the page's order", async () => {
    const [stored] = test.records('Forecast_Snapshot__c');
    const deal = test.org.store.all('Opportunity').find((o) => String(o.Name).startsWith('Fabrikam'))!;
    const move = { opportunityId: deal.Id, name: 'Fabrikam', kind: 'up', stageBefore: 'A', stageAfter: 'B' };
    patch('Forecast_Snapshot__c', String(stored!.Id), {
      Movement_Json__c: JSON.stringify({
        buckets: { up: { deals: 1, pipelineChange: 5, weightedChange: 2 }, in: { deals: 0 } },
        moves: [move, { ...move, opportunityId: 'not an id' }],
      }),
    });
    try {
      const admin = (await apex('/forecast/overview', {}, ADMIN_USERNAME)).body as Row;
      expect((admin.buckets as Row[]).map((b) => b.kind)).toEqual(['in', 'up']);
      expect((admin.moves as Row[]).map((m) => [m.name, m.stageAfter])).toEqual([
        ['Fabrikam', 'B'],
        ['A deal you do not have access to', null],
      ]);
    } finally {
      patch('Forecast_Snapshot__c', String(stored!.Id), { Movement_Json__c: stored!.Movement_Json__c });
    }
  });

  it('says in a sentence that a movement it cannot read will be written again, keeping the figures', async () => {
    const [stored] = test.records('Forecast_Snapshot__c');
    patch('Forecast_Snapshot__c', String(stored!.Id), {
      Movement_Json__c: JSON.stringify({ buckets: { up: 5 }, moves: [] }),
    });
    try {
      const body = (await apex('/forecast/overview', {}, MANAGER_USERNAME)).body as Row;
      expect(body).toMatchObject({ hasSnapshot: true, buckets: [], moves: [] });
      expect(body.movementNote).toBe(
        'The movement of this snapshot could not be read; the next full scan writes it again.',
      );
      expect(body.pipelineAmount).toBe(stored!.Pipeline_Amount__c);
    } finally {
      patch('Forecast_Snapshot__c', String(stored!.Id), { Movement_Json__c: stored!.Movement_Json__c });
    }
  });

  it("lists the open deals at or above the settings' slip warning, largest first, with their drivers", async () => {
    const open = test.org.store
      .all('Opportunity')
      .filter((o) => o.IsClosed !== true && typeof o.Amount === 'number')
      .sort((a, b) => Number(b.Amount) - Number(a.Amount));
    const [big, middle, small] = [open[0]!, open[1]!, open[2]!];
    const held = [big, middle, small].map((o) => ({
      id: String(o.Id),
      Slip_Probability__c: o[q('Slip_Probability__c')] ?? null,
      Forecast_Drivers__c: o[q('Forecast_Drivers__c')] ?? null,
    }));
    const setDeal = (id: string, values: Row) => {
      const record = test.org.store.get('Opportunity', id)!;
      test.org.store.put('Opportunity', {
        ...record,
        ...Object.fromEntries(Object.entries(values).map(([k, v]) => [q(k), v])),
      } as never);
    };
    // The scan's own slip chances on the sample org's few pushes sit near the base rate: set three.
    for (const o of open) setDeal(String(o.Id), { Slip_Probability__c: 10 });
    setDeal(String(small.Id), {
      Slip_Probability__c: 81,
      Forecast_Drivers__c: 'no activity for 21 days: \u221212 points\n\nin Negotiation/Review: +4 points',
    });
    setDeal(String(middle.Id), { Slip_Probability__c: 59.99 });
    setDeal(String(big.Id), { Slip_Probability__c: 60 });
    try {
      const body = (await apex('/forecast/overview', {}, ADMIN_USERNAME)).body as Row;
      expect(body.slipWarningPercent).toBe(60);
      expect(
        (body.likelyToSlip as Row[]).map((d) => [d.opportunityId, d.slipProbability, d.drivers]),
      ).toEqual([
        [big.Id, 60, expect.any(Array)],
        [small.Id, 81, ['no activity for 21 days: \u221212 points', 'in Negotiation/Review: +4 points']],
      ]);
    } finally {
      for (const o of open) setDeal(String(o.Id), { Slip_Probability__c: null });
      for (const { id, ...values } of held) setDeal(id, values);
    }
  });

  it('tells a rep, whose permission set does not grant the forecast, who can fix it', async () => {
    const { status, body } = await apex('/forecast/overview', {}, AVERY);
    expect(status).toBe(500);
    expect((body as Row[])[0]!.message).toMatch(
      /^System.AuraHandledException: Could not load the forecast: .*permission set/,
    );
  });
});

describe('StageCalibrationController', () => {
  it("answers the scan's latest run in the sales process's order, beside each stage rule's probability", async () => {
    const { status, body } = await apex('/forecast/calibration', {}, MANAGER_USERNAME);
    expect(status).toBe(200);
    const report = body as { runId: string; stages: Row[]; computedAt: string };
    const rows = test.records('Stage_Calibration__c');
    expect(rows).toHaveLength(scan.changed.calibrationRows);
    expect(report.runId).toBe(rows[0]!.Run_Id__c);
    expect(report.stages).toHaveLength(rows.length);
    const definitions = test.org.store
      .all(test.org.schema.object(q('Stage_Definition__mdt'))!.name)
      .map((d) => ({
        name: d[q('Stage_Name__c')],
        order: d[q('Sort_Order__c')],
        p: d[q('Default_Probability__c')],
      }));
    const orders = report.stages.map((s) => s.sortOrder as number);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    const prospecting = report.stages.find((s) => s.stageName === 'Prospecting')!;
    expect(prospecting.ruleProbability).toBe(definitions.find((d) => d.name === 'Prospecting')!.p);
    expect(report.computedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('tells a rep, whose permission set does not grant the report, who can fix it', async () => {
    const { status, body } = await apex('/forecast/calibration', {}, AVERY);
    expect(status).toBe(500);
    expect((body as Row[])[0]!.message).toMatch(
      /Could not load the stage calibration report: .*permission set/,
    );
  });
});

describe('RuleEffectsController', () => {
  const effects = async (user: string) => {
    const { status, body } = await apex('/rules/effects', {}, user);
    expect(status).toBe(200);
    return body as { days: number; rules: Row[]; stageCountsCapped: boolean };
  };

  it('lists every rule in custom metadata, each kind in its order, with the 30-day window', async () => {
    const report = await effects(ADMIN_USERNAME);
    expect(report.days).toBe(30);
    expect(report.stageCountsCapped).toBe(false);
    const kinds = [...new Set(report.rules.map((r) => r.kind))];
    expect(kinds).toEqual(['fieldPolicy', 'stageDefinition', 'competitor', 'riskRule', 'buyingPhaseRule']);
    const policies = test.org.store.all(test.org.schema.object(q('Field_Policy__mdt'))!.name);
    expect(report.rules.filter((r) => r.kind === 'fieldPolicy' && r.name !== null)).toHaveLength(
      policies.length,
    );
  });

  it("counts the scan's next-best actions under the risk rules that recommend their type, as the user sees them", async () => {
    const count = (report: { rules: Row[] }) =>
      report.rules.filter((r) => r.kind === 'riskRule').reduce((sum, r) => sum + Number(r.made), 0);
    const actions = test.records('Next_Best_Action__c');
    expect(actions.length).toBeGreaterThan(0);
    const admin = await effects(ADMIN_USERNAME);
    expect(count(admin)).toBeGreaterThanOrEqual(scan.changed.actionsCreated);
    // The actions are Private, owned by the deal's owner: a rep counts those on her own deals only.
    const avery = count(await effects(AVERY));
    expect(avery).toBeGreaterThan(0);
    expect(avery).toBeLessThan(count(admin));
    const withoutRecommendation = admin.rules.find((r) => r.kind === 'riskRule' && r.measure === 'none');
    if (withoutRecommendation) expect(withoutRecommendation.note).toMatch(/recommends no action/);
  });

  it('counts the sample suggestions under their field policy, with the acceptance rate of those decided', async () => {
    const report = await effects(ADMIN_USERNAME);
    const budget = report.rules.find(
      (r) => r.kind === 'fieldPolicy' && String(r.target).endsWith('.Budget__c'),
    )!;
    const suggestions = test
      .records('Suggestion__c')
      .filter((s) => s.Target_Field__c === 'Budget__c' && ['Field', 'Stage'].includes(String(s.Type__c)));
    expect(budget.made).toBe(suggestions.length);
    expect(budget.made).toBeGreaterThan(0);
  });

  it('tells a user whose permission set was taken away who can fix it, not a stack', async () => {
    const blake = test.org.users.find((u) => u.username === BLAKE)!;
    const assignments = test.org.store
      .all('PermissionSetAssignment')
      .filter((assignment) => assignment.AssigneeId === blake.id);
    for (const { Id } of assignments) await test.admin.sobject('PermissionSetAssignment').destroy(String(Id));
    const { status, body } = await apex('/rules/effects', {}, BLAKE);
    expect(status).toBe(500);
    expect((body as Row[])[0]!.message).toMatch(
      /^System.AuraHandledException: Could not count what the rules did: .*Ask your Salesforce admin for the Pipeline Scribe permission set/,
    );
  });
});
