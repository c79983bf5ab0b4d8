/**
 * Which Salesforce failures are weather (retry later) and which need a person (dead, with the
 * reason). Row locks, unavailability, 5xx answers, timeouts and dropped connections pass; a used-up
 * API limit passes too but only once the window allows, so it pauses work instead of retrying.
 */

export const LIMIT_EXCEEDED = 'REQUEST_LIMIT_EXCEEDED';

/**
 * The service could not sign in to Salesforce: no conversation can get through until it can, and
 * none is at fault, so work pauses with backoff and no attempt is counted against a conversation.
 */
export const AUTHENTICATION_FAILED = 'AUTHENTICATION_FAILED';

const TRANSIENT = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'REQUEST_RUNNING_TOO_LONG',
  'SALESFORCE_TIMEOUT',
  'CONNECTION_ERROR',
  LIMIT_EXCEEDED,
]);

export function isTransientCode(code: string): boolean {
  return TRANSIENT.has(code) || /^ERROR_HTTP_5\d\d$/.test(code);
}

/** A failure that a later attempt may not meet; nothing was half-written before it was thrown. */
export class TransientSalesforceError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransientSalesforceError';
  }
}

/** A job that can never be processed as it is (bad input, a source not wired yet); it goes dead. */
export class PermanentJobError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
