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

/** One Bulk API 2.0 request: JSON in and out, CSV in (job data) or out (results). */
export interface BulkRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path after /services/data/vXX.X, such as `/jobs/query` or `/jobs/ingest/750…/batches`. */
  path: string;
  json?: unknown;
  csv?: string;
}

export interface BulkResponse {
  status: number;
  /** Response headers, names in lower case (`sforce-locator`). */
  headers: Record<string, string>;
  /** The JSON body, or null. */
  json: unknown;
  /** The CSV body, or null. */
  csv: string | null;
}

/** What the rest of the service needs from Salesforce; a counted view of it is made per conversation. */
export interface SalesforceApi {
  readonly apiVersion: string;
  readonly instanceUrl: string;
  composite(subrequests: CompositeSubrequest[], allOrNone: boolean): Promise<CompositeSubresponse[]>;
  get<T>(path: string): Promise<T>;
  /** One Bulk API 2.0 HTTP request: one API call. Throws SalesforceApiError for an error answer. */
  bulk(request: BulkRequest): Promise<BulkResponse>;
  usage(): ApiUsage;
}

/**
 * Where a connected org's sessions come from in a multi-org service (services/org-connections.ts):
 * the stored access token, and a renewed one (the refresh token flow) when Salesforce says the one
 * in hand expired.
 */
export interface SessionSource {
  current(): Promise<Session>;
  /** A fresh session; `stale` is the token that was refused, so a renewal already made is reused. */
  renew(stale: string | undefined): Promise<Session>;
}

export interface ClientOptions extends SalesforceTuning {
  jwt: JwtAuth | null;
  token: Session | null;
  /** Sessions from a connected org's stored tokens, instead of `jwt` or `token`. */
  sessionSource?: SessionSource;
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
    const source = options.sessionSource;
    const session =
      options.token ?? (source ? await source.current() : jwt ? await requestSession(jwt, now()) : null);
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
        : source
          ? (c, callback) => {
              source.renew(c.accessToken ?? undefined).then(
                (fresh) => {
                  c.instanceUrl = fresh.instanceUrl;
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

  /**
   * Bulk API 2.0 goes over fetch rather than jsforce's `bulk2`: its requests would bypass this
   * client, so the scan's call count, the Sforce-Limit-Info pacing and the namespace codec (SOQL, CSV
   * headers, object names) would all miss them, and its job-by-job polling spends a call per job per
   * second where the scan polls all its jobs with one listing (bulk-api.ts).
   */
  async bulk(request: BulkRequest): Promise<BulkResponse> {
    await this.pace();
    const send = () => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${this.conn.accessToken ?? ''}`,
        accept: 'application/json, text/csv',
      };
      let body: string | undefined;
      if (request.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(this.bulkJsonToOrg(request.json));
      } else if (request.csv !== undefined) {
        headers['content-type'] = 'text/csv';
        body = mapCsvHeader(request.csv, (c) => this.names.columnToOrg(c));
      }
      return fetch(`${this.conn.instanceUrl}/services/data/v${this.apiVersion}${request.path}`, {
        method: request.method,
        headers,
        body,
      });
    };
    // A GET is safe to send again when the connection dropped under it (a kept-alive socket the
    // server closed); a write is not, and fails as it is.
    const sendOnce = () =>
      send().catch((error: unknown) => (request.method === 'GET' ? send() : Promise.reject(error)));
    let response: Response;
    try {
      response = await sendOnce();
      this.recordLimitInfo(response);
      // An expired session: renew it the way every other call does (jsforce's JWT refresh), then once more.
      if (response.status === 401 && this.options.jwt) {
        await this.session(true);
        response = await sendOnce();
        this.recordLimitInfo(response);
      }
    } catch (error) {
      if (error instanceof SalesforceAuthError || error instanceof SalesforceApiError) throw error;
      throw new SalesforceApiError(
        'CONNECTION_ERROR',
        `cannot reach Salesforce at ${this.conn.instanceUrl}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const isJson = (headers['content-type'] ?? '').includes('json');
    const json: unknown = isJson && text.trim() ? JSON.parse(text) : null;
    if (response.status >= 400) {
      const first = (Array.isArray(json) ? json[0] : json) as { errorCode?: string; message?: string } | null;
      const explained = this.explain(
        Object.assign(
          new Error(first?.message ?? `Bulk API ${request.method} ${request.path}: HTTP ${response.status}`),
          {
            errorCode: first?.errorCode ?? `HTTP_${response.status}`,
          },
        ),
      );
      if (explained instanceof SalesforceAuthError) this.login.failed(explained.message, this.now());
      throw explained;
    }
    this.login.succeeded();
    this.answeredAt = this.now();
    return {
      status: response.status,
      headers,
      json: json === null ? null : this.bulkJsonFromOrg(json),
      csv: !isJson && text ? mapCsvHeader(text, (c) => this.names.columnFromOrg(c)) : null,
    };
  }

  /** Job bodies name the object, its external id field and the SOQL in the org's spelling. */
  private bulkJsonToOrg(json: unknown): unknown {
    if (!json || typeof json !== 'object') return json;
    const body = { ...(json as Record<string, unknown>) };
    if (typeof body.query === 'string') body.query = this.names.soqlToOrg(body.query);
    for (const key of ['object', 'externalIdFieldName'])
      if (typeof body[key] === 'string') body[key] = this.names.toOrg(body[key]);
    return body;
  }

  private bulkJsonFromOrg(json: unknown): unknown {
    const local = (value: unknown): unknown => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      const body = { ...(value as Record<string, unknown>) };
      for (const key of ['object', 'externalIdFieldName'])
        if (typeof body[key] === 'string') body[key] = this.names.fromOrg(body[key]);
      if (Array.isArray(body.records)) body.records = body.records.map(local);
      return body;
    };
    return local(json);
  }

  private recordLimitInfo(response: Response): void {
    const info = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get('sforce-limit-info') ?? '');
    this.tracker.record(info ? { apiUsage: { used: Number(info[1]), limit: Number(info[2]) } } : undefined);
  }

  private async pace(): Promise<void> {
    const delay = this.tracker.delayMs();
    if (delay > 0) {
      this.options.logger.warn(
        { usage: this.tracker.snapshot() },
        'past the API slowdown threshold; pausing before the call',
      );
      await this.sleep(delay);
    }
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
    if (code === 'INVALID_SESSION_ID' && !this.options.jwt && !this.options.sessionSource) {
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

/** The CSV with its header row's names passed through `rename` (field names hold no commas or quotes). */
function mapCsvHeader(csv: string, rename: (column: string) => string): string {
  const end = csv.indexOf('\n');
  const header = end < 0 ? csv : csv.slice(0, end);
  const carriage = header.endsWith('\r');
  const mapped = (carriage ? header.slice(0, -1) : header)
    .split(',')
    .map((cell) => {
      const quoted = cell.length > 1 && cell.startsWith('"') && cell.endsWith('"');
      const name = rename(quoted ? cell.slice(1, -1) : cell);
      return quoted ? `"${name}"` : name;
    })
    .join(',');
  return mapped + (carriage ? '\r' : '') + (end < 0 ? '' : csv.slice(end));
}
