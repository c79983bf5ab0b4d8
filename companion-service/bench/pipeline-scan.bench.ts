import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg } from '../test/support/local-org.js';
import { SalesforceClient } from '../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../src/adapters/salesforce/org-rules.js';
import type { SalesforceConfig } from '../src/config/salesforce-config.js';
import { scanPipeline } from '../src/services/pipeline-scan.js';
import { scanForecast } from '../src/services/pipeline-scan-forecast.js';

/**
 * API calls a pipeline scan spends on the local org (paged at 2000 rows a query, as Salesforce does):
 * the first scan, which writes everything, and a re-scan of the unchanged org, per org size.
 * Run: node --import tsx bench/pipeline-scan.bench.ts [sizes...]
 */

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);

async function measure(n: number) {
  const { org, config, admin } = await startTestOrg({ dataPlan: null });
  try {
    const account = (await admin.sobject('Account').create({ Name: 'Contoso' })) as { id: string };
    for (let start = 0; start < n; start += 200) {
      const records = Array.from({ length: Math.min(200, n - start) }, (_, i) => ({
        attributes: { type: 'Opportunity' },
        Name: `Deal ${start + i + 1}`,
        AccountId: account.id,
        StageName: [
          'Qualification',
          'Proposal/Price Quote',
          'Negotiation/Review',
          'Closed Won',
          'Closed Lost',
        ][(start + i) % 5],
        CloseDate: (start + i) % 2 === 0 ? '2026-10-30' : '2027-03-31',
        Amount: 10_000 + ((start + i) % 50) * 1000,
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
    const again = await scanPipeline(api, snapshot, full, { forecast: scanForecast });
    const writes = Object.entries(first.apiCalls.writesByObject)
      .map(([o, w]) => `${o} ${w.records}/${w.calls}`)
      .join(', ');
    console.log(
      `${String(n).padStart(6)} deals | first scan: ${first.apiCalls.read} reads + ${first.apiCalls.write} writes (records/calls: ${writes}), ${first.durationMs} ms | re-scan: ${again.apiCalls.read} reads + ${again.apiCalls.write} writes, ${again.durationMs} ms`,
    );
  } finally {
    await org.close();
  }
}

for (const n of sizes.length ? sizes : [5, 160, 450, 2500]) await measure(n);
