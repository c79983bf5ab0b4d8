import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { OrgContext } from './api/context.js';
import { handleRest } from './api/resources.js';
import { handleApexRest } from './api/apex-rest.js';
import { SalesforceError } from './api/errors.js';
import type { FaultInjector } from './faults.js';
import type { SecurityModel } from './security/access.js';
import { OAuthError, type OAuthServer } from './oauth.js';
import type { AuthorizeRequest, IssuedTokens, WebServerFlow } from './web-server-flow.js';
import { UPLOAD_LIMIT_BYTES } from './api/bulk-jobs.js';

/**
 * The local org's HTTP face: the OAuth token and identity endpoints, and every versioned REST
 * resource behind a session check, a daily API budget reported in `Sforce-Limit-Info`, and fault
 * injection. One call to /services/data counts once, whatever a composite request holds.
 */

export interface ApiBudget {
  used: number;
  max: number;
  day: string;
}

export interface LocalOrgState {
  shared: Omit<OrgContext, 'apiVersion' | 'userId' | 'access'>;
  oauth: OAuthServer;
  webFlow: WebServerFlow;
  security: SecurityModel;
  faults: FaultInjector;
  budget: ApiBudget;
  loginUrl: () => string;
  findActiveUser: (username: string) => string | null;
}

const sfError = (reply: FastifyReply, error: SalesforceError) =>
  reply.code(error.status).send(error.toBody());

function countCall(state: LocalOrgState): boolean {
  const today = new Date(state.shared.now()).toISOString().slice(0, 10);
  if (state.budget.day !== today) {
    state.budget.day = today;
    state.budget.used = 0;
  }
  if (state.budget.used >= state.budget.max) return false;
  state.budget.used++;
  return true;
}

