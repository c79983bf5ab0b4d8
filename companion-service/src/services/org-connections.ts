import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { OAuthClientSettings } from '../config/tenancy-config.js';
import { TokenCipher, TokenCipherError } from '../adapters/secrets/token-cipher.js';
import {
  authorizeUrl,
  exchangeCode,
  OAuthFlowError,
  pkcePair,
  readUserInfo,
  refreshAccessToken,
  revokeToken,
} from '../adapters/salesforce/oauth-web-client.js';
import {
  connectionsDueForErasure,
  eraseOrgRows,
  findConnection,
  insertStart,
  listConnections,
  saveConnected,
  saveDisconnected,
  saveRefreshed,
  saveRefreshFailure,
  saveResealed,
  takeStart,
  type OrgConnectionRow,
} from '../adapters/postgres/org-connection-store.js';
import type { SessionSource } from '../adapters/salesforce/salesforce-client.js';
import {
  canUseTokens,
  isOrgId,
  loginUrlAllowed,
  stateAfterRefreshFailure,
  type OrgConnectionEvent,
} from '../domain/tenancy/org-connection-rules.js';

/**
 * Connecting customer orgs to a multi-org service, and keeping them connected: an admin starts from
 * the package's setup page (`start` gives the authorize URL; the PKCE verifier stays here, sealed,
 * for a bounded time, usable once), Salesforce sends their browser to the callback (`complete`
 * exchanges the code, reads which org and admin approved, stores the tokens sealed), the Salesforce
 * adapter gets sessions per org (`sessionSource`, refreshing when one expired), and `disconnect`
 * revokes the tokens at Salesforce and schedules the org's erasure after the grace period.
 * Tokens appear in no log line and no error message: only org ids, states and Salesforce's codes.
 */

/** A refusal the caller can act on: the HTTP status the route answers with, and why. */
export class OrgConnectionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 502,
    message: string,
  ) {
    super(message);
    this.name = 'OrgConnectionError';
  }
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface Session {
  accessToken: string;
  instanceUrl: string;
}

/** What the setup page, the routes and `scribe orgs` show: never a token. */
export interface ConnectionView {
  orgId: string;
  state: OrgConnectionRow['state'];
  instanceUrl: string | null;
  connectedBy: string | null;
  connectedAt: string | null;
  refreshedAt: string | null;
  disconnectedAt: string | null;
  eraseAfter: string | null;
  erasedAt: string | null;
  lastError: string | null;
  /** The key the tokens are sealed with (an id derived from the key, not the key). */
  tokensKeyId: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function viewOf(row: OrgConnectionRow): ConnectionView {
  return {
    orgId: row.orgId,
    state: row.state,
    instanceUrl: row.instanceUrl,
    connectedBy: row.connectedByUsername ?? row.connectedByUserId,
    connectedAt: iso(row.connectedAt),
    refreshedAt: iso(row.refreshedAt),
    disconnectedAt: iso(row.disconnectedAt),
    eraseAfter: iso(row.eraseAfter),
    erasedAt: iso(row.erasedAt),
    lastError: row.lastError,
    tokensKeyId: row.tokens?.keyId ?? null,
  };
}

export interface OrgConnectionsOptions {
  pool: pg.Pool;
  /** Told of every change to a connection (metrics); never given a token. */
  observe?: (orgId: string, event: OrgConnectionEvent) => void;
  cipher: TokenCipher;
  oauth: OAuthClientSettings;
  stateTtlMs: number;
  erasureGraceMs: number;
  logger: Logger;
  now?: () => Date;
}

const hashState = (state: string) => createHash('sha256').update(state, 'utf8').digest('hex');

export class OrgConnections {
  private readonly now: () => Date;
  /** One refresh per org at a time in this process; other processes wait on the row lock. */
  private readonly refreshing = new Map<string, Promise<Session>>();

