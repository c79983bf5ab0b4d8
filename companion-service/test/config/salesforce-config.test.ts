import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSalesforceConfig } from '../../src/config/salesforce-config.js';
import { loadServiceConfig } from '../../src/config/service-config.js';
import { testKeys } from '../support/local-org.js';

/** The SF_* and SCRIBE_* settings: the local org by default, and every mistake named with its fix. */

describe('loadSalesforceConfig', () => {
  it('uses the local org when no connection setting is given', () => {
    expect(loadSalesforceConfig({ SF_API_VERSION: '' })).toMatchObject({
      kind: 'local',
      apiVersion: '62.0',
      slowdownAt: 0.8,
      rulesTtlMs: 300_000,
    });
  });

  it('reads a JWT bearer configuration with its key file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sf-'));
    const keyFile = path.join(dir, 'server.key');
    await writeFile(keyFile, testKeys().privateKey);
    const config = loadSalesforceConfig({
      SF_CLIENT_ID: '3MVG9-consumer-key',
      SF_USERNAME: 'scribe@example.com',
      SF_PRIVATE_KEY_FILE: keyFile,
      SF_LOGIN_URL: 'https://test.salesforce.com/',
    });
    expect(config).toMatchObject({
      kind: 'org',
      token: null,
      jwt: { loginUrl: 'https://test.salesforce.com', username: 'scribe@example.com' },
    });
  });

  it('names every missing or bad setting, without echoing secrets', () => {
    expect(() => loadSalesforceConfig({ SF_CLIENT_ID: '3MVG9-consumer-key' })).toThrow(
      /SF_USERNAME is not set, and the JWT bearer flow needs it: .*; SF_PRIVATE_KEY_FILE is not set \(nor SF_PRIVATE_KEY\)/,
    );
    expect(() => loadSalesforceConfig({ SF_ACCESS_TOKEN: '00D!secret-token-value' })).toThrow(
      /^SF_INSTANCE_URL is not set, and SF_ACCESS_TOKEN needs it/,
    );
    expect(() => loadSalesforceConfig({ SF_INSTANCE_URL: 'not a url', SF_API_SLOWDOWN_AT: '2' })).toThrow(
      /SF_INSTANCE_URL is not valid \("not a url"\).*SF_API_SLOWDOWN_AT is not valid \("2"\)/,
    );
    let message = '';
    try {
      loadSalesforceConfig({ SF_ACCESS_TOKEN: 'short' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('SF_ACCESS_TOKEN is not valid:');
    expect(message).not.toContain('short');
    expect(() =>
      loadSalesforceConfig({
        SF_CLIENT_ID: '3MVG9-consumer-key',
        SF_USERNAME: 'a@b.c',
        SF_PRIVATE_KEY_FILE: '/nowhere/key.pem',
      }),
    ).toThrow(/SF_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/);
  });

  it('takes an access token with its instance URL', () => {
    expect(
      loadSalesforceConfig({
        SF_INSTANCE_URL: 'https://acme.my.salesforce.com',
        SF_ACCESS_TOKEN: '00D000000000001!token',
      }),
    ).toMatchObject({
      kind: 'org',
      jwt: null,
      token: { instanceUrl: 'https://acme.my.salesforce.com' },
    });
  });
});

describe('loadServiceConfig', () => {
  it('has defaults that run on a fresh machine, and names a bad setting', () => {
    expect(loadServiceConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      localOrgStorage: 'file',
      apiKey: null,
    });
    expect(() => loadServiceConfig({ SCRIBE_PORT: 'eighty', SCRIBE_LOCAL_ORG_STORAGE: 'disk' })).toThrow(
      /SCRIBE_PORT is not valid \("eighty"\).*SCRIBE_LOCAL_ORG_STORAGE is not valid \("disk"\): use file/,
    );
  });
});
