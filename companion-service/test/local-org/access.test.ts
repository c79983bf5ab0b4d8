import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_USERNAME,
  INTEGRATION_USERNAME,
  MANAGER_USERNAME,
  REP_USERNAMES,
  startLocalOrg,
  type LocalOrg,
  type LocalOrgOptions,
} from '@pipeline-scribe/local-salesforce/org';

/**
 * What each user of the local org sees and may write, as a real org decides it: object permissions
 * and field-level security from their profile and permission sets (read from force-app), and record
 * sharing (Private opportunities, ownership, the role hierarchy, View All / Modify All, Controlled by
 * Parent). Refusals carry Salesforce's codes, messages and statuses, alone and inside composite and
 * collections. The property checks at the end run every read and write path for every user.
 */

const [AVERY, BLAKE] = REP_USERNAMES as [string, string];
const V = '/services/data/v62.0';

interface Reply {
  status: number;
  body: unknown;
}

type Row = Record<string, unknown> & { Id: string };

function client(org: LocalOrg, username: string) {
  const token = org.issueAccessToken(username);
  const call = async (method: string, path: string, body?: unknown): Promise<Reply> => {
    const response = await fetch(`${org.url}${path.startsWith('/services') ? path : V + path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  const query = (soql: string) => call('GET', `/query?q=${encodeURIComponent(soql)}`);
  const rows = async (soql: string): Promise<Row[]> => {
    const reply = await query(soql);
    if (reply.status !== 200) throw new Error(`${soql}: ${JSON.stringify(reply.body)}`);
    return (reply.body as { records: Row[] }).records;
  };
  return { call, query, rows, username };
}
type Client = ReturnType<typeof client>;

/**
 * A query error's message ends with Salesforce's sentence; before it, as in a real org, the query
 * line, a caret and `ERROR at Row:R:Column:C` point at the name.
 */
const endingWith = (sentence: string) =>
  expect.stringMatching(new RegExp(`${sentence.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
const noSuchColumn = (field: string, object: string) =>
  endingWith(
    `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
const notSupported = (object: string) =>
  endingWith(
    `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
  );
const READ_ONLY_FIELD = (fields: string) =>
  `Unable to create/update fields: ${fields}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`;
const NO_RECORD_ACCESS = {
  errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
  message: 'insufficient access rights on object id',
  fields: [],
};

let org: LocalOrg;
let admin: Client;
let integration: Client;
let manager: Client;
let avery: Client;
let blake: Client;
let ownerOf: Map<string, string>;
let userIds: Map<string, string>;

beforeAll(async () => {
  // Access control is under test here, in local names: the package installed without a namespace
  // (the sample data is loaded under the org's own names). 'under a namespace' below covers the prefix.
  org = await startLocalOrg({ namespace: '' });
  [admin, integration, manager, avery, blake] = [
    ADMIN_USERNAME,
    INTEGRATION_USERNAME,
    MANAGER_USERNAME,
    AVERY,
    BLAKE,
  ].map((u) => client(org, u)) as [Client, Client, Client, Client, Client];
  userIds = new Map(org.users.map((u) => [u.username, u.id]));
  // The open sample deals: the closed history behind them (given to the reps the same way) adds no
  // case of its own, and would multiply every per-deal loop below.
  ownerOf = new Map(
    (await admin.rows('SELECT Id, OwnerId FROM Opportunity WHERE IsClosed = false')).map((r) => [
      r.Id,
      String(r.OwnerId),
    ]),
  );
});
afterAll(async () => org.close());

const GETS_PER_OBJECT = 40;

const opportunitiesOf = (username: string) =>
  [...ownerOf].filter(([, owner]) => owner === userIds.get(username)).map(([id]) => id);

describe('users, profiles, roles and permission sets', () => {
  it('seeds the admin, the integration user, two reps and their manager, with their profiles, roles and permission sets', async () => {
    const users = await admin.rows(
      `SELECT Username, Profile.Name, UserRole.DeveloperName, UserRole.ParentRole.DeveloperName, Manager.Username FROM User ORDER BY Username`,
    );
    const byName = new Map(users.map((u) => [u.Username, u]));
    expect(byName.get(INTEGRATION_USERNAME)).toMatchObject({
      Profile: { Name: 'Minimum Access - API Only Integrations' },
      UserRole: null,
    });
    expect(byName.get(ADMIN_USERNAME)).toMatchObject({ Profile: { Name: 'System Administrator' } });
    expect(byName.get(MANAGER_USERNAME)).toMatchObject({
      Profile: { Name: 'Standard User' },
      UserRole: { DeveloperName: 'Sales_Manager' },
    });
    for (const rep of [AVERY, BLAKE]) {
      expect(byName.get(rep)).toMatchObject({
        Profile: { Name: 'Standard User' },
        UserRole: { DeveloperName: 'Sales_Rep', ParentRole: { DeveloperName: 'Sales_Manager' } },
        Manager: { Username: MANAGER_USERNAME },
      });
    }
    const assignments = await admin.rows(
      'SELECT Assignee.Username, PermissionSet.Name FROM PermissionSetAssignment ORDER BY Assignee.Username',
    );
    const setsOf = (u: string) =>
      assignments
        .filter((a) => (a.Assignee as { Username: string }).Username === u)
        .map((a) => (a.PermissionSet as { Name: string }).Name);
    expect(setsOf(INTEGRATION_USERNAME)).toEqual(['Pipeline_Scribe_Integration']);
    expect(setsOf(AVERY)).toEqual(['Pipeline_Scribe_Rep']);
    expect(setsOf(MANAGER_USERNAME)).toEqual(['Pipeline_Scribe_Manager']);
  });

  it('gives the sample deals to the reps, alternating, with each deal account going to its owner', async () => {
    expect(opportunitiesOf(AVERY)).toHaveLength(3);
    expect(opportunitiesOf(BLAKE)).toHaveLength(2);
    const deals = await admin.rows('SELECT Id, OwnerId, Account.OwnerId FROM Opportunity');
    for (const d of deals) expect((d.Account as { OwnerId: string }).OwnerId).toBe(d.OwnerId);
  });
});

describe('describe', () => {
  const fieldsOf = async (c: Client, object: string) => {
    const reply = await c.call('GET', `/sobjects/${object}/describe`);
    expect(reply.status).toBe(200);
    const body = reply.body as {
      createable: boolean;
      updateable: boolean;
      deletable: boolean;
      fields: { name: string; createable: boolean; updateable: boolean }[];
    };
    return { ...body, byName: new Map(body.fields.map((f) => [f.name, f])) };
  };

  it('lists only the objects the user can read', async () => {
    const names = async (c: Client) =>
      ((await c.call('GET', '/sobjects')).body as { sobjects: { name: string }[] }).sobjects.map(
        (o) => o.name,
      );
    const rep = await names(avery);
    expect(rep).toEqual(expect.arrayContaining(['Opportunity', 'Suggestion__c', 'Account', 'Contact']));
    expect(rep).not.toContain('Stage_Calibration__c');
    expect(rep).not.toContain('Buying_Phase_Rule__mdt');
    expect(await names(integration)).toEqual(
      expect.arrayContaining(['Stage_Calibration__c', 'Buying_Phase_Rule__mdt', 'Opportunity']),
    );
    expect(await names(admin)).toEqual(
      expect.arrayContaining(['Stage_Calibration__c', 'Buying_Phase_Rule__mdt']),
    );
    expect((await avery.call('GET', '/sobjects/Stage_Calibration__c/describe')).body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] },
    ]);
  });

  it('says per user which fields they can read and which they can write, and what they can do with the object', async () => {
    const integ = await fieldsOf(integration, 'Opportunity');
    expect(integ).toMatchObject({ createable: false, updateable: true });
    expect(integ.byName.get('NextStep')).toMatchObject({ createable: true, updateable: true });
    expect(integ.byName.get('Risk_Score__c')).toMatchObject({ updateable: true });
    expect(integ.byName.get('Amount')).toMatchObject({ createable: false, updateable: false });
    expect(integ.byName.has('Description')).toBe(false);
    expect(integ.byName.has('StageName')).toBe(true);

    const rep = await fieldsOf(avery, 'Opportunity');
    expect(rep).toMatchObject({ createable: true, updateable: true, deletable: true });
    expect(rep.byName.get('Amount')).toMatchObject({ updateable: true });
    expect(rep.byName.get('Risk_Score__c')).toMatchObject({ createable: false, updateable: false });
    expect(rep.byName.get('Description')).toMatchObject({ updateable: true });

    const mgr = await fieldsOf(manager, 'Suggestion__c');
    expect(mgr).toMatchObject({ createable: false, updateable: false, deletable: false });
    expect(mgr.byName.get('Status__c')).toMatchObject({ updateable: false });

    expect(await fieldsOf(integration, 'Account')).toMatchObject({ createable: false, updateable: false });
    expect((await fieldsOf(admin, 'Opportunity')).byName.get('Risk_Score__c')).toMatchObject({
      updateable: true,
    });
  });
});

describe("a contact's details (Title, Email, Phone, MobilePhone)", () => {
  const contactFields = async (c: Client) => {
    const reply = await c.call('GET', '/sobjects/Contact/describe');
    const fields = (reply.body as { fields: { name: string; updateable: boolean }[] }).fields;
    return Object.fromEntries(
      fields
        .filter((f) => ['Title', 'Email', 'Phone', 'MobilePhone'].includes(f.name))
        .map((f) => [f.name, f.updateable]),
    );
  };

  it('the integration user reads them to compare and never writes them; a rep writes what they accept', async () => {
    expect(await contactFields(integration)).toEqual({
      Title: false,
      Email: false,
      Phone: false,
      MobilePhone: false,
    });
    expect(
      (await integration.query('SELECT Id, Title, Email, Phone, MobilePhone FROM Contact LIMIT 1')).status,
    ).toBe(200);
    const [contact] = await admin.rows('SELECT Id FROM Contact LIMIT 1');
    const write = await integration.call('PATCH', `/sobjects/Contact/${contact!.Id}`, { Title: 'CFO' });
    expect(write.status).toBe(400);
    expect(await contactFields(avery)).toMatchObject({
      Title: true,
      Email: true,
      Phone: true,
      MobilePhone: true,
    });
  });

  it('holds the integration user to its field grants on contacts: a field it was not given does not exist', async () => {
    expect((await integration.query('SELECT Id, Description FROM Contact')).body).toEqual([
      { errorCode: 'INVALID_FIELD', message: noSuchColumn('Description', 'Contact'), fields: [] },
    ]);
    expect(Object.keys(await contactFields(integration)).sort()).toEqual([
      'Email',
      'MobilePhone',
      'Phone',
      'Title',
    ]);
  });
});

describe("a contact's mailing address (where a recording's consent is judged)", () => {
  const addressParts = async (c: Client) => {
    const reply = await c.call('GET', '/sobjects/Contact/describe');
    const fields = (reply.body as { fields: { name: string; updateable: boolean }[] }).fields;
    return Object.fromEntries(
      fields
        .filter((f) => ['MailingState', 'MailingCountry'].includes(f.name))
        .map((f) => [f.name, f.updateable]),
    );
  };

  it('its parts follow the field permission on Contact.MailingAddress: the integration user reads them, a rep edits them', async () => {
    expect(await addressParts(integration)).toEqual({ MailingState: false, MailingCountry: false });
    expect(
      (await integration.query('SELECT Id, MailingState, MailingCountry FROM Contact LIMIT 1')).status,
    ).toBe(200);
    expect(await addressParts(avery)).toEqual({ MailingState: true, MailingCountry: true });
  });
});

describe('SOQL', () => {
  it('answers an object the user cannot read with INVALID_TYPE, exactly as for one that does not exist', async () => {
    const hidden = await avery.query('SELECT Id FROM Stage_Calibration__c');
    const missing = await avery.query('SELECT Id FROM No_Such_Thing__c');
    expect(hidden).toEqual({
      status: 400,
      body: [{ errorCode: 'INVALID_TYPE', message: notSupported('Stage_Calibration__c'), fields: [] }],
    });
    expect(missing.body).toEqual([
      { errorCode: 'INVALID_TYPE', message: notSupported('No_Such_Thing__c'), fields: [] },
    ]);
    expect((await integration.query('SELECT Id FROM Stage_Calibration__c')).status).toBe(200);
  });

  it('answers a field the user cannot read with INVALID_FIELD, exactly as for a column that does not exist, in every clause and path', async () => {
    const expectNoColumn = async (c: Client, soql: string, field: string, object: string) => {
      expect(await c.query(soql), soql).toEqual({
        status: 400,
        body: [{ errorCode: 'INVALID_FIELD', message: noSuchColumn(field, object), fields: [] }],
      });
    };
    await expectNoColumn(
      integration,
      'SELECT Id, Description FROM Opportunity',
      'Description',
      'Opportunity',
    );
    await expectNoColumn(integration, 'SELECT Id, Nope__c FROM Opportunity', 'Nope__c', 'Opportunity');
    await expectNoColumn(integration, 'SELECT Id FROM Opportunity WHERE Type = null', 'Type', 'Opportunity');
    await expectNoColumn(
      integration,
      'SELECT Id FROM Opportunity ORDER BY LeadSource',
      'LeadSource',
      'Opportunity',
    );
    await expectNoColumn(integration, 'SELECT Id, Account.Website FROM Opportunity', 'Website', 'Account');
    await expectNoColumn(
      integration,
      'SELECT Id, (SELECT Id, Description FROM Contacts) FROM Account',
      'Description',
      'Contact',
    );
    expect((await avery.query('SELECT Id, Description, Account.Website FROM Opportunity')).status).toBe(200);
  });

  it('leaves out the rows the user cannot see, COUNT() too, and reads a parent they cannot see as null', async () => {
    const mine = opportunitiesOf(AVERY);
    const open = 'FROM Opportunity WHERE IsClosed = false';
    expect((await avery.rows(`SELECT Id ${open}`)).map((r) => r.Id).sort()).toEqual(mine.sort());
    expect((await avery.query(`SELECT COUNT() ${open}`)).body).toMatchObject({ totalSize: 3 });
    expect((await blake.query(`SELECT COUNT() ${open}`)).body).toMatchObject({ totalSize: 2 });
    expect((await manager.query(`SELECT COUNT() ${open}`)).body).toMatchObject({ totalSize: 5 });
    expect((await integration.query(`SELECT COUNT() ${open}`)).body).toMatchObject({ totalSize: 5 });
    // With the closed deals too: a rep counts their own, the manager everyone's.
    const count = async (c: Client, soql: string) =>
      ((await c.query(soql)).body as { totalSize: number }).totalSize;
    const averys = await count(
      admin,
      `SELECT COUNT() FROM Opportunity WHERE OwnerId = '${userIds.get(AVERY)}'`,
    );
    expect(averys).toBeGreaterThan(3);
    expect(await count(avery, 'SELECT COUNT() FROM Opportunity')).toBe(averys);
    expect(await count(manager, 'SELECT COUNT() FROM Opportunity')).toBe(
      await count(admin, 'SELECT COUNT() FROM Opportunity'),
    );
    // Contacts are Controlled by Parent: a rep sees the contacts of the accounts they own.
    const contacts = await avery.rows('SELECT Id, Account.OwnerId FROM Contact');
    expect(contacts.length).toBeGreaterThan(0);
    for (const c of contacts) expect((c.Account as { OwnerId: string }).OwnerId).toBe(userIds.get(AVERY));
    // Conversations are Public Read/Write; the deal they name is Private.
    const conversations = await blake.rows(
      'SELECT Id, Opportunity__c, Opportunity__r.Name FROM Conversation__c',
    );
    for (const c of conversations) {
      const visible = ownerOf.get(String(c.Opportunity__c)) === userIds.get(BLAKE);
      expect(c.Opportunity__r === null, String(c.Opportunity__c)).toBe(!visible);
    }
    // Child subqueries: only the children the user can see.
    const [deal] = await avery.rows(
      `SELECT Id, (SELECT Id FROM OpportunityContactRoles) FROM Opportunity WHERE Id = '${mine[0]}'`,
    );
    expect(deal).toBeDefined();
    const semi = await avery.rows(
      `SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Opportunity WHERE IsClosed = false) ORDER BY Id`,
    );
    expect(semi).toHaveLength(3);
  });
});

describe('record access on the sObject resources', () => {
  it('answers a record the user cannot see with 404, and a write of it with INSUFFICIENT_ACCESS_OR_READONLY', async () => {
    const theirs = opportunitiesOf(BLAKE)[0]!;
    expect(await avery.call('GET', `/sobjects/Opportunity/${theirs}`)).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] }],
    });
    expect(await avery.call('PATCH', `/sobjects/Opportunity/${theirs}`, { NextStep: 'mine now' })).toEqual({
      status: 400,
      body: [NO_RECORD_ACCESS],
    });
    expect(await avery.call('DELETE', `/sobjects/Opportunity/${theirs}`)).toEqual({
      status: 400,
      body: [NO_RECORD_ACCESS],
    });
    expect((await avery.call('GET', `/sobjects/Opportunity/${opportunitiesOf(AVERY)[0]}`)).status).toBe(200);
  });

  it('lets the manager read and edit the reps’ deals through the role hierarchy, and not the other way round', async () => {
    const deal = opportunitiesOf(BLAKE)[0]!;
    expect(
      (await manager.call('PATCH', `/sobjects/Opportunity/${deal}`, { NextStep: 'Manager review' })).status,
    ).toBe(204);
    const created = await manager.call('POST', '/sobjects/Opportunity', {
      Name: 'Manager deal',
      StageName: 'Prospecting',
      CloseDate: '2027-01-31',
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await avery.call('GET', `/sobjects/Opportunity/${id}`)).status).toBe(404);
    expect((await admin.rows(`SELECT OwnerId FROM Opportunity WHERE Id = '${id}'`))[0]!.OwnerId).toBe(
      userIds.get(MANAGER_USERNAME),
    );
    expect((await admin.call('DELETE', `/sobjects/Opportunity/${id}`)).status).toBe(204);
  });

  it('lets the integration user update every rep’s deal (Modify All on Opportunity) but not create one or write Amount', async () => {
    for (const deal of ownerOf.keys()) {
      expect(
        (await integration.call('PATCH', `/sobjects/Opportunity/${deal}`, { Risk_Score__c: 42 })).status,
      ).toBe(204);
    }
    expect(
      await integration.call('PATCH', `/sobjects/Opportunity/${[...ownerOf.keys()][0]}`, { Amount: 1 }),
    ).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: READ_ONLY_FIELD('Amount'),
          fields: ['Amount'],
        },
      ],
    });
    expect(
      await integration.call('POST', '/sobjects/Opportunity', {
        Name: 'x',
        StageName: 'Prospecting',
        CloseDate: '2027-01-01',
      }),
    ).toMatchObject({ status: 400, body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }] });
    expect(await integration.call('POST', '/sobjects/Account', { Name: 'Nope' })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }],
    });
  });

  it('answers a field the user cannot read, written, as a column that does not exist, and one they cannot edit with INVALID_FIELD_FOR_INSERT_UPDATE naming every such field', async () => {
    const deal = opportunitiesOf(AVERY)[0]!;
    expect(await integration.call('PATCH', `/sobjects/Opportunity/${deal}`, { Description: 'x' })).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD',
          message: "No such column 'Description' on sobject of type Opportunity",
          fields: ['Description'],
        },
      ],
    });
    expect(
      await avery.call('PATCH', `/sobjects/Opportunity/${deal}`, { Risk_Score__c: 1, Hygiene_Flags__c: 'x' }),
    ).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          message: READ_ONLY_FIELD('Risk_Score__c, Hygiene_Flags__c'),
          fields: ['Risk_Score__c', 'Hygiene_Flags__c'],
        },
      ],
    });
  });

  it('sets the owner of a new record to its creator unless OwnerId is given, and lets only the owner side transfer it', async () => {
    const made = await avery.call('POST', '/sobjects/Account', { Name: 'Avery Prospect' });
    const id = (made.body as { id: string }).id;
    expect((await admin.rows(`SELECT OwnerId FROM Account WHERE Id = '${id}'`))[0]!.OwnerId).toBe(
      userIds.get(AVERY),
    );
    expect((await blake.call('GET', `/sobjects/Account/${id}`)).status).toBe(404);
    const given = await avery.call('POST', '/sobjects/Account', {
      Name: 'Given to Blake',
      OwnerId: userIds.get(BLAKE),
    });
    expect(given.status).toBe(201);
    expect((await blake.call('GET', `/sobjects/Account/${(given.body as { id: string }).id}`)).status).toBe(
      200,
    );
    expect(await blake.call('PATCH', `/sobjects/Account/${id}`, { OwnerId: userIds.get(BLAKE) })).toEqual({
      status: 400,
      body: [NO_RECORD_ACCESS],
    });
  });

  it('refuses an upsert by external id the user may not write, and hides records from the collections GET', async () => {
    const [suggestion] = await admin.rows(
      'SELECT External_Id__c FROM Suggestion__c WHERE External_Id__c != null LIMIT 1',
    );
    const key = encodeURIComponent(String(suggestion!.External_Id__c));
    expect(
      await manager.call('PATCH', `/sobjects/Suggestion__c/External_Id__c/${key}`, { Status_Reason__c: 'x' }),
    ).toMatchObject({ status: 400, body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }] });
    expect(
      await manager.call('PATCH', '/composite/sobjects/Suggestion__c/External_Id__c', {
        allOrNone: false,
        records: [
          { attributes: { type: 'Suggestion__c' }, External_Id__c: 'new-key', Status_Reason__c: 'x' },
        ],
      }),
    ).toMatchObject({
      status: 200,
      body: [{ success: false, errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }] }],
    });
    expect(
      await avery.call('PATCH', '/sobjects/Stage_Calibration__c/Calibration_Key__c/k1', {}),
    ).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND' }],
    });
    const got = await avery.call(
      'GET',
      `/composite/sobjects/Opportunity?ids=${[...ownerOf.keys()].join(',')}&fields=Id`,
    );
    const ids = (got.body as ({ Id: string } | null)[]).map((r) => r?.Id ?? null);
    expect(ids.filter(Boolean).sort()).toEqual(opportunitiesOf(AVERY).sort());
    expect(ids.filter((r) => r === null)).toHaveLength(2);
  });
});

