import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { IngestQueue } from '../../domain/source/ingest-queue.js';
import type { RecorderMetrics } from '../../adapters/metrics/recorder-metrics.js';
import {
  ChangeNotificationCollectionSchema,
  sameClientState,
  transcriptOf,
  type TeamsJob,
} from '../../adapters/recorders/graph-notifications.js';
import { GRAPH_RETRY_WINDOW_MS, type ReplayMemory } from '../../domain/source/replay-memory.js';
import { megabytes, refuseOversize } from './body-limit.js';
import { firstIssue, keepRawJsonBody, parseRawJson } from './raw-json-body.js';

/**
 * POST /webhooks/teams: Microsoft Graph's notification URL (and lifecycle notification URL) for a
 * subscription to `communications/onlineMeetings/getAllTranscripts`.
 * - Validation: Graph posts `?validationToken=...` when the subscription is created or renewed and
 *   wants the token back, URL-decoded, as text/plain with 200 within 10 seconds
 *   (https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation).
 * - Notifications: each must carry the subscription's `clientState`; one that does not refuses the
 *   whole batch (401), since the sender is not Graph. Transcripts are queued under their id and
 *   answered 202, as Graph expects; the worker fetches the content with the app's own token.
 * - Lifecycle notifications are acknowledged, counted and logged: on `reauthorizationRequired` and
 *   `subscriptionRemoved` the subscription keeper (services/teams-subscription.ts) renews or re-creates
 *   the subscription when TEAMS_NOTIFICATION_URL is set (otherwise the operator must), `missed` asks to
 *   re-read transcripts (https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events).
 * - A notification whose id was already taken (by any process) is acknowledged and left alone: Graph
 *   retries with the same id, and a captured batch played back must not act twice.
 */

export interface TeamsWebhookOptions {
  queue: IngestQueue;
  clientState: string | null;
  bodyLimit: number;
  metrics: RecorderMetrics;
  /** Notification ids already taken, by this process or any other on the database. */
  replays: ReplayMemory;
  /** Told of each lifecycle notification taken (the subscription keeper renews or re-creates). */
  lifecycle?: (event: string) => void;
}

const teamsWebhookRoutes: FastifyPluginAsync<TeamsWebhookOptions> = async (app, options) => {
  const { queue, clientState, bodyLimit, metrics, replays, lifecycle } = options;
  refuseOversize(app, bodyLimit, `Graph batches notifications far below ${megabytes(bodyLimit)}`);
  keepRawJsonBody(app, bodyLimit);
  // Graph's validation request has text/plain or no body at all.
  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 1024 }, (_r, body, done) =>
    done(null, body),
  );

  const refuse = (reply: FastifyReply, status: number, reason: 'payload' | 'client-state', error: string) => {
    metrics.refused('teams', reason);
    return reply.code(status).send({ error });
  };

  app.post(
    '/webhooks/teams',
    { bodyLimit, config: { access: 'open', ingest: true } },
    async (request, reply) => {
      if (!clientState) {
        metrics.refused('teams', 'unconfigured');
        return reply.code(503).send({
          error:
            'Teams transcripts are not enabled: set TEAMS_CLIENT_STATE (and TEAMS_TENANT_ID, TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET), then restart',
        });
      }
      const validationToken = (request.query as Record<string, unknown> | undefined)?.validationToken;
      if (validationToken !== undefined) {
        if (
          typeof validationToken !== 'string' ||
          validationToken.length === 0 ||
          validationToken.length > 1024
        ) {
          return refuse(
            reply,
            400,
            'payload',
            'validationToken: expected one token of at most 1024 characters',
          );
        }
        // Echoed as plain text only: never as HTML a browser would render.
        return reply.code(200).type('text/plain; charset=utf-8').send(validationToken);
      }
      const body = parseRawJson(request.rawBody);
      if ('error' in body) return refuse(reply, 400, 'payload', body.error);
      const parsed = ChangeNotificationCollectionSchema.safeParse(body.value);
      if (!parsed.success) return refuse(reply, 400, 'payload', firstIssue(parsed.error));
      const notifications = parsed.data.value;
      const forged = notifications.findIndex((n) => !sameClientState(clientState, n.clientState));
      if (forged >= 0) {
        request.log.warn({ index: forged }, 'Graph notification refused: clientState does not match');
        return refuse(
          reply,
          401,
          'client-state',
          `value.${forged}.clientState does not match the subscription's (TEAMS_CLIENT_STATE)`,
        );
      }
      const jobs: TeamsJob[] = [];
      const taken: string[] = [];
      const forgetTaken = () =>
        Promise.all(taken.map((id) => replays.forget('teams', id).catch(() => undefined)));
      for (const [index, n] of notifications.entries()) {
        if (n.id !== undefined) {
          if (!(await replays.firstSight('teams', n.id, GRAPH_RETRY_WINDOW_MS))) {
            metrics.refused('teams', 'replayed');
            continue;
          }
          taken.push(n.id);
        }
        if (n.lifecycleEvent) {
          metrics.lifecycleEvent(n.lifecycleEvent);
          lifecycle?.(n.lifecycleEvent);
          request.log.warn(
            { lifecycleEvent: n.lifecycleEvent, subscriptionId: n.subscriptionId },
            n.lifecycleEvent === 'missed'
              ? 'Graph says notifications were missed: list the meetings’ transcripts to catch up'
              : 'Graph subscription needs attention: renew or re-create it (POST /subscriptions) to keep receiving transcripts',
          );
          continue;
        }
        if (n.changeType !== 'created') continue;
        const transcript = n.resource ? transcriptOf(n.resource) : null;
        if (!transcript) {
          await forgetTaken();
          return refuse(
            reply,
            400,
            'payload',
            `value.${index}.resource: expected communications/onlineMeetings('{id}')/transcripts('{id}'), the resource of a transcript subscription`,
          );
        }
        jobs.push({ ...transcript, tenantId: n.tenantId });
      }
      const queued = [];
      try {
        for (const job of jobs) {
          const result = await queue.enqueue({
            source: 'teams',
            idempotencyKey: `teams:${job.transcriptId}`,
            correlationId: randomUUID(),
            payload: job,
            receivedAt: new Date().toISOString(),
          });
          queued.push({ id: result.conversationId, duplicate: result.duplicate });
        }
      } catch (error) {
        // Graph retries the batch: the jobs already queued are deduplicated by transcript id.
        await forgetTaken();
        throw error;
      }
      return reply.code(202).send({ status: 'accepted', conversations: queued });
    },
  );
};

export default teamsWebhookRoutes;
