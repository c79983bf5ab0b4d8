import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError, type OAuthServer } from './oauth.js';

/**
 * The OAuth 2.0 web server flow with PKCE, as Salesforce runs it for a connected app or an external
 * client app, so a service that connects orgs on an admin's approval can be tested end to end:
 *
 * - /services/oauth2/authorize takes response_type=code, client_id, redirect_uri (one of the app's
 *   callback URLs, exactly), state and code_challenge (base64url SHA-256 of the verifier). An unknown
 *   client or a redirect_uri that is not the app's is shown to the user, never redirected
 *   (error=redirect_uri_mismatch, "redirect_uri must match configuration"); other errors go back to
 *   the callback as ?error=…&error_description=…&state=…
 *   ("OAuth 2.0 Web Server Flow for Web App Integration",
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm;
 *   "OAuth 2.0 Authorization Errors",
 *   https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_flow_errors.htm).
 * - The code is used once and expires after 15 minutes. A code_verifier that does not match the
 *   challenge fails with invalid_request; one missing where a challenge was given fails with
 *   invalid_grant ("Proof Key for Code Exchange (PKCE) Extension",
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm).
 * - grant_type=refresh_token returns a new access token (and no new refresh token: the app's policy
 *   here is "valid until revoked"); a revoked or unknown one fails with invalid_grant, "expired
 *   access/refresh token" (the refresh token flow,
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_understanding_refresh_token_oauth.htm).
 * - /services/oauth2/revoke takes token= (an access or a refresh token; a refresh token takes its
 *   access tokens with it) and answers 200, or 400 with unsupported_token_type / invalid_token
 *   ("Revoking OAuth Tokens",
 *   https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html).
 */

/** Salesforce's authorization code lifetime. */
export const CODE_TTL_MS = 15 * 60_000;

interface PendingCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  challenge: string | null;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  userId: string;
}

export interface AuthorizeRequest {
  response_type?: string;
  client_id?: string;
  redirect_uri?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

/** Where the browser goes next, or an error page Salesforce shows instead of redirecting. */
export type AuthorizeOutcome = { redirect: string } | { page: { error: string; description: string } };

export interface IssuedTokens {
  userId: string;
  accessToken: string;
  refreshToken?: string;
  clientId: string;
}

const sha256url = (text: string) => createHash('sha256').update(text, 'ascii').digest('base64url');

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export class WebServerFlow {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    private readonly oauth: OAuthServer,
    private readonly now: () => number,
  ) {}

  /** The user approved (they are logged in as `userId`): a code for the callback, or an error. */
  authorize(request: AuthorizeRequest, userId: string): AuthorizeOutcome {
    const app = request.client_id ? this.oauth.clients.get(request.client_id) : undefined;
    if (!app) return { page: { error: 'invalid_client_id', description: 'client identifier invalid' } };
    const redirectUri = request.redirect_uri ?? '';
    if (!(app.callbackUrls ?? []).includes(redirectUri)) {
      return {
        page: { error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' },
      };
    }
    const back = (params: Record<string, string>) => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      if (request.state !== undefined) url.searchParams.set('state', request.state);
      return { redirect: url.toString() };
    };
    if (request.response_type !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'response type not supported' });
    }
    const challenge = request.code_challenge ?? null;
    if (challenge !== null && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge' });
    }
    if (request.code_challenge_method && request.code_challenge_method !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      clientId: app.consumerKey,
      redirectUri,
      userId,
      challenge,
      expiresAt: this.now() + CODE_TTL_MS,
    });
    return back({ code });
  }

  private client(clientId: string | undefined, secret: string | undefined) {
    const app = clientId ? this.oauth.clients.get(clientId) : undefined;
    if (!app) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    if (app.consumerSecret !== undefined && !sameSecret(secret ?? '', app.consumerSecret)) {
      throw new OAuthError('invalid_client', 'invalid client credentials');
    }
    return app;
  }

  /** grant_type=authorization_code. */
  exchangeCode(form: Record<string, string | undefined>): IssuedTokens {
    const app = this.client(form.client_id, form.client_secret);
    const pending = form.code ? this.codes.get(form.code) : undefined;
    // Used once, whatever the outcome: a code that failed a check cannot be tried again.
    if (form.code) this.codes.delete(form.code);
    if (!pending || pending.clientId !== app.consumerKey) {
      throw new OAuthError('invalid_grant', 'invalid authorization code');
    }
    if (pending.expiresAt <= this.now()) throw new OAuthError('invalid_grant', 'expired authorization code');
    if (form.redirect_uri !== pending.redirectUri) {
      throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    if (pending.challenge !== null) {
      if (!form.code_verifier) throw new OAuthError('invalid_grant', 'invalid code verifier');
      if (sha256url(form.code_verifier) !== pending.challenge) {
        throw new OAuthError('invalid_request', 'invalid code verifier');
      }
    }
    const refreshToken = `5Aep${randomBytes(48).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, { clientId: app.consumerKey, userId: pending.userId });
    return {
      userId: pending.userId,
      clientId: app.consumerKey,
      refreshToken,
      accessToken: this.oauth.issue(pending.userId, refreshToken),
    };
  }

  /** grant_type=refresh_token. */
  refresh(form: Record<string, string | undefined>): IssuedTokens {
    const app = this.client(form.client_id, form.client_secret);
    const grant = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
    if (!grant || grant.clientId !== app.consumerKey) {
      throw new OAuthError('invalid_grant', 'expired access/refresh token');
    }
    return {
      userId: grant.userId,
      clientId: app.consumerKey,
      accessToken: this.oauth.issue(grant.userId, form.refresh_token),
    };
  }

  /** An access token ends its session; a refresh token ends itself and every session it gave. */
  revoke(token: string | undefined): void {
    if (!token) throw new OAuthError('unsupported_token_type', 'Token type not supported');
    if (this.refreshTokens.delete(token)) {
      this.oauth.endSessionsOf(token);
      return;
    }
    if (!this.oauth.endSession(token)) throw new OAuthError('invalid_token', 'Token was invalid');
  }

  /** Ends every refresh token, as an admin revoking the app's access in Setup would. */
  revokeAll(): void {
    for (const token of this.refreshTokens.keys()) this.oauth.endSessionsOf(token);
    this.refreshTokens.clear();
  }

  /** The token response's signature: HMAC-SHA256 of id + issued_at under the consumer secret. */
  signature(clientId: string, id: string, issuedAt: string): string | undefined {
    const secret = this.oauth.clients.get(clientId)?.consumerSecret;
    return secret === undefined
      ? undefined
      : createHmac('sha256', secret)
          .update(id + issuedAt)
          .digest('base64');
  }
}
