import { kindOf, type FieldDef } from './field-def.js';
import type { PackageObject } from './objects.js';
import {
  ADDRESS_PARTS,
  PERMISSIONABLE_STANDARD_FIELDS,
  platformFields,
  standardObject,
} from './standard-objects.js';

/**
 * Questions about the installed schema (the package's objects over the standard model), asked with
 * force-app's local names and, as in metadata, case-sensitively.
 */

export interface SchemaSource {
  objects: Map<string, PackageObject>;
}

const platform = new Map<string, { fields: Set<string>; relationships: Map<string, string> }>();

function platformSchema(objectName: string) {
  const kind = kindOf(objectName);
  const key = `${kind}:${objectName}`;
  let known = platform.get(key);
  if (!known) {
    const fields: FieldDef[] = platformFields(objectName, kind);
    known = {
      fields: new Set(fields.map((f) => f.name)),
      relationships: new Map(
        fields
          .filter((f) => f.type === 'reference' && f.relationshipName && f.referenceTo[0])
          .map((f) => [f.relationshipName!, f.referenceTo[0]!]),
      ),
    };
    platform.set(key, known);
  }
  return known;
}

/** Whether object.field exists, in force-app or in the standard schema. */
export function hasField(model: SchemaSource, objectName: string, fieldName: string): boolean {
  return (
    Boolean(model.objects.get(objectName)?.fields.has(fieldName)) ||
    platformSchema(objectName).fields.has(fieldName)
  );
}

export function objectExists(model: SchemaSource, objectName: string): boolean {
  return model.objects.has(objectName) || standardObject(objectName) !== undefined;
}

/** Whether a field takes a field permission: custom, not required and no formula, or a permissionable standard one. */
export function takesFieldPermission(model: SchemaSource, objectName: string, fieldName: string): boolean {
  const custom = model.objects.get(objectName)?.fields.get(fieldName);
  if (custom) return !custom.required && !custom.formula;
  return isPermissionableStandardField(objectName, fieldName);
}

export function isPermissionableStandardField(objectName: string, fieldName: string): boolean {
  return Boolean(
    PERMISSIONABLE_STANDARD_FIELDS[objectName]?.includes(securedFieldName(objectName, fieldName)),
  );
}

/** The field whose field permission decides a field's access: an address part's compound, else itself. */
export function securedFieldName(objectName: string, fieldName: string): string {
  return ADDRESS_PARTS[objectName]?.[fieldName] ?? fieldName;
}

function relationshipTarget(model: SchemaSource, objectName: string, relationship: string): string | null {
  const standard = platformSchema(objectName).relationships.get(relationship);
  if (standard) return standard;
  const object = model.objects.get(objectName);
  if (relationship.endsWith('__r') && object) {
    return object.fields.get(relationship.replace(/__r$/, '__c'))?.referenceTo ?? null;
  }
  return null;
}

/**
 * Resolves a field path such as Conversation__r.Opportunity__r.Account.Name from an object,
 * returning null when it holds, or what is wrong.
 */
export function resolvePath(model: SchemaSource, objectName: string, fieldPath: string): string | null {
  const parts = fieldPath.split('.');
  let current = objectName;
  for (const relationship of parts.slice(0, -1)) {
    const next = relationshipTarget(model, current, relationship);
    if (!next) return `${current} has no relationship ${relationship}`;
    current = next;
  }
  const field = parts.at(-1)!;
  return hasField(model, current, field) ? null : `${current} has no field ${field}`;
}
