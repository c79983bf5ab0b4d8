// Keyboard only: Tab from the top of each page reaches every button, link and field of the package's
// components, in the real base components; Enter and Space act on what has focus.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { callsTo, evaluateAll, openGallery, startPreview, toast } from './browser.mjs';

const preview = await startPreview();
after(() => preview.close());

/**
 * Marks every control inside the package's components that a keyboard user must be able to reach (not
 * disabled, not taken out of the tab order) and returns how each one reads: its text or name.
 */
async function markControls(tab) {
  // A selector list, not :is(): Playwright pierces (synthetic) shadow roots for each part of a list.
  const controls = ['button', 'a[href]', 'input', 'textarea', 'select', '[tabindex]']
    .map((control) => `[data-component] ${control}`)
    .join(', ');
  return evaluateAll(tab.locator(controls), (elements) =>
    elements
      .filter((element) => !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0)
      .map((element, index) => {
        element.dataset.tabStop = String(index);
        const host = element.getRootNode().host;
        const name =
          element.getAttribute('aria-label') ||
          element.labels?.[0]?.innerText ||
          element.innerText?.trim() ||
          element.getAttribute('title') ||
          element.getAttribute('name') ||
          element.tagName.toLowerCase();
        const component =
          element.closest('[data-component]')?.dataset.component ?? host?.tagName.toLowerCase();
        return `${component}: ${element.tagName.toLowerCase()} "${name}"`;
      }),
  );
}

/** The control that has focus, looked up through the (synthetic) shadow roots. */
function focusedStop(tab) {
  return tab.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.dataset?.tabStop ?? null;
  });
}

/** Presses Tab from the top of the page until focus leaves the page, noting each control reached. */
async function tabThrough(tab, controls) {
  const reached = new Set();
  await tab.locator('body').click({ position: { x: 1, y: 1 } });
  for (let press = 0; press < controls.length * 3 + 40; press += 1) {
    await tab.keyboard.press('Tab');
    const stop = await focusedStop(tab);
    if (stop !== null) reached.add(Number(stop));
    if (reached.size === controls.length) break;
  }
  return controls.filter((_, index) => !reached.has(index));
}

/** Tabs forward from the top until the nth control that reads `description` has focus. */
async function tabTo(tab, controls, description, nth = 1) {
  const matches = controls.flatMap((control, index) => (control === description ? [index] : []));
  const target = matches[nth - 1];
  assert.ok(
    target !== undefined,
    `no control #${nth} reads ${description}; there are ${controls.join(', ')}`,
  );
  await tab.locator('body').click({ position: { x: 1, y: 1 } });
  for (let press = 0; press < controls.length * 3 + 40; press += 1) {
    await tab.keyboard.press('Tab');
    if ((await focusedStop(tab)) === String(target)) return;
  }
  assert.fail(`Tab never reached ${description}`);
}

// The calibration page has few controls: Refresh, the scrollable table and the way to the stage rules.
for (const [scenario, page, fewestControls] of [
  ['review', 'opportunity', 11],
  ['full-queue', 'home', 11],
  ['review', 'pipeline-scribe-calibration', 3],
]) {
  test(`Tab reaches every action on the ${page} page (${scenario})`, async (t) => {
    const gallery = await openGallery(preview, { scenario, page });
    const controls = await markControls(gallery.tab);
    assert.ok(
      controls.length >= fewestControls,
      `only ${controls.length} controls found: ${controls.join(', ')}`,
    );

    const unreached = await tabThrough(gallery.tab, controls);

    assert.deepEqual(unreached, [], `of ${controls.length} controls, Tab never reached these`);
    t.diagnostic(`Tab reached all ${controls.length} controls`);
    assert.deepEqual(gallery.problems, []);
    await gallery.close();
  });
}

test('Enter on a focused Accept accepts that suggestion', async () => {
  const gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
  const { tab } = gallery;
  const controls = await markControls(tab);
  // The second Accept is the Budget suggestion's: the stage move comes first.
  await tabTo(tab, controls, 'suggestionsPanel: button "Accept"', 2);
  await tab.keyboard.press('Enter');

  assert.equal((await toast(tab)).title, '1 accepted');
  assert.deepEqual(await callsTo(tab, 'SuggestionController.decideSuggestions'), [
    { decisions: [{ suggestionId: 'a025g00000SUG002AAA', action: 'accept' }] },
  ]);
  assert.deepEqual(gallery.problems, []);
  await gallery.close();
});

test('Space on a focused Snooze snoozes that action', async () => {
  const gallery = await openGallery(preview, { scenario: 'review', page: 'home' });
  const { tab } = gallery;
  const controls = await markControls(tab);
  await tabTo(tab, controls, 'nextBestActionQueue: button "Snooze"');
  await tab.keyboard.press('Space');

  assert.equal((await toast(tab)).title, 'Snoozed until Mar 6, 2026');
  assert.deepEqual(await callsTo(tab, 'NextBestActionController.updateActionStatus'), [
    { actionId: 'a045g00000NBA001AAA', status: 'Snoozed', snoozeUntil: null },
  ]);
  assert.deepEqual(gallery.problems, []);
  await gallery.close();
});
