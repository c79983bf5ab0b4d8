import type { FieldKind } from '../../domain/writeback/field-values.js';
/**
 * The local org's schema: objects and fields with the attributes Salesforce's describe reports and
 * its API enforces (types, lengths, required, createable/updateable, picklists, references). It is
 * built from force-app plus the standard objects the product touches, never written by hand per test.
 */

/** The Salesforce field types the product touches: one list, owned by the write decision. */
export type FieldType = FieldKind;

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
  /** Keyed by lower-case API name: SOQL and the REST API are case-insensitive about names. */
  fields: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
}

export class OrgSchema {
  private readonly byName = new Map<string, ObjectDef>();
  private readonly byPrefix = new Map<string, ObjectDef>();

  constructor(objects: ObjectDef[]) {
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
