import { readPermissionSets, type PackagePermissionSet } from '@pipeline-scribe/force-app-model';
import type { OrgSchema } from '../schema/types.js';

/**
 * What a profile or a permission set grants, as Salesforce reads it from metadata: object
 * permissions (`objectPermissions`: allowRead/Create/Edit/Delete, viewAllRecords, modifyAllRecords),
 * field permissions (`fieldPermissions`: readable/editable), user permissions (`userPermissions`,
 * such as ApiEnabled, ViewAllData, ModifyAllData) and custom metadata type access
 * (`customMetadataTypeAccesses`). A user holds the union of their profile and their permission sets.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
 *
 * force-app names components by their local names (as @pipeline-scribe/force-app-model reads them);
 * a subscriber org (and so the local org) knows them by their API names, so every name is
 * translated with `schema.apiName` once, when read.
 */

export interface ObjectPermission {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

export interface FieldPermission {
  readable: boolean;
  editable: boolean;
}

export interface Grant {
  /** The permission set's API name, or the profile's name. */
  name: string;
  label: string;
  kind: 'profile' | 'permissionSet';
  /** Keyed by lower-case object API name. */
  objects: Map<string, ObjectPermission>;
  /** Keyed by lower-case `Object.Field` API name. */
  fields: Map<string, FieldPermission>;
  userPermissions: Set<string>;
  /** Lower-case API names of the custom metadata types it may read. */
  customMetadataTypes: Set<string>;
  /**
   * The external credential principals it lets a user call out through (`<ExternalCredential>-<Principal>`,
   * externalCredentialPrincipalAccesses).
   */
  externalCredentialPrincipals?: Set<string>;
  /** System Administrator: every field of every object it can read is readable and editable. */
  allFields?: boolean;
}

const NONE: ObjectPermission = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false,
};

export const noObjectPermission = (): ObjectPermission => ({ ...NONE });

/**
 * Object permissions depend on each other as Setup enforces it on save and deploy: Create, Edit and
 * Delete need Read, Delete needs Edit, View All needs Read, and Modify All needs Read, Edit, Delete
 * and View All. A permission set that breaks these does not deploy, so it does not load here either.
 * https://help.salesforce.com/s/articleView?id=platform.users_profiles_object_perms.htm&language=en_US&type=5
 */
function checkDependencies(file: string, object: string, p: ObjectPermission): void {
  const missing: string[] = [];
  if ((p.create || p.edit || p.delete || p.viewAll) && !p.read) missing.push('Read');
  if (p.delete && !p.edit) missing.push('Edit');
  if (p.modifyAll) {
    if (!p.edit) missing.push('Edit');
    if (!p.delete) missing.push('Delete');
    if (!p.viewAll) missing.push('View All');
  }
  if (missing.length > 0) {
    throw new Error(
      `${file}: the permissions on ${object} depend on ${[...new Set(missing)].join(', ')} ${object}, which the permission set does not grant (a deploy refuses it)`,
    );
  }
}

/** A permission set of the package as the org that installed it holds it (API names, checked). */
export function grantOf(set: PackagePermissionSet, schema: OrgSchema): Grant {
  const { file } = set;
  const grant: Grant = {
    name: set.name,
    label: set.label || set.name,
    kind: 'permissionSet',
    objects: new Map(),
    fields: new Map(),
    userPermissions: new Set(set.userPermissions),
    customMetadataTypes: new Set(set.customMetadataTypes.map((name) => schema.apiName(name).toLowerCase())),
    externalCredentialPrincipals: new Set(
      (Array.isArray(set.xml.externalCredentialPrincipalAccesses)
        ? (set.xml.externalCredentialPrincipalAccesses as Record<string, unknown>[])
        : set.xml.externalCredentialPrincipalAccesses
          ? [set.xml.externalCredentialPrincipalAccesses as Record<string, unknown>]
          : []
      )
        .filter((access) => String(access.enabled) === 'true')
        .map((access) => String(access.externalCredentialPrincipal)),
    ),
  };
  for (const o of set.objectPermissions) {
    const object = schema.apiName(o.object);
    const p: ObjectPermission = {
      read: o.allowRead,
      create: o.allowCreate,
      edit: o.allowEdit,
      delete: o.allowDelete,
      viewAll: o.viewAllRecords,
      modifyAll: o.modifyAllRecords,
    };
    checkDependencies(file, object, p);
    grant.objects.set(object.toLowerCase(), p);
  }
  for (const f of set.fieldPermissions) {
    const field = schema.apiName(f.field);
    grant.fields.set(field.toLowerCase(), { readable: f.readable || f.editable, editable: f.editable });
  }
  return grant;
}

/** Every permission set in the package folder, by name; one that would not deploy fails the start. */
export async function loadPermissionSets(packageDir: string, schema: OrgSchema): Promise<Map<string, Grant>> {
  const sets = new Map<string, Grant>();
  for (const set of readPermissionSets(packageDir).values()) sets.set(set.name, grantOf(set, schema));
  return sets;
}
