import {
  customMetadataBaseFields,
  customObjectBaseFields,
  field,
  platformEventBaseFields,
  readObjects,
  standardObjects,
  type FieldDef,
  type FieldType,
  type ObjectDef,
  type ObjectKind,
  type PackageField,
  type PackageObject,
} from '@pipeline-scribe/force-app-model';
import { OrgSchema, qualify } from './types.js';

/**
 * Learns the org's schema from the package itself: every object folder in force-app (custom objects,
 * custom metadata types, platform events, and custom fields on standard objects), merged with the
 * standard objects. A field the package does not define is therefore unknown here, as in a real org
 * that installed the package. Reading force-app is @pipeline-scribe/force-app-model's; this module
 * turns what it read into what describe reports.
 */

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

/** A package field as describe reports it in an org that installed the package under `namespace`. */
export function describeField(
  source: PackageField,
  namespace = '',
  packageObjects: Set<string> = new Set(),
): FieldDef {
  const { file } = source;
  if (Object.keys(source.raw).length === 0) throw new Error(`${file}: not a CustomField`);
  const name = qualify(namespace, source.fullName || source.fileName);
  const target = source.referenceTo ?? '';
  const referenceTo = packageObjects.has(target) ? qualify(namespace, target) : target;
  const xmlType = source.type === 'Formula' ? '' : source.type;
  const formula = source.formula !== null || xmlType === 'Summary';
  const type = TYPES[xmlType] ?? (formula ? 'string' : undefined);
  if (!type) throw new Error(`${file}: field type "${xmlType}" is not supported by the local org`);
  const isReference = type === 'reference';
  const required = source.required || xmlType === 'MasterDetail';
  return field(name, type, {
    label: source.label || name,
    length: source.length ?? DEFAULT_LENGTHS[xmlType] ?? (isReference ? 18 : 0),
    precision: source.precision ?? 0,
    scale: source.scale ?? 0,
    nillable: !required && xmlType !== 'Checkbox',
    createable: !formula,
    updateable: !formula,
    calculated: formula,
    defaultedOnCreate: xmlType === 'Checkbox',
    defaultValue: xmlType === 'Checkbox' ? source.defaultValue === 'true' : null,
    externalId: source.externalId,
    unique: source.unique,
    restrictedPicklist: source.restricted,
    picklistValues: source.values.map((v) => ({
      value: v.name,
      label: v.label,
      active: true,
      defaultValue: v.isDefault,
    })),
    referenceTo: isReference ? [referenceTo] : [],
    masterDetail: xmlType === 'MasterDetail',
    relationshipName: isReference ? name.replace(/__c$/, '__r') : null,
    childRelationshipName:
      isReference && source.relationshipName ? qualify(namespace, `${source.relationshipName}__r`) : null,
  });
}

function nameFieldOf(object: PackageObject, label: string): FieldDef {
  const { nameField } = object;
  if (nameField.type === 'AutoNumber') {
    return field('Name', 'string', {
      label: nameField.label || `${label} Name`,
      length: 80,
      createable: false,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
      autoNumberFormat: nameField.displayFormat || 'A-{0000}',
    });
  }
  return field('Name', 'string', {
    label: nameField.label || `${label} Name`,
    length: 80,
    defaultedOnCreate: true,
  });
}

/** Stable key prefixes: the same package always yields the same ids. */
function prefixFor(kind: ObjectKind, index: number): string {
  const letter = kind === 'cmdt' ? 'm' : kind === 'event' ? 'e' : 'a';
  return `${letter}0${index.toString(36).toUpperCase()}`;
}

function packageObjectDef(
  object: PackageObject,
  apiName: string,
  namespace: string,
  index: number,
): ObjectDef {
  const { kind } = object;
  const label = object.label || object.name.replace(/__\w+$/, '').replace(/_/g, ' ');
  const base =
    kind === 'cmdt'
      ? customMetadataBaseFields()
      : kind === 'event'
        ? platformEventBaseFields()
        : customObjectBaseFields(nameFieldOf(object, label));
  return {
    name: apiName,
    namespacePrefix: namespace || null,
    label,
    labelPlural: object.pluralLabel || `${label}s`,
    keyPrefix: prefixFor(kind, index),
    kind,
    fields: new Map(base.map((f) => [f.name.toLowerCase(), f])),
    childRelationships: [],
    sharingModel: kind === 'custom' ? object.sharingModel || undefined : undefined,
  };
}

/**
 * What Shared Activities adds: relating a task or event to up to 50 contacts (TaskWhoIds, EventWhoIds)
 * and the relation objects that hold them. Without it an activity has one contact, its WhoId.
 * https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-taskrelation.html
 */
function withoutSharedActivities(objects: Map<string, ObjectDef>): void {
  objects.delete('TaskRelation');
  objects.delete('EventRelation');
  objects.get('Task')?.fields.delete('taskwhoids');
  objects.get('Event')?.fields.delete('eventwhoids');
}

export async function loadOrgSchema(
  packageDir: string,
  namespace = '',
  settings: { sharedActivities?: boolean } = {},
): Promise<OrgSchema> {
  let folders: Map<string, PackageObject>;
  try {
    folders = readObjects(packageDir);
  } catch (error) {
    throw new Error(
      `the local org cannot read the package schema from ${packageDir}: ${(error as Error).message}; set SCRIBE_PACKAGE_DIR to the force-app folder`,
    );
  }
  const objects = new Map(standardObjects().map((o) => [o.name, o]));
  if (settings.sharedActivities === false) withoutSharedActivities(objects);
  const counters: Record<ObjectKind, number> = { standard: 0, custom: 0, cmdt: 0, event: 0 };
  const packageObjects = new Set(
    [...folders.values()].filter((o) => o.kind !== 'standard').map((o) => o.name),
  );
  for (const folder of folders.values()) {
    const { kind } = folder;
    const apiName = kind === 'standard' ? folder.name : qualify(namespace, folder.name);
    let target = objects.get(apiName);
    if (!target) {
      if (kind === 'standard') continue;
      target = packageObjectDef(folder, apiName, namespace, counters[kind]++);
      objects.set(apiName, target);
    }
    for (const source of folder.fields.values()) {
      const def = describeField(source, namespace, packageObjects);
      if (kind === 'cmdt') Object.assign(def, { createable: false, updateable: false });
      target.fields.set(def.name.toLowerCase(), def);
    }
  }
  return new OrgSchema([...objects.values()], namespace);
}
