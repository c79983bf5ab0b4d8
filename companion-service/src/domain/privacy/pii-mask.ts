/**
 * Contact details stay home: before conversation text leaves for an external model, email
 * addresses and phone numbers become placeholders such as [EMAIL_1] and [PHONE_2]; the model's
 * answer gets the originals back in every string, so quotes still match the source verbatim.
 *
 * One mask serves a whole conversation: the same address gets the same placeholder in every chunk,
 * which keeps a person recognisable to the model across chunks and makes restoring unambiguous.
 */

export const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w-])/g;

/**
 * Digit groups joined by spaces, dots or dashes (a first group of up to five digits, as UK mobiles
 * "07700 900123" and trunk codes write it), optionally with a +country code or an (area) code.
 * Money ("$1,200,000"), dates ("2025-03-14", "3/27") and counts do not look like this; the digit
 * count check below keeps short runs out. A false positive only hides a number from the model
 * (it is restored afterwards), so the pattern errs on the side of masking.
 */
export const PHONE =
  /(?<![\w$€£¥.,/+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,6}){1,4}(?![\w/]|[.,-]\d)/g;
export const E164 = /(?<![\w$€£¥.,/+-])\+\d{8,15}(?![\w/]|[.,-]\d)/g;

const PLACEHOLDER = /\[(EMAIL|PHONE)_(\d+)\]/g;

type Kind = 'EMAIL' | 'PHONE';

function digitCount(s: string): number {
  return s.replace(/\D/g, '').length;
}

export function looksLikePhone(candidate: string): boolean {
  const digits = digitCount(candidate);
  if (digits > 15) return false;
  // Without a country code or an area code in parentheses, a phone number has at least 9 digits;
  // shorter runs are far more often amounts or counts ("10 000 000", "2 500 seats").
  const marked = candidate.startsWith('+') || candidate.includes('(');
  return digits >= (marked ? 7 : 9);
}

export class PiiMask {
  private readonly placeholderOf = new Map<string, string>();
  private readonly originalOf = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { EMAIL: 0, PHONE: 0 };
  private readonly reserved: Set<string>;

  /** `source` is the whole conversation: placeholders already written in it are never reused. */
  constructor(source: string) {
    this.reserved = new Set(source.match(PLACEHOLDER) ?? []);
  }

  mask(text: string): string {
    const emailsMasked = text.replace(EMAIL, (email) => this.placeholder('EMAIL', email));
    return emailsMasked
      .replace(E164, (phone) => this.placeholder('PHONE', phone))
      .replace(PHONE, (phone) => (looksLikePhone(phone) ? this.placeholder('PHONE', phone) : phone));
  }

  /** Puts the originals back in every string of a JSON-like value (object keys are left alone). */
  restore<T>(value: T): T {
    return this.restoreValue(value) as T;
  }

  private restoreValue(value: unknown): unknown {
    if (typeof value === 'string') return this.restoreString(value);
    if (Array.isArray(value)) return value.map((v) => this.restoreValue(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.restoreValue(v)]));
    }
    return value;
  }

  private restoreString(text: string): string {
    return text.replace(PLACEHOLDER, (token) => this.originalOf.get(token) ?? token);
  }

  private placeholder(kind: Kind, original: string): string {
    // Keyed by the exact text, not by normalized digits: a placeholder must restore to the very
    // characters the source holds, or quotes around it would no longer be found verbatim.
    const key = `${kind}:${original}`;
    const known = this.placeholderOf.get(key);
    if (known) return known;
    let token: string;
    do token = `[${kind}_${++this.counters[kind]}]`;
    while (this.reserved.has(token));
    this.placeholderOf.set(key, token);
    this.originalOf.set(token, original);
    return token;
  }
}
