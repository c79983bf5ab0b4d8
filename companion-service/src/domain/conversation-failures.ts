/**
 * What happens to a conversation when something fails on its way into Salesforce, as one table:
 * each kind of failure is tried again (at once, after a backoff, once the API window allows, or by
 * the job runner), carried on past, sent dead with its reason, or refused: sent dead with the grant
 * an admin must make. The services say which kind a failure is (they know the errors and the
 * attempts); this module decides, and says why.
 */

export const LIMIT_EXCEEDED = 'REQUEST_LIMIT_EXCEEDED';

/** The service could not sign in to Salesforce (the JWT bearer flow or a refresh was refused). */
export const AUTHENTICATION_FAILED = 'AUTHENTICATION_FAILED';

/**
 * Salesforce's weather: row locks, unavailability, 5xx answers, timeouts and dropped connections;
 * a used-up API limit too, though it waits for the window rather than for a backoff.
 */
const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'REQUEST_RUNNING_TOO_LONG',
  'SALESFORCE_TIMEOUT',
  'CONNECTION_ERROR',
  LIMIT_EXCEEDED,
]);

/** A lock or a moment's unavailability: the same write a moment later usually goes through. */
const RETRY_AT_ONCE = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE']);

export function isTransientCode(code: string): boolean {
  return TRANSIENT_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code);
}

export type FailureKind =
  | 'row-locked'
  | 'transient'
  | 'api-limit'
  | 'login-failed'
  | 'retries-exhausted'
  | 'permission-refused'
  | 'auto-apply-rejected'
  | 'activity-deleted'
  | 'salesforce-refused'
  | 'unreadable-input'
  | 'job-cannot-succeed'
  | 'unexpected'
  | 'crashed-repeatedly';

export type Verdict = 'retry' | 'carry-on' | 'dead-letter' | 'refuse';

export type RetryWhen =
  'at-once' | 'after-backoff' | 'when-the-window-allows' | 'when-the-login-works' | 'by-the-job-runner';

/** What was said when it failed: the error's code and message, and how many attempts were made. */
export interface FailureDetail {
  code: string;
  message: string;
  attempts?: number;
}

/** The conversation's dead letter: its code and the reason a person reads. */
export interface DeadLetter {
  code: string;
  reason: string;
}

type Letter = (failure: FailureDetail) => DeadLetter;

export type FailureRule =
  | { verdict: 'retry'; when: RetryWhen; why: string }
  | { verdict: 'carry-on'; why: string }
  | { verdict: 'dead-letter'; why: string; letter: Letter }
  | { verdict: 'refuse'; why: string; letter: Letter };

