import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { field, OrgSchema, qualify, type FieldDef, type FieldType, type ObjectKind } from './types.js';
import {
  customMetadataBaseFields,
  customObjectBaseFields,
  platformEventBaseFields,
  standardObjects,
} from './standard-objects.js';

/**
 * Learns the org's schema from the package itself: every object folder in force-app (custom objects,
 * custom metadata types, platform events, and custom fields on standard objects), merged with the
 * standard objects. A field the package does not define is therefore unknown here, as in a real org
 * that installed the package.
 */

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (name) => name === 'value',
});

type Xml = Record<string, unknown>;

const TYPES: Record<string, FieldType> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Html: 'textarea',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Picklist: 'picklist',
  MultiselectPicklist: 'multipicklist',
  Lookup: 'reference',
  MasterDetail: 'reference',
  MetadataRelationship: 'string',
};

const DEFAULT_LENGTHS: Partial<Record<string, number>> = { TextArea: 255, Email: 80, Phone: 40, Url: 255 };

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function parseFieldXml(
  xml: string,
  file: string,
  namespace = '',
  packageObjects: Set<string> = new Set(),
): FieldDef {
  const doc = (parser.parse(xml) as { CustomField?: Xml }).CustomField;
  if (!doc) throw new Error(`${file}: not a CustomField`);
  const localName = str(doc.fullName) || path.basename(file).replace(/\.field-meta\.xml$/, '');
  const name = qualify(namespace, localName);
  const target = str(doc.referenceTo);
  const referenceTo = packageObjects.has(target) ? qualify(namespace, target) : target;
  const xmlType = str(doc.type);
  const formula = doc.formula !== undefined || xmlType === 'Summary';
  const type = TYPES[xmlType] ?? (formula ? 'string' : undefined);
  if (!type) throw new Error(`${file}: field type "${xmlType}" is not supported by the local org`);
  const valueSet = doc.valueSet as
    { restricted?: unknown; valueSetDefinition?: { value?: Xml[] } } | undefined;
  const values = valueSet?.valueSetDefinition?.value ?? [];
  const isReference = type === 'reference';
  const required = str(doc.required) === 'true' || xmlType === 'MasterDetail';
  const defaultValue = xmlType === 'Checkbox' ? str(doc.defaultValue) === 'true' : null;
  return field(name, type, {
    label: str(doc.label) || name,
    length: Number(doc.length ?? DEFAULT_LENGTHS[xmlType] ?? (isReference ? 18 : 0)),
    precision: Number(doc.precision ?? 0),
    scale: Number(doc.scale ?? 0),
    nillable: !required && xmlType !== 'Checkbox',
    createable: !formula,
    updateable: !formula,
    calculated: formula,
    defaultedOnCreate: xmlType === 'Checkbox',
    defaultValue,
    externalId: str(doc.externalId) === 'true',
    unique: str(doc.unique) === 'true',
    restrictedPicklist: str(valueSet?.restricted) === 'true',
    picklistValues: values.map((v) => ({
      value: str(v.fullName),
      label: str(v.label) || str(v.fullName),
      active: true,
      defaultValue: str(v.default) === 'true',
    })),
    referenceTo: isReference ? [referenceTo] : [],
    masterDetail: xmlType === 'MasterDetail',
    relationshipName: isReference ? name.replace(/__c$/, '__r') : null,
    childRelationshipName:
      isReference && doc.relationshipName ? qualify(namespace, `${str(doc.relationshipName)}__r`) : null,
  });
}

interface ObjectFolder {
  name: string;
  objectXml: string | null;
  fieldFiles: string[];
}

async function findObjectFolders(dir: string, found: Map<string, ObjectFolder>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name !== 'objects') {
      await findObjectFolders(full, found);
      continue;
    }
    for (const objectDir of await readdir(full, { withFileTypes: true })) {
      if (!objectDir.isDirectory()) continue;
      const folder = found.get(objectDir.name) ?? { name: objectDir.name, objectXml: null, fieldFiles: [] };
      const objectPath = path.join(full, objectDir.name);
      for (const item of await readdir(objectPath, { withFileTypes: true })) {
        if (item.isFile() && item.name === `${objectDir.name}.object-meta.xml`) {
          folder.objectXml = await readFile(path.join(objectPath, item.name), 'utf8');
        }
        if (item.isDirectory() && item.name === 'fields') {
          const fieldDir = path.join(objectPath, 'fields');
          for (const f of await readdir(fieldDir)) {
            if (f.endsWith('.field-meta.xml')) folder.fieldFiles.push(path.join(fieldDir, f));
          }
        }
      }
      found.set(objectDir.name, folder);
    }
  }
}

