import type { FastifyPluginAsync } from 'fastify';
import { PostgresIngestQueue } from '../../adapters/postgres/postgres-ingest-queue.js';
import {
  dropHeldRecording,
  listHeldRecordings,
  releaseHeldRecording,
} from '../../adapters/postgres/held-recordings.js';

/**
 * The admin's decisions on recordings held for consent, behind the API key (the package's Setup page
 * calls them through its named credential): GET lists them; POST .../release processes one, recording
 * who released it; POST .../drop erases it. Anything not held answers 404.
 */
const heldRecordingRoutes: FastifyPluginAsync = async (app) => {
  const pool = app.conversations.org;
  const notHeld = (id: string) => ({
    error: `id: no recording ${id} is held for consent (it was released, dropped, or never held)`,
  });

  app.get('/v1/recordings/held', async () => ({ held: await listHeldRecordings(pool) }));

  app.post<{ Params: { id: string }; Body: { releasedBy?: unknown } | undefined }>(
    '/v1/recordings/held/:id/release',
    async (request, reply) => {
      if (!(app.ingest instanceof PostgresIngestQueue)) {
        return reply
          .code(503)
          .send({ error: 'this process has no durable queue to release recordings into' });
      }
      const by = request.body?.releasedBy;
      const releasedBy = typeof by === 'string' && by.trim() ? by.trim().slice(0, 120) : 'an admin';
      const released = await releaseHeldRecording(pool, app.ingest, request.params.id, releasedBy);
      if (!released) return reply.code(404).send(notHeld(request.params.id));
      request.log.info({ conversationId: request.params.id }, 'held recording released');
      return { status: 'released', id: request.params.id };
    },
  );

  app.post<{ Params: { id: string } }>('/v1/recordings/held/:id/drop', async (request, reply) => {
    const dropped = await dropHeldRecording(pool, request.params.id);
    if (!dropped) return reply.code(404).send(notHeld(request.params.id));
    request.log.info({ conversationId: request.params.id }, 'held recording dropped');
    return { status: 'dropped', id: request.params.id };
  });
};

export default heldRecordingRoutes;
