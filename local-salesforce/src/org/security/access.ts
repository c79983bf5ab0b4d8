import { OrgSchema, type FieldDef, type ObjectDef } from '../schema/types.js';
import type { RecordStore, SObjectRecord } from '../store/record-store.js';
import { noObjectPermission, type FieldPermission, type Grant, type ObjectPermission } from './grants.js';
import { securedFieldName } from '@pipeline-scribe/force-app-model';
import { hasFieldSecurity } from './profiles.js';

/**
 * Who may do what in the local org, decided as a real org decides it, once per request:
 *
 * 1. Object permissions (CRUD, View All, Modify All) and field-level security, from the user's profile
 *    and permission sets (their union). The user's view of the schema keeps only the objects they can
 *    read and the fields they can read, with createable/updateable as their field permissions allow;
 *    describe, SOQL and the sObject resources all look names up in that view, so an object or field
 *    the user cannot see is answered exactly like one that does not exist.
 *    https://developer.salesforce.com/docs/atlas.en-us.258.0.object_reference.meta/object_reference/obj_ref_data_access.htm
 * 2. Record sharing: the organization-wide default of each object, ownership (the owner has full
 *    access), the role hierarchy (a user has the access of everyone below them), View All / Modify All
 *    per object and View All Data / Modify All Data, and Controlled by Parent (a detail record allows
 *    what its master allows). Public Read/Write lets others edit but never delete or transfer.
 *    https://help.salesforce.com/s/articleView?id=platform.sharing_model_fields.htm&language=en_US&type=5
 *    https://help.salesforce.com/s/articleView?id=platform.users_profiles_object_perms.htm&language=en_US&type=5
 *    The package's Private objects (Conversation__c, Suggestion__c, Field_Provenance__c,
 *    Next_Best_Action__c, Pipeline_Review__c) rely on each of these, as Salesforce documents them:
 *    - the owner has full access (read, edit, transfer, delete), and users above the owner in the role
 *      hierarchy the same access as the owner, on custom objects too ("Grant Access Using Hierarchies",
 *      on by default for a custom object; the local org has no way to turn it off, so it is always on):
 *      https://developer.salesforce.com/docs/platform/apex-dev/references/apex-dev/apex-bulk-sharing-understanding.html
 *    - View All reads and Modify All reads, edits, deletes and transfers every record of the object
 *      whatever its sharing, and Modify All needs Read, Edit, Delete and View All beside it (grants.ts):
 *      https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html
 *    - a detail of a master-detail relationship has no owner of its own and follows its master
 *      (Controlled by Parent), the model the package weighed and did not take for these objects:
 *      https://developer.salesforce.com/docs/atlas.en-us.196.0.api.meta/api/relationships_among_objects.htm
 * 3. Parent implicit sharing: whoever owns an opportunity (or is above its owner) can read its account.
 *    Access through an object permission (View All) does not count, and it gives nothing on the
 *    account's other children. https://simplysfdc.com/2016/11/salesforce-parent-implicit-sharing.html
 *
 * Objects without object permissions of their own in Salesforce follow these rules:
 * OpportunityContactRole and OpportunityHistory follow Opportunity (edit on the opportunity edits its
 * contact roles); Task and Event are readable by everyone and written with the Edit Tasks / Edit
 * Events user permissions, their records controlled by the record they relate to (WhatId) or their
 * owner; User, Profile, UserRole, PermissionSet and PermissionSetAssignment are readable by everyone
 * and written with Manage Users; custom metadata types are read with their
 * `customMetadataTypeAccesses` (or Customize Application / View All Data) and never written.
 */

export type SharingModel = 'Private' | 'Read' | 'ReadWrite' | 'ControlledByParent';

/** Opportunity's organization-wide default: Private, Public Read Only (Read), Public Read/Write. */
export type OpportunitySharing = 'Private' | 'Read' | 'ReadWrite';

export interface SharingSettings {
  /** The local org defaults Opportunity to Private (a new real org has Public Read Only). */
  opportunity?: OpportunitySharing;
}

interface ObjectSharing {
  model: SharingModel;
  /** For Controlled by Parent: the field that names the parent. */
  parentField?: string;
}

