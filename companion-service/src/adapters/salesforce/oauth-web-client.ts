import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { OAuthClientSettings } from '../../config/tenancy-config.js';

/**
 * The service's side of Salesforce's OAuth 2.0 web server flow with PKCE, for the package's External
 * Client App: the authorize URL an admin's browser is sent to, the code exchanged for tokens, the
 * refresh, the revoke, and the userinfo that says which org approved
 * (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm,
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm,
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm).
 * Every answer is checked with zod; an error answer becomes an OAuthFlowError with Salesforce's code.
 * No token is ever put in an error message.
 */

const TIMEOUT_MS = 15_000;

export class OAuthFlowError extends Error {
  constructor(
    /** Salesforce's `error` (invalid_grant, invalid_client …), or `unreachable` / `bad_answer`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthFlowError';
  }
}

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  instance_url: z.url(),
  id: z.url(),
  issued_at: z.string().optional(),
});
export type TokenAnswer = z.infer<typeof TokenAnswerSchema>;

const UserInfoSchema = z.object({
  user_id: z.string().min(15),
  organization_id: z.string().regex(/^00D[A-Za-z0-9]{15}$/),
  preferred_username: z.string().optional(),
});
export type UserInfo = z.infer<typeof UserInfoSchema>;

const ErrorAnswerSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** A PKCE verifier (43 base64url characters of 32 random bytes) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}

export function authorizeUrl(
  settings: OAuthClientSettings,
  loginUrl: string,
  state: string,
  challenge: string,
): string {
  const url = new URL('/services/oauth2/authorize', loginUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.callbackUrl);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('scope', 'api refresh_token');
  return url.toString();
}

async function post(url: string, form: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new OAuthFlowError(
      'unreachable',
      `${new URL(url).origin} could not be reached (${(error as Error).name})`,
    );
  }
}

async function answerOf<T>(response: Response, schema: z.ZodType<T>, what: string): Promise<T> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = ErrorAnswerSchema.safeParse(body);
    throw error.success
      ? new OAuthFlowError(
          error.data.error,
          `${what}: ${error.data.error}: ${error.data.error_description ?? ''}`.trim(),
        )
      : new OAuthFlowError('bad_answer', `${what}: HTTP ${response.status}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new OAuthFlowError('bad_answer', `${what}: the answer is not a token response`);
  return parsed.data;
}

const clientForm = (settings: OAuthClientSettings) => ({
  client_id: settings.clientId,
  ...(settings.clientSecret ? { client_secret: settings.clientSecret } : {}),
});

export async function exchangeCode(
  settings: OAuthClientSettings,
  loginUrl: string,
  code: string,
  verifier: string,
): Promise<TokenAnswer> {
  const response = await post(`${loginUrl}/services/oauth2/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: settings.callbackUrl,
    code_verifier: verifier,
    ...clientForm(settings),
  });
  return answerOf(response, TokenAnswerSchema, 'the authorization code exchange was refused');
}

export async function refreshAccessToken(
  settings: OAuthClientSettings,
  loginUrl: string,
  refreshToken: string,
): Promise<TokenAnswer> {
  const response = await post(`${loginUrl}/services/oauth2/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    ...clientForm(settings),
  });
  return answerOf(response, TokenAnswerSchema, 'the token refresh was refused');
}

/** Revokes a refresh token (and every access token it gave). An already invalid token is no failure. */
export async function revokeToken(loginUrl: string, token: string): Promise<void> {
  const response = await post(`${loginUrl}/services/oauth2/revoke`, { token });
  if (response.ok) return;
  const error = ErrorAnswerSchema.safeParse(await response.json().catch(() => null));
  if (error.success && error.data.error === 'invalid_token') return;
  throw new OAuthFlowError(
    error.success ? error.data.error : 'bad_answer',
    `the revoke was refused: HTTP ${response.status}`,
  );
}

export async function readUserInfo(instanceUrl: string, accessToken: string): Promise<UserInfo> {
  let response: Response;
  try {
    response = await fetch(`${instanceUrl}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new OAuthFlowError('unreachable', `${instanceUrl} could not be reached (${(error as Error).name})`);
  }
  if (!response.ok) throw new OAuthFlowError('bad_answer', `userinfo answered HTTP ${response.status}`);
  const parsed = UserInfoSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new OAuthFlowError('bad_answer', 'userinfo did not name the org and user');
  return parsed.data;
}
