/**
 * Whether the service can sign in to Salesforce right now, as /readyz shows it: a login that failed
 * (a revoked connected app, an expired token, an identity provider down) is retried with backoff
 * by the worker, and an operator should see that it is, how often it failed and what Salesforce
 * said, without reading the log.
 */

export interface LoginHealth {
  status: 'connected' | 'retrying';
  /** Failed logins since the last call that went through. */
  attempts: number;
  /** What the last failed login said (names settings, never their values). */
  lastError: string | null;
  /** When the first of these failures happened, ISO 8601. */
  failingSince: string | null;
}

export class LoginState {
  private attempts = 0;
  private lastError: string | null = null;
  private failingSince: number | null = null;

  failed(message: string, now: number): void {
    this.attempts++;
    this.lastError = message;
    this.failingSince ??= now;
  }

  succeeded(): void {
    this.attempts = 0;
    this.lastError = null;
    this.failingSince = null;
  }

  health(): LoginHealth {
    return {
      status: this.attempts > 0 ? 'retrying' : 'connected',
      attempts: this.attempts,
      lastError: this.lastError,
      failingSince: this.failingSince === null ? null : new Date(this.failingSince).toISOString(),
    };
  }
}
