import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { DEFAULT_PACKAGE_DIR } from '@pipeline-scribe/force-app-model';
import { loadOrgSchema } from './schema/force-app-schema.js';
import type { OrgSchema } from './schema/types.js';
import { makeId } from './schema/ids.js';
import { RecordStore } from './store/record-store.js';
import { FilePersistence } from './store/persistence.js';
import type { DmlContext, PublishedEvent, ValidationRule } from './api/context.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { OAuthServer, type ConnectedApp } from './oauth.js';
import { buildLocalOrgServer, type LocalOrgState } from './server.js';
import { WebServerFlow } from './web-server-flow.js';
import { sampleDateShiftDays, shiftDealHistories, shiftPlanDates } from './sample-dates.js';
import {
  applyDataPlan,
  applySubscriberValues,
  assignSampleOwners,
  createUsers,
  DEFAULT_USERS,
  loadCustomMetadata,
  readDataPlan,
  readDealHistories,
  REP_USERNAMES,
  usernameOf,
  type Persona,
} from './seed.js';
import { loadPermissionSets } from './security/grants.js';
import { standardProfiles } from './security/profiles.js';
import { SecurityModel, type OpportunitySharing } from './security/access.js';
import { BulkJobs, UPLOAD_LIMIT_BYTES } from './api/bulk-jobs.js';
import type { QueryJob } from './api/bulk-query.js';
import type { IngestJob } from './api/bulk-ingest.js';
import { NamedCredentials, readNamedCredentials, type NamedCredentialSetting } from './api/callouts.js';

export {
  ADMIN_USERNAME,
  CRO_USERNAME,
  DEFAULT_USERS,
  MANAGER_USERNAME,
  REP_USERNAMES,
  type LocalUser,
  type Persona,
} from './seed.js';
export type { OpportunitySharing } from './security/access.js';

/**
 * The local org: a Salesforce REST API on loopback that the service uses by default and the tests
 * use as their org. One implementation for both, so what passes here ran against the same protocol.
 */

export const DEFAULT_DATA_PLAN = path.resolve(DEFAULT_PACKAGE_DIR, '../scripts/data/sample-data-plan.json');
export const INTEGRATION_USERNAME = usernameOf('integration');
/** Beside the data plan: what the sample org's admin set on the package's settings (seed.ts applySubscriberValues). */
export const SAMPLE_ORG_SETTINGS = 'sample-org-settings.json';

export interface LocalOrgOptions {
  /**
   * Which of the local orgs this is (1 by default): its org id is the n-th (00D5L0000000001 for the
   * first), so orgs started side by side are told apart as Salesforce's customers are, while holding
   * the same sample records under the same ids and names.
   */
  orgNumber?: number;
  packageDir?: string;
  /**
   * The namespace the package is installed under; by default the one sfdx-project.json registers,
   * so the local org names every package component as a subscriber org does.
   */
  namespace?: string;
  /**
   * Opportunity's organization-wide default: Private (the default here, the strictest), Read (Public
   * Read Only, a new real org's default) or ReadWrite (Public Read/Write).
   */
  opportunitySharing?: OpportunitySharing;
  /** Shared Activities (tasks and events related to many contacts): on unless false, as in a new org. */
  sharedActivities?: boolean;
  /** The `sf data import tree` plan to seed from; null starts with no records but the users. */
  dataPlan?: string | null;
  /** A data file to keep records in across restarts; omitted keeps them in memory. */
  dataFile?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dailyApiLimit?: number;
  sessionTtlMs?: number;
  queryBatchSize?: number;
  /** The CSV a Bulk API 2.0 ingest job takes in all (150 MB, as on the platform); smaller in tests. */
  bulkUploadLimitBytes?: number;
  /** How long a Bulk API 2.0 job waits before it is processed (ms); 0 still processes after the answer. */
  bulkProcessingDelayMs?: number;
  /** Where a Bulk API 2.0 query's result set ends without maxRecords (100 MB); smaller in tests. */
  bulkResultSetBytes?: number;
  connectedApps?: ConnectedApp[];
  /**
   * The package's named credentials as the admin set them after install, by API name (the service's
   * address and API key); until set, each keeps the address force-app ships, which never resolves.
   */
  namedCredentials?: Record<string, NamedCredentialSetting>;
  faults?: FaultSettings;
  now?: () => number;
  logger?: FastifyBaseLogger;
}

