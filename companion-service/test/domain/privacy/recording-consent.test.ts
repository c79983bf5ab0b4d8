import { describe, expect, it } from 'vitest';
import { consentDecision, type ConsentRules } from '../../../src/domain/privacy/recording-consent.js';
import { consentRulesFromRecords } from '../../../src/adapters/metadata/consent-rules.js';
import { DEFAULT_PACKAGE_DIR, readMetadataRecords } from '../../../src/adapters/metadata/package-metadata.js';

const person = (region: string | null) => ({ name: 'Ana Lopez', email: null, phone: null, region });
const rules = (policy: ConsentRules['policy']): ConsentRules => ({
  policy,
  allPartyJurisdictions: new Set(['US-CA', 'DE']),
  platformConsent: new Set(),
});

describe('recording consent', () => {
  it('holds a recording with a participant in an all-party-consent place that does not say consent was given', () => {
    const decision = consentDecision(
      { participants: [person('us-ca')], consentRecorded: null },
      rules('Hold'),
    );
    expect(decision).toMatchObject({ action: 'hold', jurisdiction: 'US-CA' });
    expect(decision.reason).toContain('Ana Lopez is in US-CA');
  });

  it('reads a country-wide rule for a subdivision of that country', () => {
    expect(
      consentDecision({ participants: [person('DE-BY')], consentRecorded: false }, rules('Hold')),
    ).toMatchObject({
      action: 'hold',
      jurisdiction: 'DE',
    });
  });

  it('processes when consent was given, when no one is in such a place, or when the policy says Process', () => {
    expect(
      consentDecision({ participants: [person('US-CA')], consentRecorded: true }, rules('Hold')).action,
    ).toBe('process');
    expect(
      consentDecision({ participants: [person('US-NY'), person(null)], consentRecorded: null }, rules('Hold'))
        .action,
    ).toBe('process');
    expect(
      consentDecision({ participants: [person('US-CA')], consentRecorded: null }, rules('Process')).action,
    ).toBe('process');
  });

  it('drops when the policy says Drop', () => {
    expect(
      consentDecision({ participants: [person('US-CA')], consentRecorded: null }, rules('Drop')).action,
    ).toBe('drop');
  });
});

describe('the consent rules in custom metadata', () => {
  it('ship the US all-party-consent states and Hold as the policy', async () => {
    const shipped = consentRulesFromRecords(await readMetadataRecords(DEFAULT_PACKAGE_DIR));
    expect(shipped.policy).toBe('Hold');
    expect([...shipped.allPartyJurisdictions]).toEqual(
      expect.arrayContaining(['US-CA', 'US-FL', 'US-IL', 'US-PA', 'US-WA']),
    );
    expect(shipped.allPartyJurisdictions.has('US-NY')).toBe(false);
    // Neither platform's own consent prompt is relied on until an admin says so.
    expect(shipped.platformConsent.size).toBe(0);
  });

  it("rely on a platform's consent prompt only when its checkbox is set", () => {
    const setting = (values: Record<string, string | boolean | null>) => [
      { type: 'Scribe_Setting', developerName: 'Default', label: 'Default', file: 'x', values },
    ];
    const read = (values: Record<string, string | boolean | null>) => [
      ...consentRulesFromRecords(setting(values)).platformConsent,
    ];
    expect(read({ Rely_On_Zoom_Consent_Notice__c: true })).toEqual(['zoom']);
    expect(
      read({ Rely_On_Teams_Recording_Consent__c: 'true', Rely_On_Zoom_Consent_Notice__c: false }),
    ).toEqual(['teams']);
    expect(read({ Rely_On_Zoom_Consent_Notice__c: 'yes', Rely_On_Teams_Recording_Consent__c: null })).toEqual(
      [],
    );
  });

  it('read a missing or unknown policy as Hold', () => {
    const setting = (value: string | null) => [
      {
        type: 'Scribe_Setting',
        developerName: 'Default',
        label: 'Default',
        file: 'x',
        values: { Recording_Consent_Policy__c: value },
      },
    ];
    expect(consentRulesFromRecords(setting('Allow')).policy).toBe('Hold');
    expect(consentRulesFromRecords(setting(null)).policy).toBe('Hold');
    expect(consentRulesFromRecords([]).policy).toBe('Hold');
    expect(consentRulesFromRecords(setting('Drop')).policy).toBe('Drop');
  });
});
