/**
 * A write or read Salesforce refused because the integration user lacks a permission, said in words
 * an admin can act on: which object or field, what the user cannot do, and what to grant where.
 * Pure: it reads the error Salesforce returned (code, message, fields) and what the service was
 * doing (the object and the operation); it never guesses a permission for an error that is not one.
 */

export const INTEGRATION_PERMISSION_SET = 'Pipeline Scribe Integration';

/** Error codes Salesforce answers with when a permission, not the data, stands in the way. */
export const PERMISSION_CODES: ReadonlySet<string> = new Set([
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'FIELD_INTEGRITY_EXCEPTION',
]);

export type Operation = 'read' | 'create' | 'edit' | 'upsert';

export interface RefusedError {
  errorCode: string;
  message: string;
  fields: readonly string[];
}

export interface Refusal {
  code: string;
  /** The object refused, as Salesforce named it (with the namespace prefix in a subscriber org). */
  object: string | null;
  /** The fields refused; empty when the object or the record was. */
  fields: string[];
  /** What the integration user is missing, in Setup's words. */
  missing: string;
  /** The whole sentence, for the conversation's state and its Processing_Error__c. */
  message: string;
}

/**
 * Tasks and events have no object permissions of their own: the Edit Tasks and Edit Events user
 * permissions let a user create and edit them.
 * https://help.salesforce.com/s/articleView?id=platform.users_profiles_object_perms.htm&language=en_US&type=5
 */
const ACTIVITY_PERMISSIONS: Readonly<Record<string, string>> = { Task: 'Edit Tasks', Event: 'Edit Events' };

const quoted = (text: string, pattern: RegExp) => pattern.exec(text)?.[1] ?? null;

/** Field names from the error's `fields`, else from the message's own list. */
function fieldsOf(error: RefusedError): string[] {
  if (error.fields.length > 0) return [...error.fields];
  const listed = /Unable to create\/update fields:\s*([^.]+)\./i.exec(error.message)?.[1];
  if (listed)
    return listed
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
  const column = quoted(error.message, /No such column '([^']+)'/i);
  return column ? [column] : [];
}

function objectOf(error: RefusedError, object: string | null): string | null {
  return (
    quoted(error.message, /on (?:entity|sobject of type) '([^']+)'/i) ??
    quoted(error.message, /sObject type '([^']+)'/i) ??
    object
  );
}

const names = (object: string | null, fields: string[]) =>
  fields.length === 0
    ? (object ?? 'a record')
    : fields.map((f) => (object && !f.includes('.') ? `${object}.${f}` : f)).join(', ');

const verb: Record<Operation, string> = {
  read: 'read',
  create: 'create',
  edit: 'edit',
  upsert: 'create or edit',
};

/**
 * The refusal behind a Salesforce error, or null when the error is not about a permission (a
 * validation rule, a bad value, a lock): those keep their own handling.
 */
export function explainRefusal(
  error: RefusedError,
  where: { object: string | null; operation: Operation },
  permissionSet = INTEGRATION_PERMISSION_SET,
): Refusal | null {
  const code = error.errorCode;
  if (!PERMISSION_CODES.has(code)) return null;
  if (code === 'FIELD_INTEGRITY_EXCEPTION' && !/access/i.test(error.message)) return null;
  const object = objectOf(error, where.object);
  const fields = fieldsOf(error);
  const what = names(object, fields);
  const objectName = object ?? 'the object';
  const grant = (text: string) => `grant ${text} in the ${permissionSet} permission set`;
  const writing = where.operation === 'read' ? 'edit' : verb[where.operation];
  let missing: string;
  let fix: string;
  switch (code) {
    case 'INVALID_FIELD_FOR_INSERT_UPDATE':
      missing = `Edit on ${fields.length > 1 ? 'these fields' : 'this field'}`;
      fix = grant(`Edit on ${what}`);
      break;
    case 'INVALID_FIELD':
      // A field the user may not read is, to the API, a field that does not exist.
      missing = `Read on ${fields.length > 1 ? 'these fields' : 'this field'}`;
      fix =
        grant(`Read${where.operation === 'read' ? '' : ' and Edit'} on ${what}`) +
        ' (or, if the org lacks the field altogether, install the current package version)';
      break;
    case 'INVALID_TYPE':
      missing = `access to the ${objectName} object`;
      fix = grant(`Read${where.operation === 'read' ? '' : `, Create and Edit`} on ${objectName}`);
      break;
    case 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY':
    case 'FIELD_INTEGRITY_EXCEPTION':
      missing = 'access to a record it links to';
      fix = `${grant(`Read (with View All) on the object of the linked record`)}, or share that record with the integration user`;
      break;
    default: {
      // INSUFFICIENT_ACCESS_OR_READONLY: the object permission or the record's sharing.
      const record = /insufficient access rights on object id/i.test(error.message);
      const activityPermission = ACTIVITY_PERMISSIONS[objectName];
      if (!record && activityPermission) {
        missing = `the ${activityPermission} permission`;
        fix = grant(`the ${activityPermission} user permission`);
        break;
      }
      missing = record
        ? `edit access to this ${objectName} record (it is shared read-only or not at all)`
        : `${writing[0]!.toUpperCase()}${writing.slice(1)} on ${objectName}`;
      fix = record
        ? `${grant(`Edit and Modify All on ${objectName}`)}, or share the record with the integration user read/write`
        : grant(
            where.operation === 'upsert'
              ? `Create and Edit on ${objectName}`
              : `${writing === 'create' ? 'Create' : 'Edit'} on ${objectName}`,
          );
    }
  }
  const cannot =
    code === 'INVALID_FIELD_FOR_INSERT_UPDATE'
      ? `the integration user cannot edit ${fields.length > 1 ? 'these fields' : 'this field'}`
      : code === 'INVALID_FIELD'
        ? `the integration user cannot ${where.operation === 'read' ? 'read' : 'see'} ${fields.length > 1 ? 'these fields' : 'this field'}`
        : code === 'INVALID_TYPE'
          ? `the integration user has no access to ${objectName}`
          : `the integration user lacks ${missing}`;
  return {
    code,
    object,
    fields: fields.map((f) => (object && !f.includes('.') ? `${object}.${f}` : f)),
    missing,
    message: `Salesforce refused ${what} (${code} on ${verb[where.operation]}): ${cannot} — ${fix}.`,
  };
}
