import { describe, expect, it } from 'vitest';
import { loadLimitsConfig, LimitsConfigError } from '../../src/config/limits-config.js';

describe('the limits section', () => {
  it('bounds every input by default', () => {
    expect(loadLimitsConfig({})).toEqual({
      maxConversationBytes: 512_000,
      extractTimeoutMs: 30_000,
      extractThreads: 2,
      queueMaxWaiting: 10_000,
      queueRetryAfterSeconds: 30,
      ratePerMinute: 600,
      orgRatePerMinute: 6_000,
    });
  });

  it('takes the settings as given', () => {
    const limits = loadLimitsConfig({ SCRIBE_EXTRACT_TIMEOUT_MS: '5000', SCRIBE_QUEUE_MAX_WAITING: '50' });
    expect(limits.extractTimeoutMs).toBe(5000);
    expect(limits.queueMaxWaiting).toBe(50);
  });

  it('refuses a limit that is not a whole number in range, naming the variable and the fix', () => {
    expect(() =>
      loadLimitsConfig({ SCRIBE_MAX_CONVERSATION_BYTES: '10', SCRIBE_EXTRACT_THREADS: 'many' }),
    ).toThrow(LimitsConfigError);
    expect(() => loadLimitsConfig({ SCRIBE_MAX_CONVERSATION_BYTES: '10' })).toThrow(
      /SCRIBE_MAX_CONVERSATION_BYTES is not valid \("10"\): use the largest conversation text accepted, in bytes/,
    );
  });
});
