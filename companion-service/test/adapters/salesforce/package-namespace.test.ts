import { describe, expect, it } from 'vitest';
import { PackageNamespace, readPackageNames } from '../../../src/adapters/salesforce/package-namespace.js';
import { DEFAULT_PACKAGE_DIR } from '../../../src/adapters/metadata/package-metadata.js';

const names = await readPackageNames(DEFAULT_PACKAGE_DIR);
const ns = new PackageNamespace('pscribe', names);

describe('the package namespace codec', () => {
  it("knows the package's objects, fields, relationships and events from force-app", () => {
    for (const name of [
      'suggestion__c',
      'risk_score__c',
      'conversation__r',
      'suggestion_decided__e',
      'field_policy__mdt',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('stagename')).toBe(false);
  });

  it('prefixes package names in SOQL and leaves standard names, customer fields and string literals alone', () => {
    expect(
      ns.soqlToOrg(
        "SELECT Id, Name, Risk_Score__c, Conversation__r.Source_Id__c, Account.Region__c FROM Suggestion__c WHERE Target_Field__c = 'Budget__c' AND Status__c IN ('Pending')",
      ),
    ).toBe(
      "SELECT Id, Name, pscribe__Risk_Score__c, pscribe__Conversation__r.pscribe__Source_Id__c, Account.Region__c FROM pscribe__Suggestion__c WHERE pscribe__Target_Field__c = 'Budget__c' AND pscribe__Status__c IN ('Pending')",
    );
  });

  it('translates sObject paths, upsert fields, query strings and composite bodies both ways', () => {
    expect(ns.pathToOrg('/sobjects/Suggestion__c/External_Id__c/abc__c')).toBe(
      '/sobjects/pscribe__Suggestion__c/pscribe__External_Id__c/abc__c',
    );
    expect(ns.pathToOrg('/composite/sobjects/Suggestion__c/External_Id__c')).toBe(
      '/composite/sobjects/pscribe__Suggestion__c/pscribe__External_Id__c',
    );
    expect(
      decodeURIComponent(ns.pathToOrg('/query?q=SELECT+Id+FROM+Conversation__c').replace(/\+/g, ' ')),
    ).toBe('/query?q=SELECT Id FROM pscribe__Conversation__c');
    const body = {
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Suggestion__c' },
          Status__c: 'Pending',
          Target_Field__c: 'Budget__c',
          Name: 'x',
        },
      ],
    };
    const sent = ns.bodyToOrg(body);
    expect(sent).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'pscribe__Suggestion__c' },
          pscribe__Status__c: 'Pending',
          pscribe__Target_Field__c: 'Budget__c',
          Name: 'x',
        },
      ],
    });
    expect(ns.bodyFromOrg(sent)).toEqual(body);
    expect(
      ns.bodyFromOrg([
        { errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'm', fields: ['pscribe__Budget__c'] },
      ]),
    ).toEqual([{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'm', fields: ['Budget__c'] }]);
  });

  it("keeps a subscriber's own field that shares no name with the package", () => {
    expect(ns.fromOrg('other__Budget__c')).toBe('other__Budget__c');
    expect(ns.toOrg('Region__c')).toBe('Region__c');
  });

  it('finds the namespace in the org, prefers the namespaced copy, and fails with the fix when the package is missing', () => {
    expect(PackageNamespace.discover(['Account', 'pscribe__Suggestion__c'], names).namespace).toBe('pscribe');
    expect(PackageNamespace.discover(['Suggestion__c', 'acme__Suggestion__c'], names).namespace).toBe('acme');
    expect(PackageNamespace.discover(['Account', 'Suggestion__c'], names).namespace).toBe('');
    expect(() => PackageNamespace.discover(['Account', 'Opportunity'], names)).toThrow(/install the package/);
  });

  it('changes nothing when the package has no namespace', () => {
    const none = new PackageNamespace('', names);
    expect(none.soqlToOrg('SELECT Id FROM Suggestion__c')).toBe('SELECT Id FROM Suggestion__c');
    expect(none.bodyFromOrg({ Status__c: 'x' })).toEqual({ Status__c: 'x' });
  });
});
