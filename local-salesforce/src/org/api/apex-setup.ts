import { qualify } from '../schema/types.js';
import type { OrgContext } from './context.js';
import { AuraError, datetime, literal, metadata, selectAsUser, type Row } from './apex-reads.js';
import { callout, CalloutError } from './callouts.js';
import { SalesforceError } from './errors.js';

/**
 * ScribeSetupController.getInstallationChecks (force-app/main/setup/classes): InstallationChecks.run
 * as the admin calls it from the Setup page, check by check as the Apex words it. It reads the org's
 * own records as the calling user (who holds the integration permission set, the last Scan_Run__c),
 * calls the service's /readyz through the Pipeline_Scribe_Service named credential as the org holds it
 * (ServiceConnectionCheck), and reads today's API requests from the counter the REST API's
 * Sforce-Limit-Info and /limits report, as OrgLimits does.
 */

type SetupContext = OrgContext & { org: NonNullable<OrgContext['org']> };

type Status = 'passed' | 'warning' | 'failed';

interface Check {
  key: string;
  title: string;
  status: Status | null;
  summary: string | null;
  fix: string | null;
  details: string[];
}

/** InstallationChecks.integrationPermissionSet. */
const INTEGRATION_PERMISSION_SET = 'Pipeline_Scribe_Integration';
/** InstallationChecks.SLOWDOWN_PERCENT and SCAN_OVERDUE_HOURS. */
const SLOWDOWN_PERCENT = 80;
const SCAN_OVERDUE_HOURS = 48;
/** SetupSelector.MAX_HOLDERS. */
const MAX_HOLDERS = 50;
/** ServiceConnectionCheck.NAMED_CREDENTIAL and TIMEOUT_MS. */
export const NAMED_CREDENTIAL = 'Pipeline_Scribe_Service';
const TIMEOUT_MS = 10_000;

/** InstallationChecks.REQUIRED_SETTINGS. */
const REQUIRED_SETTINGS = [
  'High_Risk_Score__c',
  'Medium_Risk_Score__c',
  'Commit_Probability__c',
  'Best_Case_Probability__c',
  'Action_Due_Soon_Days__c',
  'Action_Due_This_Week_Days__c',
  'Action_Full_Silence_Days__c',
  'Recent_Conversation_Days__c',
  'Review_At_Risk_Score__c',
  'Review_Watch_Score__c',
  'Weak_Signal_Mentions__c',
  'Next_Step_High_Priority_Days__c',
  'Next_Step_Medium_Priority_Days__c',
  'Default_Snooze_Days__c',
  'Slip_Warning_Probability__c',
];

const check = (key: string, title: string): Check => ({
  key,
  title,
  status: null,
  summary: null,
  fix: null,
  details: [],
});
const verdict = (c: Check, status: Status, summary: string, fix: string | null = null): Check =>
  Object.assign(c, { status, summary, fix });

/**
 * The running user's locale and time zone, as Decimal.format() and Datetime.format() use them
 * (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_methods_system_datetime.htm#apex_System_Datetime_format).
 */
function userFormats(ctx: OrgContext) {
  const user = ctx.store.get('User', ctx.userId);
  const locale = String(user?.LocaleSidKey ?? 'en_US').replace('_', '-');
  const timeZone = String(user?.TimeZoneSidKey ?? 'America/Los_Angeles');
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  const times = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
  });
  return {
    number: (value: unknown) => (typeof value === 'number' ? numbers.format(value) : 'no'),
    datetime: (value: unknown) => {
      const iso = datetime(value);
      return iso === null ? null : times.format(new Date(iso));
    },
  };
}

/** InstallationChecks.cannotLook. */
const cannotLook = (c: Check, what: string, why: string) =>
  verdict(
    c,
    'failed',
    `You cannot read ${what}: ${why}`,
    'Run this page with the Pipeline_Scribe_Admin permission set and the View Setup and Configuration permission (System Administrators have it).',
  );

