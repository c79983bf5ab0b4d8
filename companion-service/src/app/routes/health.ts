import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/**
 * Liveness (/healthz: the process answers) and readiness (/readyz: the database and Salesforce both
 * answer, 503 naming the one that does not; it names the org by id and instance URL, says whether a
 * failed sign-in is being retried, and spends no API call while Salesforce answered recently), open to
 * probes without the API key; plus /health/ready with the org's rules and the API usage the service
 * tracks from Sforce-Limit-Info, which asks for the key.
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
const SalesforceCheck = Check.extend({
  /** The org this service writes to, so a probe shows a wrong org before any data does. */
  orgId: z.string().nullable(),
  instanceUrl: z.string(),
  localOrg: z.boolean(),
  /** connected, or retrying a failed sign-in (the worker pauses and tries again with backoff). */
  status: z.enum(['connected', 'retrying']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  /** When Salesforce last answered: a call of the service's own, or this probe's. */
  checkedAt: z.string(),
});
const ReadyzSchema = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.object({ database: Check, salesforce: SalesforceCheck }),
});

export interface HealthOptions {
  /** How long an answer from Salesforce stands for its health; the probe calls only past it. */
  salesforceCheckMs?: number;
  now?: () => number;
}

/**
 * Salesforce's answer stands this long, however often the probe comes: a load balancer probing
 * every second must not spend the org's daily API budget (a call the service made for a
 * conversation proves as much as a call of the probe's own).
 */
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

const healthRoutes: FastifyPluginAsyncZod<HealthOptions> = async (app, options) => {
  const ttl = options.salesforceCheckMs ?? SALESFORCE_CHECK_MS;
  const clock = options.now ?? Date.now;
  type Checked = { at: number; ok: boolean; detail: string };
  let salesforceChecked: Checked | null = null;
  let asking: Promise<Checked> | null = null;

  const checkDatabase = async () => {
    try {
      await within(app.conversations.database.pool.query('SELECT 1'), 'Postgres');
      return { ok: true, detail: app.conversations.database.description };
    } catch (error) {
      return { ok: false, detail: `${app.conversations.database.description}: ${(error as Error).message}` };
    }
  };

  const probeSalesforce = async (now: number) => {
    const { api } = app.salesforce;
    // A call of the service's own that went through since the last probe proves as much as one more.
    const answered = api.lastAnsweredAt ?? -Infinity;
    const fresh = answered >= (salesforceChecked?.at ?? -Infinity) && now - answered < ttl;
    if (api.loginHealth().status === 'connected' && fresh) {
      return { at: answered, ok: true, detail: app.salesforce.description };
    }
    if (salesforceChecked && now - salesforceChecked.at < ttl) return salesforceChecked;
    // Probes that arrive while one asks Salesforce share its answer rather than each asking.
    asking ??= (async () => {
      try {
        // The API's resource list: the cheapest call that proves the instance and the session
        // answer (and, after a failed sign-in, tries the login again).
        await within(api.get('/'), 'Salesforce');
        salesforceChecked = { at: now, ok: true, detail: app.salesforce.description };
      } catch (error) {
        salesforceChecked = { at: now, ok: false, detail: `${api.instanceUrl}: ${(error as Error).message}` };
      } finally {
        asking = null;
      }
      return salesforceChecked;
    })();
    return asking;
  };

  const checkSalesforce = async () => {
    const probe = await probeSalesforce(clock());
    const { api, embedded } = app.salesforce;
    const login = api.loginHealth();
    return {
      ok: probe.ok && login.status === 'connected',
      detail: probe.detail,
      orgId: api.orgId,
      instanceUrl: api.instanceUrl,
      localOrg: embedded !== null,
      status: login.status,
      attempts: login.attempts,
      lastError: login.lastError,
      checkedAt: new Date(probe.at).toISOString(),
    };
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
        checks: { database, salesforce },
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
