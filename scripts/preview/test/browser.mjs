// What the browser tests share: a fresh preview build, a server on loopback and Debian's Chromium driven
// by playwright-core, one gallery tab per test with everything it logged, and screenshots.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BUILD_DIR, ensurePreviewBuilt } from '../build.mjs';
import { startPreviewServer } from '../server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.join(BUILD_DIR, 'screenshots');

/** The flags this machine needs (root, no GPU, a closed network that refuses Chromium's own calls). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds the preview if force-app or the preview changed, serves it and starts Chromium. */
export async function startPreview() {
  const build = await ensurePreviewBuilt();
  if (build.rebuilt) console.log(`# preview rebuilt in ${build.seconds.toFixed(1)} s`);
  const server = await startPreviewServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  // One browser context for all tabs: each test still loads the page afresh, but from the HTTP cache
  // with the bundle already compiled.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return {
    url: server.url,
    context,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Opens the gallery on one scenario and page in a tab of its own, waits until every component has its
 * data, and collects what a user would call a problem: console errors and warnings, uncaught
 * exceptions, failed requests.
 */
export async function openGallery(preview, { scenario, page }) {
  const tab = await preview.context.newPage();
  const problems = [];
  tab.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  tab.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  tab.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await tab.goto(`${preview.url}?scenario=${scenario}&page=${page}`);
  await settled(tab);
  return { tab, problems, close: () => tab.close() };
}

/** Waits until the components asked the org for their data, got every answer and rendered it. */
export async function settled(tab) {
  await tab.waitForFunction(() => window.__preview?.calls.length > 0 && window.__preview.pending === 0);
  await tab.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/**
 * Runs fn in the page over every element the locator matches. Under synthetic shadow, locator.evaluateAll
 * misses elements nested in more than one shadow tree; element handles do not.
 */
export async function evaluateAll(locator, fn) {
  const handles = await locator.elementHandles();
  try {
    return await locator.page().evaluate(fn, handles);
  } finally {
    await Promise.all(handles.map((handle) => handle.dispose()));
  }
}

/** What the preview wrote down: Apex calls, toasts, navigations, refreshes. */
export function previewLog(tab) {
  return tab.evaluate(() => JSON.parse(JSON.stringify(window.__preview)));
}

/** Waits for the nth toast (1-based) and returns it. */
export async function toast(tab, nth = 1) {
  await tab.waitForFunction((count) => window.__preview.toasts.length >= count, nth);
  await settled(tab);
  return (await previewLog(tab)).toasts[nth - 1];
}

/** The calls made to one Apex method, with their parameters. */
export async function callsTo(tab, method) {
  return (await previewLog(tab)).calls.filter((call) => call.method === method).map((call) => call.params);
}

export async function screenshot(tab, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await tab.screenshot({ path: file, fullPage: true });
  return file;
}

/** The scenarios and pages the gallery offers, read from the gallery itself. */
export async function galleryContents(preview) {
  const gallery = await openGallery(preview, { scenario: 'review', page: 'opportunity' });
  const { scenarios, pages } = await previewLog(gallery.tab);
  await gallery.close();
  return { scenarios, pages };
}
