import { field, picklist, type FieldDef, type ObjectDef, type ObjectKind } from './field-def.js';

/**
 * The one model of Salesforce's standard schema: the standard objects Pipeline Scribe reads and
 * writes, as a new org (scratch orgs included) defines them, with the fields the product and the
 * sample data use, their real types, lengths and requiredness. The local org serves them; the
 * offline checks tell a mistyped field from a real one with them. Custom fields on these objects come
 * from force-app (./objects.ts). Extend it when the package reads more.
 */

/** Opportunity stages of a new org, with the attributes Salesforce derives from the stage. */
export const STANDARD_STAGES = [
  { name: 'Prospecting', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Qualification', probability: 10, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Needs Analysis', probability: 20, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Value Proposition', probability: 50, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Id. Decision Makers', probability: 60, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Perception Analysis', probability: 70, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Proposal/Price Quote', probability: 75, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Negotiation/Review', probability: 90, closed: false, won: false, forecast: 'Pipeline' },
  { name: 'Closed Won', probability: 100, closed: true, won: true, forecast: 'Closed' },
  { name: 'Closed Lost', probability: 0, closed: true, won: false, forecast: 'Omitted' },
] as const;

const readOnly = { createable: false, updateable: false, nillable: false, defaultedOnCreate: true };
const createOnly = { updateable: false };

/** Fields every record has, set by the platform. */
export function auditFields(): FieldDef[] {
  return [
    field('Id', 'id', { ...readOnly, label: 'Record ID', length: 18 }),
    field('IsDeleted', 'boolean', { ...readOnly, label: 'Deleted' }),
    field('CreatedDate', 'datetime', { ...readOnly, label: 'Created Date' }),
    reference('CreatedById', 'User', 'CreatedBy', { ...readOnly, label: 'Created By ID' }),
    field('LastModifiedDate', 'datetime', { ...readOnly, label: 'Last Modified Date' }),
    reference('LastModifiedById', 'User', 'LastModifiedBy', { ...readOnly, label: 'Last Modified By ID' }),
    field('SystemModstamp', 'datetime', { ...readOnly, label: 'System Modstamp' }),
  ];
}

export function ownerField(): FieldDef {
  return reference('OwnerId', 'User', 'Owner', {
    label: 'Owner ID',
    nillable: false,
    defaultedOnCreate: true,
  });
}

export function reference(
  name: string,
  to: string,
  relationshipName: string,
  overrides: Partial<FieldDef> = {},
): FieldDef {
  return field(name, 'reference', { length: 18, referenceTo: [to], relationshipName, ...overrides });
}

const text = (name: string, length: number, overrides: Partial<FieldDef> = {}) =>
  field(name, 'string', { length, ...overrides });

function object(
  name: string,
  keyPrefix: string,
  label: string,
  labelPlural: string,
  fields: FieldDef[],
  kind: ObjectKind = 'standard',
): ObjectDef {
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    kind,
    fields: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
    childRelationships: [],
  };
}

const CONTACT_ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];

/** The task statuses of a new org; Completed is the one closed status. */
export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
] as const;
export const CLOSED_TASK_STATUS = 'Completed';

/** Kept by the platform from the record's completed tasks and its events; never written. */
function lastActivityDate(): FieldDef {
  return field('LastActivityDate', 'date', { ...readOnly, nillable: true, label: 'Last Activity' });
}

/** What a task or event is about (WhatId), who it was with (WhoId) and the account it rolls up to. */
function activityLinks(children: string): FieldDef[] {
  return [
    reference('WhatId', 'Opportunity', 'What', {
      referenceTo: ['Opportunity', 'Account'],
      childRelationshipName: children,
    }),
    reference('WhoId', 'Contact', 'Who', { childRelationshipName: children }),
    reference('AccountId', 'Account', 'Account', { ...readOnly, nillable: true }),
  ];
}