/** A QueryException's message, as `e.getMessage()` gives it; anything else is not the Apex's to catch. */
function queryMessage(error: unknown): string {
  if (error instanceof SalesforceError) return error.message;
  throw error;
}

function integrationUser(ctx: OrgContext): Check {
  const c = check('integrationUser', 'Integration user');
  const create = `Create the integration user (docs/admin-guide.md; in a scratch org: npm run scratch:setup -- --integration-user) and assign it the ${INTEGRATION_PERMISSION_SET} permission set.`;
  // Schema.SObjectType.PermissionSetAssignment.isAccessible()
  if (ctx.access && !ctx.access.objectPermission('PermissionSetAssignment').read) {
    return cannotLook(c, 'permission set assignments', 'your access does not include them');
  }
  const ns = ctx.schema.namespace;
  let holders: Row[];
  try {
    holders = selectAsUser(
      ctx,
      `SELECT Id, AssigneeId, Assignee.Username, Assignee.Name, Assignee.IsActive, Assignee.Profile.Name
       FROM PermissionSetAssignment
       WHERE PermissionSet.Name = ${literal(INTEGRATION_PERMISSION_SET)}
         AND PermissionSet.NamespacePrefix = ${ns ? literal(ns) : 'NULL'}
       WITH USER_MODE ORDER BY Assignee.Username LIMIT ${MAX_HOLDERS}`,
    );
  } catch (error) {
    return cannotLook(c, 'permission set assignments', queryMessage(error));
  }
  const active: string[] = [];
  const inactive: string[] = [];
  for (const holder of holders) {
    const assignee = (holder.Assignee ?? {}) as Row;
    const profile = (assignee.Profile ?? null) as Row | null;
    const username = String(assignee.Username);
    c.details.push(
      `${username} (${String(profile?.Name ?? null)})${assignee.IsActive === false ? ', inactive' : ''}`,
    );
    (assignee.IsActive === false ? inactive : active).push(username);
  }
  if (holders.length === 0) {
    return verdict(c, 'failed', `No user holds the ${INTEGRATION_PERMISSION_SET} permission set.`, create);
  }
  if (active.length === 0) {
    return verdict(
      c,
      'failed',
      `Only inactive users hold the ${INTEGRATION_PERMISSION_SET} permission set: ${inactive.join(', ')}.`,
      'Activate the integration user in Setup, Users (or assign the permission set to the active one the service signs in as).',
    );
  }
  if (active.length > 1) {
    return verdict(
      c,
      'warning',
      `${active.length} active users hold the ${INTEGRATION_PERMISSION_SET} permission set; the service signs in as one.`,
      "Remove the permission set from every user but the one in the service's SF_USERNAME: it lets its holder edit every deal.",
    );
  }
  return verdict(
    c,
    'passed',
    `${active[0]} is active and holds the ${INTEGRATION_PERMISSION_SET} permission set.`,
  );
}

