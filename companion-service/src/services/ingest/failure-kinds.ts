/**
 * The errors a job throws to say which kind of failure stopped it; what each kind means for the
 * conversation (retry, dead letter, refusal) is the table in domain/conversation-failures.ts.
 */

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
