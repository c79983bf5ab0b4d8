import {
  createHash,
  createPublicKey,
  timingSafeEqual,
  verify as rsaVerify,
  type KeyObject,
} from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { GongWebhookAuth } from '../../config/gong-config.js';

/**
 * Whether a webhook request really comes from Gong, as its rule authenticates: a JWT in
 * `Authorization` (no Bearer prefix, though one is tolerated) signed RS256 with the rule's key, whose
 * `webhook_url` is this endpoint and whose `body_sha256` is the hash of the exact bytes received; or
 * the rule's secret in the URL. A refusal says which check failed, never a secret.
 */

export type WebhookVerdict = { ok: true; method: 'jwt' | 'url-key' } | { ok: false; reason: string };

/** Gong's clock and ours may differ a little; a signed body is only good for minutes anyway. */
const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * The longest a token may be good for. Gong signs each delivery as it sends it; a token valid for
 * longer is one made to be replayed (a leaked signing key's forgery, or a captured delivery) and is refused.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function sameSecret(sent: string, expected: string): boolean {
  // Hashing both first keeps the comparison constant-time whatever the lengths.
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** RS256 needs an RSA key of at least 2048 bits (RFC 7518 §3.3). */
const MIN_RSA_BITS = 2048;

function rsaPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS) {
    throw new Error(
      `the Gong webhook public key is ${key.asymmetricKeyType ?? 'unknown'} of ${bits} bits; Gong signs RS256, which needs an RSA key of ${MIN_RSA_BITS} bits or more: copy the key from the Gong rule again`,
    );
  }
  return key;
}

export class GongWebhookVerifier {
  private key: KeyObject | null;

  constructor(private readonly settings: GongWebhookAuth) {
    this.key = settings.publicKey ? rsaPublicKey(settings.publicKey) : null;
  }

  get configured(): boolean {
    return this.settings.publicKey !== null || this.settings.urlKey !== null;
  }

  async verify(request: {
    authorization: string | undefined;
    urlKey: string | undefined;
    rawBody: Buffer;
  }): Promise<WebhookVerdict> {
    const token = request.authorization?.trim().replace(/^Bearer\s+/i, '');
    if (token) {
      const signed = await this.verifyJwt(token, request.rawBody);
      // With both configured, a URL key sent beside the JWT must be the right one too.
      if (!signed.ok || request.urlKey === undefined || !this.settings.urlKey) return signed;
      const keyed = this.verifyUrlKey(request.urlKey);
      return keyed.ok ? signed : keyed;
    }
    // A URL can be logged or leaked; where signed rules are configured, the key alone is not enough.
    if (this.key && request.urlKey !== undefined) {
      return {
        ok: false,
        reason:
          'a URL key alone is not accepted where signed webhooks are configured: Gong sends a signed JWT in Authorization',
      };
    }
    if (request.urlKey !== undefined) return this.verifyUrlKey(request.urlKey);
    return {
      ok: false,
      reason: this.key
        ? 'no Authorization header: Gong sends a signed JWT there for this rule'
        : 'no ?key= in the URL: add the rule key the service was given (GONG_WEBHOOK_KEY) to the webhook URL',
    };
  }

  private verifyUrlKey(sent: string): WebhookVerdict {
    if (!this.settings.urlKey) {
      return {
        ok: false,
        reason: 'this service takes signed Gong webhooks only (a JWT in Authorization), not a URL key',
      };
    }
    return sameSecret(sent, this.settings.urlKey)
      ? { ok: true, method: 'url-key' }
      : { ok: false, reason: 'the ?key= in the URL is not the configured webhook key' };
  }