describe('composite and collections carry the same refusals', () => {
  it('puts each refusal in its subresponse, and allOrNone rolls the rest back', async () => {
    const theirs = opportunitiesOf(BLAKE)[0]!;
    const mine = opportunitiesOf(AVERY)[0]!;
    const reply = await avery.call('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'GET', url: `${V}/sobjects/Opportunity/${theirs}`, referenceId: 'hidden' },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Opportunity/${theirs}`,
          referenceId: 'write',
          body: { NextStep: 'x' },
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Opportunity/${mine}`,
          referenceId: 'fls',
          body: { Risk_Score__c: 3 },
        },
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent('SELECT Id FROM Stage_Calibration__c')}`,
          referenceId: 'type',
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Opportunity/${mine}`,
          referenceId: 'ok',
          body: { NextStep: 'Call Tuesday' },
        },
      ],
    });
    const results = (
      reply.body as { compositeResponse: { referenceId: string; httpStatusCode: number; body: unknown }[] }
    ).compositeResponse;
    const of = (ref: string) => results.find((r) => r.referenceId === ref)!;
    expect(of('hidden')).toMatchObject({ httpStatusCode: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    expect(of('write')).toMatchObject({ httpStatusCode: 400, body: [NO_RECORD_ACCESS] });
    expect(of('fls')).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Risk_Score__c'] }],
    });
    expect(of('type')).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'INVALID_TYPE' }] });
    expect(of('ok')).toMatchObject({ httpStatusCode: 204 });

    const collections = await avery.call('PATCH', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Opportunity' }, id: theirs, NextStep: 'x' },
        { attributes: { type: 'Opportunity' }, id: mine, Risk_Score__c: 3 },
        { attributes: { type: 'Opportunity' }, id: mine, NextStep: 'Send pricing' },
      ],
    });
    expect(collections).toEqual({
      status: 200,
      body: [
        {
          success: false,
          errors: [
            { statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: NO_RECORD_ACCESS.message, fields: [] },
          ],
        },
        {
          success: false,
          errors: [
            {
              statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
              message: READ_ONLY_FIELD('Risk_Score__c'),
              fields: ['Risk_Score__c'],
            },
          ],
        },
        { id: mine, success: true, errors: [] },
      ],
    });
  });

  it('refuses a tree import of an object the user may not create', async () => {
    const reply = await integration.call('POST', '/composite/tree/Account', {
      records: [{ attributes: { type: 'Account', referenceId: 'a1' }, Name: 'Tree' }],
    });
    expect(reply).toMatchObject({
      status: 400,
      body: {
        hasErrors: true,
        results: [{ referenceId: 'a1', errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }] }],
      },
    });
  });
});

describe('organization-wide defaults and implicit sharing', () => {
  const withOrg = async (options: LocalOrgOptions, test: (o: LocalOrg) => Promise<void>) => {
    const other = await startLocalOrg({ namespace: '', ...options });
    try {
      await test(other);
    } finally {
      await other.close();
    }
  };

  it('Public Read Only: every rep reads every deal and edits only their own', async () => {
    await withOrg({ opportunitySharing: 'Read' }, async (o) => {
      const a = client(o, AVERY);
      const deals = await a.rows('SELECT Id, OwnerId FROM Opportunity WHERE IsClosed = false');
      expect(deals).toHaveLength(5);
      const theirs = deals.find((d) => d.OwnerId !== o.users.find((u) => u.username === AVERY)!.id)!;
      expect((await a.call('GET', `/sobjects/Opportunity/${theirs.Id}`)).status).toBe(200);
      expect(await a.call('PATCH', `/sobjects/Opportunity/${theirs.Id}`, { NextStep: 'x' })).toEqual({
        status: 400,
        body: [NO_RECORD_ACCESS],
      });
    });
  });

  it('Public Read/Write: every rep edits every deal but deletes only their own', async () => {
    await withOrg({ opportunitySharing: 'ReadWrite' }, async (o) => {
      const a = client(o, AVERY);
      const averyId = o.users.find((u) => u.username === AVERY)!.id;
      const theirs = (await a.rows('SELECT Id, OwnerId FROM Opportunity')).find(
        (d) => d.OwnerId !== averyId,
      )!;
      expect((await a.call('PATCH', `/sobjects/Opportunity/${theirs.Id}`, { NextStep: 'x' })).status).toBe(
        204,
      );
      expect(await a.call('DELETE', `/sobjects/Opportunity/${theirs.Id}`)).toEqual({
        status: 400,
        body: [NO_RECORD_ACCESS],
      });
    });
  });

  it('a deal’s owner reads its account (not its other contacts) when someone else owns the account', async () => {
    await withOrg({}, async (o) => {
      const ad = client(o, ADMIN_USERNAME);
      const a = client(o, AVERY);
      const averyId = o.users.find((u) => u.username === AVERY)!.id;
      const account = (await ad.call('POST', '/sobjects/Account', { Name: 'Admin Owned' })).body as {
        id: string;
      };
      await ad.call('POST', '/sobjects/Contact', { LastName: 'Hidden', AccountId: account.id });
      await ad.call('POST', '/sobjects/Opportunity', {
        Name: 'Avery on admin account',
        StageName: 'Prospecting',
        CloseDate: '2027-03-01',
        AccountId: account.id,
        OwnerId: averyId,
      });
      expect((await a.call('GET', `/sobjects/Account/${account.id}`)).status).toBe(200);
      expect(await a.call('PATCH', `/sobjects/Account/${account.id}`, { Name: 'Mine' })).toEqual({
        status: 400,
        body: [NO_RECORD_ACCESS],
      });
      expect(await a.rows(`SELECT Id FROM Contact WHERE AccountId = '${account.id}'`)).toEqual([]);
      // Controlled by Parent: a contact on an account the rep cannot edit cannot be created.
      expect(
        await a.call('POST', '/sobjects/Contact', { LastName: 'New', AccountId: account.id }),
      ).toMatchObject({
        status: 400,
        body: [{ errorCode: 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY', fields: [] }],
      });
    });
  });

  it('takes permission set assignments as they are now: a rep without the rep permission set loses the package objects', async () => {
    await withOrg({}, async (o) => {
      const ad = client(o, ADMIN_USERNAME);
      const b = client(o, BLAKE);
      const [assignment] = await ad.rows(
        `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${BLAKE}'`,
      );
      expect((await ad.call('DELETE', `/sobjects/PermissionSetAssignment/${assignment!.Id}`)).status).toBe(
        204,
      );
      expect((await b.query('SELECT Id FROM Suggestion__c')).body).toMatchObject([
        { errorCode: 'INVALID_TYPE' },
      ]);
      expect((await b.query('SELECT Id, Risk_Score__c FROM Opportunity')).body).toMatchObject([
        { errorCode: 'INVALID_FIELD' },
      ]);
      expect(
        (await b.query('SELECT Id, (SELECT Id FROM Scribe_Suggestions__r) FROM Opportunity')).body,
      ).toMatchObject([{ errorCode: 'MALFORMED_QUERY' }]);
      const [other] = await ad.rows(
        `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${AVERY}'`,
      );
      expect(await b.call('DELETE', `/sobjects/PermissionSetAssignment/${other!.Id}`)).toMatchObject({
        status: 400,
        body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY', fields: [] }],
      });
    });
  });
});

