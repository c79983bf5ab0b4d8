import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * What Gong does when a rule fires with JWT authentication: sign RS256 claims naming the webhook URL
 * and the SHA-256 of the exact body, and send the JWT in Authorization with no Bearer prefix. Tests,
 * the benchmark and the local Gong use it to deliver webhooks the way Gong would.
 */

export interface WebhookKeys {
  privateKey: KeyObject;
  /** The PEM Gong shows in the rule, as GONG_WEBHOOK_PUBLIC_KEY takes it. */
  publicKeyPem: string;
}

export function webhookKeys(): WebhookKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export interface SignOptions {
  privateKey: KeyObject;
  webhookUrl: string;
  /** Seconds from now; negative for a token that has already expired. */
  expiresInSeconds?: number;
  /** Sign this hash instead of the body's, as a forger reusing a token would. */
  bodySha256?: string;
}

export async function signWebhook(body: string | Buffer, options: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    webhook_url: options.webhookUrl,
    body_sha256: options.bodySha256 ?? createHash('sha256').update(body).digest('hex'),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 300))
    .sign(options.privateKey);
}
