import type { FastifyInstance } from 'fastify';

/**
 * Refuses a body whose declared length is over the route's limit before a byte of it is read, with
 * what the limit is and what to do; Fastify's own check still stops bodies sent without a length.
 */
export function refuseOversize(app: FastifyInstance, limitBytes: number, fix: string): void {
  app.addHook('onRequest', async (request, reply) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      return reply.code(413).send({
        error: `the body is ${declared} bytes, over this endpoint's limit of ${limitBytes} bytes: ${fix}`,
      });
    }
  });
}

export function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
