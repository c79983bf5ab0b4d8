import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { OrgSchema } from '../schema/types.js';

/**
 * What a profile or a permission set grants, as Salesforce reads it from metadata: object
 * permissions (`objectPermissions`: allowRead/Create/Edit/Delete, viewAllRecords, modifyAllRecords),
 * field permissions (`fieldPermissions`: readable/editable), user permissions (`userPermissions`,
 * such as ApiEnabled, ViewAllData, ModifyAllData) and custom metadata type access
 * (`customMetadataTypeAccesses`). A user holds the union of their profile and their permission sets.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
 *
 * force-app names components by their local names; a subscriber org (and so the local org) knows
 * them by their API names, so every name is translated with `schema.apiName` once, when read.
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

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) =>
    ['objectPermissions', 'fieldPermissions', 'userPermissions', 'customMetadataTypeAccesses'].includes(name),
});

type Xml = Record<string, unknown>;
const bool = (v: unknown) => String(v) === 'true';
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

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

export function parsePermissionSet(xml: string, file: string, schema: OrgSchema): Grant {
  const doc = (parser.parse(xml) as { PermissionSet?: Xml }).PermissionSet;
  if (!doc) throw new Error(`${file}: not a PermissionSet`);
  const name = path.basename(file).replace(/\.permissionset-meta\.xml$/, '');
  const grant: Grant = {
    name,
    label: str(doc.label) || name,
    kind: 'permissionSet',
    objects: new Map(),
    fields: new Map(),
    userPermissions: new Set(),
    customMetadataTypes: new Set(),
  };
  for (const o of (doc.objectPermissions ?? []) as Xml[]) {
    const object = schema.apiName(str(o.object));
    const p: ObjectPermission = {
      read: bool(o.allowRead),
      create: bool(o.allowCreate),
      edit: bool(o.allowEdit),
      delete: bool(o.allowDelete),
      viewAll: bool(o.viewAllRecords),
      modifyAll: bool(o.modifyAllRecords),
    };
    checkDependencies(file, object, p);
    grant.objects.set(object.toLowerCase(), p);
  }
  for (const f of (doc.fieldPermissions ?? []) as Xml[]) {
    const field = schema.apiName(str(f.field));
    const editable = bool(f.editable);
    grant.fields.set(field.toLowerCase(), { readable: bool(f.readable) || editable, editable });
  }
  for (const u of (doc.userPermissions ?? []) as Xml[]) {
    if (bool(u.enabled)) grant.userPermissions.add(str(u.name));
  }
  for (const c of (doc.customMetadataTypeAccesses ?? []) as Xml[]) {
    if (bool(c.enabled)) grant.customMetadataTypes.add(schema.apiName(str(c.name)).toLowerCase());
  }
  return grant;
}

async function findPermissionSetFiles(dir: string, found: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await findPermissionSetFiles(full, found);
    else if (entry.name.endsWith('.permissionset-meta.xml')) found.push(full);
  }
}

/** Every permission set in the package folder, by name. */
export async function loadPermissionSets(packageDir: string, schema: OrgSchema): Promise<Map<string, Grant>> {
  const files: string[] = [];
  await findPermissionSetFiles(packageDir, files);
  const sets = new Map<string, Grant>();
  for (const file of files.sort()) {
    const grant = parsePermissionSet(await readFile(file, 'utf8'), file, schema);
    sets.set(grant.name, grant);
  }
  return sets;
}
