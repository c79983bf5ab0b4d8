import type { FieldDef, ObjectDef, OrgSchema } from '../schema/types.js';
import type { UserAccess } from '../security/access.js';

/** The describe resources, in the shape Salesforce returns (the attributes clients actually read). */

function urls(apiVersion: string, name: string) {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/**
 * Describe answers for the user who asks: the objects and fields they can read, `createable`,
 * `updateable` and `deletable` as their permissions allow (fields the user may not edit describe as
 * neither createable nor updateable).
 * https://developer.salesforce.com/docs/atlas.en-us.258.0.object_reference.meta/object_reference/obj_ref_data_access.htm
 */
function objectSummary(apiVersion: string, object: ObjectDef, access: UserAccess | null | undefined) {
  const systemOnly = object.name === 'OpportunityHistory';
  const kindWritable = (object.kind === 'standard' || object.kind === 'custom') && !systemOnly;
  const perms = access?.objectPermission(object.name);
  const writable = (op: 'create' | 'edit' | 'delete') => !perms || perms[op];
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: object.kind !== 'standard',
    customSetting: false,
    queryable: object.kind !== 'event',
    createable: (kindWritable || object.kind === 'event') && writable('create'),
    updateable: kindWritable && writable('edit'),
    deletable: kindWritable && writable('delete'),
    retrieveable: object.kind !== 'event',
    searchable: kindWritable,
    urls: urls(apiVersion, object.name),
  };
}

function describeField(field: FieldDef) {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    length: field.length,
    precision: field.precision,
    scale: field.scale,
    nillable: field.nillable,
    createable: field.createable,
    updateable: field.updateable,
    defaultedOnCreate: field.defaultedOnCreate,
    defaultValue: field.defaultValue,
    calculated: field.calculated,
    custom: field.name.endsWith('__c'),
    externalId: field.externalId,
    unique: field.unique,
    idLookup: field.type === 'id' || field.externalId,
    filterable: !(field.type === 'textarea' && field.length > 255),
    sortable: !(field.type === 'textarea' && field.length > 255),
    autoNumber: field.autoNumberFormat !== null,
    nameField: field.name === 'Name',
    picklistValues: field.picklistValues.map((p) => ({
      value: p.value,
      label: p.label,
      active: p.active,
      defaultValue: p.defaultValue,
      validFor: null,
    })),
    restrictedPicklist: field.restrictedPicklist,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    soapType: field.type === 'id' || field.type === 'reference' ? 'tns:ID' : `xsd:${field.type}`,
  };
}

export function describeGlobal(apiVersion: string, schema: OrgSchema, access?: UserAccess | null) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema
      .objects()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => objectSummary(apiVersion, o, access)),
  };
}

export function describeObject(apiVersion: string, object: ObjectDef, access?: UserAccess | null) {
  return {
    ...objectSummary(apiVersion, object, access),
    fields: [...object.fields.values()].map(describeField),
    childRelationships: object.childRelationships.map((r) => ({
      childSObject: r.childSObject,
      field: r.field,
      relationshipName: r.relationshipName,
      cascadeDelete: false,
    })),
  };
}

export function objectInfo(apiVersion: string, object: ObjectDef, access?: UserAccess | null) {
  return { objectDescribe: objectSummary(apiVersion, object, access), recentItems: [] };
}
