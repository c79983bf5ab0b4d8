import { Counter, type Registry } from 'prom-client';
import type { RefusalCode } from '../recorders/signed-delivery.js';
import type { DeliveryChannel } from '../../domain/source/replay-memory.js';

/**
 * What the recorder channels (Zoom, Teams, POST /v1/recordings) refused and why, and the Graph
 * lifecycle notifications an operator must act on, beside the ingest figures on the same /metrics.
 */
export type RecorderChannel = DeliveryChannel;
export type RecorderRefusal = RefusalCode | 'unconfigured' | 'payload';

export class RecorderMetrics {
  private readonly refusals: Counter<'channel' | 'reason'>;
  private readonly lifecycle: Counter<'event'>;

  constructor(registry: Registry) {
    this.refusals = new Counter({
      name: 'scribe_recorder_refusals_total',
      help: 'Deliveries refused by recorder channel and reason (unsigned, stale, forged, replayed, client-state, unconfigured, payload)',
      labelNames: ['channel', 'reason'],
      registers: [registry],
    });
    this.lifecycle = new Counter({
      name: 'scribe_teams_lifecycle_notifications_total',
      help: 'Microsoft Graph lifecycle notifications by event (reauthorizationRequired, subscriptionRemoved, missed)',
      labelNames: ['event'],
      registers: [registry],
    });
  }

  refused(channel: RecorderChannel, reason: RecorderRefusal): void {
    this.refusals.inc({ channel, reason });
  }

  lifecycleEvent(event: string): void {
    this.lifecycle.inc({ event });
  }
}
