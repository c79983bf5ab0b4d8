import DateStamp from 'c/dateStamp';
import { mount } from 'lwc-test-helpers';

const DAY = { year: 'numeric', month: 'short', day: 'numeric' };

describe('c-date-stamp', () => {
  it.each([
    ['the day of a date-only field, the same day everywhere', { precision: 'day', timeZone: 'UTC' }, DAY],
    [
      'the minute something happened, in the rep’s zone',
      { precision: 'minute' },
      { ...DAY, hour: '2-digit', minute: '2-digit' },
    ],
    ['the platform’s default date without a precision', { timeZone: 'UTC' }, {}],
  ])('shows %s', async (_, props, parts) => {
    const { element } = await mount(DateStamp, { props: { value: '2026-03-06', ...props } });

    const date = element.shadowRoot.querySelector('lightning-formatted-date-time');
    const shown = ['year', 'month', 'day', 'hour', 'minute'].filter((part) => date[part] !== undefined);
    expect(Object.fromEntries(shown.map((part) => [part, date[part]]))).toEqual(parts);
    expect([date.value, date.timeZone]).toEqual(['2026-03-06', props.timeZone]);
  });

  it('reads "· due <date>" for a due date, the same day everywhere', async () => {
    const { element } = await mount(DateStamp, { props: { value: '2026-03-10', due: true } });

    expect(element.shadowRoot.textContent).toBe('· due');
    const date = element.shadowRoot.querySelector('lightning-formatted-date-time');
    expect([date.value, date.timeZone, date.className]).toEqual([
      '2026-03-10',
      'UTC',
      'slds-m-left_xx-small',
    ]);
  });
});