export const NO_ACCESS = 0;
export const READ = 1;
export const EDIT = 2;
/** The owner's access: read, edit, delete and transfer. */
export const ALL = 3;

const SETUP_OBJECTS = new Set(['User', 'Profile', 'UserRole', 'PermissionSet', 'PermissionSetAssignment']);

const STANDARD_SHARING: Record<string, ObjectSharing> = {
  Account: { model: 'Private' },
  Contact: { model: 'ControlledByParent', parentField: 'AccountId' },
  OpportunityContactRole: { model: 'ControlledByParent', parentField: 'OpportunityId' },
  OpportunityHistory: { model: 'ControlledByParent', parentField: 'OpportunityId' },
  Task: { model: 'ControlledByParent', parentField: 'WhatId' },
  Event: { model: 'ControlledByParent', parentField: 'WhatId' },
  TaskRelation: { model: 'ControlledByParent', parentField: 'TaskId' },
  EventRelation: { model: 'ControlledByParent', parentField: 'EventId' },
};

/** The access rules of one org: its schema, data, grants and sharing settings. */
export class SecurityModel {
  private readonly views = new Map<string, OrgSchema>();
  private readonly sharing = new Map<string, ObjectSharing>();

  constructor(
    readonly schema: OrgSchema,
    readonly store: RecordStore,
    readonly profiles: Map<string, Grant>,
    readonly permissionSets: Map<string, Grant>,
    readonly settings: SharingSettings = {},
  ) {}

  /** The organization-wide default that applies to the object's records. */
  sharingOf(object: ObjectDef): ObjectSharing {
    let found = this.sharing.get(object.name);
    if (found) return found;
    if (object.name === 'Opportunity') found = { model: this.settings.opportunity ?? 'Private' };
    else if (STANDARD_SHARING[object.name]) found = STANDARD_SHARING[object.name]!;
    else if (SETUP_OBJECTS.has(object.name)) found = { model: 'Read' };
    else if (object.kind === 'custom') {
      const model = (object.sharingModel ?? 'ReadWrite') as SharingModel;
      const master = [...object.fields.values()].find((f) => f.masterDetail);
      found = model === 'ControlledByParent' && master ? { model, parentField: master.name } : { model };
      if (found.model === 'ControlledByParent' && !found.parentField) found = { model: 'Private' };
    } else found = { model: 'ReadWrite' };
    this.sharing.set(object.name, found);
    return found;
  }

  /** What the user may do, computed for one request. */
  forUser(userId: string): UserAccess {
    const user = this.store.get('User', userId);
    const grants: Grant[] = [];
    const profileName = user?.ProfileId ? this.store.get('Profile', String(user.ProfileId))?.Name : null;
    const profile = typeof profileName === 'string' ? this.profiles.get(profileName) : undefined;
    if (profile) grants.push(profile);
    for (const assignment of this.store.findBy('PermissionSetAssignment', 'AssigneeId', userId)) {
      const set = this.store.get('PermissionSet', String(assignment.PermissionSetId));
      const grant = set ? this.permissionSets.get(String(set.Name)) : undefined;
      if (grant) grants.push(grant);
    }
    return new UserAccess(this, userId, grants, this.subordinates(user));
  }

  /** Everyone whose role is below the user's role in the hierarchy. */
  private subordinates(user: SObjectRecord | undefined): Set<string> {
    const below = new Set<string>();
    const roleId = user?.UserRoleId;
    if (typeof roleId !== 'string') return below;
    const queue = [roleId];
    const seen = new Set(queue);
    while (queue.length > 0) {
      for (const child of this.store.findBy('UserRole', 'ParentRoleId', queue.shift()!)) {
        if (seen.has(child.Id)) continue;
        seen.add(child.Id);
        queue.push(child.Id);
        for (const u of this.store.findBy('User', 'UserRoleId', child.Id)) below.add(u.Id);
      }
    }
    return below;
  }

  /** The schema as the holder of these grants sees it (cached: it depends on the grants alone). */
  viewFor(key: string, build: () => OrgSchema): OrgSchema {
    let view = this.views.get(key);
    if (!view) {
      view = build();
      this.views.set(key, view);
    }
    return view;
  }
}

