/**
 * Salesforce record ids: a 3-character key prefix, 12 more characters, and (in the 18-character form)
 * a 3-character suffix that encodes the case of the first 15 so the id survives case-insensitive
 * systems. The local org issues 18-character ids and accepts either form, as Salesforce does.
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i]!;
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

// eslint-disable-next-line security/detect-unsafe-regex -- a Salesforce id: anchored, 15 or 18 characters, no nested repetition (safe-regex counts the optional group)
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or null when it is not an id at all. */
export function toId18(value: string): string | null {
  if (!ID_PATTERN.test(value)) return null;
  const id15 = value.slice(0, 15);
  const id18 = id15 + checksumSuffix(id15);
  return value.length === 18 && value !== id18 ? null : id18;
}

/** The n-th id of an object: `<prefix>5L` (a made-up pod) and a base-62 counter. */
export function makeId(keyPrefix: string, n: number): string {
  let counter = '';
  let rest = n;
  do {
    counter = BASE62[rest % 62] + counter;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  const id15 = `${keyPrefix}5L${counter.padStart(10, '0')}`;
  return id15 + checksumSuffix(id15);
}
