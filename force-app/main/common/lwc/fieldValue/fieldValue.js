import { LightningElement, api } from 'lwc';
import USER_CURRENCY from '@salesforce/i18n/currency';

/** The number styles lightning-formatted-number takes, by the field's display type (SuggestionView.displayType). */
const NUMBER_STYLES = {
  currency: 'currency',
  percent: 'percent-fixed',
  double: 'decimal',
  integer: 'decimal',
  long: 'decimal',
};

/**
 * A field's value as Apex holds it in text (64000, 2026-03-31, 2026-03-02T16:00:00Z), shown as the rep
 * reads it in their locale: an amount in the record's currency ($64,000.00 or 64.000,00 €), a percent,
 * a date, or the text as it is. `currency-code` is the record's CurrencyIsoCode in a multi-currency org;
 * without it an amount is in the org's currency, the user's own in a single-currency org. A value that is
 * not a number for a number field shows as it is, so nothing a rep typed is hidden.
 */
export default class FieldValue extends LightningElement {
  /** The value as text, as SuggestionView and ProvenanceView return it. */
  @api value;
  /** currency, percent, double, integer, date, datetime, or anything else for text. */
  @api displayType;
  @api currencyCode;
  /** What shows for no value, e.g. "empty". */
  @api placeholder = '';

  get isBlank() {
    return this.value === null || this.value === undefined || String(this.value).trim() === '';
  }

  get number() {
    if (this.isBlank) return undefined;
    const number = Number(this.value);
    return Number.isFinite(number) ? number : undefined;
  }

  get numberStyle() {
    return this.number === undefined ? undefined : NUMBER_STYLES[this.displayType];
  }

  get isDate() {
    return this.displayType === 'date' && !this.isBlank;
  }

  get isDateTime() {
    return this.displayType === 'datetime' && !this.isBlank;
  }

  get currency() {
    return this.currencyCode || USER_CURRENCY;
  }

  /** Amounts keep their cents only when they have some: a budget reads $64,000, a price $19.99. */
  get fractionDigits() {
    return this.displayType === 'currency' && Number.isInteger(this.number) ? 0 : undefined;
  }
}