function activityRelation(name: string, keyPrefix: string, parent: string, children: string): ObjectDef {
  return object(name, keyPrefix, name.replace('Relation', ' Relation'), `${name}s`, [
    ...auditFields(),
    reference(`${parent}Id`, parent, parent, {
      ...readOnly,
      childRelationshipName: children,
    }),
    reference('RelationId', 'Contact', 'Relation', {
      ...readOnly,
      referenceTo: ['Contact', 'Opportunity', 'Account'],
    }),
    field('IsWhat', 'boolean', { ...readOnly, defaultValue: false }),
    reference('AccountId', 'Account', 'Account', { ...readOnly, nillable: true }),
  ]);
}

export function standardObjects(): ObjectDef[] {
  return [
    object('User', '005', 'User', 'Users', [
      ...auditFields(),
      text('Username', 80, { nillable: false, unique: true }),
      text('FirstName', 40),
      text('LastName', 80, { nillable: false }),
      text('Name', 121, { ...readOnly, label: 'Full Name' }),
      field('Email', 'email', { length: 80, nillable: false }),
      text('Alias', 8),
      field('IsActive', 'boolean', { defaultedOnCreate: true, nillable: false, defaultValue: true }),
      // Internal users are Standard; Experience Cloud (portal) users are the customers' own people.
      // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_user.htm
      field('UserType', 'picklist', {
        ...readOnly,
        label: 'User Type',
        picklistValues: picklist(
          ['Standard', 'PowerPartner', 'PowerCustomerSuccess', 'CustomerSuccess', 'CspLitePortal', 'Guest'],
          'Standard',
        ),
      }),
      text('TimeZoneSidKey', 40, { defaultedOnCreate: true }),
      text('LocaleSidKey', 40, { defaultedOnCreate: true }),
      text('LanguageLocaleKey', 40, { defaultedOnCreate: true }),
      text('EmailEncodingKey', 40, { defaultedOnCreate: true }),
      reference('ManagerId', 'User', 'Manager'),
      reference('ProfileId', 'Profile', 'Profile', { nillable: false, label: 'Profile ID' }),
      reference('UserRoleId', 'UserRole', 'UserRole', { label: 'Role ID', childRelationshipName: 'Users' }),
    ]),
    // The setup objects that decide what a user may do (see ../security/): the profile every user
    // has, the role that places them in the hierarchy, and the permission sets assigned to them.
    object('Profile', '00e', 'Profile', 'Profiles', [
      ...auditFields(),
      text('Name', 255, { nillable: false }),
      text('Description', 255),
    ]),
    object('UserRole', '00E', 'Role', 'Roles', [
      ...auditFields(),
      text('Name', 80, { nillable: false }),
      text('DeveloperName', 80, { nillable: false, unique: true }),
      reference('ParentRoleId', 'UserRole', 'ParentRole', { label: 'Parent Role ID' }),
    ]),
    object('PermissionSet', '0PS', 'Permission Set', 'Permission Sets', [
      ...auditFields(),
      text('Name', 80, { nillable: false }),
      text('Label', 80, { nillable: false }),
      text('NamespacePrefix', 15, { ...readOnly, nillable: true }),
      field('IsOwnedByProfile', 'boolean', { ...readOnly, defaultValue: false }),
      reference('ProfileId', 'Profile', 'Profile', { ...readOnly, nillable: true }),
    ]),
    object('PermissionSetAssignment', '0Pa', 'Permission Set Assignment', 'Permission Set Assignments', [
      ...auditFields(),
      reference('AssigneeId', 'User', 'Assignee', {
        ...createOnly,
        nillable: false,
        childRelationshipName: 'PermissionSetAssignments',
      }),
      reference('PermissionSetId', 'PermissionSet', 'PermissionSet', {
        ...createOnly,
        nillable: false,
        childRelationshipName: 'Assignments',
      }),
    ]),
    object('Account', '001', 'Account', 'Accounts', [
      ...auditFields(),
      ownerField(),
      text('Name', 255, { nillable: false, label: 'Account Name' }),
      field('Type', 'picklist', {
        picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      }),
      field('Industry', 'picklist', {
        picklistValues: picklist([
          'Banking',
          'Education',
          'Healthcare',
          'Manufacturing',
          'Retail',
          'Technology',
          'Transportation',
          'Other',
        ]),
      }),
      field('Website', 'url', { length: 255 }),
      field('Phone', 'phone', { length: 40 }),
      field('Description', 'textarea', { length: 32000 }),
      lastActivityDate(),
      // Company facts from conversations: Employees is an int of 8 digits, Annual Revenue a currency (18, 0).
      // https://developer.salesforce.com/docs/atlas.en-us.226.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Account.htm
      field('NumberOfEmployees', 'int', { precision: 8, scale: 0, label: 'Employees' }),
      field('AnnualRevenue', 'currency', { precision: 18, scale: 0, label: 'Annual Revenue' }),
    ]),
    object('Contact', '003', 'Contact', 'Contacts', [
      ...auditFields(),
      ownerField(),
      reference('AccountId', 'Account', 'Account', { childRelationshipName: 'Contacts' }),
      text('FirstName', 40),
      text('LastName', 80, { nillable: false }),
      text('Name', 121, { ...readOnly, label: 'Full Name' }),
      field('Email', 'email', { length: 80 }),
      text('Title', 128),
      field('Phone', 'phone', { length: 40 }),
      field('MobilePhone', 'phone', { length: 40, label: 'Mobile Phone' }),
      // Where the contact is, for the recording consent rules (the Mailing Address's parts).
      // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm
      text('MailingState', 80, { label: 'Mailing State/Province' }),
      text('MailingCountry', 80, { label: 'Mailing Country' }),
      field('Description', 'textarea', { length: 32000 }),
      lastActivityDate(),
    ]),
    object('Opportunity', '006', 'Opportunity', 'Opportunities', [
      ...auditFields(),
      ownerField(),
      text('Name', 120, { nillable: false, label: 'Name' }),
      reference('AccountId', 'Account', 'Account', {
        label: 'Account ID',
        childRelationshipName: 'Opportunities',
      }),
      field('StageName', 'picklist', {
        label: 'Stage',
        nillable: false,
        length: 255,
        // A stage that is not an OpportunityStage is refused like a restricted picklist value.
        restrictedPicklist: true,
        picklistValues: picklist(STANDARD_STAGES.map((s) => s.name)),
      }),
      field('CloseDate', 'date', { nillable: false, label: 'Close Date' }),
      field('Amount', 'currency', { precision: 18, scale: 2 }),
      field('Probability', 'percent', {
        precision: 3,
        scale: 0,
        defaultedOnCreate: true,
        label: 'Probability (%)',
      }),
      field('ExpectedRevenue', 'currency', { ...readOnly, nillable: true, precision: 18, scale: 2 }),
      text('NextStep', 255, { label: 'Next Step' }),
      field('TotalOpportunityQuantity', 'double', { precision: 18, scale: 2, label: 'Quantity' }),
      field('IsClosed', 'boolean', { ...readOnly, label: 'Closed' }),
      field('IsWon', 'boolean', { ...readOnly, label: 'Won' }),
      field('ForecastCategoryName', 'picklist', {
        label: 'Forecast Category',
        defaultedOnCreate: true,
        picklistValues: picklist(['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed']),
      }),
      field('Type', 'picklist', {
        picklistValues: picklist([
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'New Customer',
        ]),
      }),
      field('LeadSource', 'picklist', {
        label: 'Lead Source',
        picklistValues: picklist(['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other']),
      }),
      field('Description', 'textarea', { length: 32000 }),
      lastActivityDate(),
      field('LastStageChangeDate', 'datetime', {
        ...readOnly,
        nillable: true,
        label: 'Last Stage Change Date',
      }),
    ]),
    object('OpportunityContactRole', '00K', 'Opportunity Contact Role', 'Opportunity Contact Roles', [
      ...auditFields(),
      reference('OpportunityId', 'Opportunity', 'Opportunity', {
        ...createOnly,
        nillable: false,
        childRelationshipName: 'OpportunityContactRoles',
      }),
      reference('ContactId', 'Contact', 'Contact', {
        nillable: false,
        childRelationshipName: 'OpportunityContactRoles',
      }),
      field('Role', 'picklist', { picklistValues: picklist(CONTACT_ROLES) }),
      field('IsPrimary', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: false,
        label: 'Primary',
      }),
    ]),
    object('Task', '00T', 'Task', 'Tasks', [
      ...auditFields(),
      ownerField(),
      text('Subject', 255),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      ...activityLinks('Tasks'),
      field('Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        restrictedPicklist: true,
        picklistValues: picklist([...TASK_STATUSES], 'Not Started'),
      }),
      field('IsClosed', 'boolean', { ...readOnly, label: 'Closed' }),
      field('CompletedDateTime', 'datetime', { ...readOnly, nillable: true, label: 'Completed Date' }),
      field('Priority', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        picklistValues: picklist(['High', 'Normal', 'Low'], 'Normal'),
      }),
      // Set when the task is created and never changed after: the describe says Create, not Update.
      // https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-task.html
      field('TaskSubtype', 'picklist', {
        ...createOnly,
        label: 'Task Subtype',
        restrictedPicklist: true,
        picklistValues: picklist(['Task', 'Email', 'ListEmail', 'Cadence', 'Call', 'LinkedIn']),
      }),
      field('TaskWhoIds', 'junctionidlist', { label: 'Task Who IDs', referenceTo: ['Contact'] }),
      field('Description', 'textarea', { length: 32000, label: 'Comments' }),
    ]),
    object('Event', '00U', 'Event', 'Events', [
      ...auditFields(),
      ownerField(),
      text('Subject', 255),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      field('ActivityDateTime', 'datetime', { label: 'Due Date Time' }),
      field('StartDateTime', 'datetime', { label: 'Start Date Time' }),
      field('EndDateTime', 'datetime', { label: 'End Date Time' }),
      field('DurationInMinutes', 'int', { precision: 8, scale: 0, label: 'Duration' }),
      field('IsAllDayEvent', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: false,
        label: 'All-Day Event',
      }),
      ...activityLinks('Events'),
      field('EventSubtype', 'picklist', {
        ...createOnly,
        label: 'Event Subtype',
        restrictedPicklist: true,
        picklistValues: picklist(['Event']),
      }),
      field('EventWhoIds', 'junctionidlist', { label: 'Event Who IDs', referenceTo: ['Contact'] }),
      field('Description', 'textarea', { length: 32000 }),
    ]),
    // With Shared Activities, one row per record a task or event relates to: its WhatId (IsWhat) and
    // each of up to 50 contacts. The local org writes them from WhatId, WhoId and TaskWhoIds/EventWhoIds.
    // https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-taskrelation.html
    // https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-eventrelation.html
    activityRelation('TaskRelation', '0RT', 'Task', 'TaskRelations'),
    activityRelation('EventRelation', '0RE', 'Event', 'EventRelations'),
    // The file a recorded conversation keeps its audio in (Conversation__c.Recording_Document_Id__c).
    object('ContentDocument', '069', 'File', 'Files', [
      ...auditFields(),
      ownerField(),
      text('Title', 255, { nillable: false }),
      text('FileExtension', 40, { ...readOnly, nillable: true }),
    ]),
    // Written by the platform on every change of a tracked opportunity field; never through the API.
    object('OpportunityHistory', '008', 'Opportunity History', 'Opportunity History', [
      field('Id', 'id', { ...readOnly, label: 'Opportunity History ID', length: 18 }),
      field('IsDeleted', 'boolean', { ...readOnly, label: 'Deleted' }),
      field('CreatedDate', 'datetime', { ...readOnly, label: 'Created Date' }),
      reference('CreatedById', 'User', 'CreatedBy', { ...readOnly, label: 'Created By ID' }),
      field('SystemModstamp', 'datetime', { ...readOnly, label: 'System Modstamp' }),
      reference('OpportunityId', 'Opportunity', 'Opportunity', {
        ...readOnly,
        childRelationshipName: 'OpportunityHistories',
      }),
      field('StageName', 'picklist', {
        ...readOnly,
        label: 'Stage',
        picklistValues: picklist(STANDARD_STAGES.map((s) => s.name)),
      }),
      field('Amount', 'currency', { ...readOnly, nillable: true, precision: 18, scale: 2 }),
      field('ExpectedRevenue', 'currency', { ...readOnly, nillable: true, precision: 18, scale: 2 }),
      field('CloseDate', 'date', { ...readOnly, nillable: true, label: 'Close Date' }),
      field('Probability', 'percent', { ...readOnly, nillable: true, precision: 3, scale: 0 }),
      field('ForecastCategory', 'picklist', {
        ...readOnly,
        nillable: true,
        label: 'Forecast Category',
        picklistValues: picklist(['Omitted', 'Pipeline', 'BestCase', 'Forecast', 'Closed']),
      }),
    ]),
  ];
}