/** InstallationChecks.customMetadata: custom metadata's getAll()/getInstance() read whatever the user's access. */
function customMetadata(ctx: OrgContext): Check {
  const c = check('customMetadata', 'Rules in custom metadata');
  const problems: string[] = [];
  const settings = metadata(ctx, 'Scribe_Setting__mdt').find((r) => r.DeveloperName === 'Default') ?? {};
  const settingsObject = ctx.schema.object(qualify(ctx.schema.namespace, 'Scribe_Setting__mdt'));
  const empty = REQUIRED_SETTINGS.filter((f) => settings[f] === null || settings[f] === undefined).map(
    (f) => {
      const name = qualify(ctx.schema.namespace, f);
      return `${settingsObject?.fields.get(name.toLowerCase())?.label ?? f} (${name})`;
    },
  );
  if (empty.length === REQUIRED_SETTINGS.length)
    problems.push('The Default Scribe Setting record is missing or empty.');
  else if (empty.length > 0)
    problems.push(`The Default Scribe Setting has no value for ${empty.join(', ')}.`);
  const ruled = new Set(metadata(ctx, 'Stage_Definition__mdt').map((r) => r.Stage_Name__c));
  const unruled = (ctx.schema.object('Opportunity')?.fields.get('stagename')?.picklistValues ?? [])
    .filter((p) => p.active && !ruled.has(p.value))
    .map((p) => p.value);
  if (unruled.length > 0)
    problems.push(`These active stages have no Stage Definition: ${unruled.join(', ')}.`);
  if (!metadata(ctx, 'Field_Policy__mdt').some((p) => p.Is_Active__c === true)) {
    problems.push('No Field Policy is active, so conversations suggest no field values.');
  }
  if (problems.length > 1) c.details.push(...problems);
  if (problems.length > 0) {
    return verdict(
      c,
      'failed',
      problems.length === 1 ? problems[0]! : `${problems.length} rules are missing or empty (below).`,
      "In Setup, Custom Metadata Types, Manage Records: fill in the Default Scribe Setting, add a Stage Definition for each stage (its Stage Name is the stage's API name), and activate the Field Policies to use. The package ships defaults for each.",
    );
  }
  return verdict(
    c,
    'passed',
    'The Default settings, a Stage Definition for every active stage and the active Field Policies are in place.',
  );
}

const SET_UP_THE_CREDENTIAL =
  "In Setup, Named Credentials, edit Pipeline Scribe Service and set its URL to the service's https address; " +
  "in External Credentials, Pipeline Scribe Service, principal Service_Key, set API_Key to the service's SCRIBE_API_KEY. " +
  'Calling through it needs the Pipeline_Scribe_Admin permission set. docs/admin-guide.md has the steps.';

const asMap = (value: unknown): Row | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : null;

/** ServiceConnectionCheck.run and judge: GET /readyz through the named credential. */
async function serviceConnection(ctx: SetupContext): Promise<Check> {
  const c = check('service', 'Connection to the Pipeline Scribe service');
  const credential = `${ctx.schema.namespace ? `${ctx.schema.namespace}__` : ''}${NAMED_CREDENTIAL}`;
  let response;
  try {
    response = await callout(ctx, ctx.org.namedCredentials, {
      credential,
      method: 'GET',
      path: '/readyz',
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof CalloutError)) throw error;
    return verdict(
      c,
      'failed',
      `The service could not be reached through the ${credential} named credential: ${error.message}`,
      SET_UP_THE_CREDENTIAL,
    );
  }
  let body: Row | null = null;
  try {
    body = asMap(JSON.parse(response.body));
  } catch {
    body = null;
  }
  const checks = asMap(body?.checks);
  if ((response.status !== 200 && response.status !== 503) || !checks) {
    return verdict(
      c,
      'failed',
      `The named credential's address answered HTTP ${response.status}, not as the Pipeline Scribe service.`,
      SET_UP_THE_CREDENTIAL,
    );
  }
  const database = asMap(checks.database);
  const salesforce = asMap(checks.salesforce);
  if (response.status === 503) {
    const fixes: string[] = [];
    if (database && database.ok !== true) {
      c.details.push(`Database: ${String(database.detail)}`);
      fixes.push("Check the service's database: DATABASE_URL must name a Postgres it can reach.");
    }
    if (salesforce && salesforce.ok !== true) {
      const lastError = salesforce.lastError;
      c.details.push(
        `Salesforce: ${String(salesforce.detail)}${lastError === null || lastError === undefined ? '' : ` (${String(lastError)})`}`,
      );
      fixes.push(
        "Check the integration user's sign-in: the service's SF_USERNAME and SF_CLIENT_ID, the certificate on the Pipeline Scribe Service external client app, and that the app is pre-authorized for the Pipeline_Scribe_Integration permission set.",
      );
    }
    return verdict(c, 'failed', 'The service answers but is not ready.', fixes.join(' '));
  }
  const serviceOrg = typeof salesforce?.orgId === 'string' ? salesforce.orgId : null;
  const thisOrg = ctx.org.id;
  const sameOrg = serviceOrg !== null && serviceOrg.slice(0, 15) === thisOrg.slice(0, 15);
  if (salesforce?.localOrg === true && !sameOrg) {
    return verdict(
      c,
      'failed',
      'The service answers, but it runs against its own emulated local org, not this org.',
      'Give the service this org\'s SF_* settings (SF_LOGIN_URL, SF_CLIENT_ID, SF_USERNAME, SF_PRIVATE_KEY_FILE) and restart it; the README\'s "Connecting a real org" lists them.',
    );
  }
  if (serviceOrg !== null && !sameOrg) {
    return verdict(
      c,
      'failed',
      `The service at this address writes to another org (${serviceOrg}), not this one (${thisOrg}).`,
      "Point the Pipeline Scribe Service named credential at the service deployed for this org, or give that service this org's SF_* settings.",
    );
  }
  if (salesforce?.instanceUrl !== null && salesforce?.instanceUrl !== undefined) {
    c.details.push(`The service writes to ${String(salesforce.instanceUrl)}`);
  }
  return verdict(
    c,
    'passed',
    'The service answers and is ready: its database and its connection to this org both work.',
  );
}

