/**
 * The org's daily API budget as Salesforce reports it on every response (`Sforce-Limit-Info:
 * api-usage=used/limit`), and the pace that follows from it: past a configurable share of the limit,
 * each call waits longer the nearer the limit is, so the integration never starves the org's others.
 */

export interface ApiUsage {
  /** Calls this service made since it started. */
  callsMade: number;
  /** The org's count for the day and its limit, from the last response; null before the first. */
  orgUsed: number | null;
  orgLimit: number | null;
  share: number | null;
  slowingDown: boolean;
  /** The pause added before each call right now. */
  delayMs: number;
}

export class ApiUsageTracker {
  private callsMade = 0;
  private used: number | null = null;
  private limit: number | null = null;

  constructor(
    private readonly slowdownAt: number,
    private readonly maxDelayMs: number,
  ) {}

  record(limitInfo: { apiUsage?: { used: number; limit: number } } | undefined): void {
    this.callsMade++;
    if (limitInfo?.apiUsage) {
      this.used = limitInfo.apiUsage.used;
      this.limit = limitInfo.apiUsage.limit;
    }
  }

  /** The pause before the next call: none below the threshold, growing to maxDelayMs at the limit. */
  delayMs(): number {
    const share = this.share();
    if (share === null || share < this.slowdownAt) return 0;
    const span = 1 - this.slowdownAt;
    const progress = span <= 0 ? 1 : Math.min(1, (share - this.slowdownAt) / span);
    return Math.round(this.maxDelayMs * progress);
  }

  snapshot(): ApiUsage {
    const delayMs = this.delayMs();
    return {
      callsMade: this.callsMade,
      orgUsed: this.used,
      orgLimit: this.limit,
      share: this.share(),
      slowingDown: delayMs > 0,
      delayMs,
    };
  }

  private share(): number | null {
    return this.used === null || !this.limit ? null : this.used / this.limit;
  }
}
