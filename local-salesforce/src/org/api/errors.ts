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
  INSUFFICIENT_ACCESS_OR_READONLY: 403,
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
