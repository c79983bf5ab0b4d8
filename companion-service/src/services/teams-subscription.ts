import type { FastifyBaseLogger as Logger } from 'fastify';
import {
  requestedExpiry,
  subscriptionStep,
  TRANSCRIPTS_RESOURCE,
  type KnownSubscription,
} from '../domain/source/graph-subscription.js';
import type { SubscriptionStepResult } from '../adapters/postgres/graph-subscription-store.js';
import type { CreatedSubscription, SubscriptionRequest } from '../adapters/recorders/graph-subscriptions.js';

/**
 * Keeps the Graph subscription that delivers Teams transcripts: created when the service starts
 * listening (Graph validates the notification URL then), renewed before it expires (checked hourly),
 * and, on a `subscriptionRemoved` or `reauthorizationRequired` lifecycle notification, renewed, or
 * created anew when Graph no longer has it (renewing also reauthorizes,
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events). Processes share one
 * subscription through the database; the one holding its lock does the work.
 */

export type KeepReason = 'check' | 'subscriptionRemoved' | 'reauthorizationRequired';
export type KeepOutcome = 'created' | 'renewed' | 'kept' | 'busy';

export interface TeamsSubscriptionDeps {
  graph: {
    create(request: SubscriptionRequest): Promise<CreatedSubscription>;
    renew(subscriptionId: string, expiry: Date): Promise<CreatedSubscription | null>;
  };
  /** Runs `step` with the shared subscription under the database lock ('busy': another process has it). */
  underLock(
    step: (known: KnownSubscription | null) => Promise<SubscriptionStepResult>,
  ): Promise<'done' | 'busy'>;
  /** The public URL of /webhooks/teams (TEAMS_NOTIFICATION_URL), for notifications and lifecycle ones. */
  notificationUrl: string;
  clientState: string;
  logger: Logger;
  now?: () => Date;
}

const CHECK_EVERY_MS = 60 * 60_000;

export class TeamsSubscriptionKeeper {
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly deps: TeamsSubscriptionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One pass, serialised with the others in this process. */
  keep(reason: KeepReason): Promise<KeepOutcome> {
    const run = this.queue.then(() => this.keepOnce(reason));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async keepOnce(reason: KeepReason): Promise<KeepOutcome> {
    let outcome = 'kept' as KeepOutcome;
    const status = await this.deps.underLock(async (known) => {
      const now = this.now();
      const step = reason === 'check' ? subscriptionStep(known, now) : known ? 'renew' : 'create';
      if (step === 'keep') return 'unchanged';
      if (step === 'renew' && known) {
        const renewed = await this.deps.graph.renew(known.subscriptionId, requestedExpiry(now));
        if (renewed) {
          outcome = 'renewed';
          return renewed;
        }
      }
      const created = await this.deps.graph.create({
        resource: TRANSCRIPTS_RESOURCE,
        notificationUrl: this.deps.notificationUrl,
        lifecycleNotificationUrl: this.deps.notificationUrl,
        clientState: this.deps.clientState,
        expirationDateTime: requestedExpiry(now),
      });
      outcome = 'created';
      return created;
    });
    if (status === 'busy') return 'busy';
    if (outcome !== 'kept') {
      this.deps.logger.info({ reason, outcome }, `the Teams transcripts subscription was ${outcome}`);
    }
    return outcome;
  }

  /** In the background: failures are logged and tried again at the next check. */
  keepInBackground(reason: KeepReason): void {
    this.keep(reason).catch((error: unknown) =>
      this.deps.logger.warn(
        { reason, err: { message: (error as Error).message } },
        'the Teams transcripts subscription could not be kept; tried again within the hour',
      ),
    );
  }

  start(): void {
    this.keepInBackground('check');
    this.timer = setInterval(() => this.keepInBackground('check'), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue;
  }
}
