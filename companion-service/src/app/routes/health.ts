import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * Liveness (/healthz: the process answers) and readiness (/readyz: the database and Salesforce both
 * answer, 503 naming the one that does not), open to probes without the API key; plus /health/ready
 * with the org's rules and the API usage the service tracks from Sforce-Limit-Info, which asks for it.
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

const Check = z.object({ ok: z.boolean(), detail: z.string() });
const ReadyzSchema = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.object({ database: Check, salesforce: Check }),
});

/** Salesforce is asked at most this often (one API call), however often the probe comes. */
const SALESFORCE_CHECK_MS = 30_000;
const CHECK_TIMEOUT_MS = 5_000;

const within = <T>(promise: Promise<T>, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  let salesforceChecked: { at: number; ok: boolean; detail: string } | null = null;

  const checkDatabase = async () => {
    try {
      await within(app.conversations.database.pool.query('SELECT 1'), 'Postgres');
      return { ok: true, detail: app.conversations.database.description };
    } catch (error) {
      return { ok: false, detail: `${app.conversations.database.description}: ${(error as Error).message}` };
    }
  };

  const checkSalesforce = async () => {
    const now = Date.now();
    if (salesforceChecked && now - salesforceChecked.at < SALESFORCE_CHECK_MS) return salesforceChecked;
    const { api } = app.salesforce;
    try {
      // The API's resource list: the cheapest call that proves the instance and the session answer.
      await within(api.get('/'), 'Salesforce');
      salesforceChecked = { at: now, ok: true, detail: api.instanceUrl };
    } catch (error) {
      salesforceChecked = { at: now, ok: false, detail: `${api.instanceUrl}: ${(error as Error).message}` };
    }
    return salesforceChecked;
  };

  app.get(
    '/healthz',
    { config: { access: 'open' }, schema: { response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/readyz',
    { config: { access: 'open' }, schema: { response: { 200: ReadyzSchema, 503: ReadyzSchema } } },
    async (_request, reply) => {
      const [database, salesforce] = await Promise.all([checkDatabase(), checkSalesforce()]);
      const ready = database.ok && salesforce.ok;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not ready',
        checks: { database, salesforce: { ok: salesforce.ok, detail: salesforce.detail } },
      });
    },
  );

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
      const { api, snapshots, embedded } = app.salesforce;
      const snapshot = snapshots.current();
      const body = {
        status: snapshot ? ('ready' as const) : ('not ready' as const),
        salesforce: {
          instanceUrl: api.instanceUrl,
          localOrg: embedded !== null,
          rulesLoadedAt: snapshot ? new Date(snapshot.loadedAt).toISOString() : null,
          apiUsage: api.usage(),
        },
      };
      return reply.code(snapshot ? 200 : 503).send(body);
    },
  );
};

export default healthRoutes;
