import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';

/** With SCRIBE_API_KEY set, /v1 calls must present it as a bearer token; health checks stay open. */
export default fp<{ apiKey: string | null }>(
  async (app, { apiKey }) => {
    if (!apiKey) return;
    const expected = Buffer.from(apiKey);
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/v1/')) return;
      const sent = Buffer.from(/^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        return reply
          .code(401)
          .send({ error: 'missing or wrong API key: send Authorization: Bearer <SCRIBE_API_KEY>' });
      }
    });
  },
  { name: 'api-key', fastify: '5.x' },
);
