// The CRO's Forecast page: the quarter's range drawn on an axis in the forecast's currency with the quota
// line, the signals beside the reps' categories, what moved since last week adding up to the change, and
// the stage calibration below; a young org and an empty one are told why a part is missing.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { evaluateAll, openGallery, screenshot, startPreview } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const PAGE = 'pipeline-scribe-forecast';
const forecast = (tab) => tab.locator('c-forecast-overview');

/** Where each drawn part of the chart sits on the page, to check it is drawn and in its place. */
function chartLayout([svg]) {
  const box = (selector) => {
    const element = selector ? svg.querySelector(selector) : svg;
    if (!element) return null;
    const r = element.getBoundingClientRect();
    return { left: r.left, right: r.right, width: r.width, height: r.height };
  };
  return {
    chart: box(null),
    band: box('.bar-range'),
    p50: box('.p50'),
    quota: box('.quota-line'),
    ticks: [...svg.querySelectorAll('.tick-label')].map((t) => ({
      text: t.textContent,
      x: t.getBoundingClientRect().left + t.getBoundingClientRect().width / 2,
    })),
  };
}

describe('the Forecast page', () => {
  let gallery;
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  test('draws the quarter as a range on a currency axis, with the P50 inside and the quota line', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;

    const layout = await evaluateAll(forecast(tab).locator('svg.chart'), chartLayout);
    assert.ok(layout.chart.width > 400, `the chart is ${layout.chart.width} px wide`);
    assert.deepEqual(
      layout.ticks.map((t) => t.text),
      ['$0', '$50K', '$100K', '$150K', '$200K', '$250K'],
    );
    const at = (text) => layout.ticks.find((t) => t.text === text).x;
    const perDollar = (at('$250K') - at('$0')) / 250_000;
    assert.ok(Math.abs(layout.band.left - (at('$0') + 96_000 * perDollar)) < 2, 'the band starts at P10');
    assert.ok(Math.abs(layout.band.right - (at('$0') + 196_000 * perDollar)) < 2, 'and ends at P90');
    assert.ok(layout.p50.left > layout.band.left && layout.p50.right < layout.band.right, 'P50 inside it');
    assert.ok(Math.abs(layout.quota.left + layout.quota.width / 2 - (at('$0') + 175_000 * perDollar)) < 2);
    assert.equal(await forecast(tab).locator('.quota-label').textContent(), 'Quota $175K');
    assert.match(await forecast(tab).locator('.axis-title').textContent(), /^Won value, USD, Mar 3, 2026/);
    await screenshot(tab, 'forecast-page');
  });

  test('sets the signals beside the reps’ categories and lists what moved, adding up to the change', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;

    const categories = await forecast(tab).locator('tr.category').allInnerTexts();
    assert.deepEqual(
      categories.map((row) => row.split('\t').map((cell) => cell.trim())),
      [
        ['Commit', '$120,000', '$184,000', '+$64,000'],
        ['Best case', '$184,000', '$196,000', '+$12,000'],
        ['Pipeline', '$238,500', '$196,000', '−$42,500'],
      ],
    );
    assert.equal(
      await forecast(tab).locator('.movement-summary').innerText(),
      'Weighted pipeline $131,220 on Feb 23, 2026, $150,720 now: +$19,500.',
    );
    assert.equal(await forecast(tab).locator('tr.bucket').count(), 5);
    assert.equal(await forecast(tab).locator('tr.move').count(), 5);
    assert.equal(await forecast(tab).locator('a.deal-link').first().innerText(), 'Tailspin renewal');
    assert.equal(await tab.locator('c-stage-calibration tbody tr').count(), 8, 'the calibration below');
  });

  test('a young org is told the movement is since the first snapshot and how to set a quota', async () => {
    gallery = await openGallery(preview, { scenario: 'thin-history', page: PAGE });
    const { tab } = gallery;

    assert.equal(await forecast(tab).locator('.quota-line').count(), 0);
    assert.match(await forecast(tab).locator('.quota-note').innerText(), /^No quota is set: enter/);
    assert.match(await forecast(tab).locator('.movement-note').innerText(), /since the first one/);
  });

  test('an org before its first full scan is told a scan must run and how', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: PAGE });
    const { tab } = gallery;

    assert.equal(await forecast(tab).locator('svg.chart').count(), 0);
    assert.match(await forecast(tab).locator('.empty').innerText(), /with each full scan of the org/);
    assert.equal(await forecast(tab).locator('.command').innerText(), 'npx scribe scan');
    await screenshot(tab, 'forecast-page-empty');
  });
});
