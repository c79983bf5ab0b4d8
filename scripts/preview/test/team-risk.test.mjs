// The manager's team risk table as read on a 1280 px screen and a 1440 px laptop: no word broken across
// lines (the datatable's wrapped cells hyphenated "Oppor-tunity"), cut text readable in full on hover,
// the columns a manager reads first on screen without scrolling sideways, numbers never cut.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { evaluateAll, openGallery, screenshot, settled, startPreview } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

const SCREENS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];
const LEADING_COLUMNS = ['Opportunity', 'Owner', 'Amount', 'Risk', 'Why'];
const NUMBER_CELLS = ['amount', 'risk', 'win-chance', 'close-date'];

/**
 * Every word in the elements' text that the browser laid out on more than one line: each word's
 * line boxes (Range.getClientRects) must share one top. Runs in the page.
 */
function brokenWords(elements) {
  const broken = [];
  // Text inside the base components' shadow trees is walked through their hosts' roots too; under
  // synthetic shadow a walker may see it already, so each text node is taken once.
  const texts = new Set();
  const roots = [...elements];
  while (roots.length > 0) {
    const root = roots.pop();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.add(node);
    for (const child of root.querySelectorAll('*')) if (child.shadowRoot) roots.push(child.shadowRoot);
  }
  for (const text of texts) {
    for (const match of text.data.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
      );
      if (tops.size > 1) broken.push(`"${match[0]}" on ${tops.size} lines`);
    }
  }
  return broken;
}

/**
 * The text a manager sees cut short, with the title its box offers on hover: a one-line box that
 * overflows its width (ellipsis), or a clamped box whose lines overflow its height.
 */
function cutTexts(elements) {
  return elements
    .filter((element) => getComputedStyle(element).textOverflow === 'ellipsis')
    .filter(
      (element) => element.scrollWidth > element.clientWidth || element.scrollHeight > element.clientHeight,
    )
    .map((element) => ({ text: element.innerText.trim(), title: element.getAttribute('title') }));
}

for (const screen of SCREENS) {
  describe(`the team risk panel on the Home page at ${screen.width}x${screen.height}`, () => {
    let gallery;
    before(async () => {
      gallery = await openGallery(preview, { scenario: 'review', page: 'home' });
      await gallery.tab.setViewportSize(screen);
      await settled(gallery.tab);
    });
    after(async () => {
      assert.deepEqual(gallery.problems, []);
      await gallery.close();
    });

    const panel = () => gallery.tab.locator('c-team-risk-panel');
    const cells = () => panel().locator('table th, table td');

    test('shows every deal, and no word in the table is broken across lines', async () => {
      assert.equal(await panel().locator('tbody tr').count(), 3);
      assert.deepEqual(await evaluateAll(cells(), brokenWords), []);
    });

    test('cut text is there in full on hover, and some text is cut so this is tested', async () => {
      const cut = await evaluateAll(
        panel().locator('table .slds-truncate, table .slds-line-clamp_x-small'),
        cutTexts,
      );
      assert.ok(cut.length > 0, 'no text is cut at this width; the title check would prove nothing');
      for (const { text, title } of cut)
        assert.equal(title, text, `"${text}" is cut without its full text as a title`);
    });

    test('amounts, scores, win chances and close dates are never cut', async () => {
      for (const column of NUMBER_CELLS) {
        const overflowing = await evaluateAll(
          panel().locator(`tbody td.${column} .slds-truncate`),
          (elements) => elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.innerText.trim()),
        );
        assert.deepEqual(overflowing, [], `${column} cut at ${screen.width} px`);
      }
      const amounts = await panel().locator('tbody td.amount').allInnerTexts();
      assert.deepEqual(amounts, ['$64,000', '$12,000', '$120,000']);
    });

    test("the manager's columns are on screen without scrolling sideways", async () => {
      const layout = await evaluateAll(panel().locator('table'), ([table]) => {
        const card = table.closest('article') ?? table.parentElement;
        const box = card.getBoundingClientRect();
        return {
          tableWidth: table.scrollWidth,
          cardWidth: Math.round(box.width),
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
          headers: [...table.querySelectorAll('thead th')].map((th) => ({
            label: th.textContent.trim(),
            inside: th.getBoundingClientRect().right <= box.right + 0.5,
            width: Math.round(th.getBoundingClientRect().width),
          })),
        };
      });
      assert.equal(layout.pageScrolls, false, 'the page scrolls sideways');
      assert.ok(
        layout.tableWidth <= layout.cardWidth,
        `table ${layout.tableWidth} px in a ${layout.cardWidth} px card`,
      );
      for (const label of LEADING_COLUMNS) {
        const header = layout.headers.find((candidate) => candidate.label === label);
        assert.ok(header?.inside, `${label} is off the card: ${JSON.stringify(layout.headers)}`);
      }
    });

    test('the pipeline hygiene list beside it breaks no word either', async () => {
      const list = gallery.tab.locator('c-hygiene-list li.deal');
      assert.ok((await list.count()) > 0, 'the hygiene list shows no deal');
      assert.deepEqual(await evaluateAll(list, brokenWords), []);
    });

    test('a screenshot is written', async (t) => {
      const file = await screenshot(gallery.tab, `team-risk-${screen.width}`);
      t.diagnostic(`screenshot: ${file}`);
    });
  });
}

for (const screen of SCREENS) {
  describe(`the deal risk panel on the Opportunity page at ${screen.width}x${screen.height}`, () => {
    test('breaks no word', async () => {
      const gallery = await openGallery(preview, { scenario: 'risky-deal', page: 'opportunity' });
      try {
        await gallery.tab.setViewportSize(screen);
        await settled(gallery.tab);
        const panel = gallery.tab.locator('c-risk-panel');
        assert.match(await panel.innerText(), /No engagement and no progress for 74 days/);
        assert.deepEqual(await evaluateAll(panel.locator('p, li, dt, dd'), brokenWords), []);
        assert.deepEqual(gallery.problems, []);
      } finally {
        await gallery.close();
      }
    });
  });
}
