import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Each org's OAuth tokens at rest: AES-256-GCM (node:crypto) with a random 96-bit IV per encryption
 * and the org id as associated data, so a ciphertext copied onto another org's row fails to open
 * rather than handing one customer's tokens to another. Every ciphertext names the key it was made
 * with (a key id derived from the key, never the key), so keys rotate: the current key encrypts,
 * previous keys (SCRIBE_ENCRYPTION_KEYS_PREVIOUS) only decrypt, and `scribe orgs rotate-key`
 * re-encrypts what an old key still holds.
 *
 * Sealed layout: IV (12 bytes) | ciphertext | tag (16 bytes).
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenCipherError';
  }
}

/** 8 bytes of an HMAC of a fixed label under the key: names the key, reveals nothing of it. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('pipeline-scribe token key id').digest('hex').slice(0, 16);
}

export interface Sealed {
  keyId: string;
  sealed: Buffer;
}

export class TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new TokenCipherError('an encryption key must be 32 bytes');
    }
    this.currentKeyId = keyIdOf(current);
    this.keys.set(this.currentKeyId, current);
    for (const key of previous) this.keys.set(keyIdOf(key), key);
  }

  seal(plaintext: string, orgId: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(orgId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, sealed: Buffer.concat([iv, body, cipher.getAuthTag()]) };
  }

  /** The plaintext, or a TokenCipherError: unknown key, altered bytes, or another org's ciphertext. */
  open({ keyId, sealed }: Sealed, orgId: string): string {
    const key = this.keys.get(keyId);
    if (!key) {
      throw new TokenCipherError(
        `the tokens of org ${orgId} were encrypted with key ${keyId}, which is neither SCRIBE_ENCRYPTION_KEY nor in SCRIBE_ENCRYPTION_KEYS_PREVIOUS: add that key to SCRIBE_ENCRYPTION_KEYS_PREVIOUS, or reconnect the org`,
      );
    }
    if (sealed.length < IV_BYTES + TAG_BYTES) {
      throw new TokenCipherError(`the tokens of org ${orgId} are not a ciphertext this service made`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(orgId, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new TokenCipherError(
        `the tokens of org ${orgId} failed their integrity check (altered, or not this org's): reconnect the org`,
      );
    }
  }

  /** Whether a ciphertext needs re-encrypting under the current key. */
  isCurrent(keyId: string): boolean {
    return keyId === this.currentKeyId;
  }
}
