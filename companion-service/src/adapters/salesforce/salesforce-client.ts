import { Connection } from 'jsforce';
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { JwtAuth, SalesforceTuning } from '../../config/salesforce-config.js';
import { ApiUsageTracker, type ApiUsage } from './api-usage.js';
import { requestSession, SalesforceAuthError, type Session } from './jwt-bearer.js';
import { PackageNamespace, readPackageNames } from './package-namespace.js';
import { LoginState, type LoginHealth } from './login-state.js';
import { DEFAULT_PACKAGE_DIR } from '../metadata/package-metadata.js';

/**
 * The one place the service talks to Salesforce: jsforce over HTTP, authenticated with the JWT bearer
 * flow or a given access token, re-authenticating (JWT) when a call answers INVALID_SESSION_ID.
 * Every call is counted, `Sforce-Limit-Info` is tracked, and calls slow down past the configured
 * share of the daily limit.
 */

export class SalesforceApiError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }
}

export interface CompositeSubrequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path after /services/data/vXX.X, such as `/sobjects/Opportunity/006...`. */
  path: string;
  referenceId: string;
  body?: unknown;
}

export interface CompositeSubresponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** What the rest of the service needs from Salesforce; a counted view of it is made per conversation. */
export interface SalesforceApi {
  readonly apiVersion: string;
  readonly instanceUrl: string;
  composite(subrequests: CompositeSubrequest[], allOrNone: boolean): Promise<CompositeSubresponse[]>;
  get<T>(path: string): Promise<T>;
  usage(): ApiUsage;
}

export interface ClientOptions extends SalesforceTuning {
  jwt: JwtAuth | null;
  token: Session | null;
  logger: Logger;
  /** force-app, whose components the org names with the package's namespace; found in the org at connect. */
  packageDir?: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SalesforceClient implements SalesforceApi {
  private readonly tracker: ApiUsageTracker;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly login = new LoginState();
  private answeredAt: number | null = null;
  private names = new PackageNamespace('', new Set());

  private constructor(
    private readonly conn: Connection,
    private readonly options: ClientOptions,
  ) {
    this.tracker = new ApiUsageTracker(options.slowdownAt, options.maxDelayMs);
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  static async connect(options: ClientOptions): Promise<SalesforceClient> {
    const now = options.now ?? Date.now;
    const { jwt, logger } = options;
    const session = options.token ?? (jwt ? await requestSession(jwt, now()) : null);
    if (!session) throw new SalesforceAuthError('no Salesforce credentials: set the SF_* settings');
    const conn = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: options.apiVersion,
      refreshFn: jwt
        ? (c, callback) => {
            requestSession(jwt, now()).then(
              (fresh) => {
                c.instanceUrl = fresh.instanceUrl;
                logger.info(
                  { instanceUrl: fresh.instanceUrl },
                  'Salesforce session renewed with the JWT bearer flow',
                );
                callback(null, fresh.accessToken);
              },
              (error: Error) => callback(error),
            );
          }
        : undefined,
    });
    const client = new SalesforceClient(conn, options);
    const packageNames = await readPackageNames(
      options.packageDir ?? process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR,
    );
    // One call per connection: the namespace is the org's fact, never a setting to get wrong.
    const global = await client.call<{ sobjects: { name: string }[] }>(
      'GET',
      `/services/data/v${options.apiVersion}/sobjects`,
    );
    client.names = PackageNamespace.discover(
      global.sobjects.map((s) => s.name),
      packageNames,
    );
    return client;
  }

