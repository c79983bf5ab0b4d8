import type { OpportunityField } from '../pipeline/records.js';

/**
 * Stage_Definition__mdt.Required_Fields__c names Opportunity fields by API name, as sales ops see
 * them in Setup; the engines read the pipeline record's own field for each.
 */
export const REQUIRED_FIELD_API_NAMES: Readonly<Record<string, OpportunityField>> = {
  AccountId: 'accountId',
  Amount: 'amount',
  CloseDate: 'closeDate',
  NextStep: 'nextStep',
  OwnerId: 'owner',
  Probability: 'probability',
  ForecastCategoryName: 'forecastCategory',
  Product: 'product',
  LastActivityDate: 'lastActivityDate',
  Name: 'name',
};

/** What a person calls each field in the audit. */
export const FIELD_LABELS: Readonly<Record<OpportunityField, string>> = {
  name: 'Name',
  accountId: 'Account',
  accountName: 'Account',
  owner: 'Owner',
  product: 'Product',
  amount: 'Amount',
  probability: 'Probability',
  forecastCategory: 'Forecast Category',
  createdDate: 'Created Date',
  closeDate: 'Close Date',
  lastActivityDate: 'Last Activity',
  stageEnteredDate: 'Stage Entered',
  nextStep: 'Next Step',
  nextStepDate: 'Next Step Date',
  contactRoleCount: 'Contact Roles',
};

export function parseRequiredFields(text: string, where: string): OpportunityField[] {
  const fields: OpportunityField[] = [];
  for (const name of text
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const field = REQUIRED_FIELD_API_NAMES[name];
    if (!field) {
      throw new Error(
        `${where}: "${name}" is not a field the audit can check; use ${Object.keys(REQUIRED_FIELD_API_NAMES).join(', ')}`,
      );
    }
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}
