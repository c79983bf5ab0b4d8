import {
  CONSENT_POLICIES,
  type ConsentPolicy,
  type ConsentRules,
} from '../../domain/privacy/recording-consent.js';
import type { MetadataRecord } from './package-metadata.js';
import { DEFAULT_SETTINGS } from './scribe-settings.js';

/**
 * The recording consent rules from custom metadata: the Consent_Jurisdiction__mdt records and the
 * Default Scribe_Setting__mdt's Recording_Consent_Policy__c. A policy that is missing or not one of
 * Hold, Process, Drop is read as Hold: a wrong setting must not let a recording through.
 */
export function consentRulesFromRecords(records: readonly MetadataRecord[]): ConsentRules {
  const setting = records.find((r) => r.type === 'Scribe_Setting' && r.developerName === DEFAULT_SETTINGS);
  const raw = setting?.values.Recording_Consent_Policy__c;
  const policy: ConsentPolicy = CONSENT_POLICIES.includes(raw as ConsentPolicy)
    ? (raw as ConsentPolicy)
    : 'Hold';
  const allPartyJurisdictions = new Set(
    records
      .filter((r) => r.type === 'Consent_Jurisdiction')
      .map((r) =>
        String(r.values.Region_Code__c ?? '')
          .trim()
          .toUpperCase(),
      )
      .filter((code) => /^[A-Z]{2}$/.test(code) || /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code)),
  );
  return { policy, allPartyJurisdictions };
}
