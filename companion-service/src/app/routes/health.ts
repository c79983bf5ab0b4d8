import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * Liveness (the process answers) and readiness (the org's rules are loaded), with the Salesforce API
 * usage the service tracks from Sforce-Limit-Info.
 */
const ReadySchema = z.object({
  status: z.enum(['ready', 'not ready']),
  salesforce: z.object({
    instanceUrl: z.string(),
    localOrg: z.boolean(),
    rulesLoadedAt: z.string().nullable(),
    apiUsage: z.object({
      callsMade: z.number(),
      orgUsed: z.number().nullable(),
      orgLimit: z.number().nullable(),
      share: z.number().nullable(),
      slowingDown: z.boolean(),
      delayMs: z.number(),
    }),
  }),
});

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health/live',
    { schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/health/ready',
    { schema: { response: { 200: ReadySchema, 503: ReadySchema } } },
    async (_request, reply) => {
      const { api, snapshots, localOrg } = app.salesforce;
      const snapshot = snapshots.current();
      const body = {
        status: snapshot ? ('ready' as const) : ('not ready' as const),
        salesforce: {
          instanceUrl: api.instanceUrl,
          localOrg: localOrg !== null,
          rulesLoadedAt: snapshot ? new Date(snapshot.loadedAt).toISOString() : null,
          apiUsage: api.usage(),
        },
      };
      return reply.code(snapshot ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