const kindOf = (name: string): ObjectKind =>
  name.endsWith('__mdt')
    ? 'cmdt'
    : name.endsWith('__e')
      ? 'event'
      : name.endsWith('__c')
        ? 'custom'
        : 'standard';

function nameFieldOf(objectXml: string | null, label: string): FieldDef {
  const doc = objectXml ? ((parser.parse(objectXml) as { CustomObject?: Xml }).CustomObject ?? {}) : {};
  const nameField = (doc.nameField ?? {}) as Xml;
  if (str(nameField.type) === 'AutoNumber') {
    return field('Name', 'string', {
      label: str(nameField.label) || `${label} Name`,
      length: 80,
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
      autoNumberFormat: str(nameField.displayFormat) || 'A-{0000}',
    });
  }
  return field('Name', 'string', {
    label: str(nameField.label) || `${label} Name`,
    length: 80,
    defaultedOnCreate: true,
  });
}

function sharingModelOf(objectXml: string | null): string | undefined {
  const doc = objectXml ? ((parser.parse(objectXml) as { CustomObject?: Xml }).CustomObject ?? {}) : {};
  return str(doc.sharingModel) || undefined;
}

function labelsOf(objectXml: string | null, name: string): { label: string; labelPlural: string } {
  const doc = objectXml ? ((parser.parse(objectXml) as { CustomObject?: Xml }).CustomObject ?? {}) : {};
  const label = str(doc.label) || name.replace(/__\w+$/, '').replace(/_/g, ' ');
  return { label, labelPlural: str(doc.pluralLabel) || `${label}s` };
}

/** Stable key prefixes: the same package always yields the same ids. */
function prefixFor(kind: ObjectKind, index: number): string {
  const letter = kind === 'cmdt' ? 'm' : kind === 'event' ? 'e' : 'a';
  return `${letter}0${index.toString(36).toUpperCase()}`;
}

export async function loadOrgSchema(packageDir: string, namespace = ''): Promise<OrgSchema> {
  const folders = new Map<string, ObjectFolder>();
  try {
    await findObjectFolders(packageDir, folders);
  } catch (error) {
    throw new Error(
      `the local org cannot read the package schema from ${packageDir}: ${(error as Error).message}; set SCRIBE_PACKAGE_DIR to the force-app folder`,
    );
  }
  const objects = new Map(standardObjects().map((o) => [o.name, o]));
  const counters: Record<ObjectKind, number> = { standard: 0, custom: 0, cmdt: 0, event: 0 };
  const packageObjects = new Set([...folders.keys()].filter((name) => kindOf(name) !== 'standard'));
  for (const folder of [...folders.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const kind = kindOf(folder.name);
    const apiName = kind === 'standard' ? folder.name : qualify(namespace, folder.name);
    let target = objects.get(apiName);
    if (!target) {
      if (kind === 'standard') continue;
      const { label, labelPlural } = labelsOf(folder.objectXml, folder.name);
      const base =
        kind === 'cmdt'
          ? customMetadataBaseFields()
          : kind === 'event'
            ? platformEventBaseFields()
            : customObjectBaseFields(nameFieldOf(folder.objectXml, label));
      target = {
        name: apiName,
        namespacePrefix: namespace || null,
        label,
        labelPlural,
        keyPrefix: prefixFor(kind, counters[kind]++),
        kind,
        fields: new Map(base.map((f) => [f.name.toLowerCase(), f])),
        childRelationships: [],
        sharingModel: kind === 'custom' ? sharingModelOf(folder.objectXml) : undefined,
      };
      objects.set(apiName, target);
    }
    for (const file of folder.fieldFiles.sort()) {
      const def = parseFieldXml(await readFile(file, 'utf8'), file, namespace, packageObjects);
      if (kind === 'cmdt') Object.assign(def, { createable: false, updateable: false });
      target.fields.set(def.name.toLowerCase(), def);
    }
  }
  return new OrgSchema([...objects.values()], namespace);
}
