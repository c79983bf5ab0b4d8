/**
 * At most `perSecond` requests started in any one-second window, and none before a time the server
 * named (a 429's Retry-After). Written here rather than taken from a library (bottleneck, p-limit)
 * because none is installed and this is the whole of what Gong's "3 requests per second" needs; the
 * limit is per process, so processes sharing one Gong key should share `GONG_REQUESTS_PER_SECOND`.
 */
/**
 * Gong counts arrivals, we count departures: a later request can arrive sooner after an earlier one
 * than it left, so the window is a little longer than Gong's second.
 */
const WINDOW_MS = 1100;

export class RequestPacer {
  private readonly starts: number[] = [];
  private notBefore = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when the caller may start a request; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.wait());
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** The server asked for quiet until then: everyone waits. */
  pauseUntil(time: number): void {
    this.notBefore = Math.max(this.notBefore, time);
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - WINDOW_MS) this.starts.shift();
      const delay = Math.max(
        this.notBefore - now,
        this.starts.length >= this.perSecond ? this.starts[0]! + WINDOW_MS - now : 0,
      );
      if (delay <= 0) {
        this.starts.push(now);
        return;
      }
      await this.sleep(delay);
    }
  }
}
