import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSalesforceConfig } from '../../src/config/salesforce-config.js';
import { checkApiKeyPolicy, loadServiceConfig } from '../../src/config/service-config.js';
import { testKeys } from '../support/local-org.js';

/** The SF_* and SCRIBE_* settings: the local org only when asked for, and every mistake named with its fix. */

describe('loadSalesforceConfig', () => {
  it('runs the local org only when asked for, and otherwise says how to name an org', () => {
    expect(loadSalesforceConfig({ SF_ORG: 'local', SF_API_VERSION: '' })).toMatchObject({
      kind: 'local',
      apiVersion: '62.0',
      slowdownAt: 0.8,
      rulesTtlMs: 300_000,
    });
    // `scribe start` is about the local org: nothing named means that one.
    expect(loadSalesforceConfig({}, { localUnlessConfigured: true })).toMatchObject({ kind: 'local' });
    // Anything else with no org named stops, rather than quietly serving an emulated org.
    expect(() => loadSalesforceConfig({})).toThrow(
      /^no Salesforce org is set: set SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE .* or SF_ORG=local/,
    );
    expect(() => loadSalesforceConfig({ SF_ORG: 'sandbox' })).toThrow(
      /SF_ORG is not valid \("sandbox"\): use local for the emulated local org/,
    );
    expect(() =>
      loadSalesforceConfig({
        SF_ORG: 'local',
        SF_INSTANCE_URL: 'https://acme.my.salesforce.com',
        SF_ACCESS_TOKEN: '00D000000000001!token',
      }),
    ).toThrow(/^SF_ORG is local, but SF_INSTANCE_URL, SF_ACCESS_TOKEN name a real org: unset SF_ORG/);
  });

  it('takes a login URL set on its own as a real org half-configured, never as the local org', () => {
    const sandbox = { SF_LOGIN_URL: 'https://test.salesforce.com' };
    const said =
      /^SF_LOGIN_URL is set, but the JWT bearer flow it is for needs SF_CLIENT_ID, SF_USERNAME and SF_PRIVATE_KEY_FILE too/;
    expect(() => loadSalesforceConfig(sandbox)).toThrow(said);
    expect(() => loadSalesforceConfig(sandbox, { localUnlessConfigured: true })).toThrow(said);
    expect(() => loadSalesforceConfig({ ...sandbox, SF_ORG: 'local' })).toThrow(
      /^SF_ORG is local, but SF_LOGIN_URL names a real org/,
    );
  });

  it("stops on a misspelled or unknown SF_* setting, naming the closest one, but not on the Salesforce CLI's", () => {
    const real = {
      SF_INSTANCE_URL: 'https://acme.my.salesforce.com',
      SF_ACCESS_TOKEN: '00D000000000001!token',
    };
    expect(() => loadSalesforceConfig({ ...real, SF_CLIENTID: '3MVG9-consumer-key' })).toThrow(
      'SF_CLIENTID is not a setting the service knows: did you mean SF_CLIENT_ID? Rename or unset it',
    );
    // A typo of the only setting that would have named the org is still a typo, not the local org.
    expect(() =>
      loadSalesforceConfig({ SF_ACESS_TOKEN: '00D000000000001!token' }, { localUnlessConfigured: true }),
    ).toThrow(/SF_ACESS_TOKEN is not a setting the service knows: did you mean SF_ACCESS_TOKEN\?/);
    expect(() => loadSalesforceConfig({ ...real, SF_SANDBOX: 'true' })).toThrow(
      /^SF_SANDBOX is not a setting/,
    );
    expect(
      loadSalesforceConfig({
        ...real,
        SF_DISABLE_TELEMETRY: 'true',
        SF_AUTOUPDATE_DISABLE: 'true',
        SF_TARGET_ORG: 'dev',
      }),
    ).toMatchObject({ kind: 'org' });
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
      apiOpen: false,
    });
    expect(() => loadServiceConfig({ SCRIBE_PORT: 'eighty', SCRIBE_LOCAL_ORG_STORAGE: 'disk' })).toThrow(
      /SCRIBE_PORT is not valid \("eighty"\).*SCRIBE_LOCAL_ORG_STORAGE is not valid \("disk"\): use file/,
    );
    expect(() => loadServiceConfig({ SCRIBE_APIKEY: 'a-key-of-sixteen-chars' })).toThrow(
      'SCRIBE_APIKEY is not a setting the service knows: did you mean SCRIBE_API_KEY? Rename or unset it',
    );
    expect(loadServiceConfig({ SCRIBE_API_OPEN: 'true' }).apiOpen).toBe(true);
  });
});

describe('checkApiKeyPolicy', () => {
  it('refuses to serve a real org without a key unless SCRIBE_API_OPEN=true says so, which is warned about', () => {
    expect(() => checkApiKeyPolicy({ realOrg: true, apiKey: null, apiOpen: false })).toThrow(
      /^SCRIBE_API_KEY is not set, and a service that writes to a real Salesforce org needs it: .*SCRIBE_API_OPEN=true/,
    );
    expect(checkApiKeyPolicy({ realOrg: true, apiKey: null, apiOpen: true })).toEqual({ open: true });
    expect(checkApiKeyPolicy({ realOrg: true, apiKey: 'a-key-of-sixteen-chars', apiOpen: false })).toEqual({
      open: false,
    });
    // The local org on loopback needs no key.
    expect(checkApiKeyPolicy({ realOrg: false, apiKey: null, apiOpen: false })).toEqual({ open: false });
  });
});
