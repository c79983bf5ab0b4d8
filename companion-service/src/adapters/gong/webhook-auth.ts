import { createHash, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, importSPKI, jwtVerify, type CryptoKey } from 'jose';
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

export class GongWebhookVerifier {
  private key: Promise<CryptoKey> | null;

  constructor(private readonly settings: GongWebhookAuth) {
    this.key = settings.publicKey ? importSPKI(settings.publicKey, 'RS256') : null;
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
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, await this.key, {
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return { ok: false, reason: jwtFailure(error) };
    }
    // jose has checked exp is a number (a required claim) and not past.
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

function jwtFailure(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the JWT has expired (its exp is in the past)';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return 'the JWT signature does not verify with the configured Gong public key';
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the JWT is not signed with RS256';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `the JWT's ${error.claim} claim is not valid: ${error.reason}`;
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return 'the Authorization header is not a well-formed JWT';
  }
  return 'the JWT could not be verified';
}
