import { NavigationMixin } from 'lightning/navigation';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { refreshApex } from '@salesforce/apex';
import {
  LoadingPanel,
  applyWired,
  errorToast,
  formatFieldValue,
  openRecordLink,
  panelState,
  reduceErrors,
} from 'c/ldsUtils';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

describe('reduceErrors', () => {
  it('reads the message of an AuraHandledException from Apex', () => {
    const apexError = {
      body: { message: 'Could not load the suggestions: insufficient access.' },
      status: 500,
    };

    expect(reduceErrors(apexError)).toEqual(['Could not load the suggestions: insufficient access.']);
  });

  it('flattens page and field errors of a record save', () => {
    const saveError = {
      body: {
        pageErrors: [{ message: 'Close Date cannot be in the past.' }],
        fieldErrors: { Amount: [{ message: 'Amount must be positive.' }] },
      },
    };

    expect(reduceErrors(saveError)).toEqual([
      'Close Date cannot be in the past.',
      'Amount must be positive.',
    ]);
  });

  it('reads arrays of errors, plain errors and strings alike', () => {
    const errors = [
      { body: [{ message: 'First.' }, { message: 'Second.' }] },
      new Error('Third.'),
      'Fourth.',
    ];

    expect(reduceErrors(errors)).toEqual(['First.', 'Second.', 'Third.', 'Fourth.']);
  });

  it('falls back to the HTTP status text and ignores empty entries', () => {
    expect(reduceErrors([undefined, { statusText: 'Service Unavailable' }])).toEqual(['Service Unavailable']);
  });
});

describe('applyWired', () => {
  const panel = () => ({ deals: [], error: undefined, isLoading: true });

  it('keeps the panel loading until the wire hands over data or an error', () => {
    const waiting = panel();
    applyWired(waiting, 'deals', { data: undefined, error: undefined });
    expect(waiting).toEqual({ deals: [], error: undefined, isLoading: true });
  });

  it('shapes the data into the field and clears an earlier error', () => {
    const loaded = { ...panel(), error: { body: { message: 'old' } } };
    applyWired(loaded, 'deals', { data: [{ Name: 'Acme' }] }, (data) => data.map((deal) => deal.Name), []);
    expect(loaded).toEqual({ deals: ['Acme'], error: undefined, isLoading: false });
  });

  it('shows the error with the empty value, so the template never renders stale data', () => {
    const failed = { ...panel(), deals: ['stale'] };
    const error = { body: { message: 'Insufficient access' } };
    applyWired(failed, 'deals', { error }, (data) => data, []);
    expect(failed).toEqual({ deals: [], error, isLoading: false });
  });
});

describe('errorToast', () => {
  it('is a sticky error toast naming what failed and what Salesforce said', () => {
    const toast = errorToast('Nothing was changed', { body: { message: 'Record locked' } });
    expect(toast.detail).toEqual({
      title: 'Nothing was changed',
      message: 'Record locked',
      variant: 'error',
      mode: 'sticky',
    });
  });
});

describe('panelState', () => {
  it("hands c-panel-state the panel's loading, error and emptiness with what it says for each", () => {
    const error = { body: { message: 'Insufficient access' } };
    const messages = { loading: 'Loading the deal risk', error: 'Could not load the deal risk' };
    expect(panelState({ isLoading: false, error, isEmpty: true }, messages)).toEqual({
      isLoading: false,
      errors: error,
      isEmpty: true,
      messages,
    });
  });
});

