// The journey harness: a local org with the sample data (as `npm start`'s org), the preview gallery
// bridged to it, and Chromium opening the package's pages as one of the org's users, so each click
// goes through the package's Apex (as the local org emulates it) and changes the org's records. Each
// step can be checked with axe-core and saved as a screenshot; with JOURNEYS_DOCS=1 (npm run
// journeys:screenshots) the page shots the README shows are written to docs/journeys/ too.
//
// A journey file is: const journeys = await startJourneys(); then per page
// `const page = await journeys.open({ user, page: 'home' })`, clicks, `await page.step('name')`.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import pino from 'pino';
import {
  startLocalOrg,
  ADMIN_USERNAME,
  CRO_USERNAME,
  INTEGRATION_USERNAME,
  MANAGER_USERNAME,
  REP_USERNAMES,
} from '@pipeline-scribe/local-salesforce/org';
import { SalesforceClient } from '../../../companion-service/src/adapters/salesforce/salesforce-client.ts';
import { readOrgSnapshot } from '../../../companion-service/src/adapters/salesforce/org-rules.ts';
import { scanPipeline } from '../../../companion-service/src/services/pipeline-scan.ts';
import { scanForecast } from '../../../companion-service/src/services/pipeline-scan-forecast.ts';
import { startServer } from '../../../companion-service/src/app/server.ts';
import { openDatabase } from '../../../companion-service/src/adapters/postgres/database.ts';
import { loadQueueConfig } from '../../../companion-service/src/config/queue-config.ts';
import { EmbeddedExtractor } from '../../../companion-service/src/domain/extraction/embedded/embedded-extractor.ts';
import { ROOT } from '../../lib/force-app-files.mjs';
import { ensurePreviewBuilt } from '../build.mjs';
import { startPreviewServer } from '../server.mjs';
import { CHROMIUM, CHROMIUM_FLAGS, SCREENSHOTS, previewLog, settled } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
export const JOURNEY_SHOTS = path.join(SCREENSHOTS, 'journeys');
export const DOCS_SHOTS = path.join(ROOT, 'docs', 'journeys');
/** The README's screenshots: a laptop's width, one device pixel per CSS pixel, so the files stay small. */
const SCREEN = { width: 1280, height: 800 };
const BLOCKING = new Set(['serious', 'critical']);

/** Who the sample data's journeys are about: the rep who owns Fabrikam, the reps' manager, the CRO, the admin. */
function people(org) {
  const user = (username) => org.users.find((candidate) => candidate.username === username);
  const deal = (name) =>
    org.store.all('Opportunity').find((opportunity) => opportunity.Name.startsWith(name));
  const fabrikam = deal('Fabrikam');
  const rep = org.users.find((candidate) => candidate.id === fabrikam.OwnerId);
  assert.ok(REP_USERNAMES.includes(rep?.username), 'the sample data gives Fabrikam to a rep');
  return { rep, manager: user(MANAGER_USERNAME), cro: user(CRO_USERNAME), admin: user(ADMIN_USERNAME), deal };
}

const CONSUMER_KEY = 'JourneysConnectedApp';

/**
 * The companion service's full pipeline scan of the org, as `npm start` runs it (scribe scan): it logs
 * in as the integration user with the JWT bearer flow and writes what the managers' and the CRO's pages
 * read (Pipeline_Review__c, Forecast_Snapshot__c, Deal_Score_History__c, Scan_Run__c). Returns the
 * scan's report.
 */
async function fullScan(org, privateKey) {
  const logger = pino({ level: 'silent' });
  const api = await SalesforceClient.connect({
    jwt: { loginUrl: org.url, clientId: CONSUMER_KEY, username: INTEGRATION_USERNAME, privateKey },
    token: null,
    logger,
    apiVersion: '62.0',
    slowdownAt: 0.8,
    maxDelayMs: 0,
    rulesTtlMs: 300_000,
  });
  const snapshot = await readOrgSnapshot(api, Date.now());
  return scanPipeline(api, snapshot, { kind: 'full', closedLookbackDays: 730 }, { forecast: scanForecast });
}

/**
 * The companion service itself, running against the org as against a real one (the JWT bearer flow
 * as the integration user, its own embedded Postgres), with no worker and no scheduled scan; the org's
 * Pipeline_Scribe_Service named credential is then pointed at it with its API key, as the admin does
 * after install, so the Setup page's connection check calls this service's /readyz.
 */
