import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  hasField,
  loadForceApp,
  parseCustomMetadataRecord,
  readCustomMetadataRecords,
  readObjects,
  readPermissionSets,
  resolvePath,
  STANDARD_STAGES,
  takesFieldPermission,
} from '@pipeline-scribe/force-app-model';

/**
 * The one reader of force-app (@pipeline-scribe/force-app-model): what it reads from a small package
 * written here, and from the package this repository ships.
 */

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const fixture = mkdtempSync(path.join(tmpdir(), 'force-app-model-'));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function write(relative: string, text: string): void {
  const file = path.join(fixture, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
}

const deals = 'main/deals/objects';
write(
  `${deals}/Deal_Note__c/Deal_Note__c.object-meta.xml`,
  `<CustomObject ${NS}><label>Deal Note</label><pluralLabel>Deal Notes</pluralLabel>
  <nameField><label>Note Number</label><type>AutoNumber</type><displayFormat>DN-{0000}</displayFormat></nameField>
  <sharingModel>ReadWrite</sharingModel></CustomObject>`,
);
write(
  `${deals}/Deal_Note__c/fields/Summary__c.field-meta.xml`,
  `<CustomField ${NS}><fullName>Summary__c</fullName><label>Summary</label><type>Text</type><length>120</length><required>true</required></CustomField>`,
);
write(
  `${deals}/Deal_Note__c/fields/Mood__c.field-meta.xml`,
  `<CustomField ${NS}><fullName>Mood__c</fullName><label>Mood</label><type>Picklist</type>
  <valueSet><restricted>true</restricted><valueSetDefinition>
    <value><fullName>Warm</fullName><default>true</default><label>Warm</label></value>
    <value><fullName>Cold</fullName><default>false</default><label>Cold (no reply)</label></value>
  </valueSetDefinition></valueSet></CustomField>`,
);
write(
  `${deals}/Deal_Note__c/fields/Deal__c.field-meta.xml`,
  `<CustomField ${NS}><fullName>Deal__c</fullName><label>Deal</label><type>Lookup</type>
  <referenceTo>Opportunity</referenceTo><relationshipName>Deal_Notes</relationshipName></CustomField>`,
);
write(
  `${deals}/Deal_Note__c/fields/Words__c.field-meta.xml`,
  `<CustomField ${NS}><fullName>Words__c</fullName><label>Words</label><formula>LEN(Summary__c)</formula><type>Number</type><precision>18</precision><scale>0</scale></CustomField>`,
);
// The same standard object extended from two feature folders.
write(
  'main/deals/objects/Opportunity/fields/Mood__c.field-meta.xml',
  `<CustomField ${NS}><fullName>Mood__c</fullName><label>Mood</label><type>Text</type><length>20</length></CustomField>`,
);
write(
  'main/other/objects/Opportunity/fields/Heat__c.field-meta.xml',
  `<CustomField ${NS}><fullName>Heat__c</fullName><label>Heat</label><type>Number</type><precision>3</precision><scale>0</scale></CustomField>`,
);
write(
  'main/config/objects/Threshold__mdt/Threshold__mdt.object-meta.xml',
  `<CustomObject ${NS}><label>Threshold</label><pluralLabel>Thresholds</pluralLabel></CustomObject>`,
);
write(
  'main/config/objects/Threshold__mdt/fields/Limit__c.field-meta.xml',
  `<CustomField ${NS}><fullName>Limit__c</fullName><label>Limit</label><type>Number</type><precision>5</precision><scale>2</scale></CustomField>`,
);
write(
  'main/config/customMetadata/Threshold.Stale_Days.md-meta.xml',
  `<CustomMetadata ${NS} ${XSI}><label>Stale days</label>
  <values><field>Limit__c</field><value xsi:type="xsd:double">14</value></values>
  <values><field>Enabled__c</field><value xsi:type="xsd:boolean">false</value></values>
  <values><field>Aliases__c</field><value xsi:type="xsd:string">Acme
Acme Corp</value></values>
  <values><field>Empty__c</field><value xsi:type="xsd:double"></value></values>
</CustomMetadata>`,
);
write(
  'main/app/permissionsets/Deal_Reader.permissionset-meta.xml',
  `<PermissionSet ${NS}><label>Deal Reader</label>
  <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit>
    <allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Deal_Note__c</object><viewAllRecords>false</viewAllRecords></objectPermissions>
  <fieldPermissions><editable>false</editable><field>Deal_Note__c.Mood__c</field><readable>true</readable></fieldPermissions>
  <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
  <userPermissions><enabled>false</enabled><name>ViewSetup</name></userPermissions>
  <customMetadataTypeAccesses><enabled>true</enabled><name>Threshold__mdt</name></customMetadataTypeAccesses>
  <classAccesses><apexClass>DealNotes</apexClass><enabled>true</enabled></classAccesses>
</PermissionSet>`,
);
writeFileSync(
  path.join(fixture, 'main/deals/DealNotes.cls'),
  "@RestResource(urlMapping='/deal-notes/*')\nglobal with sharing class DealNotes {\n  @AuraEnabled(cacheable=true)\n  public static String mood() { return 'Warm'; }\n}\n",
);
write('main/deals/DealNotes.cls-meta.xml', `<ApexClass ${NS}><apiVersion>62.0</apiVersion></ApexClass>`);

describe('objects and fields, from a small package', () => {
  const objects = readObjects(fixture);
  const note = objects.get('Deal_Note__c')!;

  it('reads a custom object with its labels, sharing and auto-number name', () => {
    expect(note).toMatchObject({
      kind: 'custom',
      label: 'Deal Note',
      pluralLabel: 'Deal Notes',
      sharingModel: 'ReadWrite',
      nameField: { type: 'AutoNumber', label: 'Note Number', displayFormat: 'DN-{0000}' },
    });
  });

  it('reads each field with its type, length, requiredness and formula', () => {
    expect(note.fields.get('Summary__c')).toMatchObject({
      type: 'Text',
      length: 120,
      required: true,
      formula: null,
    });
    expect(note.fields.get('Words__c')).toMatchObject({
      type: 'Number',
      formula: 'LEN(Summary__c)',
      precision: 18,
    });
    expect(note.fields.get('Deal__c')).toMatchObject({
      type: 'Lookup',
      referenceTo: 'Opportunity',
      relationshipName: 'Deal_Notes',
    });
  });

  it('reads picklist values in order, with labels, the default and restriction', () => {
    const mood = note.fields.get('Mood__c')!;
    expect(mood.restricted).toBe(true);
    expect(mood.values).toEqual([
      { name: 'Warm', label: 'Warm', isDefault: true },
      { name: 'Cold', label: 'Cold (no reply)', isDefault: false },
    ]);
  });

  it('merges a standard object extended from two feature folders', () => {
    const opportunity = objects.get('Opportunity')!;
    expect(opportunity.kind).toBe('standard');
    expect(opportunity.definition).toBeNull();
    expect([...opportunity.fields.keys()]).toEqual(['Mood__c', 'Heat__c']);
  });

  it('answers field and path questions over the package and the standard model', () => {
    expect(hasField({ objects }, 'Opportunity', 'Heat__c')).toBe(true);
    expect(hasField({ objects }, 'Opportunity', 'StageName')).toBe(true);
    expect(hasField({ objects }, 'Opportunity', 'Stage')).toBe(false);
    expect(hasField({ objects }, 'Deal_Note__c', 'OwnerId')).toBe(true);
    expect(resolvePath({ objects }, 'Deal_Note__c', 'Deal__r.Account.Name')).toBeNull();
    expect(resolvePath({ objects }, 'Deal_Note__c', 'Deal__r.Acount.Name')).toBe(
      'Opportunity has no relationship Acount',
    );
    expect(takesFieldPermission({ objects }, 'Deal_Note__c', 'Summary__c')).toBe(false); // required
    expect(takesFieldPermission({ objects }, 'Deal_Note__c', 'Words__c')).toBe(false); // formula
    expect(takesFieldPermission({ objects }, 'Deal_Note__c', 'Mood__c')).toBe(true);
    expect(takesFieldPermission({ objects }, 'Opportunity', 'Amount')).toBe(true);
    expect(takesFieldPermission({ objects }, 'Opportunity', 'StageName')).toBe(false);
  });
});

describe('custom metadata records', () => {
  it('decodes values by xsi:type, keeps line breaks, and reads an empty number as unset', () => {
    const [record] = readCustomMetadataRecords(fixture);
    expect(record).toMatchObject({
      type: 'Threshold',
      developerName: 'Stale_Days',
      label: 'Stale days',
      values: { Limit__c: 14, Enabled__c: false, Aliases__c: 'Acme\nAcme Corp', Empty__c: null },
    });
    expect(record!.entries[0]).toEqual({ field: 'Limit__c', nil: false, xsiType: 'xsd:double', text: '14' });
  });

  it('reads nil values, and names the file and the fix when a record would not deploy', () => {
    const record = parseCustomMetadataRecord(
      '/pkg/Field_Policy.Opportunity_Budget.md-meta.xml',
      `<CustomMetadata ${NS} ${XSI}><label>Opportunity Budget</label>
    <values><field>Mode__c</field><value xsi:type="xsd:string">Suggest</value></values>
    <values><field>Object_Name__c</field><value xsi:nil="true"/></values></CustomMetadata>`,
    );
    expect(record.values).toEqual({ Mode__c: 'Suggest', Object_Name__c: null });
    expect(record.entries[1]).toMatchObject({ field: 'Object_Name__c', nil: true });
    expect(() => parseCustomMetadataRecord('/pkg/Budget.md-meta.xml', '<CustomMetadata/>')).toThrow(
      /Budget\.md-meta\.xml: a record file is named <Type>\.<DeveloperName>\.md-meta\.xml/,
    );
    expect(() => parseCustomMetadataRecord('/pkg/A.B.md-meta.xml', '<Other/>')).toThrow(
      /A\.B\.md-meta\.xml: not a CustomMetadata record/,
    );
    expect(() => parseCustomMetadataRecord('/pkg/A.B.md-meta.xml', '<CustomMetadata>')).toThrow(
      /A\.B\.md-meta\.xml: not well-formed XML at line 1/,
    );
  });
});

describe('permission sets and Apex entry points', () => {
  it('reads object, field, user, custom metadata and class grants', () => {
    const set = readPermissionSets(fixture).get('Deal_Reader')!;
    expect(set.label).toBe('Deal Reader');
    expect(set.objectPermissions).toEqual([
      {
        object: 'Deal_Note__c',
        allowRead: true,
        allowCreate: false,
        allowEdit: true,
        allowDelete: false,
        viewAllRecords: false,
        modifyAllRecords: false,
      },
    ]);
    expect(set.fieldPermissions).toEqual([
      { field: 'Deal_Note__c.Mood__c', readable: true, editable: false },
    ]);
    expect(set.userPermissions).toEqual(['ApiEnabled']);
    expect(set.customMetadataTypes).toEqual(['Threshold__mdt']);
    expect(set.apexClasses).toEqual(['DealNotes']);
  });

  it('finds REST resources and @AuraEnabled classes', () => {
    const apex = loadForceApp(fixture).classes.get('DealNotes')!;
    expect(apex).toMatchObject({ restResource: '/deal-notes/*', auraEnabled: true });
    expect(apex.meta).toMatch(/DealNotes\.cls-meta\.xml$/);
  });

  it('says which variable to set when the package folder is missing', () => {
    expect(() => readObjects(path.join(fixture, 'missing'))).toThrow(/SCRIBE_PACKAGE_DIR/);
  });
});

describe('the package this repository ships', () => {
  const app = loadForceApp();

  it('has a stage definition for every standard stage, each naming a real stage', () => {
    const stages = app.records
      .filter((r) => r.type === 'Stage_Definition')
      .map((r) => r.values.Stage_Name__c);
    expect(new Set(stages)).toEqual(new Set(STANDARD_STAGES.map((s) => s.name)));
  });

  it('holds the same values in a rule signal picklist and the hygiene flags it sets', () => {
    const names = (object: string, field: string) =>
      app.objects
        .get(object)!
        .fields.get(field)!
        .values.map((v) => v.name)
        .sort();
    expect(names('Risk_Rule__mdt', 'Signal__c').length).toBeGreaterThan(3);
    expect(names('Risk_Rule__mdt', 'Signal__c')).toEqual(names('Opportunity', 'Hygiene_Flags__c'));
  });

  it('links a suggestion to its conversation through a lookup its children are named by', () => {
    expect(app.objects.get('Suggestion__c')!.fields.get('Conversation__c')).toMatchObject({
      type: 'Lookup',
      referenceTo: 'Conversation__c',
      relationshipName: 'Suggestions',
    });
  });

  it('lets the integration user read and edit the opportunity, and edit the risk score it writes', () => {
    const set = app.permissionSets.get('Pipeline_Scribe_Integration')!;
    expect(set.objectPermissions.find((o) => o.object === 'Opportunity')).toMatchObject({
      allowRead: true,
      allowEdit: true,
      allowCreate: false,
    });
    expect(set.fieldPermissions.find((f) => f.field === 'Opportunity.Risk_Score__c')).toEqual({
      field: 'Opportunity.Risk_Score__c',
      readable: true,
      editable: true,
    });
  });
});
