import type { FastifyBaseLogger as Logger } from 'fastify';
import { consentRulesFromRecords, PLATFORM_CONSENT_FIELDS } from '../metadata/consent-rules.js';
import type { ConsentRules } from '../../domain/privacy/recording-consent.js';
import { allPages, queryPath, queryResultOf } from './responses.js';
import { MetadataRowSchema, toRecord } from './org-rules.js';
import type { SalesforceApi } from './salesforce-client.js';

/**
 * The consent rules as the org has them now: the Consent_Jurisdiction__mdt records and the Default
 * Scribe_Setting__mdt's Recording_Consent_Policy__c, read through the API and reused for `ttlMs`, so
 * an admin's edit in Setup counts within minutes. When the org cannot be read, recordings are judged
 * by the package's own jurisdictions with the policy Hold: nothing passes unchecked while it is down.
 */
const settingFields = ['Recording_Consent_Policy__c', ...Object.values(PLATFORM_CONSENT_FIELDS)];

export class ConsentRulesSource {
  private cached: { rules: ConsentRules; at: number } | null = null;

  constructor(
    private readonly api: Pick<SalesforceApi, 'get'>,
    private readonly packageRules: ConsentRules,
    private readonly logger: Logger,
    private readonly ttlMs = 300_000,
  ) {}

  private reading: Promise<ConsentRules> | null = null;

  /** The rules; meetings judged at the same moment share one reading of the org. */
  async rules(now: number): Promise<ConsentRules> {
    if (this.cached && now - this.cached.at < this.ttlMs) return this.cached.rules;
    this.reading ??= this.read(now).finally(() => (this.reading = null));
    return this.reading;
  }

  private async read(now: number): Promise<ConsentRules> {
    try {
      const read = async (soql: string, type: string, fields: string[]) => {
        const body = await allPages(this.api, await this.api.get<unknown>(queryPath(soql)));
        return queryResultOf(MetadataRowSchema)
          .parse(body)
          .records.map((row) => toRecord(type, row, fields));
      };
      const records = [
        ...(await read(
          'SELECT DeveloperName, MasterLabel, Region_Code__c FROM Consent_Jurisdiction__mdt ORDER BY DeveloperName',
          'Consent_Jurisdiction',
          ['Region_Code__c'],
        )),
        ...(await read(
          `SELECT DeveloperName, MasterLabel, ${settingFields.join(', ')} FROM Scribe_Setting__mdt WHERE DeveloperName = 'Default'`,
          'Scribe_Setting',
          settingFields,
        )),
      ];
      const rules = consentRulesFromRecords(records);
      this.cached = { rules, at: now };
      return rules;
    } catch (error) {
      this.logger.warn(
        { err: error },
        "the consent rules could not be read from the org: recordings are judged by the package's jurisdictions, and held",
      );
      return { ...this.packageRules, policy: 'Hold', platformConsent: new Set() };
    }
  }
}
