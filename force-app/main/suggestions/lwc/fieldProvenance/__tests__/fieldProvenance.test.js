import FieldProvenance from 'c/fieldProvenance';
import getProvenance from '@salesforce/apex/FieldProvenanceController.getProvenance';
import revertValue from '@salesforce/apex/FieldProvenanceController.revertValue';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { RefreshEventName, registerRefreshHandler } from 'lightning/refresh';
import { refreshApex } from '@salesforce/apex';
import { click, itShowsPanelStates, mount } from 'lwc-test-helpers';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const provenance = require('./data/getProvenance.json');

const OPPORTUNITY_ID = '0065g00000FABRKAAA';

/** What revertValue answers for the Budget value Pipeline Scribe set. */
const outcome = (status, message, appliedValue) => ({
  recordId: 'a035g00000PROV01AAA',
  status,
  message,
  appliedValue,
});

describe('c-field-provenance', () => {
  const onDeal = { props: { recordId: OPPORTUNITY_ID }, wire: getProvenance };
  const render = (data = provenance) => mount(FieldProvenance, { ...onDeal, data });

  const rows = (element) => [...element.shadowRoot.querySelectorAll('li.value')];

  itShowsPanelStates(FieldProvenance, {
    ...onDeal,
    loading: 'Loading where the values came from',
    error: 'Could not load where the values came from',
    empty: { data: [], says: 'No value on this record was set by Pipeline Scribe yet.' },
  });

  it('shows who or what set each value, from which conversation and quote', async () => {
    const { element } = await render();

    const [budget, competitors, stage] = rows(element);
    expect(budget.querySelector('.field').textContent).toBe('Budget');
    const amount = budget.querySelector('.new-value').shadowRoot.querySelector('lightning-formatted-number');
    expect([amount.value, amount.formatStyle, amount.currencyCode]).toEqual([64000, 'currency', 'USD']);
    expect(budget.textContent).not.toContain('64000');
    expect(budget.querySelector('.set-by').textContent).toContain(
      'Set by Dana Rep from Discovery call with Fabrikam',
    );
    expect(budget.querySelector('.quote').textContent).toContain('sixty-four thousand');
    expect(competitors.querySelector('.set-by').textContent).toContain(
      'Set by Policy Opportunity Competitors',
    );
    expect(stage.querySelector('.reverted').textContent).toBe('Reverted by Dana Rep');
    await expect(element).toBeAccessible();
  });

  it('offers revert only while the value Pipeline Scribe set still stands', async () => {
    const { element } = await render();

    const [budget, competitors, stage] = rows(element);
    expect(budget.querySelector('lightning-button.revert').title).toBe('Revert Budget');
    expect(competitors.querySelector('lightning-button.revert')).toBeNull();
    expect(competitors.querySelector('.changed-since').textContent).toContain('nothing to revert');
    expect(stage.querySelector('lightning-button.revert')).toBeNull();
  });

  it('reverts in one click and refreshes the record', async () => {
    revertValue.mockResolvedValue(outcome('Reverted', 'Budget is back to empty.'));
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.revert');

    expect(revertValue).toHaveBeenCalledWith({ provenanceId: 'a035g00000PROV01AAA' });
    expect(toasts).toEqual([
      { title: 'Value reverted', message: 'Budget is back to empty.', variant: 'success' },
    ]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY_ID }]);
  });

  it('says the value restored as the rep reads it: an amount in the deal’s currency', async () => {
    revertValue.mockResolvedValue(outcome('Reverted', 'Budget is back to 52,000.', '52000'));
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.revert');

    expect(toasts).toEqual([
      { title: 'Value reverted', message: 'Budget is back to $52,000.', variant: 'success' },
    ]);
  });

  it('undoes a value just accepted in the suggestions panel: it loads again when that panel applies one', async () => {
    await render([]);
    const [component, reload] = registerRefreshHandler.mock.calls.at(-1);

    await reload.call(component);

    expect(refreshApex).toHaveBeenCalledWith(expect.objectContaining({ data: [] }));
  });

  it('after a revert, has the page reload so the suggestions panel shows what the field holds now', async () => {
    revertValue.mockResolvedValue(outcome('Reverted', 'Back to empty.'));
    const { element } = await render();
    const refreshes = [];
    element.addEventListener(RefreshEventName, (event) => refreshes.push(event));

    await click(rows(element)[0], 'lightning-button.revert');

    expect(refreshes).toHaveLength(1);
  });

  it('says why nothing was reverted when someone changed the value meanwhile', async () => {
    revertValue.mockResolvedValue(
      outcome(
        'Failed',
        'Budget now holds "70000", not the value Pipeline Scribe set ("64000"), so nothing was reverted.',
      ),
    );
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.revert');

    expect(toasts[0]).toEqual(expect.objectContaining({ title: 'Nothing was reverted', variant: 'warning' }));
    expect(toasts[0].message).toContain('now holds "70000"');
  });

  it('shows an error toast when the revert cannot run', async () => {
    revertValue.mockRejectedValue({ body: { message: 'Nothing was reverted: insufficient access.' } });
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.revert');

    expect(toasts[0]).toEqual(
      expect.objectContaining({ variant: 'error', message: 'Nothing was reverted: insufficient access.' }),
    );
  });
});
