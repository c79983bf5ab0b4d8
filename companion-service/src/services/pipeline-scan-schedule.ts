import { z } from 'zod';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { ConfigError, readSection, type Fixes } from '../config/env.js';
import type { OrgSnapshot } from '../adapters/salesforce/org-rules.js';
import type { SalesforceApi } from '../adapters/salesforce/salesforce-client.js';
import {
  DEFAULT_CLOSED_LOOKBACK_DAYS,
  scanPipeline,
  type ForecastRunner,
  type ScanReport,
} from './pipeline-scan.js';

/**
 * Scans in the running service: a full scan on a schedule (the first shortly after start), and
 * re-scoring of given deals between them, for Opportunity_Changed__e and newly processed
 * conversations. Scans never overlap: they run one after another, a full scan asked for while one
 * is waiting is not queued twice, and ids asked for while a scan runs are gathered into one re-score.
 */

/** What the ingestion side calls when a deal changed or a conversation about it was processed. */
export interface PipelineRescorer {
  rescoreOpportunities(ids: readonly string[]): Promise<ScanReport>;
}

export interface ScanSchedule {
  /** 0 turns the scheduled scan off. */
  intervalMs: number;
  firstDelayMs: number;
  closedLookbackDays: number;
}

const ScanEnvSchema = z.object({
  SCRIBE_SCAN_INTERVAL_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
  SCRIBE_SCAN_FIRST_DELAY_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  SCRIBE_SCAN_CLOSED_LOOKBACK_DAYS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3650)
    .default(DEFAULT_CLOSED_LOOKBACK_DAYS),
});

const FIXES: Fixes<typeof ScanEnvSchema> = {
  SCRIBE_SCAN_INTERVAL_MINUTES: 'use minutes between full scans, 0 to 10080 (0 turns the scheduled scan off)',
  SCRIBE_SCAN_FIRST_DELAY_SECONDS: 'use seconds after start before the first scan, 0 to 86400',
  SCRIBE_SCAN_CLOSED_LOOKBACK_DAYS: 'use how many days of closed deals the forecast learns from, 30 to 3650',
};

export function loadScanSchedule(env: NodeJS.ProcessEnv): ScanSchedule {
  const e = readSection(env, ScanEnvSchema, FIXES, { error: ConfigError });
  return {
    intervalMs: e.SCRIBE_SCAN_INTERVAL_MINUTES * 60_000,
    firstDelayMs: e.SCRIBE_SCAN_FIRST_DELAY_SECONDS * 1000,
    closedLookbackDays: e.SCRIBE_SCAN_CLOSED_LOOKBACK_DAYS,
  };
}

export interface ScannerDeps {
  api: SalesforceApi;
  snapshot: () => Promise<OrgSnapshot>;
  logger: Logger;
  forecast?: ForecastRunner | null;
  now?: () => number;
}

export class PipelineScanner implements PipelineRescorer {
  private tail: Promise<unknown> = Promise.resolve();
  private fullQueued: Promise<ScanReport> | null = null;
  private pendingIds = new Set<string>();
  private pendingRescore: Promise<ScanReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  last: ScanReport | null = null;

  constructor(
    private readonly deps: ScannerDeps,
    private readonly schedule: ScanSchedule,
  ) {}

  /** Starts the schedule; does nothing when the interval is 0. */
  start(): void {
    if (this.schedule.intervalMs <= 0 || this.stopped) return;
    const tick = (delay: number) => {
      this.timer = setTimeout(() => {
        this.runFullScan()
          .catch(() => undefined)
          .finally(() => {
            if (!this.stopped) tick(this.schedule.intervalMs);
          });
      }, delay);
      this.timer.unref();
    };
    tick(this.schedule.firstDelayMs);
  }

  /** Stops the schedule and waits for the scan under way, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.tail.catch(() => undefined);
  }

  /** A full scan after whatever runs now; asking again while it waits returns the same scan. */
  runFullScan(): Promise<ScanReport> {
    this.fullQueued ??= this.enqueue(async () => {
      this.fullQueued = null;
      return this.scan({ kind: 'full', closedLookbackDays: this.schedule.closedLookbackDays });
    }, 'full');
    return this.fullQueued;
  }

  rescoreOpportunities(ids: readonly string[]): Promise<ScanReport> {
    for (const id of ids) this.pendingIds.add(id);
    this.pendingRescore ??= this.enqueue(async () => {
      const batch = [...this.pendingIds];
      this.pendingIds = new Set();
      this.pendingRescore = null;
      return this.scan({ kind: 'deals', ids: batch });
    }, 'deals');
    return this.pendingRescore;
  }

  private enqueue(run: () => Promise<ScanReport>, kind: string): Promise<ScanReport> {
    const next = this.tail.then(run, run);
    this.tail = next.catch((error: Error) => {
      this.deps.logger.error({ err: error, kind }, 'pipeline scan failed');
    });
    return next;
  }

  private async scan(scope: Parameters<typeof scanPipeline>[2]): Promise<ScanReport> {
    const report = await scanPipeline(this.deps.api, await this.deps.snapshot(), scope, {
      closedLookbackDays: this.schedule.closedLookbackDays,
      forecast: this.deps.forecast ?? null,
      now: this.deps.now,
    });
    this.last = report;
    this.deps.logger.info(
      {
        runId: report.runId,
        mode: report.mode,
        read: report.read,
        changed: report.changed,
        failures: report.failures.length,
        apiCalls: report.apiCalls,
        durationMs: report.durationMs,
      },
      'pipeline scan finished',
    );
    for (const f of report.failures.slice(0, 20))
      this.deps.logger.warn(
        { object: f.object, key: f.key, code: f.code, message: f.message },
        'scan write refused',
      );
    return report;
  }
}
