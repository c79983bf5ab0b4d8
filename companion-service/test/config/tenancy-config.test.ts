import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadTenancyConfig, TenancyConfigError } from '../../src/config/tenancy-config.js';

/** SCRIBE_TENANCY: single unless asked, unknown values refused, multi never without its key. */

const KEY = randomBytes(32).toString('base64');
const MULTI = {
  SCRIBE_TENANCY: 'multi',
  SCRIBE_ENCRYPTION_KEY: KEY,
  SCRIBE_OAUTH_CLIENT_ID: '3MVG9PipelineScribeKey',
  SCRIBE_OAUTH_CALLBACK_URL: 'https://scribe.example.com/oauth/callback',
};

describe('loadTenancyConfig', () => {
  it('is single-org by default, whatever else is set', () => {
    expect(loadTenancyConfig({})).toEqual({ mode: 'single' });
  });

  it('refuses an unknown mode rather than guessing one', () => {
    expect(() => loadTenancyConfig({ SCRIBE_TENANCY: 'many' })).toThrow(TenancyConfigError);
    expect(() => loadTenancyConfig({ SCRIBE_TENANCY: 'many' })).toThrow(
      /SCRIBE_TENANCY is not valid \("many"\): use single/,
    );
  });

  it('refuses multi without a key, naming the variable and how to make one', () => {
    expect(() => loadTenancyConfig({ ...MULTI, SCRIBE_ENCRYPTION_KEY: '' })).toThrow(
      /SCRIBE_ENCRYPTION_KEY is not set, and SCRIBE_TENANCY=multi needs it: .*openssl rand -base64 32/,
    );
  });

  it('refuses a key that is not 32 bytes, without echoing it', () => {
    const short = randomBytes(16).toString('base64');
    let message = '';
    try {
      loadTenancyConfig({ ...MULTI, SCRIBE_ENCRYPTION_KEY: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/SCRIBE_ENCRYPTION_KEY is not valid: set it to 32 random bytes/);
    expect(message).not.toContain(short);
  });

  it('reads multi with the current and previous keys and the External Client App', () => {
    const previous = randomBytes(32).toString('base64');
    const config = loadTenancyConfig({ ...MULTI, SCRIBE_ENCRYPTION_KEYS_PREVIOUS: previous });
    expect(config.mode).toBe('multi');
    if (config.mode !== 'multi') return;
    expect(config.keys.current.equals(Buffer.from(KEY, 'base64'))).toBe(true);
    expect(config.keys.previous.map((k) => k.toString('base64'))).toEqual([previous]);
    expect(config.oauth).toMatchObject({
      clientId: '3MVG9PipelineScribeKey',
      loginUrl: 'https://login.salesforce.com',
    });
    expect(config.stateTtlMs).toBe(600_000);
    expect(config.erasureGraceMs).toBe(30 * 86_400_000);
    expect(config.maxOrgMetricLabels).toBe(200);
  });
});
