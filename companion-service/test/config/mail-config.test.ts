import { describe, expect, it } from 'vitest';
import { loadMailConfig } from '../../src/config/mail-config.js';

describe('loadMailConfig', () => {
  it('leaves the SMTP listener off unless the address and the port are both set', () => {
    expect(loadMailConfig({}).smtp).toBeNull();
    expect(loadMailConfig({ SCRIBE_MAIL_ADDRESS: 'log@scribe.example.com' }).smtp).toBeNull();
    expect(() => loadMailConfig({ SCRIBE_SMTP_PORT: '2525' })).toThrow(/SCRIBE_MAIL_ADDRESS is not set/);
    const on = loadMailConfig({ SCRIBE_MAIL_ADDRESS: 'Log@Scribe.example.com', SCRIBE_SMTP_PORT: '2525' });
    expect(on).toMatchObject({
      address: 'log@scribe.example.com',
      smtp: { host: '127.0.0.1', port: 2525, hostname: 'scribe.example.com', tls: null },
    });
  });

  it('names the setting and the fix for a bad value', () => {
    expect(() => loadMailConfig({ SCRIBE_MAIL_ADDRESS: 'not-an-address' })).toThrow(
      /SCRIBE_MAIL_ADDRESS is not valid/,
    );
    expect(() => loadMailConfig({ SCRIBE_EMAIL_MAX_BYTES: '5' })).toThrow(/SCRIBE_EMAIL_MAX_BYTES/);
    expect(() => loadMailConfig({ SCRIBE_SMTP_TLS_KEY_FILE: '/k.pem' })).toThrow(
      /SCRIBE_SMTP_TLS_CERT_FILE is not set/,
    );
  });
});
