import { describe, expect, it } from 'vitest';
import { explainRefusal } from '../../../src/domain/writeback/refusal.js';

describe('a refusal for a missing permission, in words an admin acts on', () => {
  it('names the field the integration user cannot edit, and where to grant Edit', () => {
    const refusal = explainRefusal(
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message:
          'Unable to create/update fields: Budget__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.',
        fields: ['Budget__c'],
      },
      { object: 'Opportunity', operation: 'edit' },
    );
    expect(refusal).toMatchObject({
      code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      object: 'Opportunity',
      fields: ['Opportunity.Budget__c'],
      missing: 'Edit on this field',
    });
    expect(refusal!.message).toBe(
      'Salesforce refused Opportunity.Budget__c (INVALID_FIELD_FOR_INSERT_UPDATE on edit): the integration user cannot edit this field — grant Edit on Opportunity.Budget__c in the Pipeline Scribe Integration permission set.',
    );
  });

  it('reads the fields from the message when Salesforce leaves `fields` empty', () => {
    const refusal = explainRefusal(
      {
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        message:
          'Unable to create/update fields: pscribe__Budget__c, pscribe__Competitors__c. Please check the security settings of this field.',
        fields: [],
      },
      { object: 'Opportunity', operation: 'edit' },
    );
    expect(refusal!.fields).toEqual([
      'Opportunity.pscribe__Budget__c',
      'Opportunity.pscribe__Competitors__c',
    ]);
    expect(refusal!.message).toContain('cannot edit these fields');
  });

  it('takes a field hidden from a query for one the user cannot read, object and field from the message', () => {
    const refusal = explainRefusal(
      {
        errorCode: 'INVALID_FIELD',
        message:
          "open: \nSELECT Id, Budget__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Budget__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.",
        fields: [],
      },
      { object: null, operation: 'read' },
    );
    expect(refusal).toMatchObject({ object: 'Opportunity', fields: ['Opportunity.Budget__c'] });
    expect(refusal!.message).toContain(
      'cannot read this field — grant Read on Opportunity.Budget__c in the Pipeline Scribe Integration permission set',
    );
  });

  it('says which object is out of reach, and which record sharing keeps it from', () => {
    expect(
      explainRefusal(
        { errorCode: 'INVALID_TYPE', message: "sObject type 'Suggestion__c' is not supported.", fields: [] },
        { object: 'Suggestion__c', operation: 'upsert' },
      )!.message,
    ).toContain('no access to Suggestion__c — grant Read, Create and Edit on Suggestion__c');
    const record = explainRefusal(
      {
        errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
        message: 'insufficient access rights on object id',
        fields: [],
      },
      { object: 'Opportunity', operation: 'edit' },
    )!;
    expect(record.missing).toContain('edit access to this Opportunity record');
    expect(record.message).toContain('Modify All on Opportunity');
    const create = explainRefusal(
      {
        errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
        message: 'You do not have the level of access necessary to perform the operation you requested.',
        fields: [],
      },
      { object: 'Field_Provenance__c', operation: 'upsert' },
    )!;
    expect(create.message).toContain('grant Create and Edit on Field_Provenance__c');
    expect(
      explainRefusal(
        {
          errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
          message: 'insufficient access rights on cross-reference id: 0065L0000000001',
          fields: [],
        },
        { object: 'Suggestion__c', operation: 'upsert' },
      )!.missing,
    ).toBe('access to a record it links to');
  });

  it('leaves errors that are not about a permission to their own handling', () => {
    const not = (errorCode: string, message: string) =>
      explainRefusal({ errorCode, message, fields: [] }, { object: 'Opportunity', operation: 'edit' });
    expect(not('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Add a competitive review')).toBeNull();
    expect(not('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access')).toBeNull();
    expect(not('FIELD_INTEGRITY_EXCEPTION', 'Close Date: invalid date')).toBeNull();
    expect(
      not(
        'FIELD_INTEGRITY_EXCEPTION',
        'field integrity exception: unknown (insufficient access rights on cross-reference id)',
      ),
    ).not.toBeNull();
  });
});
