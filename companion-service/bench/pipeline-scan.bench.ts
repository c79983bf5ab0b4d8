import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg } from '../test/support/local-org.js';
import { SalesforceClient } from '../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../src/adapters/salesforce/org-rules.js';
import type { SalesforceConfig } from '../src/config/salesforce-config.js';
import { scanPipeline } from '../src/services/pipeline-scan.js';
import { scanForecast } from '../src/services/pipeline-scan-forecast.js';

/**
 * API calls and time a pipeline scan spends on the local org: the first scan, which writes
 * everything, and a re-scan of the unchanged org, per org size. Below the Bulk Threshold of the
 * Default Scribe Setting (2,000) the scan reads and writes over REST (queries paged at 2,000 rows,
 * collections of 200 five to a call); past it with Bulk API 2.0 query and ingest jobs. The goal
 * (issue 17): a first scan of 100,000 deals under 50 calls. The deals are seeded with a Bulk API 2.0
 * ingest job (jsforce's bulk2, a real client) past 2,000, else with sObject Collections.
 * Run: npm run bench:pipeline-scan [-- sizes...]   (default: 1000 10000 100000)
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);

async function measure(n: number) {
  // A day's API budget large enough that the seeding of the largest org never runs into it.
  const { org, config, admin } = await startTestOrg({ dataPlan: null, dailyApiLimit: 1_000_000 });
  try {
    const account = (await admin.sobject('Account').create({ Name: 'Contoso' })) as { id: string };
    const deal = (i: number) => ({
      Name: `Deal ${i + 1}`,
      AccountId: account.id,
      StageName: ['Qualification', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'][
        i % 5
      ]!,
      CloseDate: i % 2 === 0 ? '2026-10-30' : '2027-03-31',
      Amount: String(10_000 + (i % 50) * 1000),
    });
    if (n >= 2000) {
      const seeded = await admin.bulk2.loadAndWaitForResults({
        object: 'Opportunity',
        operation: 'insert',
        input: Array.from({ length: n }, (_, i) => deal(i)),
        pollInterval: 200,
        pollTimeout: 30 * 60_000,
      });
      if (seeded.failedResults.length > 0)
        throw new Error(`seeding failed: ${JSON.stringify(seeded.failedResults[0])}`);
    }
    for (let start = 0; n < 2000 && start < n; start += 200) {
      const records = Array.from({ length: Math.min(200, n - start) }, (_, i) => ({
        attributes: { type: 'Opportunity' },
        ...deal(start + i),
      }));
      await admin.request({
        method: 'POST',
        url: '/services/data/v62.0/composite/sobjects',
        body: JSON.stringify({ allOrNone: true, records }),
        headers: { 'content-type': 'application/json' },
      });
    }
    const api = await SalesforceClient.connect({
      ...(config as Extract<SalesforceConfig, { kind: 'org' }>),
      logger,
    });
    const snapshot = await readOrgSnapshot(api, Date.now());
    const full = { kind: 'full', closedLookbackDays: 730 } as const;
    const first = await scanPipeline(api, snapshot, full, { forecast: scanForecast });
    // Said at once on stderr: at 100,000 deals the re-scan takes minutes more.
    console.error(
      `${n} deals, first scan: ${first.apiCalls.read} reads + ${first.apiCalls.write} writes, ${first.durationMs} ms`,
    );
    const again = await scanPipeline(api, snapshot, full, { forecast: scanForecast });
    const writes = Object.entries(first.apiCalls.writesByObject)
      .map(([o, w]) => `${o} ${w.records}/${w.calls}`)
      .join(', ');
    for (const [label, report] of [
      ['first scan', first],
      ['re-scan', again],
    ] as const) {
      const byCode = new Map<string, { count: number; example: string }>();
      for (const f of report.failures) {
        const seen = byCode.get(`${f.object} ${f.code}`) ?? { count: 0, example: f.message };
        seen.count++;
        byCode.set(`${f.object} ${f.code}`, seen);
      }
      for (const [code, { count, example }] of byCode)
        console.log(
          `${String(n).padStart(6)} deals, ${label}: ${count} × ${code} (${example.slice(0, 160)})`,
        );
    }
    console.log(
      `${String(n).padStart(6)} deals | first scan: ${first.apiCalls.read} reads + ${first.apiCalls.write} writes (records/calls: ${writes}), ${first.durationMs} ms | re-scan: ${again.apiCalls.read} reads + ${again.apiCalls.write} writes, ${again.durationMs} ms`,
    );
  } finally {
    await org.close();
  }
}

for (const n of sizes.length ? sizes : [1000, 10_000, 100_000]) await measure(n);
