import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf, TokenCipher, TokenCipherError } from '../../../src/adapters/secrets/token-cipher.js';

/** Org tokens at rest: sealed per org, refused when altered, moved to another org, or under a lost key. */

const ORG_A = '00D5L0000000001AAA';
const ORG_B = '00D5L0000000002AAA';
const TOKENS = JSON.stringify({ accessToken: '00D5L!secret-access', refreshToken: '5Aep-secret-refresh' });

describe('TokenCipher', () => {
  it('opens what it sealed, and the sealed bytes hold nothing of the tokens', () => {
    const cipher = new TokenCipher(randomBytes(32));
    const sealed = cipher.seal(TOKENS, ORG_A);
    expect(sealed.keyId).toBe(cipher.currentKeyId);
    expect(sealed.sealed.toString('latin1')).not.toContain('secret');
    expect(cipher.open(sealed, ORG_A)).toBe(TOKENS);
  });

  it('draws a new IV each time, so the same tokens never seal to the same bytes', () => {
    const cipher = new TokenCipher(randomBytes(32));
    expect(cipher.seal(TOKENS, ORG_A).sealed.equals(cipher.seal(TOKENS, ORG_A).sealed)).toBe(false);
  });

  it.each([
    ['a flipped ciphertext byte', 14],
    ['a flipped IV byte', 0],
    ['a flipped tag byte', -1],
  ])('refuses %s', (_what, at) => {
    const cipher = new TokenCipher(randomBytes(32));
    const sealed = cipher.seal(TOKENS, ORG_A);
    const bytes = Buffer.from(sealed.sealed);
    const i = at < 0 ? bytes.length + at : at;
    bytes[i] = bytes[i]! ^ 0x01;
    expect(() => cipher.open({ ...sealed, sealed: bytes }, ORG_A)).toThrow(TokenCipherError);
  });

  it("refuses one org's ciphertext on another org's row (the org id is the associated data)", () => {
    const cipher = new TokenCipher(randomBytes(32));
    expect(() => cipher.open(cipher.seal(TOKENS, ORG_A), ORG_B)).toThrow(/integrity check/);
  });

  it('refuses a ciphertext under a key it does not hold, naming the setting that fixes it', () => {
    const sealed = new TokenCipher(randomBytes(32)).seal(TOKENS, ORG_A);
    expect(() => new TokenCipher(randomBytes(32)).open(sealed, ORG_A)).toThrow(
      /SCRIBE_ENCRYPTION_KEYS_PREVIOUS/,
    );
  });

  it('refuses a wrong key that claims the right key id', () => {
    const key = randomBytes(32);
    const sealed = new TokenCipher(key).seal(TOKENS, ORG_A);
    const impostor = new TokenCipher(randomBytes(32));
    // The id is the current key's in name only: the key itself differs, and GCM's tag says so.
    expect(() => impostor.open({ ...sealed, keyId: impostor.currentKeyId }, ORG_A)).toThrow(TokenCipherError);
  });

  it('opens with a previous key after rotation, and seals with the new one', () => {
    const old = randomBytes(32);
    const sealed = new TokenCipher(old).seal(TOKENS, ORG_A);
    const rotated = new TokenCipher(randomBytes(32), [old]);
    expect(rotated.isCurrent(sealed.keyId)).toBe(false);
    expect(rotated.open(sealed, ORG_A)).toBe(TOKENS);
    const resealed = rotated.seal(TOKENS, ORG_A);
    expect(resealed.keyId).toBe(rotated.currentKeyId);
    expect(resealed.keyId).not.toBe(keyIdOf(old));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new TokenCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
