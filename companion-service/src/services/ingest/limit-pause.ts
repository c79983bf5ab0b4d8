import type { ApiUsage } from '../../adapters/salesforce/api-usage.js';

/**
 * When the org's API limit is used up, no call can succeed until Salesforce's rolling window frees
 * some: work pauses for the configured time, twice as long each time the limit is still there (up
 * to a day), and the first conversation through ends the pause. When the last response already said
 * the budget is spent, work pauses before spending a call to find out.
 */
export class ApiLimitPause {
  private until = 0;
  private consecutive = 0;

  constructor(
    private readonly pauseMs: number,
    private readonly usage: () => ApiUsage,
  ) {}

  /** When work may go on, or null when it may now. */
  pausedUntil(now: number): number | null {
    if (this.until > now) return this.until;
    const u = this.usage();
    if (this.consecutive === 0 && u.orgUsed !== null && u.orgLimit !== null && u.orgUsed >= u.orgLimit) {
      return this.limitHit(now);
    }
    return null;
  }

  limitHit(now: number): number {
    this.consecutive++;
    const wait = Math.min(86_400_000, this.pauseMs * 2 ** (this.consecutive - 1));
    this.until = Math.max(this.until, now + wait);
    return this.until;
  }

  succeeded(): void {
    this.consecutive = 0;
    this.until = 0;
  }
}
