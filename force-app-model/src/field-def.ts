/**
 * Objects and fields in the vocabulary of Salesforce's describe (types, lengths, required,
 * createable/updateable, picklists, references): how the standard objects are modelled here, and
 * what the local org builds from the package's fields.
 */

/** The describe field types modelled (a subset of Salesforce's `soapType`/`type` values). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'date'
  | 'datetime'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'url'
  /** A list of ids written in one call (Task.TaskWhoIds, Event.EventWhoIds); never stored as a value. */
  | 'junctionidlist';

export interface PicklistEntry {
  value: string;
  label: string;
  active: boolean;
  defaultValue: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length: number;
  precision: number;
  scale: number;
  /** False means required: a create without it fails with REQUIRED_FIELD_MISSING. */
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  defaultValue: string | number | boolean | null;
  externalId: boolean;
  unique: boolean;
  picklistValues: PicklistEntry[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  /** Name of the parent relationship in SOQL (`Account`, `Conversation__r`). */
  relationshipName: string | null;
  /** What the parent calls its children through this field (`Suggestions__r`); not part of describe. */
  childRelationshipName: string | null;
  /** Formula, roll-up and system fields: read-only. */
  calculated: boolean;
  /** Display format of an auto-number Name, such as `SUG-{000000}`. */
  autoNumberFormat: string | null;
  /** The detail side of a master-detail relationship (what "Controlled by Parent" follows). */
  masterDetail?: boolean;
}

export interface ChildRelationship {
  relationshipName: string;
  childSObject: string;
  field: string;
}

export type ObjectKind = 'standard' | 'custom' | 'cmdt' | 'event';

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  kind: ObjectKind;
  /** The installed package's namespace for its own objects; null for standard ones. */
  namespacePrefix?: string | null;
  /** Keyed by lower-case API name: SOQL and the REST API are case-insensitive about names. */
  fields: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
  /**
   * The organization-wide default of a custom object as force-app declares it (`<sharingModel>`:
   * Private, Read, ReadWrite, ControlledByParent); standard objects take theirs from the local org's
   * sharing settings.
   */
  sharingModel?: string;
}

/** What an object's API name says it is: `__mdt` custom metadata, `__e` event, `__c` custom. */
export const kindOf = (name: string): ObjectKind =>
  name.endsWith('__mdt')
    ? 'cmdt'
    : name.endsWith('__e')
      ? 'event'
      : name.endsWith('__c')
        ? 'custom'
        : 'standard';

/** Builds field definitions with Salesforce's defaults, so each declaration states only what differs. */
export function field(name: string, type: FieldType, overrides: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: overrides.label ?? name.replace(/__c$/, '').replace(/_/g, ' '),
    type,
    length: 0,
    precision: 0,
    scale: 0,
    nillable: true,
    createable: true,
    updateable: true,
    defaultedOnCreate: false,
    defaultValue: null,
    externalId: false,
    unique: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    childRelationshipName: null,
    calculated: false,
    autoNumberFormat: null,
    ...overrides,
  };
}

export function picklist(values: string[], defaultValue?: string): PicklistEntry[] {
  return values.map((value) => ({ value, label: value, active: true, defaultValue: value === defaultValue }));
}
