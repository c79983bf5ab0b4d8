import type { FieldDef, ObjectDef, OrgSchema } from '../schema/types.js';
import type { FieldValue, RecordStore, SObjectRecord } from '../store/record-store.js';
import { SalesforceError } from '../api/errors.js';

/**
 * Field paths in SOQL (`Account.Name`, `Conversation__r.Source_Id__c`): checked against the schema
 * with Salesforce's error messages, and read from records by following lookups.
 */

export interface ResolvedPath {
  /** The relationship fields followed, in order, and the object each leads to. */
  hops: { field: FieldDef; target: ObjectDef }[];
  field: FieldDef;
  /** The canonical spelling of each segment, for building the result. */
  names: string[];
}

export function resolvePath(schema: OrgSchema, root: ObjectDef, path: string[]): ResolvedPath {
  let current = root;
  const hops: ResolvedPath['hops'] = [];
  const names: string[] = [];
  for (const segment of path.slice(0, -1)) {
    const lower = segment.toLowerCase();
    const ref = [...current.fields.values()].find(
      (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === lower,
    );
    const target = ref && schema.object(ref.referenceTo[0] ?? '');
    if (!ref || !target) {
      throw new SalesforceError(
        'INVALID_FIELD',
        `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    hops.push({ field: ref, target });
    names.push(ref.relationshipName!);
    current = target;
  }
  const last = path[path.length - 1]!;
  const field = current.fields.get(last.toLowerCase());
  if (!field) {
    throw new SalesforceError(
      'INVALID_FIELD',
      `No such column '${last}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  names.push(field.name);
  return { hops, field, names };
}

/** Whether the acting user can see a record (a parent they cannot see reads as an empty lookup). */
export type Visible = (object: string, record: SObjectRecord) => boolean;

const everything: Visible = () => true;

/** The value at the end of the path, or null when a lookup on the way is empty or not visible. */
export function readPath(
  store: RecordStore,
  record: SObjectRecord,
  path: ResolvedPath,
  visible: Visible = everything,
): FieldValue {
  let current: SObjectRecord | undefined = record;
  for (const hop of path.hops) {
    const id: FieldValue | undefined = current[hop.field.name];
    current = typeof id === 'string' ? store.get(hop.target.name, id) : undefined;
    if (current && !visible(hop.target.name, current)) current = undefined;
    if (!current) return null;
  }
  return current[path.field.name] ?? null;
}

export function recordUrl(apiVersion: string, type: string, id: string): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${id}`;
}

/**
 * Writes the selected value into the result shape Salesforce returns: parent fields nested under
 * their relationship with `attributes`, and null for an empty lookup.
 */
export function placeValue(
  out: Record<string, unknown>,
  store: RecordStore,
  record: SObjectRecord,
  path: ResolvedPath,
  apiVersion: string,
  visible: Visible = everything,
): void {
  let target = out;
  let current: SObjectRecord | undefined = record;
  for (const [i, hop] of path.hops.entries()) {
    const id: FieldValue | undefined = current?.[hop.field.name];
    current = typeof id === 'string' ? store.get(hop.target.name, id) : undefined;
    if (current && !visible(hop.target.name, current)) current = undefined;
    const key = path.names[i]!;
    if (!current) {
      if (!(key in target)) target[key] = null;
      return;
    }
    const existing = target[key] as Record<string, unknown> | null | undefined;
    const nested = existing ?? {
      attributes: { type: hop.target.name, url: recordUrl(apiVersion, hop.target.name, current.Id) },
    };
    target[key] = nested;
    target = nested;
  }
  target[path.field.name] = current?.[path.field.name] ?? null;
}