export class UserAccess {
  private readonly userPermissions: Set<string>;
  private readonly objectPermissions = new Map<string, ObjectPermission>();
  private readonly levels = new Map<string, number>();
  private implicitAccounts: Set<string> | null = null;
  private view: OrgSchema | null = null;

  constructor(
    private readonly model: SecurityModel,
    readonly userId: string,
    private readonly grants: Grant[],
    private readonly below: Set<string>,
  ) {
    this.userPermissions = new Set(grants.flatMap((g) => [...g.userPermissions]));
  }

  /** The field naming the parent whose access a Controlled by Parent record follows. */
  sharingParentField(object: ObjectDef): string | undefined {
    return this.model.sharingOf(object).parentField;
  }

  has(permission: string): boolean {
    return this.userPermissions.has(permission);
  }

  /** Whether a permission set lets the user call out through the principal (`<ExternalCredential>-<Principal>`). */
  mayUsePrincipal(principal: string): boolean {
    return this.grants.some((g) => g.externalCredentialPrincipals?.has(principal) === true);
  }

  /** The user's view of the schema: only what they can read, writable as far as they may write it. */
  get schema(): OrgSchema {
    this.view ??= this.model.viewFor(this.grants.map((g) => `${g.kind}:${g.name}`).join('|'), () =>
      this.buildView(),
    );
    return this.view;
  }

  objectPermission(name: string): ObjectPermission {
    const object = this.model.schema.object(name);
    if (!object) return noObjectPermission();
    let found = this.objectPermissions.get(object.name);
    if (!found) {
      found = this.computeObjectPermission(object);
      this.objectPermissions.set(object.name, found);
    }
    return found;
  }

  private computeObjectPermission(object: ObjectDef): ObjectPermission {
    const viewAllData = this.has('ViewAllData');
    const modifyAllData = this.has('ModifyAllData');
    const p = noObjectPermission();
    const merge = (q: ObjectPermission | undefined) => {
      if (!q) return;
      for (const k of Object.keys(p) as (keyof ObjectPermission)[]) p[k] ||= q[k];
    };
    const name = object.name;
    if (name === 'OpportunityContactRole') {
      const o = this.objectPermission('Opportunity');
      merge({
        read: o.read,
        create: o.edit,
        edit: o.edit,
        delete: o.edit,
        viewAll: o.viewAll,
        modifyAll: o.modifyAll,
      });
      return p;
    }
    if (name === 'OpportunityHistory') {
      const o = this.objectPermission('Opportunity');
      merge({ ...noObjectPermission(), read: o.read, viewAll: o.viewAll });
      return p;
    }
    if (name === 'Task' || name === 'Event') {
      const write = this.has(name === 'Task' ? 'EditTask' : 'EditEvent') || modifyAllData;
      merge({
        read: true,
        create: write,
        edit: write,
        delete: write,
        viewAll: viewAllData || modifyAllData,
        modifyAll: modifyAllData,
      });
      return p;
    }
    if (name === 'TaskRelation' || name === 'EventRelation') {
      // Readable as their task or event is; the local org writes them from the activity's own fields.
      merge({ ...noObjectPermission(), read: true, viewAll: viewAllData || modifyAllData });
      return p;
    }
    if (SETUP_OBJECTS.has(name)) {
      const manage = this.has('ManageUsers');
      merge({
        ...noObjectPermission(),
        read: true,
        create: manage,
        edit: manage,
        delete: manage && name === 'PermissionSetAssignment',
        viewAll: true,
        modifyAll: manage,
      });
      return p;
    }
    if (object.kind === 'cmdt') {
      const lower = name.toLowerCase();
      p.read =
        viewAllData ||
        this.has('CustomizeApplication') ||
        this.grants.some((g) => g.customMetadataTypes.has(lower));
      p.viewAll = p.read;
      return p;
    }
    for (const grant of this.grants) merge(grant.objects.get(name.toLowerCase()));
    if (viewAllData || modifyAllData) {
      p.read = true;
      p.viewAll = true;
    }
    if (modifyAllData) {
      p.create = p.edit = p.delete = p.modifyAll = true;
    }
    return p;
  }

