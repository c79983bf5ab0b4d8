import { z } from 'zod';
import { getCountries, isPossiblePhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { E164, EMAIL, PHONE, looksLikePhone } from '../privacy/pii-mask.js';

/**
 * Whether a value can be the email address or phone number it claims to be, and where such values
 * sit in a piece of text. Both extractors' values pass here before anything is proposed: an address
 * zod does not accept or a number no numbering plan allows is not written to a contact.
 */

const EmailSchema = z.email();

export function isValidEmail(value: string): boolean {
  return EmailSchema.safeParse(value.trim()).success;
}

/**
 * A number written with its country code ("+49 171 5550123", "0044 20 7946 0958") must be possible
 * in that country's plan; one written nationally ("(614) 555-0182") in at least one country's, since
 * nothing in a conversation says which country a national number is dialled in. libphonenumber's
 * metadata (the "min" set) decides both, so lengths and prefixes follow Google's numbering data.
 */
export function isValidPhone(value: string): boolean {
  const text = value.trim();
  const digits = text.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const international = text.startsWith('+') ? text : text.startsWith('00') ? `+${text.slice(2)}` : null;
  if (international) return parsePhoneNumberFromString(international)?.isPossible() ?? false;
  return getCountries().some((country) => isPossiblePhoneNumber(text, country));
}

export interface Found {
  value: string;
  start: number;
  end: number;
}

/** Email addresses in a text, as written. */
export function emailsIn(text: string): Found[] {
  return [...text.matchAll(EMAIL)].map((m) => ({ value: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Phone numbers in a text, as written. The pattern is the one that keeps numbers from an external
 * model (privacy/pii-mask.ts), so what is masked there and what is read here are the same numbers;
 * amounts, dates and counts that look like digit groups fall to its digit-count rule.
 */
export function phonesIn(text: string): Found[] {
  const found: Found[] = [];
  for (const re of [E164, PHONE]) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (found.some((f) => start < f.end && end > f.start)) continue;
      if (looksLikePhone(m[0])) found.push({ value: m[0], start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The digits a number dials, for comparing two ways of writing it. */
export function phoneDigits(value: string): string {
  return value.replace(/\D/g, '');
}
