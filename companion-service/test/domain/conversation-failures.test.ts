import { describe, expect, it } from 'vitest';
import {
  CONVERSATION_FAILURES,
  readFailureKind,
  transientKind,
  writeFailureKind,
  type FailureKind,
  type WriteAttempt,
  type WriteFailure,
} from '../../src/domain/conversation-failures.js';

/**
 * The table of what a failure does to a conversation, row by row, and the questions that pick the
 * row: which write failed, what Salesforce said, how many attempts were made.
 */

const failure = { code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access', attempts: 6 };

const OUTCOMES: {
  kind: FailureKind;
  verdict: string;
  when?: string;
  letter?: { code: string; reason: string };
}[] = [
  { kind: 'row-locked', verdict: 'retry', when: 'at-once' },
  { kind: 'transient', verdict: 'retry', when: 'after-backoff' },
  { kind: 'api-limit', verdict: 'retry', when: 'when-the-window-allows' },
  { kind: 'login-failed', verdict: 'retry', when: 'when-the-login-works' },
  {
    kind: 'retries-exhausted',
    verdict: 'dead-letter',
    letter: {
      code: 'UNABLE_TO_LOCK_ROW',
      reason:
        'retries exhausted after 6 attempts; the last said UNABLE_TO_LOCK_ROW: unable to obtain exclusive access',
    },
  },
  {
    kind: 'permission-refused',
    verdict: 'refuse',
    letter: { code: 'UNABLE_TO_LOCK_ROW', reason: 'unable to obtain exclusive access' },
  },
  { kind: 'auto-apply-rejected', verdict: 'carry-on' },
  { kind: 'activity-deleted', verdict: 'carry-on' },
  {
    kind: 'salesforce-refused',
    verdict: 'dead-letter',
    letter: {
      code: 'UNABLE_TO_LOCK_ROW',
      reason: 'Salesforce refused the conversation: unable to obtain exclusive access',
    },
  },
  {
    kind: 'unreadable-input',
    verdict: 'dead-letter',
    letter: {
      code: 'UNREADABLE_INPUT',
      reason: 'the conversation cannot be read: unable to obtain exclusive access',
    },
  },
  {
    kind: 'job-cannot-succeed',
    verdict: 'dead-letter',
    letter: { code: 'UNABLE_TO_LOCK_ROW', reason: 'unable to obtain exclusive access' },
  },
  { kind: 'unexpected', verdict: 'retry', when: 'by-the-job-runner' },
  {
    kind: 'crashed-repeatedly',
    verdict: 'dead-letter',
    letter: {
      code: 'PROCESSING_ERROR',
      reason: 'processing failed repeatedly with an unexpected error: unable to obtain exclusive access',
    },
  },
];

describe('the table of conversation failures', () => {
  it('has a row for every kind of failure, each with the reason for its verdict', () => {
    expect(OUTCOMES.map((o) => o.kind).sort()).toEqual(Object.keys(CONVERSATION_FAILURES).sort());
    for (const rule of Object.values(CONVERSATION_FAILURES)) expect(rule.why).toMatch(/\w+ \w+ \w+/);
  });

  it.each(OUTCOMES)('$kind: $verdict', ({ kind, verdict, when, letter }) => {
    const rule = CONVERSATION_FAILURES[kind];
    expect(rule.verdict).toBe(verdict);
    expect('when' in rule ? rule.when : undefined).toBe(when);
    expect('letter' in rule ? rule.letter(failure) : undefined).toEqual(letter);
  });
});

const write = (code: string, more: Partial<WriteFailure> = {}): WriteFailure => ({
  code,
  step: 'conversation',
  refused: false,
  applies: false,
  ...more,
});

const WRITES: [string, WriteFailure, WriteAttempt, FailureKind][] = [
  [
    'a row lock on the first write is written again at once',
    write('UNABLE_TO_LOCK_ROW'),
    'first',
    'row-locked',
  ],
  ['a moment of unavailability too', write('SERVER_UNAVAILABLE'), 'first', 'row-locked'],
  ['a lock that stays goes back to the queue', write('UNABLE_TO_LOCK_ROW'), 'again', 'transient'],
  ['other weather goes to the queue at once', write('UNKNOWN_EXCEPTION'), 'first', 'transient'],
  ['a 5xx answer is weather', write('ERROR_HTTP_503'), 'first', 'transient'],
  ['the API limit waits for the window', write('REQUEST_LIMIT_EXCEEDED'), 'first', 'api-limit'],
  [
    'a missing permission is refused',
    write('INSUFFICIENT_ACCESS_OR_READONLY', { refused: true, step: 'opportunity', applies: true }),
    'first',
    'permission-refused',
  ],
  [
    "a validation rule against the deal's auto-applied values records them as failed",
    write('FIELD_CUSTOM_VALIDATION_EXCEPTION', { step: 'opportunity', applies: true }),
    'again',
    'auto-apply-rejected',
  ],
  [
    'an Opportunity failure without auto-applied values is refused for good',
    write('FIELD_CUSTOM_VALIDATION_EXCEPTION', { step: 'opportunity' }),
    'first',
    'salesforce-refused',
  ],
  [
    'a failure of another step is refused for good',
    write('STRING_TOO_LONG', { step: 'suggestions', applies: true }),
    'first',
    'salesforce-refused',
  ],
  [
    'the write after rejected auto-applies is not reworked',
    write('FIELD_CUSTOM_VALIDATION_EXCEPTION', { step: 'opportunity', applies: true }),
    'without-applies',
    'salesforce-refused',
  ],
  [
    'nor retried: weather on it sends the conversation dead',
    write('UNABLE_TO_LOCK_ROW', { step: 'opportunity' }),
    'without-applies',
    'salesforce-refused',
  ],
  [
    'but a missing permission on it is still refused',
    write('INSUFFICIENT_ACCESS_OR_READONLY', { refused: true }),
    'without-applies',
    'permission-refused',
  ],
  [
    'the activity a rep deleted is logged anew',
    write('ENTITY_IS_DELETED', { step: 'activity' }),
    'first',
    'activity-deleted',
  ],
  ['as is one gone for good', write('NOT_FOUND', { step: 'activity' }), 'again', 'activity-deleted'],
  ['but only once', write('ENTITY_IS_DELETED', { step: 'activity' }), 'activity-anew', 'salesforce-refused'],
];

describe('which kind a failed write is', () => {
  it.each(WRITES)('%s', (_, failed, attempt, kind) => {
    expect(writeFailureKind(failed, attempt)).toBe(kind);
  });
});

describe('which kind a failure before writing is', () => {
  it.each([
    ['REQUEST_LIMIT_EXCEEDED', 'api-limit'],
    ['UNABLE_TO_LOCK_ROW', 'transient'],
    ['SALESFORCE_TIMEOUT', 'transient'],
    ['CONNECTION_ERROR', 'transient'],
    ['MALFORMED_QUERY', 'salesforce-refused'],
    ['INVALID_SESSION_ID', 'salesforce-refused'],
  ])('%s is %s', (code, kind) => {
    expect(readFailureKind(code)).toBe(kind);
  });
});

describe('which kind a transient failure is to the queue', () => {
  it.each([
    ['the API limit never uses up the retries', 'REQUEST_LIMIT_EXCEEDED', 9, 'api-limit'],
    ['nor does a failed sign-in of the service', 'AUTHENTICATION_FAILED', 9, 'login-failed'],
    ['weather is retried up to the limit of attempts', 'UNKNOWN_EXCEPTION', 5, 'transient'],
    ['and dead past it', 'UNKNOWN_EXCEPTION', 6, 'retries-exhausted'],
  ] as const)('%s', (_, code, attempts, kind) => {
    expect(transientKind(code, attempts, 5)).toBe(kind);
  });
});
