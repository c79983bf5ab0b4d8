/**
 * The local org's schema: objects and fields with the attributes Salesforce's describe reports and
 * its API enforces (types, lengths, required, createable/updateable, picklists, references). It is
 * built from force-app plus the standard objects the product touches, never written by hand per test.
 */

/** The describe field types the local org serves (a subset of Salesforce's `soapType`/`type` values). */
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
  | 'url';

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

export class OrgSchema {
  private readonly byName = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  constructor(
    objects: ObjectDef[],
    /** The installed package's namespace ('' when it is installed without one). */
    readonly namespace = '',
  ) {
    for (const object of objects) {
      this.byName.set(object.name.toLowerCase(), object);
      this.byPrefix.set(object.keyPrefix, object);
    }
    this.linkChildRelationships();
  }

  object(name: string): ObjectDef | undefined {
    return this.byName.get(name.toLowerCase());
  }

  objectForId(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  /**
   * The org's API name for a name as force-app spells it: `Suggestion__c` → `ns__Suggestion__c`,
   * `Opportunity.Risk_Score__c` → `Opportunity.ns__Risk_Score__c`; names the package does not own
   * (standard ones, the subscriber's own) are returned as given.
   */
  apiName(localName: string): string {
    const dot = localName.indexOf('.');
    if (dot < 0) return this.object(qualify(this.namespace, localName))?.name ?? localName;
    const object = this.object(this.apiName(localName.slice(0, dot)));
    const fieldName = localName.slice(dot + 1);
    const field = object?.fields.get(qualify(this.namespace, fieldName).toLowerCase());
    return `${object?.name ?? localName.slice(0, dot)}.${field?.name ?? fieldName}`;
  }

  objects(): ObjectDef[] {
    return [...this.byName.values()];
  }

  private linkChildRelationships(): void {
    for (const child of this.byName.values()) {
      for (const field of child.fields.values()) {
        if (field.type !== 'reference' || !field.relationshipName || field.calculated) continue;
        for (const parentName of field.referenceTo) {
          const parent = this.object(parentName);
          const childName = field.childRelationshipName;
          if (!parent || !childName) continue;
          if (parent.childRelationships.some((r) => r.relationshipName === childName)) continue;
          parent.childRelationships.push({
            relationshipName: childName,
            childSObject: child.name,
            field: field.name,
          });
        }
      }
    }
  }
}

/**
 * How a subscriber org names the package's components: an installed managed package prefixes every
 * custom object, field, relationship, platform event and custom metadata type it owns with its
 * namespace (`pscribe__Suggestion__c`, `Opportunity.pscribe__Risk_Score__c`), while standard
 * objects and fields keep their names. A name that already carries a namespace is left alone.
 * https://developer.salesforce.com/docs/atlas.en-us.packagingGuide.meta/packagingGuide/packaging_namespace_prefix.htm
 */
export function qualify(namespace: string, localName: string): string {
  const body = localName.replace(/__(c|r|e|mdt)$/, '');
  if (!namespace || body === localName || body.includes('__')) return localName;
  return `${namespace}__${localName}`;
}

/** A record with the package's namespace taken off its field names, as the package's Apex reads it. */
export function withLocalNames<T extends Record<string, unknown>>(
  namespace: string,
  record: T | null,
): T | null {
  if (!record || !namespace) return record;
  const prefix = `${namespace}__`;
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]),
  ) as T;
}

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
