import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/services/ingest/backoff.js';
import { ApiLimitPause } from '../../../src/services/ingest/limit-pause.js';
import { isTransientCode } from '../../../src/domain/conversation-failures.js';
import { resolveInput } from '../../../src/services/ingest/resolve-input.js';
import type { ApiUsage } from '../../../src/adapters/salesforce/api-usage.js';
import { silentLogger } from '../../support/postgres.js';

const retry = { limit: 5, baseMs: 1_000, maxMs: 30_000 };

describe('retry delays', () => {
  it('grow exponentially up to the cap, anywhere from none to the ceiling (full jitter)', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, retry, () => 0.999_999))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
    expect(retryDelayMs(10, retry, () => 0.999_999)).toBe(30_000);
    expect(retryDelayMs(3, retry, () => 0)).toBe(0);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(4, retry)));
    expect(spread.size).toBeGreaterThan(40);
  });
});

describe('which Salesforce failures are weather', () => {
  it('retries locks, unavailability, 5xx, timeouts and dropped connections; not validation or bad fields', () => {
    for (const code of [
      'UNABLE_TO_LOCK_ROW',
      'SERVER_UNAVAILABLE',
      'ERROR_HTTP_503',
      'SALESFORCE_TIMEOUT',
      'CONNECTION_ERROR',
    ]) {
      expect(isTransientCode(code), code).toBe(true);
    }
    for (const code of [
      'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'INVALID_FIELD',
      'ERROR_HTTP_400',
      'INVALID_SESSION_ID',
    ]) {
      expect(isTransientCode(code), code).toBe(false);
    }
  });
});

describe('the API limit pause', () => {
  const usage = (used: number | null, limit: number | null): ApiUsage => ({
    callsMade: 1,
    orgUsed: used,
    orgLimit: limit,
    share: null,
    slowingDown: false,
    delayMs: 0,
  });

  it('pauses for the configured time, twice as long while the limit stays, and ends at the first success', () => {
    let u = usage(100, 1000);
    const pause = new ApiLimitPause(60_000, () => u);
    expect(pause.pausedUntil(0)).toBeNull();
    expect(pause.limitHit(0)).toBe(60_000);
    expect(pause.pausedUntil(30_000)).toBe(60_000);
    expect(pause.pausedUntil(60_000)).toBeNull();
    expect(pause.limitHit(60_000)).toBe(180_000);
    pause.succeeded();
    expect(pause.pausedUntil(70_000)).toBeNull();
    u = usage(1000, 1000);
    // The last response already said the budget is spent: pause without spending a call.
    expect(pause.pausedUntil(80_000)).toBe(140_000);
  });
});

describe('resolving a queued job', () => {
  const job = (source: 'api', payload: unknown) => ({
    id: 'cv_x',
    source,
    correlationId: 'c',
    payload,
    receivedAt: '2026-03-10T10:00:00Z',
  });

  it('turns an API job into the conversation input, and refuses a stored payload that is not one', async () => {
    expect(
      await resolveInput(job('api', { content: 'notes', meetingDate: '2026-03-10' }), {
        logger: silentLogger,
      }),
    ).toEqual({
      content: 'notes',
      meetingDate: '2026-03-10',
    });
    await expect(resolveInput(job('api', { content: '' }), { logger: silentLogger })).rejects.toThrow(
      /stored conversation's content is not valid/,
    );
  });
});
