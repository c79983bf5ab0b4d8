import { E164, EMAIL, PHONE, looksLikePhone } from './pii-mask.js';

/**
 * What keeps secrets and personal data out of the log at any depth. pino's `redact` paths name fixed
 * places (`*.authorization` is one level down); an error's cause, a Salesforce answer or a Gong
 * payload nests them anywhere. Every log line is walked instead: a value under a key that names a
 * secret or personal data is replaced whole, and inside every other string bearer tokens, JWTs, keys
 * in URLs, passwords in connection strings, Salesforce session ids, private keys, email addresses
 * and phone numbers are masked.
 */

export const CENSOR = '[redacted]';

/** Keys whose value is a secret, whatever its shape (counts such as `promptTokens: 12` are numbers and stay). */
const SECRET_KEY =
  /authorization|cookie|passw(or)?d|secret|token|jwt|assertion|signature|credential|session[-_]?id|(api|private|access|url|signing|webhook|client)[-_]?key|^key$|^x-api-key$/i;

/** Keys whose value is what a person said or who they are. */
const PERSONAL_KEY =
  /^(e-?mail(address)?|email_address|phone(number)?|mobile(phone)?|content|transcript|sentences|callTranscripts|contactDetails|contact_?(email|phone|mobile|title)(__c)?)$/i;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

const TEXT_RULES: [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    `[redacted private key]`,
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_m, scheme: string) => `${scheme} ${CENSOR}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, CENSOR],
  [/\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g, CENSOR],
  [
    /([?&;](?:key|token|access_token|refresh_token|api_key|apikey|sig|signature|password|secret)=)[^&#\s"']*/gi,
    (_m, name: string) => `${name}${CENSOR}`,
  ],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, (_m, user: string) => `${user}${CENSOR}@`],
  [EMAIL, '[email]'],
  [E164, '[phone]'],
  [PHONE, (match: string) => (looksLikePhone(match) && !IPV4.test(match) ? '[phone]' : match)],
];

/** A string with the secrets and contact details it holds masked. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) {
    out = out.replace(pattern, replacement as (match: string, ...groups: string[]) => string);
  }
  return out;
}

const MAX_DEPTH = 32;

/** A copy of a JSON-like value with every secret and personal value masked, at any depth. */
export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep to log]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const sensitive = SECRET_KEY.test(key) || PERSONAL_KEY.test(key);
    copy[key] =
      sensitive && item !== null && typeof item !== 'number' && typeof item !== 'boolean'
        ? CENSOR
        : redactDeep(item, depth + 1, seen);
  }
  return copy;
}

/**
 * One serialized log line (pino writes JSON and a newline), redacted. A line that is not JSON is
 * still a string that may hold secrets, and is masked as text.
 */
export function redactLogLine(line: string): string {
  try {
    return `${JSON.stringify(redactDeep(JSON.parse(line)))}\n`;
  } catch {
    return redactText(line);
  }
}
