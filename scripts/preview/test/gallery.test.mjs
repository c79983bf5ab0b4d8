// Every scenario on every page of the gallery: the package's components render with the real base
// components, say nothing in the console, draw every icon, and are photographed for a person to look at.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { evaluateAll, galleryContents, openGallery, screenshot, startPreview } from './browser.mjs';

const preview = await startPreview();
const { scenarios, pages } = await galleryContents(preview);
after(() => preview.close());

/**
 * Quick capture is usable before anything loads (a spinner would hide the form); on a record page it
 * captures for that record and asks the org for nothing until saved.
 */
const spinsWhileLoading = (component) => component !== 'quickCapture';
const failsToLoad = (component, page) => !(component === 'quickCapture' && page !== 'home');

/**
 * What each of the package's components on the page shows: its name, text, spinners, error panels.
 * The package's own components nest (every panel's states are a c-panel-state), so the count looks
 * into their shadow roots too; the base components' insides are theirs.
 */
function renderedComponents(tab) {
  return evaluateAll(tab.locator('[data-component]'), (items) => {
    const countIn = (root, tag) =>
      [...root.querySelectorAll('*')]
        .filter((element) => element.tagName.startsWith('C-') && element.shadowRoot)
        .reduce((count, child) => count + countIn(child.shadowRoot, tag), root.querySelectorAll(tag).length);
    return items
      .map((item) => ({ name: item.dataset.component, host: item.firstElementChild }))
      .filter(({ host }) => host?.tagName.startsWith('C-'))
      .map(({ name, host }) => ({
        name,
        text: host.innerText.trim(),
        spinners: countIn(host.shadowRoot, 'lightning-spinner'),
        errorPanels: countIn(host.shadowRoot, 'c-error-panel'),
      }));
  });
}

for (const scenario of scenarios) {
  describe(`scenario "${scenario.label}"`, () => {
    for (const page of pages) {
      describe(`on the ${page.label} page`, () => {
        let gallery;
        before(async () => {
          gallery = await openGallery(preview, { scenario: scenario.name, page: page.value });
        });
        after(() => gallery.close());

        test('every component renders, without a console error or warning', async () => {
          const components = await renderedComponents(gallery.tab);
          assert.ok(
            page.packageComponents > 0,
            `the ${page.label} page places none of the package's components`,
          );
          assert.equal(
            components.length,
            page.packageComponents,
            `${components.length} of the ${page.packageComponents} components the page places rendered`,
          );
          for (const component of components) {
            assert.notEqual(component.text, '', `${component.name} rendered nothing`);
            const waiting = scenario.name === 'loading' && spinsWhileLoading(component.name);
            assert.equal(
              component.spinners > 0,
              waiting,
              `${component.name}: spinner shown is ${component.spinners > 0}`,
            );
            const failing = scenario.name === 'error' && failsToLoad(component.name, page.value);
            assert.equal(
              component.errorPanels > 0,
              failing,
              `${component.name}: error panel shown is ${component.errorPanels > 0}`,
            );
          }
          assert.deepEqual(gallery.problems, []);
        });

        test('every icon draws a glyph', async () => {
          const blank = await gallery.tab
            .locator('lightning-primitive-icon svg')
            .evaluateAll((icons) =>
              icons
                .filter((svg) =>
                  [...svg.children].every((child) => child.tagName === 'use' && !child.getAttribute('href')),
                )
                .map((svg) => svg.closest('[data-key]')?.dataset.key ?? svg.outerHTML.slice(0, 120)),
            );
          assert.deepEqual(blank, [], `icons without a glyph (not in SLDS): ${blank.join(', ')}`);
        });

        test('a screenshot is written', async (t) => {
          const file = await screenshot(gallery.tab, `${scenario.name}-${page.value}`);
          t.diagnostic(`screenshot: ${file}`);
        });
      });
    }
  });
}
