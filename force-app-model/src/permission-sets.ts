import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bool, listPackageFiles, parseXmlText, str, type Xml } from './files.js';

/**
 * Permission sets as force-app declares them, with the package's local names: object permissions,
 * field permissions, user permissions, Apex class and custom metadata type access.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
 */

export interface ObjectGrant {
  object: string;
  allowRead: boolean;
  allowCreate: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface FieldGrant {
  /** `Object.Field`. */
  field: string;
  readable: boolean;
  editable: boolean;
}

export interface PackagePermissionSet {
  /** The file's name without `.permissionset-meta.xml`: the permission set's API name. */
  name: string;
  file: string;
  label: string;
  objectPermissions: ObjectGrant[];
  fieldPermissions: FieldGrant[];
  /** Names of the user permissions it enables (ApiEnabled, ViewSetup…). */
  userPermissions: string[];
  /** Names of the custom metadata types it lets a user read. */
  customMetadataTypes: string[];
  /** Names of the Apex classes it lets a user run. */
  apexClasses: string[];
  /** The parsed `<PermissionSet>`, for checks of elements not modelled here (tabs, apps). */
  xml: Xml;
}

const list = (v: unknown): Xml[] => (Array.isArray(v) ? (v as Xml[]) : v === undefined ? [] : [v as Xml]);
const enabledNames = (v: unknown, key: string) =>
  list(v)
    .filter((entry) => bool(entry.enabled))
    .map((entry) => str(entry[key]));

/** One permission set from its text; an empty document when the root is not `<PermissionSet>`. */
export function parsePermissionSet(file: string, xmlText: string): PackagePermissionSet | null {
  const doc = parseXmlText(xmlText).PermissionSet as Xml | undefined;
  if (!doc) return null;
  const name = path.basename(file).replace(/\.permissionset-meta\.xml$/, '');
  return {
    name,
    file,
    label: str(doc.label),
    objectPermissions: list(doc.objectPermissions).map((o) => ({
      object: str(o.object),
      allowRead: bool(o.allowRead),
      allowCreate: bool(o.allowCreate),
      allowEdit: bool(o.allowEdit),
      allowDelete: bool(o.allowDelete),
      viewAllRecords: bool(o.viewAllRecords),
      modifyAllRecords: bool(o.modifyAllRecords),
    })),
    fieldPermissions: list(doc.fieldPermissions).map((f) => ({
      field: str(f.field),
      readable: bool(f.readable),
      editable: bool(f.editable),
    })),
    userPermissions: enabledNames(doc.userPermissions, 'name'),
    customMetadataTypes: enabledNames(doc.customMetadataTypeAccesses, 'name'),
    apexClasses: enabledNames(doc.classAccesses, 'apexClass'),
    xml: doc,
  };
}

function readOrEmpty(file: string, strict: boolean): PackagePermissionSet {
  const name = path.basename(file).replace(/\.permissionset-meta\.xml$/, '');
  let parsed: PackagePermissionSet | null = null;
  try {
    parsed = parsePermissionSet(file, readFileSync(file, 'utf8'));
  } catch (error) {
    if (strict) throw new Error(`${file}: not well-formed XML: ${(error as Error).message}`);
  }
  if (!parsed && strict) throw new Error(`${file}: not a PermissionSet`);
  return (
    parsed ?? {
      name,
      file,
      label: '',
      objectPermissions: [],
      fieldPermissions: [],
      userPermissions: [],
      customMetadataTypes: [],
      apexClasses: [],
      xml: {},
    }
  );
}

/**
 * Every permission set in the package, by name. Strict (the default) throws on one that would not
 * deploy; lenient reads it as empty, for the checks that report it themselves.
 */
export function readPermissionSets(
  packageDir: string,
  { lenient = false }: { lenient?: boolean } = {},
): Map<string, PackagePermissionSet> {
  const files = listPackageFiles(packageDir, (name) => name.endsWith('.permissionset-meta.xml'));
  return new Map(files.map((file) => readOrEmpty(file, !lenient)).map((set) => [set.name, set]));
}