  /** The namespace the package is installed under in this org ('' for none). */
  get namespace(): PackageNamespace {
    return this.names;
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  usage(): ApiUsage {
    return this.tracker.snapshot();
  }

  /**
   * The org's id, as the session id carries it (a Salesforce session id starts with the 15-character
   * org id and a '!'); null for a token of another form. Not a secret: Setup shows it to every admin.
   */
  get orgId(): string | null {
    return /^(00D[A-Za-z0-9]{12})!/.exec(this.conn.accessToken ?? '')?.[1] ?? null;
  }

  /** Whether sign-in works now, or is failing and being retried. */
  loginHealth(): LoginHealth {
    return this.login.health();
  }

  /** When a call last went through (ms since the epoch), or null before the first. */
  get lastAnsweredAt(): number | null {
    return this.answeredAt;
  }

  /**
   * The REST session, which the Pub/Sub API authenticates with too. `renew` makes one call first, so
   * a session that expired is renewed through the JWT flow before it is handed out: the version's
   * resource list, which any API user may read (the Limits resource needs View Setup and
   * Configuration, which the integration user has no reason to hold:
   * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-limits.md).
   */
  async session(renew = false): Promise<{ accessToken: string; instanceUrl: string }> {
    if (renew) await this.get('/');
    return { accessToken: this.conn.accessToken ?? '', instanceUrl: this.conn.instanceUrl };
  }

  async composite(subrequests: CompositeSubrequest[], allOrNone: boolean): Promise<CompositeSubresponse[]> {
    const base = `/services/data/v${this.apiVersion}`;
    const body = {
      allOrNone,
      collateSubrequests: false,
      compositeRequest: subrequests.map((s) => ({
        method: s.method,
        url: `${base}${this.names.pathToOrg(s.path)}`,
        referenceId: s.referenceId,
        ...(s.body === undefined ? {} : { body: this.names.bodyToOrg(s.body) }),
      })),
    };
    const result = await this.call<{ compositeResponse: CompositeSubresponse[] }>(
      'POST',
      `${base}/composite`,
      body,
    );
    return this.names.bodyFromOrg(result.compositeResponse) as CompositeSubresponse[];
  }

  async get<T>(path: string): Promise<T> {
    const url = this.names.pathToOrg(path);
    const result = await this.call<T>(
      'GET',
      url.startsWith('/services/') ? url : `/services/data/v${this.apiVersion}${url}`,
    );
    return this.names.bodyFromOrg(result) as T;
  }

  private async call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const delay = this.tracker.delayMs();
    if (delay > 0) {
      this.options.logger.warn(
        { usage: this.tracker.snapshot() },
        'past the API slowdown threshold; pausing before the call',
      );
      await this.sleep(delay);
    }
    try {
      const result = await this.conn.request<T>({
        method,
        url,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      this.login.succeeded();
      this.answeredAt = this.now();
      return result;
    } catch (error) {
      const explained = this.explain(error);
      if (explained instanceof SalesforceAuthError) this.login.failed(explained.message, this.now());
      throw explained;
    } finally {
      this.tracker.record(this.conn.limitInfo);
    }
  }

  private explain(error: unknown): Error {
    const e = error as Error & { errorCode?: string; data?: { fields?: string[] } };
    if (e instanceof SalesforceAuthError) return e;
    if (/Unable to refresh session/.test(e.message)) return new SalesforceAuthError(e.message);
    const code = e.errorCode ?? e.name;
    if (code === 'INVALID_SESSION_ID' && !this.options.jwt) {
      return new SalesforceAuthError(
        'Salesforce refused SF_ACCESS_TOKEN (INVALID_SESSION_ID): renew it, or set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE so the service re-authenticates itself',
      );
    }
    if (code === 'REQUEST_LIMIT_EXCEEDED') {
      return new SalesforceApiError(
        code,
        `the org's daily API limit is used up (${e.message}); calls resume when Salesforce resets the count`,
      );
    }
    if (/^[A-Z_]+$/.test(code)) {
      return new SalesforceApiError(
        code,
        e.message,
        (e.data?.fields ?? []).map((f) => this.names.fromOrg(f)),
      );
    }
    return new SalesforceApiError(
      'CONNECTION_ERROR',
      `cannot reach Salesforce at ${this.conn.instanceUrl}: ${e.message}`,
    );
  }
}
