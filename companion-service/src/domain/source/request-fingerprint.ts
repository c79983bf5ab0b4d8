import { createHash } from 'node:crypto';

/**
 * What an idempotent request is remembered by besides its key: the SHA-256 of its body in canonical
 * JSON (object keys sorted at every depth), so the same request sent with its fields in another order
 * or other spacing is the same request, and any change of a value is a different one.
 */

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export const canonicalJson = (value: unknown): string => JSON.stringify(canonical(value)) ?? 'null';

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function requestFingerprint(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

export interface BinaryFingerprint {
  update(bytes: Uint8Array): void;
  /** `sha256:<hex>` of the canonical JSON of the value, a newline, then every byte given. */
  digest(): string;
}

/** The fingerprint of a binary body and what is said about it, taken a block at a time as it arrives. */
export function binaryFingerprint(value: unknown): BinaryFingerprint {
  const hash = createHash('sha256').update(canonicalJson(value)).update('\n');
  return {
    update: (bytes) => void hash.update(bytes),
    digest: () => `sha256:${hash.digest('hex')}`,
  };
}
