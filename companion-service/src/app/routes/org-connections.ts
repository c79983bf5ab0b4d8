import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OrgConnectionError } from '../../services/org-connections.js';
import { ORG_ID } from '../../domain/tenancy/org-connection-rules.js';

/**
 * Connecting orgs (multi-org mode). Behind the API key, for the package's setup page through its
 * named credential and for operators: POST /v1/orgs/connect starts (the authorize URL to open),
 * GET /v1/orgs/:orgId/connection says where the connection stands (never_connected included), POST /v1/orgs/:orgId/disconnect
 * revokes and schedules the erasure. Open, for the admin's browser coming back from Salesforce:
 * GET /oauth/callback, whose single-use state is its proof. The callback answers with a small page
 * (no script, nothing loaded from elsewhere) telling the admin what happened.
 */

const OrgIdParams = z.object({ orgId: z.string().regex(ORG_ID, 'an 18-character org id (00D…)') });

const StartBody = z.object({
  orgId: z.string().regex(ORG_ID, 'an 18-character org id (00D…)'),
  /** The org's My Domain URL, where the admin signs in. */
  loginUrl: z
    .url({ protocol: /^https?$/ })
    .max(200)
    .optional(),
});

const CallbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, text: string) {
  return reply
    .code(status)
    .header('content-security-policy', "default-src 'none'")
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></html>`,
    );
}

const orgConnectionRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const connections = app.orgConnections;

  const refused = (reply: FastifyReply, error: unknown) => {
    if (error instanceof OrgConnectionError) return reply.code(error.status).send({ error: error.message });
    throw error;
  };

  app.post('/v1/orgs/connect', { schema: { body: StartBody } }, async (request, reply) => {
    try {
      return await connections.start(request.body);
    } catch (error) {
      return refused(reply, error);
    }
  });

  // An org that never connected is a state the setup page shows (with a Connect button), not an error.
  app.get('/v1/orgs/:orgId/connection', { schema: { params: OrgIdParams } }, async (request, reply) => {
    try {
      return await connections.status(request.params.orgId);
    } catch (error) {
      if (error instanceof OrgConnectionError && error.status === 404) {
        return { orgId: request.params.orgId, state: 'never_connected' };
      }
      return refused(reply, error);
    }
  });

  app.post('/v1/orgs/:orgId/disconnect', { schema: { params: OrgIdParams } }, async (request, reply) => {
    try {
      const { view, revoked, note } = await connections.disconnect(request.params.orgId);
      return { ...view, revoked, note };
    } catch (error) {
      return refused(reply, error);
    }
  });

  app.get(
    '/oauth/callback',
    { config: { access: 'open' }, schema: { querystring: CallbackQuery } },
    async (request, reply) => {
      const q = request.query;
      try {
        const view = await connections.complete({
          state: q.state,
          code: q.code,
          error: q.error,
          errorDescription: q.error_description,
        });
        return page(
          reply,
          200,
          'Pipeline Scribe is connected',
          `Org ${view.orgId} is connected. Close this tab and press Check again on the Pipeline Scribe Setup page.`,
        );
      } catch (error) {
        if (!(error instanceof OrgConnectionError)) throw error;
        return page(reply, error.status, 'Pipeline Scribe could not connect', error.message);
      }
    },
  );
};

export default orgConnectionRoutes;
