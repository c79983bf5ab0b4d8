import { describe, expect, it } from 'vitest';
import { signDelivery, verifyDelivery } from '../../../src/adapters/recorders/signed-delivery.js';
import { zoomSignature } from '@pipeline-scribe/local-salesforce/zoom';

const SECRET = 'secret-token-0123456789';
const HEADERS = { signature: 'x-zm-signature', timestamp: 'x-zm-request-timestamp' };
const body = Buffer.from('{"event":"recording.transcript_completed"}');
const now = 1_800_000_000_000;

const delivery = (over: Partial<Parameters<typeof verifyDelivery>[0]> = {}) => ({
  secret: SECRET,
  version: 'v0',
  timestamp: String(now),
  signature: signDelivery(SECRET, 'v0', String(now), body),
  rawBody: body,
  nowMs: now,
  maxSkewSeconds: 300,
  ...over,
});

describe("Zoom's timestamped HMAC", () => {
  it('accepts what Zoom signs (the emulator signs independently, as Zoom documents it)', () => {
    const signature = zoomSignature(SECRET, String(now), body.toString());
    expect(verifyDelivery(delivery({ signature }), HEADERS)).toEqual({ ok: true });
  });

  it('refuses a changed body, another secret, a stale timestamp and a missing header, each with its reason', () => {
    expect(verifyDelivery(delivery({ rawBody: Buffer.from('{}') }), HEADERS)).toMatchObject({
      ok: false,
      code: 'forged',
    });
    expect(
      verifyDelivery(
        delivery({ signature: signDelivery('another-secret-012345', 'v0', String(now), body) }),
        HEADERS,
      ),
    ).toMatchObject({ ok: false, code: 'forged' });
    expect(verifyDelivery(delivery({ nowMs: now + 301_000 }), HEADERS)).toMatchObject({
      ok: false,
      code: 'stale',
      reason: expect.stringContaining('301 seconds from now'),
    });
    expect(verifyDelivery(delivery({ signature: undefined }), HEADERS)).toMatchObject({
      ok: false,
      code: 'unsigned',
      reason: 'the x-zm-signature header is missing',
    });
    expect(verifyDelivery(delivery({ timestamp: 'yesterday' }), HEADERS)).toMatchObject({
      ok: false,
      code: 'stale',
    });
  });

  it('reads a timestamp in seconds as well as milliseconds', () => {
    const seconds = String(now / 1000);
    const signature = signDelivery(SECRET, 'v0', seconds, body);
    expect(verifyDelivery(delivery({ timestamp: seconds, signature }), HEADERS)).toEqual({ ok: true });
  });
});