describe('under a namespace', () => {
  it('reads the permission sets’ local names as the installed package’s API names', async () => {
    const o = await startLocalOrg({ namespace: 'pscribe', dataPlan: null });
    try {
      const i = client(o, INTEGRATION_USERNAME);
      const a = client(o, AVERY);
      const fields = async (c: Client) =>
        new Map(
          (
            (await c.call('GET', '/sobjects/Opportunity/describe')).body as {
              fields: { name: string; updateable: boolean }[];
            }
          ).fields.map((f) => [f.name, f.updateable]),
        );
      expect((await fields(i)).get('pscribe__Risk_Score__c')).toBe(true);
      expect((await fields(a)).get('pscribe__Risk_Score__c')).toBe(false);
      expect((await i.query('SELECT DeveloperName FROM pscribe__Competitor__mdt')).status).toBe(200);
      expect((await a.query('SELECT DeveloperName FROM pscribe__Competitor__mdt')).body).toMatchObject([
        { errorCode: 'INVALID_TYPE' },
      ]);
      expect((await a.query('SELECT Id, pscribe__Status__c FROM pscribe__Suggestion__c')).status).toBe(200);
    } finally {
      await o.close();
    }
  });
});

describe('no path leaks a row or a field (every user, every object)', () => {
  const everyone = () => [admin, integration, manager, avery, blake];
  const describeOf = async (c: Client, object: string) =>
    (await c.call('GET', `/sobjects/${object}/describe`)).body as {
      fields: { name: string; type: string; updateable: boolean; createable: boolean; filterable: boolean }[];
      updateable: boolean;
    };

  it('every field a query returns is one the user’s describe lists, and every field it does not list is INVALID_FIELD', async () => {
    for (const c of everyone()) {
      const objects = (
        (await c.call('GET', '/sobjects')).body as { sobjects: { name: string; queryable: boolean }[] }
      ).sobjects
        .filter((o) => o.queryable)
        .map((o) => o.name);
      for (const object of objects) {
        const visible = (await describeOf(c, object)).fields.map((f) => f.name);
        const all = (await describeOf(admin, object)).fields.map((f) => f.name);
        const rows = await c.rows(`SELECT ${visible.join(', ')} FROM ${object}`);
        for (const row of rows) {
          expect(
            Object.keys(row)
              .filter((k) => k !== 'attributes')
              .sort(),
            `${c.username} ${object}`,
          ).toEqual([...visible].sort());
        }
        for (const hidden of all.filter((f) => !visible.includes(f))) {
          expect(
            (await c.query(`SELECT ${hidden} FROM ${object}`)).body,
            `${c.username} ${object}.${hidden}`,
          ).toEqual([{ errorCode: 'INVALID_FIELD', message: noSuchColumn(hidden, object), fields: [] }]);
          expect(
            (await c.call('GET', `/sobjects/${object}/${'0'.repeat(15)}?fields=${hidden}`)).status,
            `${c.username} GET ${object}.${hidden}`,
          ).toBeGreaterThanOrEqual(400);
        }
      }
    }
  });

  it('the rows a user queries are exactly the rows they can GET, count and reach as a child, for every object', async () => {
    for (const c of everyone()) {
      const objects = (
        (await c.call('GET', '/sobjects')).body as { sobjects: { name: string; queryable: boolean }[] }
      ).sobjects
        .filter((o) => o.queryable && !o.name.endsWith('__mdt'))
        .map((o) => o.name);
      for (const object of objects) {
        const all = (await admin.rows(`SELECT Id FROM ${object}`)).map((r) => r.Id);
        const seen = new Set((await c.rows(`SELECT Id FROM ${object}`)).map((r) => r.Id));
        expect(
          (await c.query(`SELECT COUNT() FROM ${object}`)).body,
          `${c.username} ${object}`,
        ).toMatchObject({
          totalSize: seen.size,
        });
        // The first rows of each object in id order (the open sample deals and their records, then both
        // reps' closed deals alternating): a GET of each of the closed history's hundreds of rows adds
        // no case, only minutes.
        for (const id of all.slice(0, GETS_PER_OBJECT)) {
          const got = await c.call('GET', `/sobjects/${object}/${id}?fields=Id`);
          expect(got.status, `${c.username} GET ${object}/${id}`).toBe(seen.has(id) ? 200 : 404);
        }
      }
      // The deals a user sees, whichever way they are reached.
      const deals = new Set((await c.rows('SELECT Id FROM Opportunity')).map((r) => r.Id));
      const viaRoles = (await c.rows('SELECT OpportunityId FROM OpportunityContactRole')).map((r) =>
        String(r.OpportunityId),
      );
      for (const id of viaRoles) expect(deals.has(id), `${c.username} role of ${id}`).toBe(true);
      const accounts = await c.rows('SELECT Id, (SELECT Id FROM Opportunities) FROM Account');
      for (const a of accounts) {
        const children = (a.Opportunities as { records: Row[] } | null)?.records ?? [];
        for (const child of children)
          expect(deals.has(child.Id), `${c.username} child ${child.Id}`).toBe(true);
      }
      const expected =
        c === avery || c === blake ? new Set(opportunitiesOf(c.username)) : new Set(ownerOf.keys());
      for (const id of ownerOf.keys())
        expect(deals.has(id), `${c.username} sees ${id}`).toBe(expected.has(id));
    }
  });

  it('no write path writes a record the user cannot edit or a field they cannot edit', async () => {
    for (const c of everyone()) {
      const d = await describeOf(c, 'Opportunity');
      const readOnly = d.fields.filter((f) => !f.updateable && f.name !== 'Id').map((f) => f.name);
      const editable = new Set((await c.rows('SELECT Id FROM Opportunity')).map((r) => r.Id));
      for (const [id, owner] of ownerOf) {
        const canEdit =
          c === admin || c === integration || c === manager || owner === userIds.get(c.username);
        const before = (await admin.rows(`SELECT NextStep FROM Opportunity WHERE Id = '${id}'`))[0]!.NextStep;
        const paths: [string, () => Promise<boolean>][] = [
          [
            'PATCH',
            async () =>
              (await c.call('PATCH', `/sobjects/Opportunity/${id}`, { NextStep: 'probe' })).status === 204,
          ],
          [
            'collections',
            async () =>
              (
                (
                  await c.call('PATCH', '/composite/sobjects', {
                    allOrNone: false,
                    records: [{ attributes: { type: 'Opportunity' }, id, NextStep: 'probe' }],
                  })
                ).body as { success: boolean }[]
              )[0]!.success,
          ],
          [
            'composite',
            async () =>
              (
                (
                  await c.call('POST', '/composite', {
                    allOrNone: true,
                    compositeRequest: [
                      {
                        method: 'PATCH',
                        url: `${V}/sobjects/Opportunity/${id}`,
                        referenceId: 'p',
                        body: { NextStep: 'probe' },
                      },
                    ],
                  })
                ).body as { compositeResponse: { httpStatusCode: number }[] }
              ).compositeResponse[0]!.httpStatusCode === 204,
          ],
        ];
        for (const [name, run] of paths) {
          const wrote = await run();
          expect(wrote, `${c.username} ${name} ${id}`).toBe(canEdit && editable.has(id));
          if (wrote) await admin.call('PATCH', `/sobjects/Opportunity/${id}`, { NextStep: before });
          else
            expect(
              (await admin.rows(`SELECT NextStep FROM Opportunity WHERE Id = '${id}'`))[0]!.NextStep,
            ).toBe(before);
        }
        if (!canEdit) continue;
        for (const field of readOnly) {
          const reply = await c.call('PATCH', `/sobjects/Opportunity/${id}`, { [field]: null });
          expect(reply.status, `${c.username} ${field}`).toBe(400);
          expect((reply.body as { errorCode: string }[])[0]!.errorCode).toBe(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
          );
        }
      }
    }
  });

  it('a DELETE succeeds exactly where the owner side (owner, hierarchy, Modify All) and the Delete permission meet', async () => {
    for (const username of [ADMIN_USERNAME, INTEGRATION_USERNAME, MANAGER_USERNAME, AVERY, BLAKE]) {
      const o = await startLocalOrg({ namespace: '' });
      try {
        const c = client(o, username);
        const me = o.users.find((u) => u.username === username)!.id;
        const deals = await client(o, ADMIN_USERNAME).rows('SELECT Id, OwnerId FROM Opportunity');
        const rep = username === AVERY || username === BLAKE;
        for (const deal of deals) {
          const reply = await c.call('DELETE', `/sobjects/Opportunity/${deal.Id}`);
          const allowed = !rep || deal.OwnerId === me;
          expect(reply.status, `${username} DELETE ${deal.Id}`).toBe(allowed ? 204 : 400);
          if (!allowed) expect(reply.body).toEqual([NO_RECORD_ACCESS]);
        }
      } finally {
        await o.close();
      }
    }
  });
});
