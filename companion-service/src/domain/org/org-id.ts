/**
 * A Salesforce org's id as the service keys every row, job and cache entry by: the 18-character form
 * (`00D` and 15 more), which survives case-insensitive systems. A session id carries the 15-character
 * form; the last 3 characters encode the case of the first 15.
 * https://help.salesforce.com/s/articleView?id=000385008&type=1 (What is a Salesforce ID?)
 */

const ORG_ID_18 = /^00D[A-Za-z0-9]{15}$/;
const ORG_ID_15 = /^00D[A-Za-z0-9]{12}$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const isOrgId = (value: unknown): value is string =>
  typeof value === 'string' && ORG_ID_18.test(value);

/** The 18-character form of a 15- or 18-character org id; null for anything else. */
export function toOrgId18(value: string): string | null {
  if (ORG_ID_18.test(value)) return value;
  if (!ORG_ID_15.test(value)) return null;
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = value[chunk * 5 + i]!;
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return value + suffix;
}

/** The org of rows written before any org was known (migration 070); the single org claims them. */
export const UNCLAIMED_ORG_ID = '00D000000000000AAA';

/** Cache and idempotency keys of one org never meet another's. */
export const orgKey = (orgId: string, key: string) => `${orgId}:${key}`;