  constructor(private readonly options: OrgConnectionsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private get log() {
    return this.options.logger;
  }

  /**
   * The URL the admin's browser opens to approve. `loginUrl` is the org's My Domain (the setup page
   * knows it), so the admin signs in to the org that started; without it, the configured login URL.
   */
  async start(request: {
    orgId: string;
    loginUrl?: string;
  }): Promise<{ authorizeUrl: string; expiresAt: string }> {
    if (!isOrgId(request.orgId)) {
      throw new OrgConnectionError(
        400,
        `orgId "${request.orgId}" is not an 18-character Salesforce org id (00D…)`,
      );
    }
    const loginUrl = (request.loginUrl ?? this.options.oauth.loginUrl).replace(/\/+$/, '');
    if (!loginUrlAllowed(loginUrl, this.options.oauth.loginUrl)) {
      throw new OrgConnectionError(
        400,
        `loginUrl "${loginUrl}" is not a My Domain (https://<name>.my.salesforce.com) nor ${this.options.oauth.loginUrl}`,
      );
    }
    const state = randomBytes(32).toString('base64url');
    const { verifier, challenge } = pkcePair();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.options.stateTtlMs);
    await insertStart(
      this.options.pool,
      {
        stateHash: hashState(state),
        orgId: request.orgId,
        loginUrl,
        verifier: this.options.cipher.seal(verifier, request.orgId),
        expiresAt,
      },
      now,
    );
    this.log.info({ orgId: request.orgId, expiresAt }, 'org connection started');
    return {
      authorizeUrl: authorizeUrl(this.options.oauth, loginUrl, state, challenge),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** The callback: Salesforce's answer to the authorize request, as the browser brings it. */
  async complete(callback: {
    state?: string;
    code?: string;
    error?: string;
    errorDescription?: string;
  }): Promise<ConnectionView> {
    if (!callback.state)
      throw new OrgConnectionError(400, 'the callback has no state: start again from the setup page');
    const start = await takeStart(this.options.pool, hashState(callback.state));
    if (!start) {
      throw new OrgConnectionError(
        400,
        'this connection request is unknown or was already used: start again from the setup page',
      );
    }
    if (start.expiresAt.getTime() <= this.now().getTime()) {
      throw new OrgConnectionError(400, 'this connection request expired: start again from the setup page');
    }
    if (callback.error) {
      this.log.warn({ orgId: start.orgId, error: callback.error }, 'org connection not approved');
      throw new OrgConnectionError(
        400,
        `Salesforce did not approve the connection (${callback.error}${callback.errorDescription ? `: ${callback.errorDescription}` : ''})`,
      );
    }
    if (!callback.code)
      throw new OrgConnectionError(400, 'the callback has no code: start again from the setup page');
    const verifier = this.options.cipher.open(start.verifier, start.orgId);
    let answer;
    let user;
    try {
      answer = await exchangeCode(this.options.oauth, start.loginUrl, callback.code, verifier);
      user = await readUserInfo(answer.instance_url, answer.access_token);
    } catch (error) {
      if (!(error instanceof OAuthFlowError)) throw error;
      this.log.warn({ orgId: start.orgId, error: error.code }, 'org connection refused by Salesforce');
      throw new OrgConnectionError(502, `${error.message}; start again from the setup page`);
    }
    if (!answer.refresh_token) {
      await revokeToken(start.loginUrl, answer.access_token).catch(() => undefined);
      throw new OrgConnectionError(
        502,
        "Salesforce gave no refresh token: add the refresh_token scope to the External Client App's OAuth settings",
      );
    }
    if (user.organization_id !== start.orgId) {
      // Approved in another org than the one whose setup page started: never attach it under this id.
      await revokeToken(start.loginUrl, answer.refresh_token).catch(() => undefined);
      this.log.warn(
        { orgId: start.orgId, approvedIn: user.organization_id },
        'org connection approved in another org',
      );
      throw new OrgConnectionError(
        409,
        `the connection was approved in org ${user.organization_id}, not ${start.orgId}: sign in to ${start.orgId} and start again`,
      );
    }
    const tokens: Tokens = { accessToken: answer.access_token, refreshToken: answer.refresh_token };
    await saveConnected(this.options.pool, {
      orgId: start.orgId,
      instanceUrl: answer.instance_url.replace(/\/+$/, ''),
      loginUrl: start.loginUrl,
      connectedByUserId: user.user_id,
      connectedByUsername: user.preferred_username ?? null,
      tokens: this.options.cipher.seal(JSON.stringify(tokens), start.orgId),
      at: this.now(),
    });
    this.log.info({ orgId: start.orgId }, 'org connected');
    this.options.observe?.(start.orgId, 'connected');
    return this.status(start.orgId);
  }

  async status(orgId: string): Promise<ConnectionView> {
    const row = isOrgId(orgId) ? await findConnection(this.options.pool, orgId) : null;
    if (!row) throw new OrgConnectionError(404, `org ${orgId} has never been connected to this service`);
    return viewOf(row);
  }

  async list(): Promise<ConnectionView[]> {
    return (await listConnections(this.options.pool)).map(viewOf);
  }

  private open(row: OrgConnectionRow): Tokens {
    if (!row.tokens) throw new OrgConnectionError(409, `org ${row.orgId} holds no tokens (${row.state})`);
    return JSON.parse(this.options.cipher.open(row.tokens, row.orgId)) as Tokens;
  }

  private usable(row: OrgConnectionRow | null, orgId: string): OrgConnectionRow {
    if (!row) throw new OrgConnectionError(404, `org ${orgId} has never been connected to this service`);
    if (!canUseTokens(row.state)) {
      throw new OrgConnectionError(
        409,
        `org ${orgId} is ${row.state}: an admin reconnects it from the setup page`,
      );
    }
    return row;
  }

  /** The org's session as stored. */
  async currentSession(orgId: string): Promise<Session> {
    const row = this.usable(await findConnection(this.options.pool, orgId), orgId);
    return { accessToken: this.open(row).accessToken, instanceUrl: row.instanceUrl ?? row.loginUrl };
  }

  /**
   * A fresh access token through the refresh token flow. The row is locked while refreshing, so
   * processes that find the same session expired refresh once: whoever comes second finds a token
   * other than the stale one and takes it.
   */
  refresh(orgId: string, stale?: string): Promise<Session> {
    const running = this.refreshing.get(orgId);
    if (running) return running;
    const work = this.refreshLocked(orgId, stale).finally(() => this.refreshing.delete(orgId));
    this.refreshing.set(orgId, work);
    return work;
  }

  private async refreshLocked(orgId: string, stale: string | undefined): Promise<Session> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const row = this.usable(await findConnection(client, orgId, true), orgId);
      const tokens = this.open(row);
      if (stale !== undefined && tokens.accessToken !== stale) {
        await client.query('COMMIT');
        return { accessToken: tokens.accessToken, instanceUrl: row.instanceUrl ?? row.loginUrl };
      }
      let answer;
      try {
        answer = await refreshAccessToken(this.options.oauth, row.loginUrl, tokens.refreshToken);
      } catch (error) {
        if (!(error instanceof OAuthFlowError)) throw error;
        const state = stateAfterRefreshFailure(error.code);
        await saveRefreshFailure(client, orgId, state, error.message, this.now());
        await client.query('COMMIT');
        this.log.warn({ orgId, state, error: error.code }, 'org token refresh failed');
        this.options.observe?.(orgId, state);
        throw new OrgConnectionError(
          502,
          state === 'revoked'
            ? `org ${orgId}'s connection was revoked at Salesforce: an admin reconnects it from the setup page`
            : `org ${orgId}'s token could not be refreshed (${error.code}); it is tried again on the next call`,
        );
      }
      // Refresh token rotation, when the app has it on, hands a new refresh token with each refresh.
      const fresh: Tokens = {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token ?? tokens.refreshToken,
      };
      const instanceUrl = answer.instance_url.replace(/\/+$/, '');
      await saveRefreshed(
        client,
        orgId,
        this.options.cipher.seal(JSON.stringify(fresh), orgId),
        instanceUrl,
        this.now(),
      );
      await client.query('COMMIT');
      this.log.info({ orgId }, 'org token refreshed');
      this.options.observe?.(orgId, 'refreshed');
      return { accessToken: fresh.accessToken, instanceUrl };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** What SalesforceClient.connect takes to work on one connected org. */
  sessionSource(orgId: string): SessionSource {
    return {
      current: () => this.currentSession(orgId),
      renew: (stale) => this.refresh(orgId, stale),
    };
  }

  /**
   * Revokes the org's refresh token at Salesforce (which ends its access tokens too), drops the
   * tokens, and schedules the erasure. A revoke Salesforce cannot take is reported, not fatal: the
   * service forgets the tokens either way, and the admin can revoke the app in Setup.
   */
  async disconnect(orgId: string): Promise<{ view: ConnectionView; revoked: boolean; note: string | null }> {
    const row = isOrgId(orgId) ? await findConnection(this.options.pool, orgId) : null;
    if (!row) throw new OrgConnectionError(404, `org ${orgId} has never been connected to this service`);
    if (row.state === 'disconnected' || row.state === 'erased')
      return { view: viewOf(row), revoked: false, note: null };
    let revoked = false;
    let note: string | null = null;
    try {
      if (row.tokens) {
        await revokeToken(row.loginUrl, this.open(row).refreshToken);
        revoked = true;
      }
    } catch (error) {
      if (!(error instanceof OAuthFlowError || error instanceof TokenCipherError)) throw error;
      note = `the tokens could not be revoked at Salesforce (${error instanceof OAuthFlowError ? error.code : 'unreadable'}): revoke the Pipeline Scribe Service app's access in the org's Setup, Connected Apps OAuth Usage`;
    }
    const now = this.now();
    await saveDisconnected(
      this.options.pool,
      orgId,
      now,
      new Date(now.getTime() + this.options.erasureGraceMs),
      note,
    );
    this.log.info({ orgId, revoked }, 'org disconnected');
    this.options.observe?.(orgId, 'disconnected');
    return { view: await this.status(orgId), revoked, note };
  }

  /** Erases every disconnected org whose grace period is over; returns what each lost. */
  async eraseDue(): Promise<{ orgId: string; removed: Record<string, number> }[]> {
    const done = [];
    for (const orgId of await connectionsDueForErasure(this.options.pool, this.now())) {
      const removed = await eraseOrgRows(this.options.pool, orgId, this.now());
      this.log.info({ orgId, removed }, 'disconnected org erased');
      this.options.observe?.(orgId, 'erased');
      done.push({ orgId, removed });
    }
    return done;
  }

  /**
   * Re-encrypts every org's tokens under the current key (SCRIBE_ENCRYPTION_KEY), opening them with
   * whichever key sealed them. Once it reports nothing left under an old key, that key can leave
   * SCRIBE_ENCRYPTION_KEYS_PREVIOUS. A row no key opens is reported and left.
   */
  async rotateKey(): Promise<{
    reencrypted: string[];
    current: string[];
    failed: { orgId: string; reason: string }[];
  }> {
    const result = {
      reencrypted: [] as string[],
      current: [] as string[],
      failed: [] as { orgId: string; reason: string }[],
    };
    for (const row of await listConnections(this.options.pool)) {
      if (!row.tokens) continue;
      if (this.options.cipher.isCurrent(row.tokens.keyId)) {
        result.current.push(row.orgId);
        continue;
      }
      try {
        const plaintext = this.options.cipher.open(row.tokens, row.orgId);
        await saveResealed(this.options.pool, row.orgId, this.options.cipher.seal(plaintext, row.orgId));
        result.reencrypted.push(row.orgId);
      } catch (error) {
        if (!(error instanceof TokenCipherError)) throw error;
        result.failed.push({ orgId: row.orgId, reason: error.message });
      }
    }
    return result;
  }
}