async function handleData(state: LocalOrgState, request: FastifyRequest, reply: FastifyReply) {
  const userId = state.oauth.authenticate(request.headers.authorization);
  if (!userId) return sfError(reply, new SalesforceError('INVALID_SESSION_ID', 'Session expired or invalid'));
  const delay = state.faults.latency();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const limitInfo = () => `api-usage=${state.budget.used}/${state.budget.max}`;
  if (!countCall(state)) {
    reply.header('Sforce-Limit-Info', limitInfo());
    return sfError(reply, new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
  }
  reply.header('Sforce-Limit-Info', limitInfo());
  const fault = state.faults.requestFault();
  if (fault) return sfError(reply, fault);
  // Clients that join an instance URL ending in a slash send `//services/...`; Salesforce accepts it.
  const url = new URL(request.url.replace(/^\/{2,}/, '/'), 'http://local');
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
  );
  // What the user may do is worked out once per request; every resource and subrequest uses it.
  const access = state.security.forUser(userId);
  if (!access.has('ApiEnabled')) {
    return sfError(
      reply,
      new SalesforceError('API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.'),
    );
  }
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored; the optional tail is one .*
  const apex = /^\/services\/apexrest(\/.*)?$/.exec(url.pathname);
  if (apex) {
    // The package's Apex entry points (api/apex-rest.ts); an Apex REST call counts as an API call.
    const ctx: OrgContext = { ...state.shared, apiVersion: APEX_API_VERSION, userId, access };
    const req = {
      method: request.method,
      path: apex[1] ?? '/',
      query: url.searchParams,
      body: request.body ?? null,
      headers,
    };
    let result;
    try {
      result = await handleApexRest(ctx, req);
    } catch (error) {
      if (error instanceof SalesforceError) return sfError(reply, error);
      throw error;
    }
    // Apex REST serializes whatever the method returns as JSON, a String or an Id too ("a00...").
    return reply.code(result.status).type('application/json').send(JSON.stringify(result.body));
  }
  // eslint-disable-next-line security/detect-unsafe-regex -- anchored; the optional tail is one .*
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(url.pathname);
  if (!match) {
    return sfError(reply, new SalesforceError('NOT_FOUND', 'The requested resource does not exist'));
  }
  const ctx: OrgContext = { ...state.shared, apiVersion: match[1]!, userId, access };
  const result = handleRest(
    ctx,
    {
      method: request.method,
      path: match[2] ?? '/',
      query: url.searchParams,
      body: request.body ?? null,
      headers,
    },
    state.budget,
  );
  for (const [k, v] of Object.entries(result.headers ?? {})) reply.header(k, v);
  reply.code(result.status);
  return result.status === 204 ? reply.send() : reply.send(result.body);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The API version the package's Apex runs at (sourceApiVersion of sfdx-project.json). */
const APEX_API_VERSION = '62.0';

const BODY_LIMIT = 50 * 1024 * 1024;

export function buildLocalOrgServer(state: LocalOrgState, logger: FastifyBaseLogger | null): FastifyInstance {
  const app: FastifyInstance = logger
    ? Fastify({
        loggerInstance: logger,
        bodyLimit: BODY_LIMIT,
        routerOptions: { ignoreDuplicateSlashes: true },
      })
    : Fastify({ logger: false, bodyLimit: BODY_LIMIT, routerOptions: { ignoreDuplicateSlashes: true } });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, null);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const parseFailure = new SalesforceError(
        'JSON_PARSER_ERROR',
        `Unexpected character in the request body: ${(error as Error).message}`,
      );
      done(Object.assign(new Error(parseFailure.message), { statusCode: 400, sf: parseFailure }), undefined);
    }
  });
  // Bulk API 2.0 job data; the per-job 150 MB limit is checked by the job (api/bulk-ingest.ts).
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: UPLOAD_LIMIT_BYTES + 1024 * 1024 },
    (_req, body, done) => done(null, String(body)),
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((error: Error & { sf?: SalesforceError }, _request, reply) => {
    if (error.sf) return sfError(reply, error.sf);
    app.log.error({ err: error }, 'local org request failed');
    return sfError(
      reply,
      new SalesforceError(
        'UNKNOWN_EXCEPTION',
        'An unexpected error occurred. Please include this ErrorId if you contact support.',
        [],
        500,
      ),
    );
  });

  const tokenResponse = (issued: IssuedTokens, scope: string) => {
    const loginUrl = state.loginUrl();
    const id = `${loginUrl}/id/${state.oauth.orgId}/${issued.userId}`;
    const issuedAt = String(state.shared.now());
    const signature = state.webFlow.signature(issued.clientId, id, issuedAt);
    return {
      access_token: issued.accessToken,
      ...(issued.refreshToken ? { refresh_token: issued.refreshToken } : {}),
      ...(signature ? { signature } : {}),
      scope,
      instance_url: loginUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  };

  app.post('/services/oauth2/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    try {
      switch (form.grant_type) {
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
          const userId = state.oauth.verifyAssertion(form.assertion ?? '', state.findActiveUser);
          return tokenResponse({ userId, clientId: '', accessToken: state.oauth.issue(userId) }, 'api');
        }
        case 'authorization_code':
          return tokenResponse(state.webFlow.exchangeCode(form), 'api refresh_token');
        case 'refresh_token':
          return tokenResponse(state.webFlow.refresh(form), 'api refresh_token');
        default:
          throw new OAuthError('unsupported_grant_type', 'grant type not supported');
      }
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return reply.code(400).send({ error: error.error, error_description: error.description });
    }
  });

  app.post('/services/oauth2/revoke', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    try {
      state.webFlow.revoke(form.token);
      return reply.code(200).send();
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return reply.code(400).send({ error: error.error, error_description: error.description });
    }
  });

  // The browser's half of the web server flow. A browser logged in to the org carries its session in
  // the `sid` cookie, and approving is what the user does on the consent page; here a request with a
  // live `sid` approves at once (how tests approve as a given user), and one without gets a page that
  // asks which of the org's users to approve as (the local org has no passwords).
  const approve = (reply: FastifyReply, params: AuthorizeRequest, userId: string) => {
    const outcome = state.webFlow.authorize(params, userId);
    if ('redirect' in outcome) return reply.redirect(outcome.redirect, 302);
    return reply
      .code(400)
      .type('text/plain')
      .send(`error=${outcome.page.error}&error_description=${encodeURIComponent(outcome.page.description)}`);
  };
  app.get('/services/oauth2/authorize', async (request, reply) => {
    const params = request.query as AuthorizeRequest;
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    const userId = sid ? state.oauth.authenticate(`Bearer ${decodeURIComponent(sid)}`) : null;
    if (userId) return approve(reply, params, userId);
    const hidden = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(String(v))}">`)
      .join('');
    return reply
      .type('text/html')
      .send(
        `<!doctype html><title>Log in to the local org</title><form method="post">${hidden}<label>Username <input name="username" required></label> <button>Allow</button></form>`,
      );
  });
  app.post('/services/oauth2/authorize', async (request, reply) => {
    const { username, ...params } = (request.body ?? {}) as AuthorizeRequest & { username?: string };
    const userId = username ? state.findActiveUser(username) : null;
    if (!userId)
      return reply
        .code(400)
        .type('text/plain')
        .send('error=invalid_grant&error_description=authentication%20failure');
    return approve(reply, params, userId);
  });

  const identity = async (request: FastifyRequest, reply: FastifyReply) => {
    const userId = state.oauth.authenticate(request.headers.authorization);
    if (!userId) return reply.code(403).send('Bad_OAuth_Token');
    const user = state.shared.store.get('User', userId)!;
    return {
      sub: `${state.loginUrl()}/id/${state.oauth.orgId}/${userId}`,
      user_id: userId,
      organization_id: state.oauth.orgId,
      preferred_username: user.Username,
      name: user.Name,
      email: user.Email,
      urls: { rest: `${state.loginUrl()}/services/data/v{version}/` },
    };
  };
  app.get('/services/oauth2/userinfo', identity);
  app.get('/id/:orgId/:userId', identity);

  app.get('/services/data', async () =>
    ['60.0', '61.0', '62.0'].map((version) => ({
      label: `v${version}`,
      url: `/services/data/v${version}`,
      version,
    })),
  );
  app.all('/services/data/*', (request, reply) => handleData(state, request, reply));
  app.all('/services/apexrest/*', (request, reply) => handleData(state, request, reply));
  return app;
}