export const CONVERSATION_FAILURES = {
  'row-locked': {
    verdict: 'retry',
    when: 'at-once',
    why: 'a write met a row lock or a moment of unavailability; the composite rolled back, and the same write once more usually goes through',
  },
  transient: {
    verdict: 'retry',
    when: 'after-backoff',
    why: 'Salesforce failed in a way a later attempt may not meet (a lock that stays, 5xx, a timeout); nothing was written',
  },
  'api-limit': {
    verdict: 'retry',
    when: 'when-the-window-allows',
    why: "the org's API limit is used up: all work pauses until the window allows, and the wait is not counted as an attempt",
  },
  'login-failed': {
    verdict: 'retry',
    when: 'when-the-login-works',
    why: "the service's own sign-in failed, not the conversation: work pauses with a backoff until the login works again (see /readyz), and the wait is not counted as an attempt",
  },
  'retries-exhausted': {
    verdict: 'dead-letter',
    why: 'a transient failure that outlasted every retry needs a person',
    letter: ({ code, message, attempts }) => ({
      code,
      reason: `retries exhausted after ${attempts} attempts; the last said ${code}: ${message}`,
    }),
  },
  'permission-refused': {
    verdict: 'refuse',
    why: 'the integration user lacks a permission: permanent until an admin grants it, so nothing else is written and the refusal says what to grant; redrive once granted',
    letter: ({ code, message }) => ({ code, reason: message }),
  },
  'auto-apply-rejected': {
    verdict: 'carry-on',
    why: 'Salesforce refused the auto-applied values (a validation rule): they are recorded as failed with its message and the rest is written, so the rep sees why',
  },
  'activity-deleted': {
    verdict: 'carry-on',
    why: 'the Task or Event the conversation was logged as is gone (a rep deleted it): the conversation is logged anew, once, and the rest written as decided',
  },
  'salesforce-refused': {
    verdict: 'dead-letter',
    why: 'Salesforce refused the conversation for a reason a retry does not change (a rejected write); its Conversation__c says Failed where it could be written',
    letter: ({ code, message }) => ({ code, reason: `Salesforce refused the conversation: ${message}` }),
  },
  'unreadable-input': {
    verdict: 'dead-letter',
    why: 'the stored conversation cannot be read as any format: no attempt will read it',
    letter: ({ message }) => ({
      code: 'UNREADABLE_INPUT',
      reason: `the conversation cannot be read: ${message}`,
    }),
  },
  'job-cannot-succeed': {
    verdict: 'dead-letter',
    why: 'the job can never succeed as it is (an invalid payload, a Gong call that is gone, a source this process cannot read)',
    letter: ({ code, message }) => ({ code, reason: message }),
  },
  unexpected: {
    verdict: 'retry',
    when: 'by-the-job-runner',
    why: 'a fault of ours or of the database: the job runner retries the job, then buries it',
  },
  'crashed-repeatedly': {
    verdict: 'dead-letter',
    why: 'the job runner gave up on a job that failed unexpectedly every time',
    letter: ({ message }) => ({
      code: 'PROCESSING_ERROR',
      reason: `processing failed repeatedly with an unexpected error: ${message}`,
    }),
  },
} satisfies Readonly<Record<FailureKind, FailureRule>>;

/** A Salesforce failure while the conversation is read and decided, before anything is written. */
export function readFailureKind(code: string): FailureKind {
  if (code === LIMIT_EXCEEDED) return 'api-limit';
  return isTransientCode(code) ? 'transient' : 'salesforce-refused';
}

/**
 * Which write failed: the first write, the same write again after a row lock, or the write that
 * records rejected auto-applies. The last is not retried nor reworked: any failure but a refusal
 * sends the conversation dead.
 */
export type WriteAttempt = 'first' | 'again' | 'without-applies' | 'activity-anew';

/** What Salesforce says of a record deleted (in the recycle bin) or gone for good. */
const RECORD_GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND']);

export interface WriteFailure {
  code: string;
  /** The composite's step that failed: the Opportunity's values are the step 'opportunity'. */
  step: string;
  /** Salesforce refused it for a missing permission. */
  refused: boolean;
  /** The write carried auto-applied values. */
  applies: boolean;
}

export function writeFailureKind(failure: WriteFailure, attempt: WriteAttempt): FailureKind {
  if (attempt === 'first' && RETRY_AT_ONCE.has(failure.code)) return 'row-locked';
  if (attempt !== 'without-applies' && isTransientCode(failure.code)) return readFailureKind(failure.code);
  if (failure.refused) return 'permission-refused';
  if (attempt !== 'activity-anew' && failure.step === 'activity' && RECORD_GONE.has(failure.code))
    return 'activity-deleted';
  if (attempt !== 'without-applies' && failure.step === 'opportunity' && failure.applies)
    return 'auto-apply-rejected';
  return 'salesforce-refused';
}

/** A transient failure as the queue sees it: the limit waits, anything else is retried until the limit of attempts. */
export function transientKind(code: string, attempts: number, retryLimit: number): FailureKind {
  if (code === LIMIT_EXCEEDED) return 'api-limit';
  if (code === AUTHENTICATION_FAILED) return 'login-failed';
  return attempts > retryLimit ? 'retries-exhausted' : 'transient';
}