  /** Field-level security: whether the user can read and edit the field (schema rules aside). */
  fieldPermission(object: ObjectDef, field: FieldDef): FieldPermission {
    if (!hasFieldSecurity(object, field)) return { readable: true, editable: true };
    if (this.grants.some((g) => g.allFields)) return { readable: true, editable: true };
    const key = `${object.name}.${securedFieldName(object.name, field.name)}`.toLowerCase();
    let readable = false;
    let editable = false;
    for (const grant of this.grants) {
      const f = grant.fields.get(key);
      readable ||= f?.readable ?? false;
      editable ||= f?.editable ?? false;
    }
    return { readable, editable };
  }

  private buildView(): OrgSchema {
    const objects: ObjectDef[] = [];
    for (const object of this.model.schema.objects()) {
      if (!this.objectPermission(object.name).read) continue;
      const fields = new Map<string, FieldDef>();
      for (const [key, field] of object.fields) {
        const fls = this.fieldPermission(object, field);
        if (!fls.readable) continue;
        fields.set(key, fls.editable ? field : { ...field, createable: false, updateable: false });
      }
      objects.push({ ...object, fields, childRelationships: [] });
    }
    return new OrgSchema(objects, this.model.schema.namespace);
  }

  /** Forgets what was worked out about records: a write may have changed an owner or a parent. */
  recordsChanged(): void {
    this.levels.clear();
    this.implicitAccounts = null;
  }

  /** The user's access to a record: NO_ACCESS, READ, EDIT or ALL (the owner's). */
  level(objectName: string, record: SObjectRecord): number {
    const object = this.model.schema.object(objectName);
    if (!object) return NO_ACCESS;
    let level = this.sharedLevel(object, record);
    if (level < READ && object.name === 'Account' && this.implicitAccountIds().has(record.Id)) level = READ;
    return level;
  }

  canRead(objectName: string, record: SObjectRecord): boolean {
    return this.level(objectName, record) >= READ;
  }

  canEdit(objectName: string, record: SObjectRecord): boolean {
    return this.level(objectName, record) >= EDIT && this.objectPermission(objectName).edit;
  }

  canDelete(objectName: string, record: SObjectRecord): boolean {
    return this.level(objectName, record) >= ALL && this.objectPermission(objectName).delete;
  }

  /** Changing the owner (a transfer) takes the owner's access. */
  canTransfer(objectName: string, record: SObjectRecord): boolean {
    return this.level(objectName, record) >= ALL && this.objectPermission(objectName).edit;
  }

  /** Access from sharing, ownership, the hierarchy and object permissions; memoized per request. */
  private sharedLevel(object: ObjectDef, record: SObjectRecord): number {
    const cached = this.levels.get(record.Id);
    if (cached !== undefined) return cached;
    const perms = this.objectPermission(object.name);
    let level = NO_ACCESS;
    if (perms.modifyAll) level = ALL;
    else if (perms.read) {
      if (perms.viewAll) level = READ;
      const owner = record.OwnerId;
      if (typeof owner === 'string' && (owner === this.userId || this.below.has(owner))) level = ALL;
      const sharing = this.model.sharingOf(object);
      if (sharing.model === 'ControlledByParent') {
        const parentId = record[sharing.parentField!];
        const parentObject =
          typeof parentId === 'string' ? this.model.schema.objectForId(parentId) : undefined;
        const parent = parentObject ? this.model.store.get(parentObject.name, String(parentId)) : undefined;
        if (parent) {
          const parentLevel = this.sharedLevel(parentObject!, parent);
          level = Math.max(level, parentLevel >= EDIT ? ALL : parentLevel);
        }
      } else if (sharing.model === 'ReadWrite') level = Math.max(level, EDIT);
      else if (sharing.model === 'Read') level = Math.max(level, READ);
    }
    this.levels.set(record.Id, level);
    return level;
  }

  /** Accounts whose opportunities the user (or someone below them) owns. */
  private implicitAccountIds(): Set<string> {
    if (this.implicitAccounts) return this.implicitAccounts;
    const ids = new Set<string>();
    if (this.objectPermission('Opportunity').read) {
      for (const owner of [this.userId, ...this.below]) {
        for (const opportunity of this.model.store.findBy('Opportunity', 'OwnerId', owner)) {
          if (typeof opportunity.AccountId === 'string') ids.add(opportunity.AccountId);
        }
      }
    }
    this.implicitAccounts = ids;
    return ids;
  }
}
