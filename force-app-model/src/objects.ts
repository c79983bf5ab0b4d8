import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { kindOf, type ObjectKind } from './field-def.js';
import { bool, listFiles, listPackageFiles, parseXml, str, type Xml } from './files.js';

/**
 * The objects the package defines or extends, as force-app declares them (source format): custom
 * objects, custom metadata types, platform events, and custom fields on standard objects. One object
 * may be spread over several feature folders; its parts are merged here.
 */

export interface PicklistValue {
  name: string;
  label: string;
  isDefault: boolean;
}

export interface PackageField {
  file: string;
  /** The file's name without `.field-meta.xml`: what the field is called if fullName agrees. */
  fileName: string;
  /** `<fullName>` as written ('' when missing). */
  fullName: string;
  label: string;
  /** The Metadata API type (`Text`, `Picklist`, `Lookup`…); `Formula` for a formula without a type. */
  type: string;
  formula: string | null;
  required: boolean;
  referenceTo: string | null;
  /** `<relationshipName>`: what the parent calls its children through this lookup. */
  relationshipName: string | null;
  length: number | null;
  precision: number | null;
  scale: number | null;
  defaultValue: string | null;
  externalId: boolean;
  unique: boolean;
  /** A restricted picklist refuses values it does not list. */
  restricted: boolean;
  values: PicklistValue[];
  /** The parsed `<CustomField>`, for checks of elements not modelled here. */
  raw: Xml;
}

export interface NameField {
  type: string;
  label: string;
  displayFormat: string;
}

export interface PackageObject {
  name: string;
  kind: ObjectKind;
  /** Every `<Name>.object-meta.xml` found (more than one is a packaging mistake). */
  objectFiles: string[];
  /** The parsed `<CustomObject>`, or null when no folder holds an object file (fields on a standard object). */
  definition: Xml | null;
  label: string;
  pluralLabel: string;
  sharingModel: string;
  nameField: NameField;
  /** By field name (fullName, or the file's name when fullName is missing). */
  fields: Map<string, PackageField>;
  fieldFiles: string[];
  otherFiles: string[];
}

const num = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : Number(v));
const optional = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

function picklistValues(doc: Xml): PicklistValue[] {
  const valueSet = doc.valueSet as { valueSetDefinition?: { value?: Xml[] } } | undefined;
  return (valueSet?.valueSetDefinition?.value ?? []).map((value) => ({
    name: str(value.fullName),
    label: str(value.label) || str(value.fullName),
    isDefault: bool(value.default),
  }));
}

/** One `.field-meta.xml`; a file that does not parse gives a field with an empty raw document. */
export function readField(file: string): PackageField {
  const doc = (parseXml(file).CustomField ?? {}) as Xml;
  const valueSet = doc.valueSet as Xml | undefined;
  return {
    file,
    fileName: path.basename(file, '.field-meta.xml'),
    fullName: str(doc.fullName),
    label: str(doc.label),
    type: str(doc.type ?? (doc.formula === undefined ? '' : 'Formula')),
    formula: optional(doc.formula),
    // A master-detail field is required whatever its file says, and takes no field permission.
    required: bool(doc.required) || str(doc.type) === 'MasterDetail',
    referenceTo: optional(doc.referenceTo),
    relationshipName: optional(doc.relationshipName),
    length: num(doc.length),
    precision: num(doc.precision),
    scale: num(doc.scale),
    defaultValue: optional(doc.defaultValue),
    externalId: bool(doc.externalId),
    unique: bool(doc.unique),
    restricted: bool(valueSet?.restricted),
    values: picklistValues(doc),
    raw: doc,
  };
}

function emptyObject(name: string): PackageObject {
  return {
    name,
    kind: kindOf(name),
    objectFiles: [],
    definition: null,
    label: '',
    pluralLabel: '',
    sharingModel: '',
    nameField: { type: '', label: '', displayFormat: '' },
    fields: new Map(),
    fieldFiles: [],
    otherFiles: [],
  };
}

function readDefinition(object: PackageObject, file: string): void {
  const doc = (parseXml(file).CustomObject ?? {}) as Xml;
  const nameField = (doc.nameField ?? {}) as Xml;
  object.objectFiles.push(file);
  object.definition = doc;
  object.label = str(doc.label);
  object.pluralLabel = str(doc.pluralLabel);
  object.sharingModel = str(doc.sharingModel);
  object.nameField = {
    type: str(nameField.type),
    label: str(nameField.label),
    displayFormat: str(nameField.displayFormat),
  };
}

/** Every object folder (`…/objects/<Name>/`) under the package, merged by name, sorted by name. */
export function readObjects(
  packageDir: string,
  files = listPackageFiles(packageDir),
): Map<string, PackageObject> {
  const objects = new Map<string, PackageObject>();
  const objectDirs = files
    .map((file) => file.split(path.sep))
    .filter((parts) => parts.includes('objects'))
    .map((parts) => parts.slice(0, parts.lastIndexOf('objects') + 2).join(path.sep));
  for (const dir of [...new Set(objectDirs)]) {
    const name = path.basename(dir);
    const object = objects.get(name) ?? emptyObject(name);
    objects.set(name, object);
    const objectFile = path.join(dir, `${name}.object-meta.xml`);
    if (existsSync(objectFile)) readDefinition(object, objectFile);
    const fieldsDir = path.join(dir, 'fields');
    if (existsSync(fieldsDir)) {
      for (const entry of readdirSync(fieldsDir).sort()) object.fieldFiles.push(path.join(fieldsDir, entry));
    }
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'fields')
        object.otherFiles.push(...listFiles(path.join(dir, entry.name)));
    }
  }
  for (const object of objects.values()) {
    for (const file of object.fieldFiles.filter((f) => f.endsWith('.field-meta.xml'))) {
      const field = readField(file);
      object.fields.set(field.fullName || field.fileName, field);
    }
  }
  return new Map([...objects].sort(([a], [b]) => a.localeCompare(b)));
}
