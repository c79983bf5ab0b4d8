import { afterEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg, type TestOrg } from '../support/local-org.js';
import salesforce from '../../src/app/plugins/salesforce.js';
import pipelineScan from '../../src/app/plugins/pipeline-scan.js';
import {
  SalesforceClient,
  type BulkRequest,
  type CompositeSubrequest,
  type SalesforceApi,
} from '../../src/adapters/salesforce/salesforce-client.js';
import { readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { loadScanSchedule, PipelineScanner } from '../../src/services/pipeline-scan-schedule.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
let running: TestOrg | null = null;
afterEach(async () => {
  await running?.org.close();
  running = null;
});

/** Counts the calls in flight at once: two scans running together would overlap their calls. */
class OverlapProbe implements SalesforceApi {
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly inner: SalesforceApi) {}
  get apiVersion() {
    return this.inner.apiVersion;
  }
  get instanceUrl() {
    return this.inner.instanceUrl;
  }
  usage() {
    return this.inner.usage();
  }
  private async track<T>(call: () => Promise<T>): Promise<T> {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    try {
      return await call();
    } finally {
      this.inFlight--;
    }
  }
  composite(requests: CompositeSubrequest[], allOrNone: boolean) {
    return this.track(() => this.inner.composite(requests, allOrNone));
  }
  get<T>(path: string) {
    return this.track(() => this.inner.get<T>(path));
  }
  bulk(request: BulkRequest) {
    return this.track(() => this.inner.bulk(request));
  }
}

describe('the scheduled pipeline scan', () => {
  it('runs shortly after the service starts', async () => {
    running = await startTestOrg();
    const server = Fastify({ logger: false });
    // The scan needs only the org connection, not the conversation queue and its database.
    await server.register(salesforce, { salesforce: running.config });
    await server.register(pipelineScan, {
      schedule: { intervalMs: 3_600_000, firstDelayMs: 20, closedLookbackDays: 730 },
    });
    await server.ready();
    const deadline = Date.now() + 10_000;
    while (!(server.pipelineScan as PipelineScanner).last && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    const report = (server.pipelineScan as PipelineScanner).last;
    expect(report?.mode).toBe('full');
    expect(report?.changed.opportunities).toBe(5);
    await server.close();
  });

  it('never runs two scans at once, and asks for one full scan however often it is asked', async () => {
    running = await startTestOrg();
    const config = running.config as Extract<SalesforceConfig, { kind: 'org' }>;
    const client = await SalesforceClient.connect({ ...config, logger });
    const snapshot = await readOrgSnapshot(client, Date.now());
    const probe = new OverlapProbe(client);
    const scanner = new PipelineScanner(
      { api: probe, snapshot: async () => snapshot, logger },
      { intervalMs: 0, firstDelayMs: 0, closedLookbackDays: 730 },
    );
    const [id] = (await running.admin.query<{ Id: string }>('SELECT Id FROM Opportunity LIMIT 1')).records;
    const full = scanner.runFullScan();
    const again = scanner.runFullScan();
    const rescore = scanner.rescoreOpportunities([id!.Id]);
    expect(again).toBe(full);
    const [fullReport, rescoreReport] = await Promise.all([full, rescore]);
    expect(fullReport.mode).toBe('full');
    expect(rescoreReport.mode).toBe('deals');
    expect(probe.maxInFlight).toBe(1);
    await scanner.stop();
  });

  it('names the setting and the fix when the schedule is misconfigured', () => {
    expect(loadScanSchedule({})).toEqual({
      intervalMs: 3_600_000,
      firstDelayMs: 30_000,
      closedLookbackDays: 730,
    });
    expect(() => loadScanSchedule({ SCRIBE_SCAN_INTERVAL_MINUTES: 'hourly' })).toThrow(
      /SCRIBE_SCAN_INTERVAL_MINUTES is not valid \("hourly"\): use minutes between full scans/,
    );
  });
});
