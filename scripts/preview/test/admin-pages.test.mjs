// The admin's Setup page and sales ops' Rule Effects page as they read them: each installation check
// with its verdict and fix, the last scan and the API usage, the org's connection to a multi-org
// service with Connect; every rule with what it did in 30 days,
// and a sentence where it did nothing. Check again and the way to the rules work from the keyboard.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { callsTo, openGallery, previewLog, settled, startPreview } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const SETUP = 'pipeline-scribe-setup';
const RULES = 'pipeline-scribe-rule-effects';
const CHECKS = 'ScribeSetupController.getInstallationChecks';

describe('the Setup page', () => {
  let gallery;
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const check = (tab, key) => tab.locator(`c-scribe-setup li.check[data-key="${key}"]`);

  test('answers first, then shows each check with what was found and how to fix it', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: SETUP });
    const { tab } = gallery;

    assert.equal(
      await tab.locator('c-scribe-setup .summary').innerText(),
      '2 of 5 checks passed; 1 needs attention; 2 failed. Each one below says how to fix it.',
    );
    assert.equal(await tab.locator('c-scribe-setup li.check').count(), 5);
    assert.match(
      await check(tab, 'service').locator('.fix').innerText(),
      /^How to fix: In Setup, Named Credentials/,
    );
    assert.equal(await check(tab, 'integrationUser').locator('.fix').count(), 0);
    assert.match(await tab.locator('c-scribe-setup .api-usage').innerText(), /^1,200 of 15,000 requests/);
    assert.equal(
      await tab.locator('c-scribe-setup .scan-figure[data-label="Deals read"]').innerText(),
      '412',
    );
  });

  test('a new install is told to create the integration user and wait for the first scan', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: SETUP });
    const { tab } = gallery;

    assert.match(await check(tab, 'integrationUser').locator('.fix').innerText(), /--integration-user/);
    assert.match(await check(tab, 'lastScan').locator('.finding').innerText(), /no pipeline scan yet/);
    assert.equal(await tab.locator('c-scribe-setup .no-scan').innerText(), 'No scan recorded yet.');
  });

  test('Enter on Check again asks the org again', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: SETUP });
    const { tab } = gallery;
    assert.equal((await callsTo(tab, CHECKS)).length, 1);

    await tab.getByRole('button', { name: 'Check again' }).focus();
    await tab.keyboard.press('Enter');
    await tab.waitForFunction(
      (method) => window.__preview.calls.filter((c) => c.method === method).length === 2,
      CHECKS,
    );
    await settled(tab);
    assert.equal(await tab.locator('c-scribe-setup li.check').count(), 5);
  });

  test("shows this org's connection to the service, with who connected it and Reconnect", async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: SETUP });
    const { tab } = gallery;

    assert.equal(await tab.locator('c-org-connection .meaning').innerText(), 'Connected.');
    assert.equal(
      await tab.locator('c-org-connection .fact[data-label="Connected by"]').innerText(),
      'admin@acme.com',
    );
    assert.equal(await tab.getByRole('button', { name: 'Reconnect' }).count(), 1);
  });

  test('Enter on Connect, in an org never connected, opens Salesforce to approve', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: SETUP });
    const { tab } = gallery;

    assert.match(await tab.locator('c-org-connection .meaning').innerText(), /not connected/);
    await tab.getByRole('button', { name: 'Connect', exact: true }).focus();
    await tab.keyboard.press('Enter');
    await tab.waitForFunction(() =>
      window.__preview.calls.some((c) => c.method === 'OrgConnectionController.startConnection'),
    );
    await settled(tab);
    const [navigation] = (await previewLog(tab)).navigations;
    assert.equal(navigation.type, 'standard__webPage');
    assert.match(
      navigation.attributes.url,
      /^https:\/\/[a-z]+\.my\.salesforce\.com\/services\/oauth2\/authorize\?/,
    );
  });
});

describe('the Rule Effects page', () => {
  let gallery;
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const row = (tab, kind, label) =>
    tab
      .locator(`c-rule-effects section[data-kind="${kind}"] tbody tr`)
      .filter({ has: tab.locator('th', { hasText: label }) });

  test('shows each rule with its suggestions and how reps decided them', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: RULES });
    const { tab } = gallery;

    const budget = row(tab, 'fieldPolicy', 'Opportunity Budget');
    assert.equal(await budget.locator('td[data-column="made"]').innerText(), '24');
    assert.equal(await budget.locator('.acceptance').innerText(), '90%');
    assert.match(
      await row(tab, 'stageDefinition', 'Perception Analysis').locator('.note').innerText(),
      /no measurable effect/,
    );
    assert.equal(await row(tab, 'riskRule', 'Stale').locator('td[data-column="accepted"]').innerText(), '22');
  });

  test('an org whose rules did nothing yet says so for each', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: RULES });
    const { tab } = gallery;

    assert.match(
      await row(tab, 'fieldPolicy', 'Opportunity Budget').locator('.note').innerText(),
      /^No suggestions in the last 30 days: no measurable effect yet\.$/,
    );
  });

  test('Enter on the Setup link opens the custom metadata types', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: RULES });
    const { tab } = gallery;

    await tab.getByRole('button', { name: 'Edit the rules in Setup' }).focus();
    await tab.keyboard.press('Enter');
    assert.deepEqual((await previewLog(tab)).navigations, [
      { type: 'standard__webPage', attributes: { url: '/lightning/setup/CustomMetadata/home' } },
    ]);
  });
});
