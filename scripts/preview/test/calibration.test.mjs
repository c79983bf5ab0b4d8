// The Stage Calibration page as sales ops read it: every stage with its verdict in words, the stages
// with too little history marked, the model against the base rate, an empty org told how to get a
// report; Refresh and the way to the stage rules work from the keyboard.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { callsTo, openGallery, previewLog, settled, startPreview } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const PAGE = 'pipeline-scribe-calibration';
const GET = 'StageCalibrationController.getLatestCalibration';

describe('the Stage Calibration page', () => {
  let gallery;
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const rows = (tab) => tab.locator('c-stage-calibration tbody tr');
  const row = (tab, stageName) =>
    rows(tab).filter({ has: tab.locator('th', { hasText: new RegExp(`^${stageName}$`) }) });

  test('shows each stage stated against realized, with a verdict in words', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;

    assert.equal(await rows(tab).count(), 8);
    const negotiation = row(tab, 'Negotiation/Review');
    assert.equal(
      await negotiation.locator('.verdict-text').innerText(),
      'Says 90%, closes 61% of the time (n=120, 52–69%)',
    );
    assert.match(await negotiation.locator('.judgement').innerText(), /Too optimistic/);
    assert.equal(await negotiation.locator('.suggested').innerText(), '61%');
    const perception = row(tab, 'Perception Analysis');
    assert.match(await perception.locator('.judgement').innerText(), /Not enough data/);
    assert.equal(await perception.locator('.suggested').innerText(), '');
    assert.match(
      await tab.locator('c-stage-calibration .model-brier').innerText(),
      /^0\.182 against 0\.190 for the base rate: 4% better than always guessing the base rate/,
    );
  });

  test('a young org sees most stages marked as not enough data and a model no better than the base rate', async () => {
    gallery = await openGallery(preview, { scenario: 'thin-history', page: PAGE });
    const { tab } = gallery;

    assert.equal(await tab.locator('c-stage-calibration tr.not-enough-data').count(), 4);
    assert.match(
      await tab.locator('c-stage-calibration .model-brier').innerText(),
      /as good as always guessing the base rate/,
    );
  });

  test('an org without a report is told how to produce one', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: PAGE });
    const { tab } = gallery;

    assert.equal(await rows(tab).count(), 0);
    assert.match(await tab.locator('c-stage-calibration .empty').innerText(), /scheduled scan/);
    assert.match(
      await tab.locator('c-stage-calibration .command').innerText(),
      /^npx scribe forecast --opportunities/,
    );
  });

  test('Enter on Refresh asks the org again; Enter on the Setup link opens the stage rules', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;
    assert.equal((await callsTo(tab, GET)).length, 1);

    await tab.getByRole('button', { name: 'Refresh' }).focus();
    await tab.keyboard.press('Enter');
    await tab.waitForFunction(
      (method) => window.__preview.calls.filter((c) => c.method === method).length === 2,
      GET,
    );
    await settled(tab);

    await tab.getByRole('button', { name: 'Open custom metadata types in Setup' }).focus();
    await tab.keyboard.press('Enter');
    assert.deepEqual((await previewLog(tab)).navigations, [
      { type: 'standard__webPage', attributes: { url: '/lightning/setup/CustomMetadata/home' } },
    ]);
    assert.equal(await rows(tab).count(), 8);
  });
});
