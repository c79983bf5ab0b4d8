import { SalesforceError } from './api/errors.js';

/**
 * Fault injection for reliability tests: added latency, and errors at a rate per code, or exactly on
 * the next N requests. Request faults (limit exceeded, unavailable, expired session) fail the whole
 * call; UNABLE_TO_LOCK_ROW fails a record write inside it, as row locks do, so composite and
 * collection requests report it on the subrequest or record that hit it.
 */

export const REQUEST_FAULTS = ['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'INVALID_SESSION_ID'] as const;
export const WRITE_FAULTS = ['UNABLE_TO_LOCK_ROW'] as const;
export type FaultCode = (typeof REQUEST_FAULTS)[number] | (typeof WRITE_FAULTS)[number];

export interface FaultSettings {
  /** Fixed latency in milliseconds, or a range drawn from uniformly. */
  latencyMs?: number | { min: number; max: number };
  /** Share of requests (0..1) that fail with each code. */
  errorRates?: Partial<Record<FaultCode, number>>;
  /** Seed for the random draws, so a failing reliability test can be replayed. */
  seed?: number;
}

const MESSAGES: Record<FaultCode, string> = {
  REQUEST_LIMIT_EXCEEDED: 'TotalRequests Limit exceeded.',
  SERVER_UNAVAILABLE: 'Server is temporarily unavailable; retry later',
  INVALID_SESSION_ID: 'Session expired or invalid',
  UNABLE_TO_LOCK_ROW: 'unable to obtain exclusive access to this record or 1 records',
};

/** mulberry32: small, seedable, good enough to spread faults evenly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private settings: FaultSettings = {};
  private random: () => number = Math.random;
  private readonly queued = new Map<FaultCode, number>();

  configure(settings: FaultSettings): void {
    this.settings = settings;
    this.random = settings.seed === undefined ? Math.random : seededRandom(settings.seed);
  }

  /** The next `times` requests (or record writes, for UNABLE_TO_LOCK_ROW) fail with the code. */
  failNext(code: FaultCode, times = 1): void {
    this.queued.set(code, (this.queued.get(code) ?? 0) + times);
  }

  reset(): void {
    this.configure({});
    this.queued.clear();
  }

  latency(): number {
    const l = this.settings.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l.min + this.random() * (l.max - l.min);
  }

  /** The request-level fault to answer with, if any. */
  requestFault(): SalesforceError | null {
    for (const code of REQUEST_FAULTS) {
      if (this.draw(code)) return new SalesforceError(code, MESSAGES[code]);
    }
    return null;
  }

  /** Called before each record write. */
  beforeWrite(recordId: string): void {
    if (this.draw('UNABLE_TO_LOCK_ROW')) {
      throw new SalesforceError('UNABLE_TO_LOCK_ROW', `${MESSAGES.UNABLE_TO_LOCK_ROW}: ${recordId}`);
    }
  }

  private draw(code: FaultCode): boolean {
    const queued = this.queued.get(code) ?? 0;
    if (queued > 0) {
      this.queued.set(code, queued - 1);
      return true;
    }
    const rate = this.settings.errorRates?.[code] ?? 0;
    return rate > 0 && this.random() < rate;
  }
}
