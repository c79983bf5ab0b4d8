/**
 * Errors as Salesforce's REST API returns them: always an array of { message, errorCode, fields },
 * with the HTTP status Salesforce uses for each code.
 */

export interface SalesforceErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

const STATUS: Record<string, number> = {
  INVALID_SESSION_ID: 401,
  REQUEST_LIMIT_EXCEEDED: 403,
  API_DISABLED_FOR_ORG: 403,
  // A refused save is a DML error like any other: 400 with the code, not 403 (which Salesforce
  // keeps for a request refused as a whole: the API disabled, the daily limit).
  // https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/errorcodes.htm
  INSUFFICIENT_ACCESS_OR_READONLY: 400,
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  MULTIPLE_CHOICES: 300,
  SERVER_UNAVAILABLE: 503,
  UNKNOWN_EXCEPTION: 500,
};

export class SalesforceError extends Error {
  readonly status: number;

  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    status?: number,
  ) {
    super(message);
    this.name = errorCode;
    this.status = status ?? STATUS[errorCode] ?? 400;
  }

  toBody(): SalesforceErrorBody[] {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }

  /** sObject Collections spell the code `statusCode`. */
  toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export const notFound = () => new SalesforceError('NOT_FOUND', 'The requested resource does not exist');

export const malformedQuery = (message: string) => new SalesforceError('MALFORMED_QUERY', message);

export const invalidField = (message: string, fields: string[] = []) =>
  new SalesforceError('INVALID_FIELD', message, fields);

export const invalidType = (name: string) =>
  new SalesforceError(
    'INVALID_TYPE',
    `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
  );

/**
 * A write of a record the user cannot edit (or delete): not theirs, not shared with them for editing,
 * or not visible at all. https://agentforceaccess.com/blog/insufficient-access-rights-on-object-id
 */
export const insufficientAccess = () =>
  new SalesforceError('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');

/** A create, edit or delete the user's object permissions do not allow at all. */
export const objectAccessDenied = () =>
  new SalesforceError(
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'You do not have the level of access necessary to perform the operation you requested. Please contact the owner of the record or your administrator if access is necessary.',
  );

/** A lookup (or master) the user cannot read, or a master they cannot edit. */
export const crossReferenceDenied = (id: string) =>
  new SalesforceError(
    'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
    `insufficient access rights on cross-reference id: ${id}`,
  );
