import type { ContactDetail } from '../insights/schema.js';
import type { QuoteContext } from '../guards/quote-support.js';
import { emailsIn, isValidEmail, isValidPhone, phoneDigits, phonesIn } from '../extraction/contact-values.js';

/**
 * A contact detail stands only when its quote holds it word for word: the address itself, a number
 * dialling the same digits as one written in the quote, a title whose every word the quote says in
 * that order. A detail is copied into a person's record, so "close to what was said" is not enough,
 * and a value that is not a possible address or number is refused whatever the quote says.
 */
export function contactDetailHeld(detail: ContactDetail, ctx: QuoteContext): ContactDetail | string {
  const value = detail.value.trim();
  switch (detail.kind) {
    case 'email':
      if (!isValidEmail(value)) return 'it is not a valid email address';
      return emailsIn(ctx.quote).some((e) => e.value.toLowerCase() === value.toLowerCase())
        ? { ...detail, value }
        : 'the address is not written in the quote';
    case 'phone':
    case 'mobile': {
      if (!isValidPhone(value)) return 'no numbering plan allows this number';
      const digits = phoneDigits(value);
      // The number as the quote writes it, so the record holds what was said, not a reformatting.
      const written = phonesIn(ctx.quote).find((p) => phoneDigits(p.value) === digits);
      return written ? { ...detail, value: written.value } : 'the number is not written in the quote';
    }
    case 'title': {
      const words = (text: string) =>
        ` ${text
          .toLowerCase()
          .replace(/[^\p{L}\p{N}&]+/gu, ' ')
          .trim()} `;
      if (words(value).trim() === '') return 'the title is empty';
      return words(ctx.quote).includes(words(value))
        ? { ...detail, value }
        : 'the quote does not say this title word for word';
    }
  }
}
