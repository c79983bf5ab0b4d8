import type { ObjectDef } from '@pipeline-scribe/force-app-model';

/**
 * The local org's schema: objects and fields with the attributes Salesforce's describe reports and
 * its API enforces (types, lengths, required, createable/updateable, picklists, references). It is
 * built from force-app plus the standard objects the product touches (both read by
 * @pipeline-scribe/force-app-model), never written by hand per test.
 */

export {
  field,
  picklist,
  type ChildRelationship,
  type FieldDef,
  type FieldType,
  type ObjectDef,
  type ObjectKind,
  type PicklistEntry,
} from '@pipeline-scribe/force-app-model';

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
