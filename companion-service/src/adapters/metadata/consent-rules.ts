import {
  CONSENT_POLICIES,
  type ConsentPlatform,
  type ConsentPolicy,
  type ConsentRules,
} from '../../domain/privacy/recording-consent.js';
import type { MetadataRecord } from './package-metadata.js';
import { DEFAULT_SETTINGS } from './scribe-settings.js';

/**
 * The recording consent rules from custom metadata: the Consent_Jurisdiction__mdt records and the
 * Default Scribe_Setting__mdt's Recording_Consent_Policy__c and the platforms whose consent prompt it
 * relies on. A policy that is missing or not one of Hold, Process, Drop is read as Hold, and a
 * platform is relied on only when its checkbox is exactly true: a wrong setting must not let a
 * recording through.
 */

/** The Scribe_Setting__mdt checkbox that says the org relies on each platform's consent prompt. */
export const PLATFORM_CONSENT_FIELDS: Readonly<Record<ConsentPlatform, string>> = {
  zoom: 'Rely_On_Zoom_Consent_Notice__c',
  teams: 'Rely_On_Teams_Recording_Consent__c',
};
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
  const platformConsent = new Set(
    (Object.keys(PLATFORM_CONSENT_FIELDS) as ConsentPlatform[]).filter((platform) => {
      const value = setting?.values[PLATFORM_CONSENT_FIELDS[platform]];
      return value === true || value === 'true';
    }),
  );
  return { policy, allPartyJurisdictions, platformConsent };
}