/** Standard fields every custom object has besides the audit fields. */
export function customObjectBaseFields(nameField: FieldDef): FieldDef[] {
  return [...auditFields(), ownerField(), nameField];
}

export function customMetadataBaseFields(): FieldDef[] {
  return [
    field('Id', 'id', { ...readOnly, length: 18 }),
    text('DeveloperName', 40, { nillable: false }),
    text('MasterLabel', 40, { nillable: false, label: 'Label' }),
    text('Label', 40, { nillable: false }),
    text('QualifiedApiName', 70, { ...readOnly }),
    text('NamespacePrefix', 15, { ...readOnly, nillable: true }),
    text('Language', 40, { ...readOnly }),
  ];
}

export function platformEventBaseFields(): FieldDef[] {
  return [
    text('ReplayId', 255, { ...readOnly, nillable: true }),
    field('CreatedDate', 'datetime', { ...readOnly }),
    reference('CreatedById', 'User', 'CreatedBy', { ...readOnly }),
    text('EventUuid', 36, { ...readOnly, nillable: true }),
  ];
}

/**
 * Standard fields whose field-level security a profile or permission set sets, per object; the
 * others (ids, names, owners, required fields, audit and system fields) are not "permissionable": they
 * have no FieldPermissions, a deploy refuses one, and they are always readable (and writable, where
 * the field is) by whoever can read the object.
 * https://developer.salesforce.com/docs/atlas.en-us.252.0.object_reference.meta/object_reference/sforce_api_objects_fieldpermissions.htm
 */