const SCAN_FIELDS = `Run_Id__c, As_Of_Date__c, Started_At__c, Finished_At__c, Result__c, Deals_Read__c,
  Deals_Scored__c, Records_Written__c, Failures__c, Failure_Summary__c, API_Calls__c`;

/** InstallationChecks.lastScan. */
function lastScan(ctx: OrgContext, c: Check, run: Row | null): Check {
  const f = userFormats(ctx);
  const start =
    'The service scans on a schedule once connected (SCRIBE_SCAN_INTERVAL_MINUTES, hourly by default); or run one now with npx scribe scan.';
  if (!run) {
    return verdict(
      c,
      'failed',
      'The service has recorded no pipeline scan yet.',
      `Connect the service (the check above), then wait for its first scan. ${start}`,
    );
  }
  if (typeof run.Failure_Summary__c === 'string') c.details.push(...run.Failure_Summary__c.split('\n'));
  const startedAt = f.datetime(run.Started_At__c) ?? 'at an unknown time';
  if (run.Result__c === 'Failed') {
    return verdict(
      c,
      'failed',
      `The last scan, started ${startedAt}, failed before it read the pipeline.`,
      `Its reason is below; the Connection check above shows whether the service reaches this org. ${start}`,
    );
  }
  if (run.Result__c === 'Stopped') {
    return verdict(
      c,
      'failed',
      `The last scan, started ${startedAt}, was stopped: Salesforce stopped taking its calls.`,
      `The API usage below shows whether the daily limit ran out; the next scan starts over. ${start}`,
    );
  }
  if (run.Result__c === 'Completed With Failures') {
    return verdict(
      c,
      'warning',
      `The last scan, started ${startedAt}, wrote ${f.number(run.Records_Written__c)} records; Salesforce refused ${f.number(run.Failures__c)}.`,
      "The refused records and Salesforce's reasons are below: usually a validation rule or a field the integration user cannot edit.",
    );
  }
  const started = datetime(run.Started_At__c);
  if (started !== null && Date.parse(started) < ctx.now() - SCAN_OVERDUE_HOURS * 3_600_000) {
    return verdict(
      c,
      'warning',
      `The last scan started ${startedAt}: none has run for two days.`,
      `Check that the service is running and connected. ${start}`,
    );
  }
  return verdict(
    c,
    'passed',
    `The last scan, started ${startedAt}, read ${f.number(run.Deals_Read__c)} deals, scored ${f.number(run.Deals_Scored__c)} and wrote ${f.number(run.Records_Written__c)} records.`,
  );
}

