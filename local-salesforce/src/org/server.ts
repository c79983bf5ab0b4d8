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

  app.post('/services/oauth2/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    try {
      if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        throw new OAuthError('unsupported_grant_type', 'grant type not supported');
      }
      const userId = state.oauth.verifyAssertion(form.assertion ?? '', state.findActiveUser);
      const loginUrl = state.loginUrl();
      return {
        access_token: state.oauth.issue(userId),
        scope: 'api',
        instance_url: loginUrl,
        id: `${loginUrl}/id/${state.oauth.orgId}/${userId}`,
        token_type: 'Bearer',
        issued_at: String(state.shared.now()),
      };
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return reply.code(400).send({ error: error.error, error_description: error.description });
    }
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
