import FieldValue from 'c/fieldValue';
import { mount } from 'lwc-test-helpers';

/** What lightning-formatted-number is asked to show, which it renders in the rep's locale. */
const numberShown = (element) => {
  const number = element.shadowRoot.querySelector('lightning-formatted-number');
  return (
    number && {
      value: number.value,
      formatStyle: number.formatStyle,
      currencyCode: number.currencyCode,
      maximumFractionDigits: number.maximumFractionDigits,
    }
  );
};

describe('c-field-value', () => {
  const render = (props) => mount(FieldValue, { props });

  it('shows a budget as an amount in the record’s currency, never as 64000', async () => {
    const { element } = await render({ value: '64000', displayType: 'currency', currencyCode: 'EUR' });

    expect(numberShown(element)).toEqual({
      value: 64000,
      formatStyle: 'currency',
      currencyCode: 'EUR',
      maximumFractionDigits: 0,
    });
    expect(element.shadowRoot.textContent).not.toContain('64000');
  });

  it('shows an amount in the user’s currency where the org has one currency (no code on the record)', async () => {
    const { element } = await render({ value: '19.99', displayType: 'currency' });

    expect(numberShown(element)).toEqual({
      value: 19.99,
      formatStyle: 'currency',
      currencyCode: 'USD',
      maximumFractionDigits: undefined,
    });
  });

  it.each([
    ['a percent field as a percent', 'percent', '25', 'percent-fixed'],
    ['a number with grouping for the locale', 'double', '1200.5', 'decimal'],
  ])('shows %s', async (_, displayType, value, formatStyle) => {
    const { element } = await render({ value, displayType });

    expect(numberShown(element)).toEqual(expect.objectContaining({ value: Number(value), formatStyle }));
  });

  it('shows a date as the same day everywhere, in the rep’s locale', async () => {
    const { element } = await render({ value: '2026-06-15', displayType: 'date' });

    const stamp = element.shadowRoot.querySelector('c-date-stamp');
    expect([stamp.value, stamp.precision, stamp.timeZone]).toEqual(['2026-06-15', 'day', 'UTC']);
  });

  it('shows a date and time to the minute in the rep’s zone', async () => {
    const { element } = await render({ value: '2026-03-02T16:00:00Z', displayType: 'datetime' });

    const stamp = element.shadowRoot.querySelector('c-date-stamp');
    expect([stamp.value, stamp.precision, stamp.timeZone]).toEqual([
      '2026-03-02T16:00:00Z',
      'minute',
      undefined,
    ]);
  });

  it.each([
    ['text as it is', { value: 'Needs Analysis', displayType: 'picklist' }, 'Needs Analysis'],
    [
      'a number field holding text as it is, hiding nothing',
      { value: 'about 64k', displayType: 'currency' },
      'about 64k',
    ],
    ['the placeholder for no value', { value: null, displayType: 'currency', placeholder: 'empty' }, 'empty'],
  ])('shows %s', async (_, props, text) => {
    const { element } = await render(props);

    expect(element.shadowRoot.textContent).toBe(text);
    expect(numberShown(element)).toBeNull();
  });
});
