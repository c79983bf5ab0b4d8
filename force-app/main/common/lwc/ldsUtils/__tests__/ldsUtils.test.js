import { reduceErrors } from 'c/ldsUtils';

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
