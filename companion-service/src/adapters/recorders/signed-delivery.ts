import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The timestamped HMAC scheme Zoom signs webhooks with, which POST /v1/recordings takes too:
 * `<version>=hex(HMAC-SHA256(secret, "<version>:<timestamp>:<raw body>"))`. The timestamp bounds how
 * long a captured delivery stays usable, and the replay memory (domain/source/replay-memory.ts, kept in
 * Postgres) refuses the same signature twice within that window, so a delivery cannot be played back
 * at all, to this process or any other.
 * Zoom's scheme: https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 */

/** Why a delivery was refused, as /metrics counts it (a short, fixed set). */
export type RefusalCode = 'unsigned' | 'stale' | 'forged' | 'replayed' | 'client-state';

export type DeliveryVerdict = { ok: true } | { ok: false; code: RefusalCode; reason: string };

export interface SignedDelivery {
  secret: string;
  /** 'v0' for Zoom, 'v1' for the service's own recorder scheme. */
  version: string;
  signature: string | undefined;
  /** Unix time, in seconds (Zoom may send milliseconds: both are read). */
  timestamp: string | undefined;
  rawBody: Buffer;
  nowMs: number;
  maxSkewSeconds: number;
}

export function hmacHex(secret: string, message: string | Buffer): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

export function signDelivery(
  secret: string,
  version: string,
  timestamp: string,
  body: string | Buffer,
): string {
  const message = Buffer.concat([Buffer.from(`${version}:${timestamp}:`), Buffer.from(body)]);
  return `${version}=${hmacHex(secret, message)}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Seconds since the epoch from a header that may hold seconds or milliseconds; null when unreadable. */
function timestampSeconds(header: string): number | null {
  if (!/^\d{1,16}$/.test(header)) return null;
  const n = Number(header);
  return n > 1e12 ? n / 1000 : n;
}

export function verifyDelivery(
  d: SignedDelivery,
  header: { signature: string; timestamp: string },
): DeliveryVerdict {
  if (!d.signature)
    return { ok: false, code: 'unsigned', reason: `the ${header.signature} header is missing` };
  if (!d.timestamp)
    return { ok: false, code: 'unsigned', reason: `the ${header.timestamp} header is missing` };
  const seconds = timestampSeconds(d.timestamp);
  if (seconds === null) {
    return {
      ok: false,
      code: 'stale',
      reason: `the ${header.timestamp} header is not a Unix time in seconds`,
    };
  }
  const skew = Math.round(Math.abs(d.nowMs / 1000 - seconds));
  if (skew > d.maxSkewSeconds) {
    return {
      ok: false,
      code: 'stale',
      reason: `the ${header.timestamp} header is ${skew} seconds from now, over the ${d.maxSkewSeconds} allowed: a stale or replayed delivery`,
    };
  }
  const expected = signDelivery(d.secret, d.version, d.timestamp, d.rawBody);
  if (!sameText(d.signature, expected)) {
    return {
      ok: false,
      code: 'forged',
      reason: `the ${header.signature} signature does not match the body and timestamp`,
    };
  }
  return { ok: true };
}
