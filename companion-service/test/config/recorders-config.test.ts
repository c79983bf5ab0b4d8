import { describe, expect, it } from 'vitest';
import { loadRecordersConfig, UNCONFIGURED_RECORDERS } from '../../src/config/recorders-config.js';

/** ZOOM_*, TEAMS_*, RECORDINGS_*: off until set, checked at start, refusals naming the variable, never the secret. */

describe('loadRecordersConfig', () => {
  it('leaves every channel off with nothing set', () => {
    expect(loadRecordersConfig({})).toEqual(UNCONFIGURED_RECORDERS);
  });

  it('takes the secrets and the Graph client credentials', () => {
    const config = loadRecordersConfig({
      ZOOM_WEBHOOK_SECRET_TOKEN: 'zoom-secret-token-0123',
      TEAMS_CLIENT_STATE: 'client-state-0123456789',
      TEAMS_TENANT_ID: 'tenant',
      TEAMS_CLIENT_ID: 'client',
      TEAMS_CLIENT_SECRET: 'secret',
      TEAMS_NOTIFICATION_URL: 'https://scribe.example.com/webhooks/teams',
      RECORDINGS_SECRET: 'r'.repeat(32),
    });
    expect(config.teams.notificationUrl).toBe('https://scribe.example.com/webhooks/teams');
    expect(config.zoom.secretToken).toBe('zoom-secret-token-0123');
    expect(config.teams.credentials).toEqual({
      tenantId: 'tenant',
      clientId: 'client',
      clientSecret: 'secret',
    });
    expect(config.recordingsSecret).toBe('r'.repeat(32));
  });

  it('refuses a short secret without repeating it, and names the fix', () => {
    const attempt = () => loadRecordersConfig({ RECORDINGS_SECRET: 'short-secret' });
    expect(attempt).toThrow(/RECORDINGS_SECRET is not valid: use a random string of at least 32 characters/);
    expect(attempt).not.toThrow(/short-secret/);
  });

  it('refuses Graph credentials set by half, naming what is missing', () => {
    expect(() => loadRecordersConfig({ TEAMS_TENANT_ID: 'tenant' })).toThrow(
      /TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET are not set/,
    );
  });

  it('refuses a misspelled variable of its own, rather than leaving the channel off unseen', () => {
    expect(() => loadRecordersConfig({ ZOOM_WEBHOOK_SECRET: 'zoom-secret-token-0123' })).toThrow(
      /ZOOM_WEBHOOK_SECRET is not a setting the service knows: did you mean ZOOM_WEBHOOK_SECRET_TOKEN/,
    );
  });
});
