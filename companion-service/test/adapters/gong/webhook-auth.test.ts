import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { GongWebhookVerifier } from '../../../src/adapters/gong/webhook-auth.js';
import { signWebhook, webhookKeys } from '@pipeline-scribe/local-salesforce/gong/webhook-signer';

/**
 * The JWT of a signed Gong rule, checked without jose's Web Crypto path: every way a token can be
 * forged, stale or malformed is still refused with the reason, and a genuine one still passes.
 */

const URL = 'https://scribe.example.com/webhooks/gong';
const keys = webhookKeys();
const verifier = new GongWebhookVerifier({ publicKey: keys.publicKeyPem, webhookUrl: URL, urlKey: null });
const body = Buffer.from(JSON.stringify({ callData: { metaData: { id: '42' } }, isTest: false }));
const bodySha256 = createHash('sha256').update(body).digest('hex');
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const check = (authorization: string) => verifier.verify({ authorization, urlKey: undefined, rawBody: body });
const claims = (over: Record<string, unknown> = {}) => ({
  webhook_url: URL,
  body_sha256: bodySha256,
  iat: now(),
  exp: now() + 300,
  ...over,
});
/** Signed with the right key by hand, for headers and payloads jose will not produce. */
const rawToken = (header: Record<string, unknown>, payload: string) => {
  const signingInput = `${b64(header)}.${payload}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), keys.privateKey).toString('base64url')}`;
};
const signed = (payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256' }) =>
  new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(keys.privateKey);

describe('a signed Gong webhook', () => {
  it('accepts the token Gong signs for this body and URL', async () => {
    expect(await check(await signWebhook(body, { privateKey: keys.privateKey, webhookUrl: URL }))).toEqual({
      ok: true,
      method: 'jwt',
    });
  });

  it.each([
    [
      'signed with another key',
      async () => signWebhook(body, { privateKey: webhookKeys().privateKey, webhookUrl: URL }),
      'signature does not verify',
    ],
    [
      'whose claims were changed after signing',
      async () => {
        const [h, , s] = (await signed(claims())).split('.');
        return `${h}.${b64(claims({ webhook_url: URL, extra: 'x' }))}.${s}`;
      },
      'signature does not verify',
    ],
    ['with alg none', async () => `${b64({ alg: 'none' })}.${b64(claims())}.`, 'not signed with RS256'],
    [
      'signed HS256 with the public key as the secret',
      async () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode(keys.publicKeyPem)),
      'not signed with RS256',
    ],
    [
      'expired beyond the clock tolerance',
      async () => signed(claims({ iat: now() - 400, exp: now() - 60 })),
      'has expired',
    ],
    ['without an expiry', async () => signed(claims({ exp: undefined })), 'exp claim is not valid'],
    [
      'whose expiry is not a number',
      async () => signed(claims({ exp: String(now() + 60) })),
      'exp claim is not valid',
    ],
    [
      'not valid before a later time',
      async () => signed(claims({ nbf: now() + 120 })),
      'nbf claim is not valid',
    ],
    [
      'with a critical header the service does not know',
      async () => rawToken({ alg: 'RS256', crit: ['x-gong'], 'x-gong': 1 }, b64(claims())),
      'crit',
    ],
    ['that is not a JWT', async () => 'not.a.jwt!', 'not a well-formed JWT'],
    ['with two parts', async () => `${b64({ alg: 'RS256' })}.${b64(claims())}`, 'not a well-formed JWT'],
    [
      'whose claims are not JSON',
      async () => rawToken({ alg: 'RS256' }, Buffer.from('not json').toString('base64url')),
      'not a well-formed JWT',
    ],
  ])('refuses a token %s, saying why', async (_name, token, reason) => {
    const verdict = await check(await token());
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('allows a clock 30 seconds apart: just expired or not quite valid yet still passes', async () => {
    expect(await check(await signed(claims({ iat: now() - 300, exp: now() - 10 })))).toMatchObject({
      ok: true,
    });
    expect(await check(await signed(claims({ nbf: now() + 10 })))).toMatchObject({ ok: true });
  });

  it('refuses to start with a key RS256 cannot use', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    for (const publicKey of [small.toString(), ec.toString()]) {
      expect(() => new GongWebhookVerifier({ publicKey, webhookUrl: URL, urlKey: null })).toThrow(
        /RSA key of 2048 bits/,
      );
    }
  });
});
