import { describe, expect, it } from 'vitest';
import { decideWrites } from '../../../src/domain/writeback/decide-writes.js';
import type { FieldUpdate } from '../../../src/domain/insights/schema.js';
import type { FieldDescription } from '../../../src/domain/writeback/field-values.js';
import { deal, decisionInput, ev, insights, policy } from './fixtures.js';

/** Company facts land on the deal's account as suggestions, under the account's field policies. */

const ACCOUNT_FIELDS: Record<string, FieldDescription> = {
  NumberOfEmployees: {
    name: 'NumberOfEmployees',
    label: 'Employees',
    type: 'int',
    length: 0,
    updateable: false,
    picklistValues: [],
    restrictedPicklist: false,
  },
  AnnualRevenue: {
    name: 'AnnualRevenue',
    label: 'Annual Revenue',
    type: 'currency',
    length: 0,
    updateable: false,
    picklistValues: [],
    restrictedPicklist: false,
  },
  Tech_Stack__c: {
    name: 'Tech_Stack__c',
    label: 'Tech Stack',
    type: 'textarea',
    length: 50,
    updateable: true,
    picklistValues: [],
    restrictedPicklist: false,
  },
};

const accountUpdate = (field: string, value: string | number, quote = `quote for ${field}`): FieldUpdate => ({
  object: 'Account',
  field,
  value,
  confidence: 0.8,
  evidence: ev(quote),
});

function decide(values: Record<string, string | number | null>, updates: FieldUpdate[], currency = 'USD') {
  return decideWrites(
    decisionInput({
      opportunity: deal({}, { accountValues: values }),
      accountFields: ACCOUNT_FIELDS,
      insights: insights({
        fieldUpdates: updates,
        annualRevenue: { amount: 14_000_000, currency, confidence: 0.8, evidence: ev('revenue') },
      }),
      policies: [
        policy('NumberOfEmployees', 'employeeCount', { objectName: 'Account', overwritePolicy: 'Never' }),
        policy('AnnualRevenue', 'annualRevenue', { objectName: 'Account', overwritePolicy: 'Never' }),
        policy('Tech_Stack__c', 'techStack', {
          objectName: 'Account',
          overwritePolicy: 'Merge',
          mode: 'Auto-apply',
        }),
      ],
    }),
  );
}

const outcome = (d: ReturnType<typeof decideWrites>, field: string) =>
  d.outcomes.find((o) => o.field === field);

describe('company facts on the account', () => {
  it('suggests an empty account field to the rep, aimed at the account record', () => {
    const d = decide({ NumberOfEmployees: null }, [accountUpdate('NumberOfEmployees', 1200)]);
    expect(d.applies).toEqual([]);
    expect(d.suggestions).toMatchObject([
      {
        type: 'Field',
        targetObject: 'Account',
        targetField: 'NumberOfEmployees',
        accountId: '0015L0000000001QAA',
        proposedValue: '1200',
        valueAtSuggestion: null,
        status: 'Pending',
        externalId: 'gong:1:Account.NumberOfEmployees',
      },
    ]);
  });

  it("never touches a rep's employee count, not even as a suggestion", () => {
    const d = decide({ NumberOfEmployees: 950 }, [accountUpdate('NumberOfEmployees', 1200)]);
    expect(d.suggestions).toEqual([]);
    expect(outcome(d, 'NumberOfEmployees')).toMatchObject({ outcome: 'skipped' });
    expect(outcome(d, 'NumberOfEmployees')!.reason).toContain('never replaces a value a rep typed');
  });

  it('says when revenue was stated in another currency than the org keeps', () => {
    const d = decide({ AnnualRevenue: null }, [accountUpdate('AnnualRevenue', 14_000_000)], 'EUR');
    expect(d.suggestions[0]!.reasons.join(' ')).toContain('stated in EUR');
  });

  it('merges the tech stack: the field keeps every system and gains the new ones', () => {
    const d = decide({ Tech_Stack__c: 'NetSuite; Okta' }, [
      accountUpdate('Tech_Stack__c', 'Salesforce; netsuite; Snowflake'),
    ]);
    expect(d.suggestions[0]).toMatchObject({
      proposedValue: 'NetSuite; Okta; Salesforce; Snowflake',
      valueAtSuggestion: 'NetSuite; Okta',
    });
    // Account values are only ever suggested: the write-back updates the deal itself.
    expect(d.applies).toEqual([]);
    expect(d.suggestions[0]!.reasons.join(' ')).toContain('on the account');
  });

  it('leaves the tech stack alone when it already lists every system named', () => {
    const d = decide({ Tech_Stack__c: 'Salesforce; Snowflake' }, [
      accountUpdate('Tech_Stack__c', 'snowflake; Salesforce'),
    ]);
    expect(d.suggestions).toEqual([]);
    expect(outcome(d, 'Tech_Stack__c')).toMatchObject({ outcome: 'unchanged' });
  });

  it('drops nothing to fit: a merged list too long for the field is not proposed', () => {
    const d = decide({ Tech_Stack__c: 'Salesforce; NetSuite; Snowflake; Okta; Workday' }, [
      accountUpdate('Tech_Stack__c', 'ServiceNow'),
    ]);
    expect(d.suggestions).toEqual([]);
    expect(outcome(d, 'Tech_Stack__c')!.reason).toContain('would not fit');
  });

  it('skips account facts for a deal without an account', () => {
    const d = decideWrites(
      decisionInput({
        opportunity: deal({}, { accountId: null }),
        accountFields: ACCOUNT_FIELDS,
        insights: insights({ fieldUpdates: [accountUpdate('NumberOfEmployees', 1200)] }),
        policies: [policy('NumberOfEmployees', 'employeeCount', { objectName: 'Account' })],
      }),
    );
    expect(d.suggestions).toEqual([]);
    expect(outcome(d, 'NumberOfEmployees')!.reason).toContain('no account');
  });
});