/** SetupReport.ApiUsage: percent with one decimal (Decimal.setScale(1), half up). */
function apiUsageOf(used: number, max: number) {
  return { used, max, percent: max > 0 ? Math.round((used * 1000) / max) / 10 : null };
}

/** InstallationChecks.apiUsage. */
function apiUsageCheck(ctx: OrgContext, usage: ReturnType<typeof apiUsageOf>, run: Row | null): Check {
  const c = check('apiUsage', 'API usage today');
  const f = userFormats(ctx);
  if (!usage.max) {
    return verdict(
      c,
      'warning',
      'Salesforce did not report the daily API request limit.',
      'See Setup, Company Information, API Requests, Last 24 Hours.',
    );
  }
  // Decimal.setScale(1) prints one decimal, as the Apex concatenates it.
  const figures = `${f.number(usage.used)} of ${f.number(usage.max)} API requests in the last 24 hours (${(usage.percent ?? 0).toFixed(1)}%)`;
  if (run && typeof run.API_Calls__c === 'number') {
    c.details.push(`The last full scan spent ${f.number(run.API_Calls__c)} of them.`);
  }
  if (usage.used >= usage.max) {
    return verdict(
      c,
      'failed',
      `${figures}: the limit is reached, and Salesforce refuses API calls until usage falls.`,
      'Find the integrations spending requests in Setup, System Overview; raise the limit with Salesforce, or scan less often (SCRIBE_SCAN_INTERVAL_MINUTES).',
    );
  }
  if ((usage.percent ?? 0) >= SLOWDOWN_PERCENT) {
    return verdict(
      c,
      'warning',
      `${figures}: the service now spaces out its calls (SF_API_SLOWDOWN_AT).`,
      'Find the integrations spending requests in Setup, System Overview, or scan less often (SCRIBE_SCAN_INTERVAL_MINUTES).',
    );
  }
  return verdict(c, 'passed', `${figures}.`);
}

/**
 * ScribeSetupController.getInstallationChecks → InstallationChecks.run → SetupReport. The API usage is
 * OrgLimits.getMap().get('DailyApiRequests'): getValue() the requests spent, getLimit() the day's
 * allowance (https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_System_OrgLimits.htm),
 * the figures REST /limits reports as DailyApiRequests Max and Remaining
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm).
 */
