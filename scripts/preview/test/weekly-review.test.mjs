// The manager's weekly deal review on the Team Review page, as read on a 1280 px screen: every section
// of seed 000's review there for the team and for each rep, nothing wider than the card, a print
// layout without the controls and with cut text in full, a CSV of the deals and next steps, and a
// sentence (never a stack) before the first scan or without the permission set.
import assert from 'node:assert/strict';
import { after, afterEach, describe, test } from 'node:test';
import { callsTo, evaluateAll, openGallery, screenshot, settled, startPreview } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const PAGE = 'pipeline-scribe-team-review';
const GET = 'WeeklyReviewController.getReview';
const SECTIONS = [
  'Confidence this quarter',
  'Pipeline',
  'Top 3 deals to focus on',
  'Deals to consider closing out',
  'Key risks',
  'Help needed',
  'Next steps',
  'By rep',
  'Deals',
];

describe('the Team Review page', () => {
  let gallery;
  afterEach(async () => {
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });

  const review = (tab) => tab.locator('c-weekly-review');

  test("at 1280 px shows every section of the team's review, nothing wider than the card", async (t) => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;
    await tab.setViewportSize({ width: 1280, height: 800 });
    await settled(tab);

    assert.equal(await review(tab).locator('.heading').innerText(), "Morgan Manager's team");
    assert.deepEqual(
      await review(tab).locator('h3').allInnerTexts(),
      SECTIONS.map((s) => s.toUpperCase()),
    );
    assert.equal(await review(tab).locator('.confidence-badge').innerText(), 'Low');
    assert.deepEqual(await review(tab).locator('.total lightning-formatted-number').allInnerTexts(), [
      '$241,000',
    ]);
    assert.equal(await review(tab).locator('tr.deal').count(), 4);
    const layout = await evaluateAll(review(tab).locator('table.deals-table'), ([table]) => {
      const card = table.closest('article.slds-card') ?? table.closest('article') ?? table.parentElement;
      return {
        tableWidth: table.scrollWidth,
        cardWidth: Math.round(card.getBoundingClientRect().width),
        pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
      };
    });
    assert.equal(layout.pageScrolls, false, 'the page scrolls sideways');
    assert.ok(
      layout.tableWidth <= layout.cardWidth,
      `table ${layout.tableWidth} px in ${layout.cardWidth} px`,
    );
    const amounts = await evaluateAll(review(tab).locator('tbody td.amount'), (cells) =>
      cells.filter((cell) => cell.scrollWidth > cell.clientWidth).map((cell) => cell.innerText),
    );
    assert.deepEqual(amounts, [], 'amounts cut at 1280 px');
    t.diagnostic(`screenshot: ${await screenshot(tab, 'weekly-review-1280')}`);
  });

  test("a manager switches to a rep's review, and opens a deal from it", async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;

    const asked = (await callsTo(tab, GET)).length;
    await review(tab).getByRole('combobox', { name: 'Review of' }).click();
    await review(tab).getByRole('option', { name: 'Sam Seller' }).click();
    await tab.waitForFunction(
      ([method, before]) => window.__preview.calls.filter((c) => c.method === method).length > before,
      [GET, asked],
    );
    await settled(tab);

    assert.deepEqual((await callsTo(tab, GET)).at(-1), { reviewId: 'a0B5g00000REVSAMSAA' });
    assert.equal(await review(tab).locator('.heading').innerText(), 'Sam Seller');
    assert.equal(await review(tab).locator('.reps').count(), 0);
    assert.deepEqual(await review(tab).locator('.close-out-deal .deal-link').allInnerTexts(), [
      'Contoso pilot',
    ]);
    await review(tab).locator('.close-out-deal .deal-link').click();
    assert.deepEqual((await tab.evaluate(() => window.__preview.navigations)).at(-1), {
      type: 'standard__recordPage',
      attributes: { recordId: '0065g00000CONTSAAA', actionName: 'view' },
    });
  });

  test('Export CSV downloads the deals with their next steps', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;

    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      review(tab).getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'weekly-review-Morgan-Manager-s-team-2026-03-02.csv');
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    assert.equal(lines.length, 5, 'a header and the four deals');
    assert.match(lines[0], /^"Opportunity ID","Opportunity","Account","Owner"/);
    assert.match(
      lines[1],
      /"Fabrikam - Pipeline Scribe rollout".*"Send the pilot proposal to Dmitri","Re-engage"/,
    );
  });

  test('Print asks the browser to print, and the printed page has no controls and no cut text', async () => {
    gallery = await openGallery(preview, { scenario: 'review', page: PAGE });
    const { tab } = gallery;
    await tab.evaluate(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed += 1;
      };
    });

    await review(tab).getByRole('button', { name: 'Print' }).click();
    assert.equal(await tab.evaluate(() => window.__printed), 1);

    await tab.emulateMedia({ media: 'print' });
    assert.equal(await review(tab).locator('.toolbar').isVisible(), false, 'the picker and buttons print');
    const clipped = await evaluateAll(
      review(tab).locator('tbody .slds-truncate, tbody .slds-line-clamp_x-small'),
      (elements) => elements.filter((e) => getComputedStyle(e).textOverflow === 'ellipsis').length,
    );
    assert.equal(clipped, 0, 'text cut on paper, where there is no hover');
    await tab.emulateMedia({ media: 'screen' });
  });

  test('before the first scan says when the review is written', async () => {
    gallery = await openGallery(preview, { scenario: 'empty', page: PAGE });
    const text = await review(gallery.tab).locator('.empty').innerText();
    assert.match(text, /^No weekly review yet\./);
    assert.match(text, /next full scan/);
  });

  test('without the permission set says what to ask for, in a sentence', async () => {
    gallery = await openGallery(preview, { scenario: 'error', page: PAGE });
    const text = await review(gallery.tab).innerText();
    assert.match(text, /Could not load your weekly reviews/);
    assert.match(text, /Ask your Salesforce admin for the Pipeline Scribe permission set of your role\./);
    assert.doesNotMatch(text, /at \w+ \(/, 'no stack trace');
  });
});