/**
 * A standard address's parts take no field permission of their own: profiles and permission sets grant
 * the compound field (`Contact.MailingAddress`), and its parts are readable and editable as it is.
 * https://developer.salesforce.com/docs/platform/object-reference/guide/compound-fields-address.html
 */
export const ADDRESS_PARTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Contact: { MailingState: 'MailingAddress', MailingCountry: 'MailingAddress' },
};

export const PERMISSIONABLE_STANDARD_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Account: ['Type', 'Industry', 'Website', 'Phone', 'Description', 'NumberOfEmployees', 'AnnualRevenue'],
  Contact: ['Email', 'Title', 'Phone', 'MobilePhone', 'Description', 'MailingAddress'],
  Opportunity: [
    'Amount',
    'NextStep',
    'TotalOpportunityQuantity',
    'Probability',
    'Description',
    'Type',
    'LeadSource',
  ],
  Task: ['Description'],
  Event: ['Description'],
};

const shared = new Map(standardObjects().map((o) => [o.name, o]));

/** A standard object of the model, read-only (standardObjects() gives copies to build on). */
export function standardObject(name: string): ObjectDef | undefined {
  return shared.get(name);
}

/** The fields the platform gives an object of this kind before the package adds its own. */
export function platformFields(name: string, kind: ObjectKind): FieldDef[] {
  switch (kind) {
    case 'cmdt':
      return customMetadataBaseFields();
    case 'event':
      return platformEventBaseFields();
    case 'custom':
      return customObjectBaseFields(field('Name', 'string', { length: 80 }));
    default:
      return [...(standardObject(name)?.fields.values() ?? [])];
  }
}
