import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readCustomMetadataRecords, readObjects } from '@pipeline-scribe/force-app-model';
import { qualify, type OrgSchema } from './schema/types.js';
import type { RecordStore, SObjectRecord } from './store/record-store.js';
import { coerceFieldValue } from './api/field-input.js';
import { createRecord, updateRecord } from './api/dml.js';
import type { DmlContext } from './api/context.js';
import { API_ONLY_INTEGRATIONS, STANDARD_USER, SYSTEM_ADMINISTRATOR } from './security/profiles.js';

/**
 * What the local org holds before anyone writes: the package's custom metadata records (read from
 * force-app on every start, as a deploy would put them), the users, and the sample data loaded from
 * the same `sf data import tree` plan the scratch-org script uses, through the same checks as any
 * other create.
 */

export type Persona = 'admin' | 'integration' | 'rep' | 'manager' | 'cro';

export interface LocalUser {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  /** What the user is for; the CLI's `local-org --json` lists users by persona. */
  persona?: Persona;
  /** The standard profile's name (security/profiles.ts); Standard User when omitted. */
  profile?: string;
  /** force-app permission sets assigned to the user, by API name. */
  permissionSets?: string[];
  /** The DeveloperName of the user's role (DEFAULT_ROLES). */
  role?: string;
}

export interface LocalRole {
  developerName: string;
  name: string;
  parent: string | null;
}

/** The role hierarchy: the manager's role above the reps' role, both below the CEO (the admin). */
export const DEFAULT_ROLES: LocalRole[] = [
  { developerName: 'CEO', name: 'CEO', parent: null },
  { developerName: 'Sales_Manager', name: 'Sales Manager', parent: 'CEO' },
  { developerName: 'Sales_Rep', name: 'Sales Representative', parent: 'Sales_Manager' },
];

/**
 * The local org's users. The first two keep their places (the integration user, then the admin):
 * code that predates personas reads them by index.
 */
export const DEFAULT_USERS: LocalUser[] = [
  {
    username: 'pipeline-scribe-integration@example.com',
    firstName: 'Pipeline Scribe',
    lastName: 'Integration',
    email: 'pipeline-scribe-integration@example.com',
    persona: 'integration',
    profile: API_ONLY_INTEGRATIONS,
    permissionSets: ['Pipeline_Scribe_Integration'],
  },
  {
    username: 'admin@pipeline-scribe.local',
    firstName: 'Local',
    lastName: 'Admin',
    email: 'admin@pipeline-scribe.local',
    persona: 'admin',
    profile: SYSTEM_ADMINISTRATOR,
    permissionSets: ['Pipeline_Scribe_Admin'],
    role: 'CEO',
  },
  {
    username: 'morgan.manager@pipeline-scribe.local',
    firstName: 'Morgan',
    lastName: 'Manager',
    email: 'morgan.manager@pipeline-scribe.local',
    persona: 'manager',
    profile: STANDARD_USER,
    permissionSets: ['Pipeline_Scribe_Manager'],
    role: 'Sales_Manager',
  },
  {
    username: 'avery.rep@pipeline-scribe.local',
    firstName: 'Avery',
    lastName: 'Rep',
    email: 'avery.rep@pipeline-scribe.local',
    persona: 'rep',
    profile: STANDARD_USER,
    permissionSets: ['Pipeline_Scribe_Rep'],
    role: 'Sales_Rep',
  },
  {
    username: 'blake.rep@pipeline-scribe.local',
    firstName: 'Blake',
    lastName: 'Rep',
    email: 'blake.rep@pipeline-scribe.local',
    persona: 'rep',
    profile: STANDARD_USER,
    permissionSets: ['Pipeline_Scribe_Rep'],
    role: 'Sales_Rep',
  },
  // The CRO reads the forecast: a sales leader's permission set (the manager's grants the forecast and
  // the calibration) and the top role, so every deal is shared with them as the hierarchy does.
  {
    username: 'casey.cro@pipeline-scribe.local',
    firstName: 'Casey',
    lastName: 'Cro',
    email: 'casey.cro@pipeline-scribe.local',
    persona: 'cro',
    profile: STANDARD_USER,
    permissionSets: ['Pipeline_Scribe_Manager'],
    role: 'CEO',
  },
];

export const usernameOf = (persona: Persona, users: LocalUser[] = DEFAULT_USERS): string =>
  users.find((u) => u.persona === persona)!.username;

export const REP_USERNAMES = DEFAULT_USERS.filter((u) => u.persona === 'rep').map((u) => u.username);
export const MANAGER_USERNAME = usernameOf('manager');
export const ADMIN_USERNAME = usernameOf('admin');
export const CRO_USERNAME = usernameOf('cro');