export interface LocalOrg {
  /** Instance and login URL alike. */
  url: string;
  orgId: string;
  schema: OrgSchema;
  store: RecordStore;
  /** Object and field permissions, sharing: what each user may see and do. */
  security: SecurityModel;
  /** The users the org starts with, and what each is for. */
  users: { username: string; persona: Persona; id: string }[];
  faults: FaultInjector;
  validationRules: ValidationRule[];
  events: PublishedEvent[];
  /**
   * Hears every platform event after its transaction commits (a Pub/Sub server feeds on this);
   * returns what stops listening.
   */
  onPlatformEvent(listener: (event: PublishedEvent) => void): () => void;
  /** The user a session token belongs to, or null when it is unknown or expired. */
  sessionUser(accessToken: string): string | null;
  registerConnectedApp(app: ConnectedApp): void;
  /**
   * The web server flow's approval without a browser: opens the authorize URL as the user (logged in
   * through the `sid` cookie) and returns where the org sends the browser next (the callback, with a
   * code or an error).
   */
  approveAuthorization(authorizeUrl: string, username?: string): Promise<string>;
  /** Revokes every refresh token the org issued, as an admin blocking the app would. */
  revokeRefreshTokens(): void;
  /** What the admin sets on a named credential in Setup: the package's Apex calls out through it. */
  setNamedCredential(name: string, setting: NamedCredentialSetting): void;
  /** A session for the user, as `sf org display` would show one. */
  issueAccessToken(username?: string): string;
  expireSessions(): void;
  /** API calls counted against the daily budget, as Sforce-Limit-Info reports them. */
  usage(): { used: number; max: number };
  close(): Promise<void>;
}

/** The namespace sfdx-project.json (beside the package folder) registers for the package. */
export async function projectNamespace(packageDir: string): Promise<string> {
  try {
    const project = JSON.parse(await readFile(path.resolve(packageDir, '../sfdx-project.json'), 'utf8')) as {
      namespace?: string;
    };
    return project.namespace ?? '';
  } catch {
    return '';
  }
}

