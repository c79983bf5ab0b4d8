import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';

/**
 * The OAuth 2.0 JWT bearer flow as Salesforce runs it for a connected app: the assertion is an RS256
 * JWT whose issuer is the consumer key, whose subject is a user of the org, whose audience is the
 * login URL, and which expires within minutes; it is checked against the app's certificate. Sessions
 * expire, and an expired one is answered with INVALID_SESSION_ID.
 */

export interface ConnectedApp {
  consumerKey: string;
  /** PEM public key or certificate the assertions must be signed with; omitted: no JWT bearer flow. */
  certificate?: string;
  /** The app's callback URLs: a web server flow's redirect_uri must be one of them exactly. */
  callbackUrls?: string[];
  /** The consumer secret; set, the token endpoint asks for it (Require Secret for Web Server Flow). */
  consumerSecret?: string;
}

export interface Session {
  userId: string;
  expiresAt: number;
  /** The refresh token the session came from, so revoking that token ends it too. */
  refreshToken?: string;
}

export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const MAX_EXP_SKEW_MS = 5 * 60_000;

function decodePart(part: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new OAuthError('invalid_grant', 'invalid assertion');
  }
}

export class OAuthServer {
  private readonly sessions = new Map<string, Session>();
  private readonly apps = new Map<string, KeyObject>();
  /** Every registered app by consumer key, for the web server flow (web-server-flow.ts). */
  readonly clients = new Map<string, ConnectedApp>();

  constructor(
    readonly orgId: string,
    private readonly sessionTtlMs: number,
    private readonly now: () => number,
    /** Login URLs an assertion may name as its audience. */
    readonly audiences: string[],
  ) {}

  registerApp(app: ConnectedApp): void {
    this.clients.set(app.consumerKey, app);
    if (app.certificate) this.apps.set(app.consumerKey, createPublicKey(app.certificate));
  }

  /** Checks a JWT bearer assertion and returns the user it names, or throws an OAuthError. */
  verifyAssertion(assertion: string, findUser: (username: string) => string | null): string {
    const parts = assertion.split('.');
    if (parts.length !== 3) throw new OAuthError('invalid_grant', 'invalid assertion');
    const header = decodePart(parts[0]);
    const claims = decodePart(parts[1]);
    if (header.alg !== 'RS256') throw new OAuthError('invalid_grant', 'invalid assertion: alg must be RS256');
    const key = this.apps.get(String(claims.iss));
    if (!key) throw new OAuthError('invalid_client_id', 'client identifier invalid');
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
    if (!verify('RSA-SHA256', signed, key, Buffer.from(parts[2]!, 'base64url'))) {
      throw new OAuthError('invalid_grant', 'invalid assertion');
    }
    if (!this.audiences.includes(String(claims.aud).replace(/\/$/, ''))) {
      throw new OAuthError('invalid_grant', 'audience is invalid');
    }
    const exp = Number(claims.exp) * 1000;
    if (!Number.isFinite(exp) || exp < this.now() || exp > this.now() + MAX_EXP_SKEW_MS) {
      throw new OAuthError('invalid_grant', 'expired authorization code');
    }
    const userId = findUser(String(claims.sub));
    if (!userId) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
    return userId;
  }

  issue(userId: string, refreshToken?: string): string {
    const token = `${this.orgId.slice(0, 15)}!${randomBytes(36).toString('base64url')}`;
    this.sessions.set(token, { userId, expiresAt: this.now() + this.sessionTtlMs, refreshToken });
    return token;
  }

  /** Ends one session; false when the token is no live session. */
  endSession(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Ends every session issued from a refresh token (revoking the token revokes them too). */
  endSessionsOf(refreshToken: string): void {
    for (const [token, session] of this.sessions) {
      if (session.refreshToken === refreshToken) this.sessions.delete(token);
    }
  }

  /** The user behind a live session token, or null (missing, unknown or expired). */
  authenticate(header: string | undefined): string | null {
    const token = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header ?? '')?.[1];
    const session = token ? this.sessions.get(token) : undefined;
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(token!);
      return null;
    }
    return session.userId;
  }

  /** Ends every session, as an admin revoking them or a timeout would. */
  expireSessions(): void {
    this.sessions.clear();
  }
}