export async function loadCustomMetadata(
  schema: OrgSchema,
  store: RecordStore,
  packageDir: string,
): Promise<void> {
  for (const record of readCustomMetadataRecords(packageDir)) {
    const object = schema.object(schema.apiName(`${record.type}__mdt`));
    if (!object) {
      throw new Error(
        `${record.file}: custom metadata type ${record.type}__mdt is not defined in ${packageDir}`,
      );
    }
    const values: Record<string, string | number | boolean | null> = {};
    for (const [name, value] of Object.entries(record.values)) {
      const field = object.fields.get(qualify(schema.namespace, name).toLowerCase());
      if (!field) throw new Error(`${record.file}: ${object.name} has no field ${name}`);
      values[field.name] = coerceFieldValue(field, value);
    }
    const existing = store.findBy(object.name, 'DeveloperName', record.developerName)[0];
    const row: SObjectRecord = {
      ...values,
      Id: existing?.Id ?? store.newId(object.name),
      DeveloperName: record.developerName,
      MasterLabel: record.label,
      Label: record.label,
      QualifiedApiName: record.developerName,
      NamespacePrefix: schema.namespace || null,
      Language: 'en_US',
    };
    store.put(object.name, row);
  }
}

/**
 * What the sample org's admin set on the package's custom metadata records after installing it, as
 * `{ "<Type>.<Record>": { "<Field__c>": value } }` (scripts/data/sample-org-settings.json: the quarter's
 * quota). In a subscriber org only fields the package marks SubscriberControlled can be edited this
 * way; the others keep the package's value ("Subscriber editable: ... the subscriber org can change
 * the value", https://developer.salesforce.com/docs/atlas.en-us.custommetadatatypes.meta/custommetadatatypes/custommetadatatypes_field_manageability.htm),
 * so a value for any other field is refused. Applied on every start, after the package's records.
 */
