import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { countByStatus, type Queryable } from '../postgres/conversation-table.js';
import type { ApiUsage } from '../salesforce/api-usage.js';

/**
 * The figures an operator watches: conversations by state (the queue's depth), how long processing
 * takes, the Salesforce API budget, and failures by error code. One registry per app, so two apps in
 * one process (tests) never share counters.
 */
export class IngestMetrics {
  readonly registry = new Registry();
  private readonly latency: Histogram<'outcome'>;
  private readonly failures: Counter<'code' | 'kind'>;

  constructor(pool: Queryable, usage: () => ApiUsage) {
    collectDefaultMetrics({ register: this.registry, prefix: 'scribe_' });
    new Gauge({
      name: 'scribe_conversations',
      help: 'Conversations by state; queued and retrying together are the queue depth',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const counts = await countByStatus(pool);
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    this.latency = new Histogram({
      name: 'scribe_conversation_processing_seconds',
      help: 'Time from taking a conversation to its outcome, by outcome',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [this.registry],
    });
    this.failures = new Counter({
      name: 'scribe_conversation_failures_total',
      help: 'Failed processing attempts by error code and kind (transient, dead)',
      labelNames: ['code', 'kind'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'scribe_salesforce_api_usage',
      help: "Salesforce API calls: made by this process, and the org's daily count and limit as last reported",
      labelNames: ['measure'],
      registers: [this.registry],
      collect() {
        const u = usage();
        this.set({ measure: 'calls_made' }, u.callsMade);
        if (u.orgUsed !== null) this.set({ measure: 'org_used' }, u.orgUsed);
        if (u.orgLimit !== null) this.set({ measure: 'org_limit' }, u.orgLimit);
      },
    });
  }

  processed(outcome: 'processed' | 'retrying' | 'paused' | 'dead', seconds: number): void {
    this.latency.observe({ outcome }, seconds);
  }

  failed(code: string, kind: 'transient' | 'dead'): void {
    this.failures.inc({ code, kind });
  }
}