describe('LoadingPanel', () => {
  const messages = { loading: 'Loading your deals', error: 'Could not load your deals', empty: 'No deals.' };
  const Panel = LoadingPanel(class {}, { field: 'deals', messages });
  const panel = () => Object.assign(new Panel(), { deals: [] });
  const states = (shown) => [shown.isLoading, shown.isEmpty, shown.isReady];

  it('is loading, neither empty nor ready, until the wire hands over data or an error', () => {
    const waiting = panel();
    waiting.takeWired({ data: undefined, error: undefined });
    expect(states(waiting)).toEqual([true, false, false]);
    expect(waiting.panelState).toEqual({ isLoading: true, errors: undefined, isEmpty: false, messages });
  });

  it('is ready with content, shaped for the template, and keeps the result for refreshApex', () => {
    const loaded = panel();
    const result = { data: [{ Name: 'Acme' }] };
    loaded.takeWired(result, (data) => data.map((deal) => deal.Name));
    expect([loaded.deals, loaded.wiredResult, ...states(loaded)]).toEqual([
      ['Acme'],
      result,
      false,
      false,
      true,
    ]);
  });

  it('is empty once loaded without content', () => {
    const empty = panel();
    empty.takeWired({ data: [] });
    expect(states(empty)).toEqual([false, true, false]);
  });

  it('shows the error, with an empty list instead of stale content, neither empty nor ready', () => {
    const failed = panel();
    failed.takeWired({ data: [{ Name: 'Acme' }] });
    const error = { body: { message: 'no access' } };
    failed.takeWired({ error });
    expect([failed.deals, ...states(failed)]).toEqual([[], false, false, false]);
    expect(failed.panelState).toEqual({ isLoading: false, errors: error, isEmpty: false, messages });
  });
});

describe('LoadingPanel.applyChange', () => {
  const Panel = LoadingPanel(
    class {
      dispatchEvent = jest.fn();
    },
    { field: 'values', messages: {} },
  );
  const onRecord = () => {
    const panel = Object.assign(new Panel(), { recordId: '0065g00000FABRKAAA', values: [] });
    panel.takeWired({ data: [] });
    return panel;
  };
  const toasts = (panel) => panel.dispatchEvent.mock.calls.map(([event]) => event.detail);

  it('says what happened, then reloads the record and the panel', async () => {
    const panel = onRecord();
    await panel.applyChange('Nothing was reverted', async () => ({
      title: 'Value reverted',
      variant: 'success',
    }));

    expect(toasts(panel)).toEqual([{ title: 'Value reverted', variant: 'success' }]);
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: '0065g00000FABRKAAA' }]);
    expect(refreshApex).toHaveBeenCalledWith(panel.wiredResult);
  });

  it('says what did not happen and why when the change fails, and reloads nothing', async () => {
    const panel = onRecord();
    await panel.applyChange('Nothing was reverted', () => Promise.reject({ body: { message: 'Locked' } }));

    expect(toasts(panel)).toEqual([
      { title: 'Nothing was reverted', message: 'Locked', variant: 'error', mode: 'sticky' },
    ]);
    expect(refreshApex).not.toHaveBeenCalled();
  });
});

describe('openRecordLink', () => {
  it('opens the linked record in Lightning instead of following the plain link', () => {
    const navigate = jest.fn();
    const event = { preventDefault: jest.fn(), currentTarget: { dataset: { id: '0065g00000FABRKAAA' } } };

    openRecordLink({ [NavigationMixin.Navigate]: navigate }, event);

    expect(event.preventDefault).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith({
      type: 'standard__recordPage',
      attributes: { recordId: '0065g00000FABRKAAA', actionName: 'view' },
    });
  });
});

describe('formatFieldValue', () => {
  it('writes a value as the rep reads it in a sentence, in their locale', () => {
    expect(formatFieldValue('64000', 'currency', 'EUR')).toBe('€64,000');
    expect(formatFieldValue('19.99', 'currency')).toBe('$19.99');
    expect(formatFieldValue('10', 'percent')).toBe('10%');
    expect(formatFieldValue('2026-03-31', 'date')).toBe('Mar 31, 2026');
    expect(formatFieldValue('1200', 'integer')).toBe('1,200');
  });

  it('says empty for nothing and keeps what is not what its type says as it was typed', () => {
    expect(formatFieldValue(null, 'currency')).toBe('empty');
    expect(formatFieldValue('  ', 'string')).toBe('empty');
    expect(formatFieldValue('64k', 'currency')).toBe('64k');
    expect(formatFieldValue('Negotiation/Review', 'picklist')).toBe('Negotiation/Review');
  });
});
