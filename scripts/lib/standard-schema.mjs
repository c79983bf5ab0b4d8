// The slice of Salesforce's standard schema that Pipeline Scribe touches, so the metadata check can
// tell a mistyped field from a real one without an org. Extend it when the package reads more.

const AUDIT = [
  'Id',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'IsDeleted',
];
const AUDIT_RELATIONSHIPS = { CreatedBy: 'User', LastModifiedBy: 'User' };

/** Fields and relationships every custom object has. */
export const CUSTOM_OBJECT_STANDARD = {
  fields: [...AUDIT, 'Name', 'OwnerId'],
  relationships: { ...AUDIT_RELATIONSHIPS, Owner: 'User' },
};

export const CUSTOM_METADATA_STANDARD = {
  fields: ['Id', 'DeveloperName', 'MasterLabel', 'Label', 'QualifiedApiName', 'NamespacePrefix'],
  relationships: {},
};

export const PLATFORM_EVENT_STANDARD = {
  fields: ['ReplayId', 'CreatedDate', 'CreatedById', 'EventUuid'],
  relationships: { CreatedBy: 'User' },
};

export const STANDARD_OBJECTS = {
  Opportunity: {
    fields: [
      ...AUDIT,
      'Name',
      'AccountId',
      'OwnerId',
      'StageName',
      'CloseDate',
      'Amount',
      'IsClosed',
      'IsWon',
      'NextStep',
      'TotalOpportunityQuantity',
      'Probability',
      'ForecastCategoryName',
      'Description',
      'Type',
      'LeadSource',
      'LastActivityDate',
      'LastStageChangeDate',
      'ExpectedRevenue',
    ],
    relationships: { ...AUDIT_RELATIONSHIPS, Account: 'Account', Owner: 'User' },
    permissionable: [
      'Amount',
      'NextStep',
      'TotalOpportunityQuantity',
      'Probability',
      'Description',
      'Type',
      'LeadSource',
    ],
  },
  Account: {
    fields: [...AUDIT, 'Name', 'OwnerId', 'Type', 'Industry', 'Website', 'Description', 'Phone'],
    relationships: { ...AUDIT_RELATIONSHIPS, Owner: 'User' },
    permissionable: ['Type', 'Industry', 'Website', 'Description', 'Phone'],
  },
  Contact: {
    fields: [
      ...AUDIT,
      'Name',
      'FirstName',
      'LastName',
      'Email',
      'Title',
      'Phone',
      'AccountId',
      'OwnerId',
      'Description',
    ],
    relationships: { ...AUDIT_RELATIONSHIPS, Account: 'Account', Owner: 'User' },
    permissionable: ['Email', 'Title', 'Phone', 'Description'],
  },
  User: {
    fields: [
      ...AUDIT,
      'Name',
      'FirstName',
      'LastName',
      'Email',
      'Username',
      'Alias',
      'ManagerId',
      'ProfileId',
      'IsActive',
      'TimeZoneSidKey',
      'LocaleSidKey',
      'EmailEncodingKey',
      'LanguageLocaleKey',
    ],
    relationships: { ...AUDIT_RELATIONSHIPS, Manager: 'User', Profile: 'Profile' },
  },
  Task: {
    fields: [
      ...AUDIT,
      'Subject',
      'ActivityDate',
      'WhatId',
      'WhoId',
      'OwnerId',
      'Status',
      'Priority',
      'Description',
    ],
    relationships: { ...AUDIT_RELATIONSHIPS, Owner: 'User' },
  },
  OpportunityContactRole: {
    fields: [...AUDIT, 'OpportunityId', 'ContactId', 'Role', 'IsPrimary'],
    relationships: { ...AUDIT_RELATIONSHIPS, Opportunity: 'Opportunity', Contact: 'Contact' },
  },
  Profile: { fields: ['Id', 'Name'], relationships: {} },
  PermissionSet: { fields: ['Id', 'Name', 'Label'], relationships: {} },
  PermissionSetAssignment: {
    fields: ['Id', 'AssigneeId', 'PermissionSetId'],
    relationships: { Assignee: 'User', PermissionSet: 'PermissionSet' },
  },
  ContentDocument: { fields: [...AUDIT, 'Title', 'FileExtension'], relationships: {} },
};

/** Stage picklist values of a new org (scratch orgs included). */
export const STANDARD_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

/** Tabs, apps and flexipage components that come with the platform. */
export const STANDARD_TABS = [
  'standard-home',
  'standard-Opportunity',
  'standard-Account',
  'standard-Contact',
];
