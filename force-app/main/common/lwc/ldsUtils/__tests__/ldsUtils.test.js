import { NavigationMixin } from 'lightning/navigation';
import { LoadingPanel, applyWired, errorToast, openRecordLink, panelState, reduceErrors } from 'c/ldsUtils';

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
  const Panel = LoadingPanel(class {}, { content: (panel) => panel.deals.length > 0, messages });
  const panel = (fields) =>
    Object.assign(new Panel(), { isLoading: false, error: undefined, deals: [] }, fields);

  it('is neither empty nor ready while it loads or after it failed', () => {
    for (const waiting of [
      panel({ isLoading: true }),
      panel({ error: { body: { message: 'no access' } } }),
    ]) {
      expect([waiting.isEmpty, waiting.isReady]).toEqual([false, false]);
    }
  });

  it('is empty when it loaded no content, ready when it loaded some', () => {
    expect([panel({}).isEmpty, panel({}).isReady]).toEqual([true, false]);
    expect([panel({ deals: ['Acme'] }).isEmpty, panel({ deals: ['Acme'] }).isReady]).toEqual([false, true]);
  });

  it('hands c-panel-state its state with its own messages', () => {
    const error = { body: { message: 'no access' } };
    expect(panel({ error }).panelState).toEqual({
      isLoading: false,
      errors: error,
      isEmpty: false,
      messages,
    });
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
