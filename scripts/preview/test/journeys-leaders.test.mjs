// The journeys of the people who run the sales process, against the local org after the service's full
// pipeline scan (as `npm start` leaves it): the CRO opens the Forecast page, the admin the Setup page,
// sales ops the Rule Effects page. The sample org has no sales ops user: its admin (the Pipeline Scribe
// Admin permission set, which grants the rules page) tunes the rules, as the admin does in a small org.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startJourneys } from './journeys.mjs';

const journeys = await startJourneys();
after(() => journeys.close());

const { org, admin, cro } = journeys;
let scan;
before(async () => {
  scan = await journeys.scan();
});

describe('the CRO after the full scan: the Forecast page', () => {
  let page;
  before(async () => {
    page = await journeys.open({ user: cro, page: 'pipeline-scribe-forecast' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('shows what the scan computed from the org: the pipeline beside the reps’ categories, and why no range yet', async () => {
    assert.equal(scan.changed.forecastSnapshots, 1);
    const forecast = page.tab.locator('c-forecast-overview');
    await forecast.locator('.as-of').waitFor();
    const ns = org.schema.namespace ? `${org.schema.namespace}__` : '';
    const [snapshot] = org.store.all(org.schema.object(`${ns}Forecast_Snapshot__c`).name);
    const usd = (amount) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(
        amount,
      );
    const pipeline = forecast.locator('.category-table tr').filter({ hasText: 'Pipeline' });
    assert.equal(
      (await pipeline.locator('.signals').innerText()).trim(),
      usd(snapshot[`${ns}Pipeline_Amount__c`]),
    );
    assert.equal(
      (await pipeline.locator('.reps').innerText()).trim(),
      usd(snapshot[`${ns}Rep_Pipeline_Amount__c`]),
    );
    // The sample org has no closed deal yet: the page says why there is no range instead of an empty chart.
    assert.equal(snapshot[`${ns}P50_Amount__c`], null);
    assert.match(await forecast.locator('.no-range').innerText(), /No deal in this org has closed yet/);
    // Below it, the stage calibration the same scan wrote: one row per stage.
    await page.tab.locator('c-stage-calibration tbody tr').first().waitFor();
    assert.equal(
      await page.tab.locator('c-stage-calibration tbody tr').count(),
      scan.changed.calibrationRows,
    );
    assert.deepEqual(await page.fixtureMethods(), []);
    await page.step('cro-1-forecast', { docs: 'cro-forecast' });
  });
});

describe('the admin: the Setup page', () => {
  let page;
  before(async () => {
    page = await journeys.open({ user: admin, page: 'pipeline-scribe-setup' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('lists each installation check with how to fix it (from the gallery’s fixtures: see below)', async () => {
    const setup = page.tab.locator('c-scribe-setup');
    await setup.locator('.summary').waitFor();
    assert.ok((await setup.locator('li.check').count()) >= 5, 'every check is listed');
    // The checks, the org's connection to the service and the recordings held for consent call the
    // service through the org's Named Credential (the checks also read the org's API limits), which the
    // local org does not emulate: the page answers those from the scenario's fixtures, and says so.
    assert.deepEqual((await page.fixtureMethods()).toSorted(), [
      'HeldRecordingsController.getHeldRecordings',
      'OrgConnectionController.getConnection',
      'ScribeSetupController.getInstallationChecks',
    ]);
    await page.step('admin-1-setup', { docs: 'admin-setup' });
  });
});

describe('sales ops after the full scan: the Rule Effects page', () => {
  let page;
  before(async () => {
    page = await journeys.open({ user: admin, page: 'pipeline-scribe-rule-effects' });
  });
  after(async () => {
    assert.deepEqual(page.problems, []);
    await page.close();
  });

  test('counts what each rule did in the org: the scan’s actions under the risk rules that recommend them', async () => {
    const rules = page.tab.locator('c-rule-effects');
    await rules.locator('section[data-kind="riskRule"] tbody tr').first().waitFor();
    const made = async (kind) =>
      (await rules.locator(`section[data-kind="${kind}"] td[data-column="made"]`).allInnerTexts()).reduce(
        (sum, text) => sum + Number(text.replace(/\D/g, '') || 0),
        0,
      );
    assert.ok(scan.changed.actionsCreated > 0, 'the scan made next-best actions');
    assert.ok((await made('riskRule')) >= scan.changed.actionsCreated, 'each counted under its rule');
    assert.ok((await made('fieldPolicy')) > 0, 'the sample suggestions are counted under their fields');
    assert.deepEqual(await page.fixtureMethods(), []);
    // The README shows the risk rules, where the scan's actions are counted (the field policies above
    // them read 0 for most fields the sample calls never touch).
    await page.step('salesops-1-rule-effects', {
      docs: 'salesops-rule-effects',
      element: rules.locator('section[data-kind="riskRule"]'),
    });
  });
});