export async function getInstallationChecks(orgCtx: OrgContext): Promise<Row> {
  if (!orgCtx.org) throw new Error('the setup checks need the org (OrgContext.org)');
  const ctx = orgCtx as SetupContext;
  try {
    const checks: Check[] = [integrationUser(ctx), customMetadata(ctx), await serviceConnection(ctx)];
    const scan = check('lastScan', 'Last pipeline scan');
    let run: Row | null = null;
    let lastScanView: Row | null = null;
    try {
      [run = null] = selectAsUser(
        ctx,
        `SELECT ${SCAN_FIELDS} FROM Scan_Run__c WITH USER_MODE ORDER BY Started_At__c DESC NULLS LAST LIMIT 1`,
      );
      lastScanView = run && {
        runId: run.Run_Id__c ?? null,
        asOfDate: run.As_Of_Date__c ?? null,
        startedAt: datetime(run.Started_At__c),
        finishedAt: datetime(run.Finished_At__c),
        result: run.Result__c ?? null,
        dealsRead: run.Deals_Read__c ?? null,
        dealsScored: run.Deals_Scored__c ?? null,
        recordsWritten: run.Records_Written__c ?? null,
        failures: run.Failures__c ?? null,
        failureSummary: run.Failure_Summary__c ?? null,
        apiCalls: run.API_Calls__c ?? null,
      };
      checks.push(lastScan(ctx, scan, run));
    } catch (error) {
      checks.push(cannotLook(scan, 'Scan Runs (Scan_Run__c)', queryMessage(error)));
    }
    const { used, max } = ctx.org.apiUsage();
    const usage = apiUsageOf(used, max);
    checks.push(apiUsageCheck(ctx, usage, run));
    return { checks, lastScan: lastScanView, apiUsage: usage, checkedAt: new Date(ctx.now()).toISOString() };
  } catch (error) {
    if (error instanceof AuraError) throw error;
    // ScribeErrors.toAura('Could not check the installation', e)
    throw new AuraError(`Could not check the installation: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// HeldRecordingsController (force-app/main/setup/classes): the service's held recordings, through the
// same named credential; it reads and writes no record of the org.
// ---------------------------------------------------------------------------------------------------

/** HeldRecordingsController.CONVERSATION_ID. */
const CONVERSATION_ID = /^c_[A-Za-z0-9_-]{1,64}$/;
const HELD_FIELDS = ['id', 'tool', 'title', 'startedAt', 'jurisdiction', 'reason', 'heldAt'] as const;

/** HeldRecordingsController.send: a callout failure or an answer of 300 and above is an AuraHandledException. */
async function sendHeld(orgCtx: OrgContext, method: 'GET' | 'POST', path: string, body?: string) {
  if (!orgCtx.org) throw new Error('the held recordings need the org (OrgContext.org)');
  const credential = `${orgCtx.schema.namespace ? `${orgCtx.schema.namespace}__` : ''}${NAMED_CREDENTIAL}`;
  let response;
  try {
    response = await callout(orgCtx, orgCtx.org.namedCredentials, {
      credential,
      method,
      path,
      body,
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    if (!(error instanceof CalloutError)) throw error;
    throw new AuraError(
      `The Pipeline Scribe service could not be reached (${error.message}). The Connection to the Pipeline Scribe service check above says how to fix it.`,
    );
  }
  if (response.status >= 300) {
    let reason = 'no reason given.';
    try {
      const error = asMap(JSON.parse(response.body))?.error;
      if (error !== null && error !== undefined) reason = String(error);
    } catch {
      // HeldRecordingsController.errorOf: a body that is not JSON gives no reason.
    }
    throw new AuraError(`The Pipeline Scribe service answered HTTP ${response.status}: ${reason}`);
  }
  return response;
}

/** HeldRecordingsController.getHeldRecordings: JSON.deserialize into HeldRecording keeps only its fields. */
export async function getHeldRecordings(ctx: OrgContext): Promise<Row[]> {
  const response = await sendHeld(ctx, 'GET', '/v1/recordings/held');
  const held = asMap(JSON.parse(response.body))?.held;
  if (!Array.isArray(held)) return [];
  return held.map((item) => {
    const row = asMap(item) ?? {};
    return Object.fromEntries(HELD_FIELDS.map((f) => [f, row[f] ?? null]));
  });
}

function checkedConversationId(raw: unknown): string {
  if (typeof raw !== 'string' || !CONVERSATION_ID.test(raw)) {
    throw new AuraError(
      `That is not a held recording's id (${raw === undefined || raw === null ? 'null' : String(raw)}). Reload the list and try again.`,
    );
  }
  return raw;
}

/** HeldRecordingsController.releaseRecording: the service keeps who released it. */
export async function releaseRecording(ctx: OrgContext, body: Row): Promise<null> {
  const id = checkedConversationId(body.conversationId);
  const username = ctx.store.get('User', ctx.userId)?.Username ?? null;
  await sendHeld(ctx, 'POST', `/v1/recordings/held/${id}/release`, JSON.stringify({ releasedBy: username }));
  return null;
}

/** HeldRecordingsController.dropRecording: erased from the service with every copy. */
export async function dropRecording(ctx: OrgContext, body: Row): Promise<null> {
  await sendHeld(ctx, 'POST', `/v1/recordings/held/${checkedConversationId(body.conversationId)}/drop`, '{}');
  return null;
}
