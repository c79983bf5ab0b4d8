import type { RetrySettings } from '../../config/queue-config.js';

/**
 * Exponential backoff with full jitter: the nth retry waits a uniformly random time up to
 * base * 2^(n-1), capped, so workers that failed together do not come back together.
 */
export function retryDelayMs(
  attempt: number,
  retry: RetrySettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
