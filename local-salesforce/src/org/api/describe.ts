import type { FieldDef, ObjectDef, OrgSchema } from '../schema/types.js';

/** The describe resources, in the shape Salesforce returns (the attributes clients actually read). */

function urls(apiVersion: string, name: string) {
  const base = `/services/data/v${apiVersion}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function objectSummary(apiVersion: string, object: ObjectDef) {
  const writable = object.kind === 'standard' || object.kind === 'custom';
  return {
    name: object.name,
    label: object.label,
    labelPlural: object.labelPlural,
    keyPrefix: object.keyPrefix,
    custom: object.kind !== 'standard',
    customSetting: false,
    queryable: object.kind !== 'event',
    createable: writable || object.kind === 'event',
    updateable: writable,
    deletable: writable,
    retrieveable: object.kind !== 'event',
    searchable: writable,
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

export function describeGlobal(apiVersion: string, schema: OrgSchema) {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema
      .objects()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((o) => objectSummary(apiVersion, o)),
  };
}

export function describeObject(apiVersion: string, object: ObjectDef) {
  return {
    ...objectSummary(apiVersion, object),
    fields: [...object.fields.values()].map(describeField),
    childRelationships: object.childRelationships.map((r) => ({
      childSObject: r.childSObject,
      field: r.field,
      relationshipName: r.relationshipName,
      cascadeDelete: false,
    })),
  };
}

export function objectInfo(apiVersion: string, object: ObjectDef) {
  return { objectDescribe: objectSummary(apiVersion, object), recentItems: [] };
}
