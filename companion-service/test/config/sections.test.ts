import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/env.js';
import { GongConfigError, loadGongConfig } from '../../src/config/gong-config.js';
import { loadLlmConfig, LlmConfigError } from '../../src/config/llm-config.js';
import { loadPubSubConfig, PubSubConfigError } from '../../src/config/pubsub-config.js';
import { loadQueueConfig, QueueConfigError } from '../../src/config/queue-config.js';
import { loadSalesforceConfig, SalesforceConfigError } from '../../src/config/salesforce-config.js';
import { loadServiceConfig, ServiceConfigError } from '../../src/config/service-config.js';
import { loadTranscriptionConfig, TranscriptionConfigError } from '../../src/config/transcription-config.js';
import { loadScanSchedule } from '../../src/services/pipeline-scan-schedule.js';

/** Every section reads through the shared loader: its own error, every problem at once, no secret shown. */

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

const SECRET = 'hunter2-secret';

describe('the settings sections', () => {
  it.each([
    [
      'service',
      () => loadServiceConfig({ SCRIBE_API_KEY: SECRET, SCRIBE_PORT: 'x' }),
      ServiceConfigError,
      'SCRIBE_API_KEY',
    ],
    [
      'salesforce',
      () => loadSalesforceConfig({ SF_PRIVATE_KEY: SECRET, SF_ACCESS_TOKEN: 'short', SF_API_VERSION: 'x' }),
      SalesforceConfigError,
      'SF_PRIVATE_KEY',
    ],
    ['llm', () => loadLlmConfig({ SCRIBE_LLM_SEND_PII: 'x' }), LlmConfigError, 'OPENAI_API_KEY'],
    [
      'gong',
      () => loadGongConfig({ GONG_OAUTH_TOKEN: SECRET, GONG_WEBHOOK_KEY: SECRET, GONG_MAX_RETRIES: 'x' }),
      GongConfigError,
      'GONG_WEBHOOK_KEY',
    ],
    [
      'pubsub',
      () => loadPubSubConfig({ SCRIBE_PUBSUB: 'x', SCRIBE_PUBSUB_BATCH: '0' }),
      PubSubConfigError,
      'SCRIBE_PUBSUB_BATCH',
    ],
    [
      'queue',
      () => loadQueueConfig({ DATABASE_URL: `mysql://scribe:${SECRET}@db/scribe`, SCRIBE_RETRY_LIMIT: 'x' }),
      QueueConfigError,
      'DATABASE_URL',
    ],
    [
      'transcription',
      () => loadTranscriptionConfig({ SCRIBE_TRANSCRIPTION_BASE_URL: 'x', SCRIBE_VOICE_MEMO_MAX_BYTES: '1' }),
      TranscriptionConfigError,
      'SCRIBE_VOICE_MEMO_MAX_BYTES',
    ],
    [
      'scan',
      () =>
        loadScanSchedule({ SCRIBE_SCAN_FIRST_DELAY_SECONDS: '-1', SCRIBE_SCAN_CLOSED_LOOKBACK_DAYS: '1' }),
      ConfigError,
      'SCRIBE_SCAN_CLOSED_LOOKBACK_DAYS',
    ],
  ])(
    '%s: refuses with its own error, names every problem, and never shows a secret',
    (_, load, kind, named) => {
      const error = refusal(load);
      expect(error).toBeInstanceOf(kind);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(named);
      expect(error.message.split('; ').length).toBeGreaterThanOrEqual(2);
      expect(error.message).not.toContain(SECRET);
      expect(error.message).not.toContain('"short"');
    },
  );

  it("hides exactly today's secrets: keys, tokens, private keys, a database URL and Gong's public key", () => {
    expect(refusal(() => loadServiceConfig({ SCRIBE_API_KEY: 'short' })).message).toMatch(
      /^SCRIBE_API_KEY is not valid: /,
    );
    expect(refusal(() => loadSalesforceConfig({ SF_PRIVATE_KEY: 'not a pem' })).message).toMatch(
      /^SF_PRIVATE_KEY is not valid: /,
    );
    expect(refusal(() => loadQueueConfig({ DATABASE_URL: 'mysql://u:p@h/d' })).message).toMatch(
      /^DATABASE_URL is not valid: /,
    );
    expect(
      refusal(() => loadGongConfig({ GONG_ACCESS_KEY_SECRET: 'x', GONG_WEBHOOK_KEY: 'x' })).message,
    ).toMatch(/^GONG_WEBHOOK_KEY is not valid: /);
    expect(
      refusal(() => loadTranscriptionConfig({ SCRIBE_TRANSCRIPTION: 'x', SCRIBE_TRANSCRIPTION_API_KEY: 'k' }))
        .message,
    ).toMatch(/^SCRIBE_TRANSCRIPTION is not valid \("x"\): /);
    // Names that are not secrets are shown with their values.
    expect(refusal(() => loadSalesforceConfig({ SF_CLIENT_ID: 'short' })).message).toMatch(
      /^SF_CLIENT_ID is not valid \("short"\): /,
    );
    expect(refusal(() => loadGongConfig({ GONG_TIMEOUT_MS: '5' })).message).toMatch(
      /^GONG_TIMEOUT_MS is not valid \("5"\): /,
    );
  });
});

describe('the queue section: how soon a dead worker’s conversations come back', () => {
  it('sweeps for them every 3 s by default, taking up those in hand for 6 s', () => {
    const queue = loadQueueConfig({});
    expect(queue.orphanSeconds).toBe(6);
    // The job expiry stays long: it is the ceiling for a hung worker, not how a killed one is found.
    expect(queue.jobExpireSeconds).toBe(600);
    expect(loadQueueConfig({ SCRIBE_ORPHAN_SECONDS: '30' }).orphanSeconds).toBe(30);
  });

  it('refuses a value that would sweep too often or never, naming the setting and its default', () => {
    for (const value of ['1', '3601', 'soon']) {
      const error = refusal(() => loadQueueConfig({ SCRIBE_ORPHAN_SECONDS: value }));
      expect(error).toBeInstanceOf(QueueConfigError);
      expect(error.message).toMatch(/^SCRIBE_ORPHAN_SECONDS is not valid/);
      expect(error.message).toContain('6 unless set');
    }
  });
});