async function startService(org, privateKey) {
  const dir = await mkdtemp(path.join(tmpdir(), 'journeys-service-'));
  // Postgres runs as its own user when the tests run as root; it must reach the folder.
  await chmod(dir, 0o755);
  const postgresDir = path.join(dir, 'cluster');
  const logger = pino({ level: 'silent' });
  const database = await openDatabase({ databaseUrl: null, postgresDir, poolSize: 4 }, logger);
  const apiKey = randomBytes(24).toString('base64url');
  let running;
  try {
    running = await startServer({
      host: '127.0.0.1',
      port: 0,
      logLevel: 'silent',
      salesforce: {
        kind: 'org',
        jwt: { loginUrl: org.url, clientId: CONSUMER_KEY, username: INTEGRATION_USERNAME, privateKey },
        token: null,
        apiVersion: '62.0',
        slowdownAt: 0.8,
        maxDelayMs: 0,
        rulesTtlMs: 300_000,
      },
      extractor: new EmbeddedExtractor(),
      apiKey,
      queue: { ...loadQueueConfig({ SCRIBE_POSTGRES_DIR: postgresDir }), databaseUrl: null },
      database,
      worker: false,
      pubsub: null,
      pipelineScan: { intervalMs: 0, firstDelayMs: 0, closedLookbackDays: 730 },
      voiceMemos: { transcriber: null, maxBytes: 1024 },
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  org.setNamedCredential('Pipeline_Scribe_Service', { url: running.url, apiKey });
  return {
    url: running.url,
    async close() {
      await running.server.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the org, the bridged preview and Chromium. `org` is the running LocalOrg, for arranging what
 * the service would have written and checking what the clicks changed.
 */
export async function startJourneys() {
  const build = await ensurePreviewBuilt();
  if (build.rebuilt) console.log(`# preview rebuilt in ${build.seconds.toFixed(1)} s`);
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const org = await startLocalOrg({
    connectedApps: [
      {
        consumerKey: CONSUMER_KEY,
        certificate: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    ],
  });
  const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const server = await startPreviewServer({ org });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: SCREEN });
  const services = [];
  return {
    org,
    ...people(org),
    /** Runs the service's full pipeline scan against the org, as `npm start` does after loading it. */
    scan: () => fullScan(org, privateKey),
    /** Starts the companion service against the org and points the org's named credential at it. */
    async startService() {
      const service = await startService(org, privateKey);
      services.push(service);
      return service;
    },
    /** Opens one of the package's pages as the user, and waits until every component has its data. */
    open: (options) => openPage({ url: server.url, context }, options),
    async close() {
      for (const service of services) await service.close();
      await browser.close();
      await server.close();
      await org.close();
    },
  };
}

async function openPage(preview, { user, page, recordId, scenario = 'review' }) {
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
  const query = new URLSearchParams({ scenario, page, org: 'live', user: user.username });
  if (recordId) query.set('recordId', recordId);
  await tab.goto(`${preview.url}?${query}`);
  await settled(tab);
  await tab.locator('.org-source').filter({ hasText: 'Live' }).waitFor();
  return {
    tab,
    problems,
    /** The Apex methods the page answered from the scenario because the org does not emulate them. */
    fixtureMethods: async () => (await previewLog(tab)).fixtureMethods,
    /**
     * Waits for the page to settle, checks it with axe-core and saves its full-page screenshot as the
     * step `name`. With `docs` (and JOURNEYS_DOCS=1) also the README's shot: the screen, 1280x800, or
     * only `element` (a locator) when the step is about one panel below the fold.
     */
    async step(name, { docs, element } = {}) {
      await settled(tab);
      await assertAccessible(tab, name);
      mkdirSync(JOURNEY_SHOTS, { recursive: true });
      await tab.screenshot({ path: path.join(JOURNEY_SHOTS, `${name}.png`), fullPage: true });
      if (docs && process.env.JOURNEYS_DOCS === '1') {
        mkdirSync(DOCS_SHOTS, { recursive: true });
        await (element ?? tab).screenshot({ path: path.join(DOCS_SHOTS, `${docs}.png`) });
      }
    },
    close: () => tab.close(),
  };
}

/**
 * axe-core, the pinned npm package, run in the page over the whole document: every rule it runs by
 * default (WCAG 2.x A and AA and best practices); a serious or critical violation fails the step,
 * naming the rule, its help and the elements.
 */
export async function axeViolations(tab) {
  if (!(await tab.evaluate(() => 'axe' in window))) await tab.addScriptTag({ path: AXE });
  const results = await tab.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      elements: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
    }));
}

export async function assertAccessible(tab, step) {
  assert.deepEqual(await axeViolations(tab), [], `axe found serious or critical violations at "${step}"`);
}