export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const packageDir = options.packageDir ?? process.env.SCRIBE_PACKAGE_DIR ?? DEFAULT_PACKAGE_DIR;
  const now = options.now ?? Date.now;
  const schema = await loadOrgSchema(packageDir, options.namespace ?? (await projectNamespace(packageDir)), {
    sharedActivities: options.sharedActivities,
  });
  const persistence = options.dataFile ? new FilePersistence(options.dataFile) : null;
  const keep = (object: string) => schema.object(object)?.kind !== 'cmdt';
  const store: RecordStore = new RecordStore(schema, () => persistence?.schedule(() => store.snapshot(keep)));
  const faults = new FaultInjector();
  faults.configure(options.faults ?? {});
  const validationRules: ValidationRule[] = [];
  const events: PublishedEvent[] = [];
  const listeners = new Set<(event: PublishedEvent) => void>();
  const orgNumber = options.orgNumber ?? 1;
  if (!Number.isInteger(orgNumber) || orgNumber < 1 || orgNumber > 9999) {
    throw new Error(`orgNumber ${orgNumber} is not a whole number from 1 to 9999`);
  }
  const orgId = makeId('00D', orgNumber);
  let url = '';
  const oauth = new OAuthServer(orgId, options.sessionTtlMs ?? 2 * 3600_000, now, []);
  const webFlow = new WebServerFlow(oauth, now);
  const findActiveUser = (username: string) => {
    const user = store.findBy('User', 'Username', username)[0];
    return user && user.IsActive !== false ? user.Id : null;
  };
  const adminId = () => findActiveUser(usernameOf('admin')) ?? '';
  const seedCtx: DmlContext = { schema, store, now, userId: '', validationRules, events };
  const permissionSets = await loadPermissionSets(packageDir, schema);
  const profiles = standardProfiles();
  const security = new SecurityModel(schema, store, profiles, permissionSets, {
    opportunity: options.opportunitySharing,
  });

  const saved = persistence?.load() ?? null;
  if (saved) store.restore(saved);
  store.atomic(() =>
    createUsers(seedCtx, DEFAULT_USERS, {
      profiles: profiles.keys(),
      permissionSets: [...permissionSets.values()].map((p) => ({ name: p.name, label: p.label })),
    }),
  );
  await loadCustomMetadata(schema, store, packageDir);
  const planFile = options.dataPlan ?? DEFAULT_DATA_PLAN;
  // The sample org's own value on a package setting (its quota): the package's records were just read
  // anew from force-app, so it is set again on every start.
  if (options.dataPlan !== null) {
    await applySubscriberValues(
      schema,
      store,
      packageDir,
      path.join(path.dirname(planFile), SAMPLE_ORG_SETTINGS),
    );
  }
  if (!saved && options.dataPlan !== null) {
    // Moved to the week the org starts in (by its clock), so the samples never arrive stale.
    const shift = sampleDateShiftDays(new Date(now()));
    const plan = shiftPlanDates(await readDataPlan(planFile), shift);
    const histories = shiftDealHistories(await readDealHistories(planFile), shift);
    const writtenFor = await projectNamespace(packageDir);
    store.atomic(() => {
      applyDataPlan({ ...seedCtx, userId: adminId() }, plan, writtenFor, histories);
      assignSampleOwners(seedCtx, REP_USERNAMES);
    });
  }
  const users = DEFAULT_USERS.map((u) => ({
    username: u.username,
    persona: u.persona!,
    id: store.findBy('User', 'Username', u.username)[0]!.Id,
  }));

  const namedCredentials = new NamedCredentials(readNamedCredentials(packageDir));
  for (const [name, setting] of Object.entries(options.namedCredentials ?? {}))
    namedCredentials.set(name, setting);
  const budget = { used: 0, max: options.dailyApiLimit ?? 15_000, day: '' };
  const state: LocalOrgState = {
    shared: {
      schema,
      store,
      now,
      org: {
        id: orgId,
        namedCredentials,
        apiUsage: () => ({ used: budget.used, max: budget.max }),
      },
      validationRules,
      events,
      onEvent: (event) => {
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (error) {
            options.logger?.error({ err: error, event: event.type }, 'a platform event listener failed');
          }
        }
      },
      cursors: new Map(),
      queryBatchSize: options.queryBatchSize ?? 2000,
      bulk: new BulkJobs<QueryJob, IngestJob>(
        options.bulkUploadLimitBytes ?? UPLOAD_LIMIT_BYTES,
        options.bulkProcessingDelayMs ?? 0,
        options.bulkResultSetBytes,
      ),
      beforeWrite: (id) => faults.beforeWrite(id),
    },
    oauth,
    webFlow,
    security,
    faults,
    budget,
    loginUrl: () => url,
    findActiveUser,
  };
  const app = buildLocalOrgServer(state, options.logger ?? null);
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  url = address.replace('[::1]', 'localhost');
  oauth.audiences.push(url, 'https://login.salesforce.com', 'https://test.salesforce.com');
  for (const connected of options.connectedApps ?? []) oauth.registerApp(connected);

  const issueAccessToken = (username: string = INTEGRATION_USERNAME) => {
    const userId = findActiveUser(username);
    if (!userId) throw new Error(`the local org has no active user ${username}`);
    return oauth.issue(userId);
  };

  return {
    url,
    orgId,
    schema,
    store,
    security,
    users,
    faults,
    validationRules,
    events,
    onPlatformEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sessionUser: (accessToken) => oauth.authenticate(`Bearer ${accessToken}`),
    registerConnectedApp: (connected) => oauth.registerApp(connected),
    setNamedCredential: (name, setting) => namedCredentials.set(name, setting),
    issueAccessToken,
    approveAuthorization: async (authorizeUrl, username = usernameOf('admin')) => {
      const response = await fetch(authorizeUrl, {
        headers: { cookie: `sid=${encodeURIComponent(issueAccessToken(username))}` },
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      if (response.status !== 302 || !location) {
        throw new Error(
          `the local org refused the authorization: ${response.status} ${await response.text()}`,
        );
      }
      return location;
    },
    revokeRefreshTokens: () => webFlow.revokeAll(),
    expireSessions: () => oauth.expireSessions(),
    usage: () => ({ used: state.budget.used, max: state.budget.max }),
    close: async () => {
      await app.close();
      persistence?.flush();
    },
  };
}

/**
 * Several local orgs at once, as an AppExchange partner's service sees its customers: each its own
 * org id, users, sessions and records on its own port, all seeded from the same plan, so they hold the
 * same record ids, external ids and names (what the isolation tests need to catch a crossed org).
 * A data file, when given, is kept per org (`<file>` for the first, `<file>.org2` and so on).
 */
export async function startLocalOrgs(
  orgs: number,
  options: Omit<LocalOrgOptions, 'orgNumber' | 'port'> = {},
): Promise<LocalOrg[]> {
  if (!Number.isInteger(orgs) || orgs < 1 || orgs > 50) {
    throw new Error(`orgs ${orgs} is not a whole number from 1 to 50`);
  }
  const started: LocalOrg[] = [];
  try {
    for (let n = 1; n <= orgs; n++) {
      const dataFile = options.dataFile && n > 1 ? `${options.dataFile}.org${n}` : options.dataFile;
      started.push(await startLocalOrg({ ...options, dataFile, orgNumber: n }));
    }
    return started;
  } catch (error) {
    await Promise.all(started.map((org) => org.close()));
    throw error;
  }
}