export async function applySubscriberValues(
  schema: OrgSchema,
  store: RecordStore,
  packageDir: string,
  file: string,
): Promise<void> {
  let values: Record<string, Record<string, string | number | boolean | null>>;
  try {
    values = JSON.parse(await readFile(file, 'utf8')) as typeof values;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const objects = readObjects(packageDir);
  for (const [key, fields] of Object.entries(values)) {
    const [type, developerName] = key.split('.');
    const object = schema.object(schema.apiName(`${type}__mdt`));
    const record =
      object && developerName ? store.findBy(object.name, 'DeveloperName', developerName)[0] : null;
    if (!object || !record) throw new Error(`${file}: ${key} is not a custom metadata record of the package`);
    const row: SObjectRecord = { ...record };
    for (const [name, value] of Object.entries(fields)) {
      const source = objects.get(`${type}__mdt`)?.fields.get(name);
      const field = object.fields.get(qualify(schema.namespace, name).toLowerCase());
      if (!source || !field) throw new Error(`${file}: ${object.name} has no field ${name}`);
      if (source.raw.fieldManageability !== 'SubscriberControlled') {
        throw new Error(
          `${file}: ${type}__mdt.${name} is ${String(source.raw.fieldManageability ?? 'DeveloperControlled')}, so a subscriber org cannot change it; only SubscriberControlled fields take an org's own value`,
        );
      }
      row[field.name] = coerceFieldValue(field, value);
    }
    store.put(object.name, row);
  }
}

/** Finds the record whose field has the value, or creates it (so a restart finds what it made). */
function ensure(ctx: DmlContext, object: string, key: string, value: string, body: Record<string, unknown>) {
  return ctx.store.findBy(object, key, value)[0]?.Id ?? createRecord(ctx, object, { [key]: value, ...body });
}

/**
 * The setup the users stand on: a Profile record per standard profile, a PermissionSet record per
 * force-app permission set, the roles, the users (each with a profile, a role and a manager) and
 * their permission set assignments. Idempotent: a restored data file keeps its ids.
 */
export function createUsers(
  ctx: DmlContext,
  users: LocalUser[],
  setup: { profiles: Iterable<string>; permissionSets: Iterable<{ name: string; label: string }> } = {
    profiles: [],
    permissionSets: [],
  },
): void {
  const profileIds = new Map<string, string>();
  for (const name of setup.profiles) profileIds.set(name, ensure(ctx, 'Profile', 'Name', name, {}));
  const permissionSetIds = new Map<string, string>();
  for (const set of setup.permissionSets) {
    const id = ensure(ctx, 'PermissionSet', 'Name', set.name, { Label: set.label });
    ctx.store.put('PermissionSet', {
      ...ctx.store.get('PermissionSet', id)!,
      NamespacePrefix: ctx.schema.namespace || null,
    });
    permissionSetIds.set(set.name, id);
  }
  const roleIds = new Map<string, string>();
  for (const role of DEFAULT_ROLES) {
    const parent = role.parent ? (roleIds.get(role.parent) ?? null) : null;
    roleIds.set(
      role.developerName,
      ensure(ctx, 'UserRole', 'DeveloperName', role.developerName, { Name: role.name, ParentRoleId: parent }),
    );
  }
  const userIds = new Map<string, string>();
  for (const user of users) {
    const profileId = profileIds.get(user.profile ?? STANDARD_USER) ?? null;
    const roleId = user.role ? (roleIds.get(user.role) ?? null) : null;
    const existing = ctx.store.findBy('User', 'Username', user.username)[0];
    if (existing) {
      // A data file from before users had profiles: give them theirs.
      if (!existing.ProfileId)
        ctx.store.put('User', { ...existing, ProfileId: profileId, UserRoleId: roleId });
      userIds.set(user.username, existing.Id);
      continue;
    }
    userIds.set(
      user.username,
      createRecord(ctx, 'User', {
        Username: user.username,
        FirstName: user.firstName,
        LastName: user.lastName,
        Email: user.email,
        Alias: user.lastName.slice(0, 8).toLowerCase(),
        TimeZoneSidKey: 'America/Los_Angeles',
        LocaleSidKey: 'en_US',
        LanguageLocaleKey: 'en_US',
        EmailEncodingKey: 'UTF-8',
        ProfileId: profileId,
        UserRoleId: roleId,
      }),
    );
  }
  const managerId = users.find((u) => u.persona === 'manager');
  for (const user of users) {
    const id = userIds.get(user.username)!;
    if (user.persona === 'rep' && managerId) {
      const record = ctx.store.get('User', id)!;
      if (!record.ManagerId)
        ctx.store.put('User', { ...record, ManagerId: userIds.get(managerId.username)! });
    }
    for (const name of user.permissionSets ?? []) {
      const setId = permissionSetIds.get(name);
      if (!setId) continue;
      const assigned = ctx.store
        .findBy('PermissionSetAssignment', 'AssigneeId', id)
        .some((a) => a.PermissionSetId === setId);
      if (!assigned) createRecord(ctx, 'PermissionSetAssignment', { AssigneeId: id, PermissionSetId: setId });
    }
  }
}

/**
 * Gives the sample data to the reps, as a real org's data would be owned: the opportunities in the
 * plan's order alternate between the reps (the first to the first rep), each one's account goes to
 * the same rep (so the rep sees its contacts, which are Controlled by Parent), and the package
 * records about an opportunity (conversations, suggestions, next best actions, provenance) to its
 * owner. The data plan itself loads as the admin; this runs right after, so the seed stays
 * deterministic.
 */
export function assignSampleOwners(ctx: DmlContext, repUsernames: string[]): void {
  const reps = repUsernames
    .map((u) => ctx.store.findBy('User', 'Username', u)[0]?.Id)
    .filter((id): id is string => !!id);
  if (reps.length === 0) return;
  const ownerOf = new Map<string, string>();
  // Ids count up in base 62 in code-point order ("0-9A-Za-z"), so comparing them as code points (not
  // localeCompare, which folds case) is the order they were created in.
  const opportunities = ctx.store.all('Opportunity').sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  for (const [i, opportunity] of opportunities.entries()) {
    const owner = reps[i % reps.length]!;
    ownerOf.set(opportunity.Id, owner);
    ctx.store.put('Opportunity', { ...opportunity, OwnerId: owner });
    const account =
      typeof opportunity.AccountId === 'string' ? ctx.store.get('Account', opportunity.AccountId) : undefined;
    if (account) ctx.store.put('Account', { ...account, OwnerId: owner });
  }
  for (const local of ['Conversation__c', 'Suggestion__c', 'Next_Best_Action__c', 'Field_Provenance__c']) {
    const object = ctx.schema.object(ctx.schema.apiName(local));
    const lookup =
      object &&
      [...object.fields.values()].find(
        (f) => f.referenceTo.includes('Opportunity') && f.name.endsWith('Opportunity__c'),
      );
    if (!object || !lookup || !object.fields.has('ownerid')) continue;
    for (const record of ctx.store.all(object.name)) {
      const owner = ownerOf.get(String(record[lookup.name]));
      if (owner) ctx.store.put(object.name, { ...record, OwnerId: owner });
    }
  }
}

interface PlanStep {
  sobject: string;
  saveRefs?: boolean;
  resolveRefs?: boolean;
  files: string[];
}

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

export interface DataPlanFile {
  file: string;
  step: PlanStep;
  records: TreeRecord[];
}

/** Reads a `sf data import tree` plan and its files. */
export async function readDataPlan(planFile: string): Promise<DataPlanFile[]> {
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as PlanStep[];
  const files: DataPlanFile[] = [];
  for (const step of plan) {
    for (const file of step.files) {
      const full = path.join(path.dirname(planFile), file);
      const { records } = JSON.parse(await readFile(full, 'utf8')) as { records: TreeRecord[] };
      files.push({ file: full, step, records });
    }
  }
  return files;
}

/**
 * One change a deal went through before the sample data was written: the day it was made and the
 * fields it set. The first is the deal as it was created.
 */
export interface DealChange {
  on: string;
  [field: string]: string | number;
}

/** How the closed sample deals got where they are, by the plan's referenceId. */
export type DealHistories = Map<string, DealChange[]>;

/**
 * Beside the plan: the stage path and close-date pushes of the closed sample deals. Not part of the
 * `sf data import tree` plan, since OpportunityHistory is written only by Salesforce as a deal changes
 * (a scratch org gets the closed deals as they ended); the local org replays each change on its day.
 */
export const DEAL_HISTORY_FILE = 'closed-deal-history.json';

/** The histories beside `planFile`; none when the plan has no such file. */
export async function readDealHistories(planFile: string): Promise<DealHistories> {
  let text: string;
  try {
    text = await readFile(path.join(path.dirname(planFile), DEAL_HISTORY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const { deals } = JSON.parse(text) as { deals: Record<string, DealChange[]> };
  return new Map(Object.entries(deals));
}

/** Noon in San Francisco, the users' time zone: a change made during the working day. */
const CHANGE_TIME = 'T20:00:00.000Z';

/**
 * Creates the deal as it was on its first day and makes each later change on its own day, through
 * the org's own saves, so CreatedDate, LastStageChangeDate and every OpportunityHistory row are dated
 * as they happened. The replay must end where the plan's record stands.
 */
function replayDeal(
  ctx: DmlContext,
  objectName: string,
  record: Record<string, unknown>,
  changes: DealChange[],
  where: string,
): string {
  const on = (day: string) => {
    const at = Date.parse(`${day}${CHANGE_TIME}`);
    if (Number.isNaN(at)) throw new Error(`${where}: "${day}" is not a day (YYYY-MM-DD)`);
    return { ...ctx, now: () => at };
  };
  const [first, ...later] = changes;
  if (!first) throw new Error(`${where}: the history has no change`);
  const { on: created, ...opening } = first;
  const id = createRecord(on(created), objectName, { ...record, ...opening });
  for (const { on: day, ...change } of later) updateRecord(on(day), objectName, id, change);
  const ended = ctx.store.get(objectName, id)!;
  const changed = new Set(changes.flatMap((c) => Object.keys(c).filter((k) => k !== 'on')));
  const differs = [...changed].filter((k) => k in record && ended[k] !== record[k]);
  if (differs.length > 0) {
    throw new Error(
      `${where}: the history ends with ${differs.map((k) => `${k} ${String(ended[k])}`).join(', ')}, not the record's ${differs.map((k) => String(record[k])).join(', ')}`,
    );
  }
  return id;
}

/**
 * Creates the plan's records in order; `@Ref` values become the ids of records created before. The
 * plan is written for the namespace sfdx-project.json registers (`writtenFor`); an org that installed
 * the package under another namespace, or none, gets the same data under its own names.
 */
export function applyDataPlan(
  ctx: DmlContext,
  plan: DataPlanFile[],
  writtenFor = ctx.schema.namespace,
  histories: DealHistories = new Map(),
): number {
  const refs = new Map<string, string>();
  const local = (name: string) =>
    writtenFor && name.startsWith(`${writtenFor}__`) ? name.slice(writtenFor.length + 2) : name;
  const renameObject = (name: string) => ctx.schema.apiName(local(name));
  const renameField = (object: string, name: string) =>
    ctx.schema.apiName(`${local(object)}.${local(name)}`).split('.')[1]!;
  let created = 0;
  for (const { file, step, records } of plan) {
    for (const record of records) {
      const { attributes, ...fields } = record;
      const body = Object.fromEntries(
        Object.entries(fields).map(([name, v]) => {
          const k = renameField(step.sobject, name);
          if (step.resolveRefs && typeof v === 'string' && v.startsWith('@')) {
            const id = refs.get(v.slice(1));
            if (!id) throw new Error(`${file}: ${attributes.referenceId}.${k} refers to unknown ${v}`);
            return [k, id];
          }
          return [k, v];
        }),
      );
      try {
        const changes = histories.get(attributes.referenceId);
        const where = `${file}: ${attributes.referenceId}`;
        const id = changes
          ? replayDeal(ctx, renameObject(step.sobject), body, changes, where)
          : createRecord(ctx, renameObject(step.sobject), body);
        if (step.saveRefs) refs.set(attributes.referenceId, id);
        created++;
      } catch (error) {
        throw new Error(`${file}: ${attributes.referenceId} was refused: ${(error as Error).message}`);
      }
    }
  }
  return created;
}
