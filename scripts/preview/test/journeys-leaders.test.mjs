// The journeys of the people who run the sales process, against the local org after the service's full
// pipeline scan (as `npm start` leaves it): the CRO opens the Forecast page, the admin the Setup page
// (then connects the service itself), sales ops the Rule Effects page. The sample org has no sales ops user: its admin (the Pipeline Scribe
// Admin permission set, which grants the rules page) tunes the rules, as the admin does in a small org.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INTEGRATION_USERNAME } from '@pipeline-scribe/local-salesforce/org';
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

  test('shows the quarter’s range learned from the closed deals, in dollars on both axes with the quota line, the signals beside the reps’ categories, and the stage calibration', async () => {
    assert.equal(scan.changed.forecastSnapshots, 1);
    const forecast = page.tab.locator('c-forecast-overview');
    await forecast.locator('.as-of').waitFor();
    const ns = org.schema.namespace ? `${org.schema.namespace}__` : '';
    const [snapshot] = org.store.all(org.schema.object(`${ns}Forecast_Snapshot__c`).name);
    const usd = (amount) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(
        amount,
      );
    // The sample org's closed deals taught the win model, so the scan wrote a range, and the sample
    // org's own quota (scripts/data/sample-org-settings.json) came with it.
    const p50 = snapshot[`${ns}P50_Amount__c`];
    assert.ok(p50 > 0, `the scan wrote the quarter's P50 (${p50})`);
    assert.ok(snapshot[`${ns}P10_Amount__c`] <= p50 && p50 <= snapshot[`${ns}P90_Amount__c`]);
    assert.equal(snapshot[`${ns}Quota_Amount__c`], 300_000);
    assert.equal(await forecast.locator('.no-range').count(), 0, 'no "no range yet" sentence');
    assert.ok((await forecast.locator('.range-summary').innerText()).includes(usd(p50)), 'P50 in words');

    const chart = forecast.locator('svg.chart');
    assert.ok(await chart.isVisible(), 'the range chart is drawn');
    // Both axes, the value axis's ticks in dollars and its title naming the currency.
    assert.equal(await chart.locator('line.axis').count(), 2);
    const ticks = (await chart.locator('.tick-label').allTextContents()).map((t) => t.trim());
    assert.ok(ticks.length >= 3, `ticks: ${ticks}`);
    for (const tick of ticks) assert.match(tick, /^\$\d/, `a tick in dollars: ${tick}`);
    assert.match(await chart.locator('.axis-title').textContent(), /Won value, USD/);
    const rows = (await chart.locator('.row-label').allTextContents()).map((t) => t.trim());
    assert.ok(rows.includes('P10–P90 range'), `the range is a row of the chart: ${rows}`);
    // The quota line across the chart, labelled with the quota.
    assert.ok(await chart.locator('g.quota').isVisible(), 'the quota line is drawn');
    assert.match(await chart.locator('.quota-label').textContent(), /Quota \$300/);
    assert.match(await forecast.locator('.quota-note').innerText(), /Quota \$300,000/);

    const pipeline = forecast.locator('.category-table tr').filter({ hasText: 'Pipeline' });
    assert.equal(
      (await pipeline.locator('.signals').innerText()).trim(),
      usd(snapshot[`${ns}Pipeline_Amount__c`]),
    );
    assert.equal(
      (await pipeline.locator('.reps').innerText()).trim(),
      usd(snapshot[`${ns}Rep_Pipeline_Amount__c`]),
    );

    // Below it, the stage calibration the same scan wrote: one row per stage, each measured on the
    // closed deals that passed through it.
    const calibration = page.tab.locator('c-stage-calibration');
    await calibration.locator('tbody tr').first().waitFor();
    assert.equal(await calibration.locator('tbody tr').count(), scan.changed.calibrationRows);
    const realized = (await calibration.locator('td.realized').allInnerTexts()).filter((t) => /\d/.test(t));
    assert.ok(realized.length >= 5, `stages with a realized win rate: ${realized}`);
    const measured = (await calibration.locator('td.sample-size').allInnerTexts()).map((t) =>
      Number(t.replace(/\D/g, '')),
    );
    assert.ok(
      Math.max(...measured) >= 30,
      `the first stages were passed by 30 or more closed deals: ${measured}`,
    );
    assert.match(await calibration.locator('.base-win-rate').innerText(), /\d+(\.\d)?%/);
    assert.deepEqual(await page.fixtureMethods(), []);
    await page.step('cro-1-forecast', { docs: 'cro-forecast' });
    // The README shows the calibration too: it sits below the fold of the forecast.
    await page.step('cro-2-stage-calibration', { docs: 'cro-stage-calibration', element: calibration });
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

  const checkOf = (key) => page.tab.locator(`c-scribe-setup li.check[data-key="${key}"]`);

  test('checks the installation in the org: the integration user, the rules, the last scan and today’s API usage pass; the service, not connected yet, says how to fix it', async () => {
    const setup = page.tab.locator('c-scribe-setup');
    await setup.locator('.summary').waitFor();
    assert.equal(await setup.locator('li.check').count(), 5, 'every check is listed');
    assert.match(
      await checkOf('integrationUser').locator('.finding').innerText(),
      new RegExp(
        `${INTEGRATION_USERNAME.replace(/[.]/g, '\\.')} is active and holds the Pipeline_Scribe_Integration permission set`,
      ),
    );
    assert.match(await checkOf('customMetadata').locator('.finding').innerText(), /are in place/);
    const scanned = await checkOf('lastScan').locator('.finding').innerText();
    assert.match(
      scanned,
      new RegExp(`read ${scan.read.opportunities.toLocaleString('en-US')} deals`),
      scanned,
    );
    // Today's API requests as the org counts them (what /limits reports as DailyApiRequests).
    const usage = await checkOf('apiUsage').locator('.finding').innerText();
    const [, used, max] = /^([\d,]+) of ([\d,]+) API requests/.exec(usage) ?? [];
    assert.ok(used, usage);
    assert.equal(Number(max.replace(/,/g, '')), org.usage().max);
    assert.ok(
      Number(used.replace(/,/g, '')) <= org.usage().used && Number(used.replace(/,/g, '')) > 0,
      usage,
    );
    // The package's named credential still holds the address it ships with: the callout fails as a
    // real org's would, and the check says what to set.
    const service = checkOf('service');
    assert.match(
      await service.locator('.finding').innerText(),
      /could not be reached .*pipeline-scribe\.invalid/,
    );
    assert.match(await service.locator('.fix').innerText(), /Named Credentials/);
    // The org's connection to a multi-org service (issue 20) is still answered from the scenario's
    // fixtures: the local org does not emulate that callout yet.
    assert.deepEqual(await page.fixtureMethods(), ['OrgConnectionController.getConnection']);
    await page.step('admin-1-setup-not-connected', { docs: 'admin-setup' });
  });

  test('once the named credential points at the running service, Check again finds it ready, and the held recordings list', async () => {
    await journeys.startService();
    await page.tab.locator('c-scribe-setup lightning-button.check-again button').click();
    await checkOf('service')
      .locator('.verdict')
      .filter({ hasText: /passed/i })
      .waitFor();
    assert.match(await checkOf('service').locator('.finding').innerText(), /answers and is ready/);
    assert.equal(await page.tab.locator('c-scribe-setup li.check').count(), 5);
    // The held recordings ask the service too: opened anew, the page lists them (none are held).
    await page.tab.reload();
    await page.tab.locator('.org-source').filter({ hasText: 'Live' }).waitFor();
    await checkOf('service')
      .locator('.verdict')
      .filter({ hasText: /passed/i })
      .waitFor();
    await page.tab.getByText('No recording is held for consent.').waitFor();
    // The org's connection to a multi-org service (issue 20) is still answered from the scenario's
    // fixtures: the local org does not emulate that callout yet.
    assert.deepEqual(await page.fixtureMethods(), ['OrgConnectionController.getConnection']);
    await page.step('admin-2-setup-connected');
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
