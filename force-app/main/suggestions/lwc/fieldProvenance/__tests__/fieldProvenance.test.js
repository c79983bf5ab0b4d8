import FieldProvenance from 'c/fieldProvenance';
import getProvenance from '@salesforce/apex/FieldProvenanceController.getProvenance';
import revertValue from '@salesforce/apex/FieldProvenanceController.revertValue';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { click, itShowsPanelStates, mount } from 'lwc-test-helpers';

const provenance = require('./data/getProvenance.json');

const OPPORTUNITY_ID = '0065g00000FABRKAAA';

/** What revertValue answers for the Budget value Pipeline Scribe set. */
const outcome = (status, message) => ({ recordId: 'a035g00000PROV01AAA', status, message });

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
    expect(budget.querySelector('.new-value').textContent).toBe('64000');
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
    revertValue.mockResolvedValue(outcome('Reverted', 'Back to empty.'));
    const { element, toasts } = await render();

    await click(rows(element)[0], 'lightning-button.revert');

    expect(revertValue).toHaveBeenCalledWith({ provenanceId: 'a035g00000PROV01AAA' });
    expect(toasts).toEqual([{ title: 'Value reverted', message: 'Back to empty.', variant: 'success' }]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY_ID }]);
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
