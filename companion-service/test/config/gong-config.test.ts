import { describe, expect, it } from 'vitest';
import { GongConfigError, loadGongConfig } from '../../src/config/gong-config.js';
import { webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';

/** GONG_* settings: checked at start, each refusal naming the variable and the fix, never a secret. */

const { publicKeyPem } = webhookKeys();
const bareKey = publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('loadGongConfig', () => {
  it('works with nothing set: webhooks unauthenticated (refused), no API credentials', () => {
    const config = loadGongConfig({});
    expect(config.webhook).toEqual({ publicKey: null, webhookUrl: null, urlKey: null });
    expect(config.api).toMatchObject({ baseUrl: 'https://api.gong.io', auth: null, requestsPerSecond: 3 });
  });

  it("takes the key as Gong shows it, PEM or its bare base64 body, and needs the endpoint's URL with it", () => {
    const config = loadGongConfig({
      GONG_WEBHOOK_PUBLIC_KEY: bareKey,
      GONG_WEBHOOK_URL: 'https://scribe.example.com/webhooks/gong',
    });
    expect(config.webhook.publicKey).toContain('BEGIN PUBLIC KEY');
    expect(() => loadGongConfig({ GONG_WEBHOOK_PUBLIC_KEY: publicKeyPem })).toThrow(
      /GONG_WEBHOOK_URL is not set/,
    );
    expect(() =>
      loadGongConfig({ GONG_WEBHOOK_PUBLIC_KEY: 'not a key', GONG_WEBHOOK_URL: 'https://x.example.com/w' }),
    ).toThrow(/GONG_WEBHOOK_PUBLIC_KEY does not hold a readable public key/);
  });

  it('chooses Basic or OAuth for the API, and refuses half a key pair', () => {
    expect(loadGongConfig({ GONG_ACCESS_KEY: 'ak', GONG_ACCESS_KEY_SECRET: 'sk' }).api.auth).toEqual({
      kind: 'basic',
      accessKey: 'ak',
      secret: 'sk',
    });
    expect(loadGongConfig({ GONG_OAUTH_TOKEN: 'tok' }).api.auth).toEqual({ kind: 'bearer', token: 'tok' });
    expect(() => loadGongConfig({ GONG_ACCESS_KEY: 'ak' })).toThrow(/GONG_ACCESS_KEY_SECRET is not set/);
  });

  it('names the variable and never echoes a secret', () => {
    const error = (() => {
      try {
        loadGongConfig({ GONG_WEBHOOK_KEY: 'short-secret', GONG_REQUESTS_PER_SECOND: 'fast' });
      } catch (e) {
        return e as GongConfigError;
      }
    })();
    expect(error).toBeInstanceOf(GongConfigError);
    expect(error!.message).toContain('GONG_WEBHOOK_KEY is not valid');
    expect(error!.message).toContain('GONG_REQUESTS_PER_SECOND is not valid ("fast")');
    expect(error!.message).not.toContain('short-secret');
  });
});