  private async verifyJwt(token: string, rawBody: Buffer): Promise<WebhookVerdict> {
    if (!this.key || !this.settings.webhookUrl) {
      return { ok: false, reason: 'this service takes Gong webhooks by URL key (?key=), not signed JWTs' };
    }
    const verified = verifyRs256(token, this.key, Math.floor(Date.now() / 1000));
    if (!verified.ok) return verified;
    const { claims } = verified;
    // verifyRs256 has checked exp is a number and not past.
    const lifetime = tokenLifetime(claims);
    if (lifetime > MAX_TOKEN_LIFETIME_SECONDS) {
      return {
        ok: false,
        reason: `the JWT is valid for ${lifetime} seconds; at most ${MAX_TOKEN_LIFETIME_SECONDS} (one hour) are accepted`,
      };
    }
    if (typeof claims.webhook_url !== 'string') {
      return { ok: false, reason: 'the JWT has no webhook_url claim' };
    }
    if (!sameUrl(claims.webhook_url, this.settings.webhookUrl)) {
      return {
        ok: false,
        reason:
          "the JWT's webhook_url is not this endpoint's public URL (GONG_WEBHOOK_URL): it was signed for another webhook",
      };
    }
    if (typeof claims.body_sha256 !== 'string') {
      return { ok: false, reason: 'the JWT has no body_sha256 claim' };
    }
    if (claims.body_sha256.toLowerCase() !== sha256Hex(rawBody)) {
      return {
        ok: false,
        reason: "the body's SHA-256 is not the JWT's body_sha256: the body was changed after it was signed",
      };
    }
    return { ok: true, method: 'jwt' };
  }
}

/**
 * How long the token is good for: from its issue to its expiry, or from now when it claims to be
 * issued later (a forger's iat just before a far expiry would otherwise pass as short-lived).
 */
function tokenLifetime(claims: Record<string, unknown>): number {
  const now = Math.floor(Date.now() / 1000);
  const issued = typeof claims.iat === 'number' ? Math.min(claims.iat, now) : now;
  return (claims.exp as number) - issued;
}

/** Gong may or may not keep a trailing slash; nothing else about the URL may differ. */
function sameUrl(claimed: string, configured: string): boolean {
  const norm = (u: string) => u.trim().replace(/\/+(?=$|\?)/, '');
  return norm(claimed) === norm(configured);
}

const MALFORMED = 'the Authorization header is not a well-formed JWT';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * An RS256 JWT (RFC 7519) checked as jose's jwtVerify checks it for this use: compact form, the
 * header's alg RS256 and no `crit` it does not understand (RFC 7515 §4.1.11), the signature over
 * `header.payload` with the rule's key, then a JSON object of claims whose `exp` is a number not past
 * and whose `nbf`, when present, is not ahead, both within the clock tolerance. The signature is
 * checked with node:crypto directly: one synchronous RSA check costs about 0.03 ms of CPU, where
 * jose's Web Crypto path cost 0.1-0.25 ms in thread hand-offs and promises, paid on every webhook
 * intake acknowledges (bench/ingest.bench.ts). Nothing of the payload is read before the signature holds.
 */
function verifyRs256(
  token: string,
  key: KeyObject,
  nowSeconds: number,
): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[1]!)) {
    return { ok: false, reason: MALFORMED };
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: MALFORMED };
  }
  if (header.alg !== 'RS256') return { ok: false, reason: 'the JWT is not signed with RS256' };
  if (header.crit !== undefined) {
    return {
      ok: false,
      reason: 'the JWT names critical header parameters ("crit"), which Gong does not send',
    };
  }
  // An unsigned token ("alg": "none" has an empty third part) was refused by its alg above.
  if (!BASE64URL.test(parts[2]!)) return { ok: false, reason: MALFORMED };
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii');
  if (!rsaVerify('sha256', signed, key, Buffer.from(parts[2]!, 'base64url'))) {
    return { ok: false, reason: 'the JWT signature does not verify with the configured Gong public key' };
  }
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return { ok: false, reason: MALFORMED };
  }
  const { exp, nbf, iat } = claims;
  if (exp === undefined)
    return { ok: false, reason: 'the JWT\'s exp claim is not valid: missing required "exp" claim' };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    return {
      ok: false,
      reason: "the JWT's exp claim is not valid: it must be a number (seconds since 1970)",
    };
  }
  if (exp <= nowSeconds - CLOCK_TOLERANCE_SECONDS)
    return { ok: false, reason: 'the JWT has expired (its exp is in the past)' };
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) {
    return {
      ok: false,
      reason: "the JWT's nbf claim is not valid: it must be a number (seconds since 1970)",
    };
  }
  if (typeof nbf === 'number' && nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS) {
    return { ok: false, reason: "the JWT's nbf claim is not valid: the token is not valid yet" };
  }
  if (iat !== undefined && (typeof iat !== 'number' || !Number.isFinite(iat))) {
    return {
      ok: false,
      reason: "the JWT's iat claim is not valid: it must be a number (seconds since 1970)",
    };
  }
  return { ok: true, claims };
}
