import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBody, startTestOrg } from '../support/local-org.js';
import { SalesforceClient } from '../../src/adapters/salesforce/salesforce-client.js';
import { OrgSnapshotCache, readOrgSnapshot } from '../../src/adapters/salesforce/org-rules.js';
import { ConversationProcessor } from '../../src/services/process-conversation.js';
import { EmbeddedExtractor } from '../../src/domain/extraction/embedded/embedded-extractor.js';
import type { SalesforceConfig } from '../../src/config/salesforce-config.js';
import {
  MANAGER_USERNAME,
  REP_USERNAMES,
  startLocalOrg,
  type LocalOrg,
} from '@pipeline-scribe/local-salesforce/org';

/**
 * Who reads and edits the package's records about a deal: Conversation__c, Suggestion__c,
 * Field_Provenance__c and Next_Best_Action__c are Private, owned by the deal's owner, so the owner and
 * the managers above them (role hierarchy) reach them and another rep does not, through the REST API
 * or the package's Apex entry points. Opportunity sharing is Public Read Only here on purpose: the other
 * rep reads the deal itself, which is exactly when Public Read/Write on these objects used to hand them
 * the deal's conversation text, evidence quotes and actions.
 */

const [OWNER, OTHER_REP] = REP_USERNAMES as [string, string];
const OBJECTS = ['Conversation__c', 'Suggestion__c', 'Field_Provenance__c', 'Next_Best_Action__c'] as const;
type PackageObject = (typeof OBJECTS)[number];
const V = '/services/data/v62.0';

let org: LocalOrg;
let fabrikamId: string;
const ids = new Map<PackageObject, string[]>();

const n = (name: string) => org.schema.apiName(name);
const field = (object: string, name: string) => n(`${object}.${name}`).split('.')[1]!;
const userId = (username: string) => org.users.find((u) => u.username === username)!.id;

async function call(method: string, path: string, user: string, body?: unknown) {
  const response = await fetch(`${org.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${org.issueAccessToken(user)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
}

const apex = (path: string, body: unknown, user: string) =>
  call('POST', `/services/apexrest/${org.schema.namespace}${path}`, user, body);

async function visibleIds(object: PackageObject, user: string, among: string[]): Promise<string[]> {
  const soql = `SELECT Id FROM ${n(object)} WHERE Id IN (${among.map((id) => `'${id}'`).join(', ')})`;
  const reply = await call('GET', `${V}/query?q=${encodeURIComponent(soql)}`, user);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return (reply.body as { records: { Id: string }[] }).records.map((r) => r.Id).sort();
}

interface DescribedField {
  name: string;
  type: string;
  updateable: boolean;
  picklistValues: { value: string; active: boolean }[];
}

/** A field of the object the user's permission sets let them edit, and a value to try an edit with. */
async function editableField(
  object: PackageObject,
  user: string,
): Promise<{ name: string; value: string } | null> {
  const reply = await call('GET', `${V}/sobjects/${n(object)}/describe`, user);
  const fields = (reply.body as { fields: DescribedField[] }).fields.filter(
    (f) => f.updateable && f.name.endsWith('__c'),
  );
  const text = fields.find((f) => f.type === 'string' || f.type === 'textarea');
  if (text) return { name: text.name, value: `edited by ${user}` };
  const date = fields.find((f) => f.type === 'date');
  return date ? { name: date.name, value: '2030-01-0' + (user === OWNER ? '1' : '2') } : null;
}

beforeAll(async () => {
  org = await startLocalOrg({ opportunitySharing: 'Read' });
  const fabrikam = org.store.all('Opportunity').find((o) => String(o.Name).startsWith('Fabrikam'))!;
  expect(fabrikam.OwnerId).toBe(userId(OWNER));
  fabrikamId = fabrikam.Id;
  // The deal's value applied by its owner through the panel's Apex leaves a Field_Provenance__c.
  const open = (await apex('/suggestions/open', { opportunityId: fabrikamId }, OWNER)).body as {
    id: string;
    type: string;
  }[];
  const stage = open.find((v) => v.type === 'Stage')!;
  const decided = await apex(
    '/suggestions/decisions',
    { decisions: [{ suggestionId: stage.id, action: 'accept' }] },
    OWNER,
  );
  expect(decided.status).toBe(200);
  for (const object of OBJECTS) {
    const owned = org.store
      .all(n(object))
      .filter((r) => r[field(object, 'Opportunity__c')] === fabrikamId)
      .filter((r) => r.OwnerId === userId(OWNER))
      .map((r) => r.Id)
      .sort();
    expect(owned.length, `${object} records on the owner's deal`).toBeGreaterThan(0);
    ids.set(object, owned);
  }
});
afterAll(async () => org.close());

describe('the REST API', () => {
  it('the package objects are Private as force-app declares them', () => {
    for (const object of OBJECTS) expect(org.schema.object(n(object))!.sharingModel, object).toBe('Private');
  });

  it.each(OBJECTS)(
    'another rep reads none of %s on a deal they can read; its owner and their manager read them all',
    async (object) => {
      const all = ids.get(object)!;
      // The other rep reads the deal itself (Public Read Only)...
      expect((await call('GET', `${V}/sobjects/Opportunity/${fabrikamId}`, OTHER_REP)).status).toBe(200);
      // ...and not its records: not by query, not by id.
      expect(await visibleIds(object, OTHER_REP, all)).toEqual([]);
      const byId = await call('GET', `${V}/sobjects/${n(object)}/${all[0]}`, OTHER_REP);
      expect(byId.status).toBe(404);
      expect(byId.body).toEqual([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist', fields: [] },
      ]);
      expect(await visibleIds(object, OWNER, all)).toEqual(all);
      expect(await visibleIds(object, MANAGER_USERNAME, all)).toEqual(all);
    },
  );

  it.each(OBJECTS)(
    "another rep cannot edit %s of another rep's deal; its owner can, and their manager where the manager's set allows edits",
    async (object) => {
      const [id] = ids.get(object)!;
      const stored = () => org.store.get(n(object), id!)!;
      const edit = await editableField(object, OTHER_REP);
      if (edit) {
        const before = stored()[edit.name];
        const refused = await call('PATCH', `${V}/sobjects/${n(object)}/${id}`, OTHER_REP, {
          [edit.name]: edit.value,
        });
        expect(refused).toEqual({
          status: 400,
          body: [
            {
              errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
              message: 'insufficient access rights on object id',
              fields: [],
            },
          ],
        });
        expect(stored()[edit.name]).toBe(before);
        const own = (await editableField(object, OWNER))!;
        const mine = await call('PATCH', `${V}/sobjects/${n(object)}/${id}`, OWNER, {
          [own.name]: own.value,
        });
        expect(mine.status, JSON.stringify(mine.body)).toBe(204);
        expect(stored()[own.name]).toBe(own.value);
      } else {
        // Reps only read provenance (an audit trail): no field of it is theirs to edit at all.
        expect(object).toBe('Field_Provenance__c');
      }
      const managerEdit = await editableField(object, MANAGER_USERNAME);
      if (managerEdit) {
        const theirs = await call('PATCH', `${V}/sobjects/${n(object)}/${id}`, MANAGER_USERNAME, {
          [managerEdit.name]: managerEdit.value,
        });
        expect(theirs.status, JSON.stringify(theirs.body)).toBe(204);
        expect(stored()[managerEdit.name]).toBe(managerEdit.value);
      }
      // Deleting takes the owner's access: refused to the other rep whatever their object permissions.
      expect(
        (await call('DELETE', `${V}/sobjects/${n(object)}/${id}`, OTHER_REP)).status,
      ).toBeGreaterThanOrEqual(400);
      expect(stored()).toBeDefined();
    },
  );
});

describe("the package's Apex entry points", () => {
  it('getSuggestions and getProvenance show another rep nothing of a deal they can read; the owner and the manager see it', async () => {
    const open = (user: string) => apex('/suggestions/open', { opportunityId: fabrikamId }, user);
    const provenance = (user: string) => apex('/provenance/record', { recordId: fabrikamId }, user);
    expect((await open(OTHER_REP)).body).toEqual([]);
    expect((await provenance(OTHER_REP)).body).toEqual([]);
    for (const user of [OWNER, MANAGER_USERNAME]) {
      expect(((await open(user)).body as unknown[]).length, user).toBeGreaterThan(0);
      expect(((await provenance(user)).body as unknown[]).length, user).toBeGreaterThan(0);
    }
  });

  it("decideSuggestions, revertValue and updateActionStatus change nothing of another rep's deal", async () => {
    const suggestionId = (
      (await apex('/suggestions/open', { opportunityId: fabrikamId }, OWNER)).body as { id: string }[]
    )[0]!.id;
    const status = (object: PackageObject, id: string) =>
      org.store.get(n(object), id)![field(object, 'Status__c')];
    const pending = status('Suggestion__c', suggestionId);
    const decided = await apex(
      '/suggestions/decisions',
      { decisions: [{ suggestionId, action: 'reject' }] },
      OTHER_REP,
    );
    expect(decided.body).toEqual([
      expect.objectContaining({
        recordId: suggestionId,
        status: 'Failed',
        message: expect.stringMatching(/cannot see it/),
      }),
    ]);
    expect(status('Suggestion__c', suggestionId)).toBe(pending);

    const [provenanceId] = ids.get('Field_Provenance__c')!;
    const stage = () => org.store.get('Opportunity', fabrikamId)!.StageName;
    const before = stage();
    const reverted = await apex('/provenance/revert', { provenanceId }, OTHER_REP);
    expect(JSON.stringify(reverted.body)).not.toContain('Reverted"');
    expect(stage()).toBe(before);
    expect(
      org.store.get(n('Field_Provenance__c'), provenanceId!)![field('Field_Provenance__c', 'Reverted_At__c')],
    ).toBeFalsy();

    const [actionId] = ids.get('Next_Best_Action__c')!;
    const actionStatus = status('Next_Best_Action__c', actionId!);
    const done = await apex('/actions/status', { actionId, status: 'Done' }, OTHER_REP);
    expect(done.status).toBeGreaterThanOrEqual(400);
    expect(status('Next_Best_Action__c', actionId!)).toBe(actionStatus);
    // The deal's owner may: the same call as the owner marks it Done.
    expect((await apex('/actions/status', { actionId, status: 'Done' }, OWNER)).status).toBe(200);
    expect(status('Next_Best_Action__c', actionId!)).toBe('Done');
  });

  it("the owner's manager reaches the rep's action through the role hierarchy", async () => {
    const actionId = org.store
      .all(n('Next_Best_Action__c'))
      .find(
        (a) =>
          a.OwnerId === userId(OWNER) &&
          a[field('Next_Best_Action__c', 'Status__c')] === 'Open' &&
          !ids.get('Next_Best_Action__c')!.includes(a.Id),
      )?.Id;
    expect(actionId, "another open action of the rep's").toBeDefined();
    const done = await apex('/actions/status', { actionId, status: 'Done' }, MANAGER_USERNAME);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(
      org.store.get(n('Next_Best_Action__c'), actionId!)![field('Next_Best_Action__c', 'Status__c')],
    ).toBe('Done');
  });
});

describe("the service's write-back", () => {
  it("gives a conversation's records to the deal's owner: the owner and their manager read them, another rep does not", async () => {
    const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
    const t = await startTestOrg({ opportunitySharing: 'Read' });
    try {
      const config = t.config as Extract<SalesforceConfig, { kind: 'org' }>;
      const client = await SalesforceClient.connect({ ...config, logger });
      const processor = new ConversationProcessor({
        api: client,
        snapshots: new OrgSnapshotCache(() => readOrgSnapshot(client, Date.now()), 300_000, logger),
        extractor: new EmbeddedExtractor(),
        logger,
      });
      // The sample whose competitor a policy applies, so the write leaves a Field_Provenance__c too.
      const result = await processor.process((await sampleBody('02-tailspin-champion-left.txt')) as never);
      expect(result.status).toBe('processed');
      const integrationId = t.org.users.find((u) => u.username.startsWith('integration'))?.id;
      const conversation = t.records('Conversation__c').find((c) => c.Source_Id__c === result.sourceId)!;
      const dealId = String(conversation.Opportunity__c);
      const ownerId = t.org.store.get('Opportunity', dealId)!.OwnerId;
      const dealOwner = t.org.users.find((u) => u.id === ownerId)!.username;
      const otherRep = REP_USERNAMES.find((u) => u !== dealOwner)!;
      expect(REP_USERNAMES).toContain(dealOwner);
      const written = {
        Conversation__c: [conversation],
        Suggestion__c: t.records('Suggestion__c').filter((s) => s.Conversation__c === conversation.Id),
        Field_Provenance__c: t
          .records('Field_Provenance__c')
          .filter((p) => p.Conversation__c === conversation.Id),
      };
      for (const [object, records] of Object.entries(written)) {
        expect(records.length, object).toBeGreaterThan(0);
        for (const r of records) {
          expect(r.OwnerId, object).toBe(ownerId);
          // Written by the integration user, which still reaches them through Modify All.
          if (integrationId) expect(r.CreatedById, object).toBe(integrationId);
        }
        const recordIds = records.map((r) => String(r.Id));
        const soql = `SELECT Id FROM ${t.names.toOrg(object)} WHERE Id IN (${recordIds.map((id) => `'${id}'`).join(', ')})`;
        const seenBy = async (user: string) => {
          const response = await fetch(`${t.org.url}${V}/query?q=${encodeURIComponent(soql)}`, {
            headers: { authorization: `Bearer ${t.org.issueAccessToken(user)}` },
          });
          return ((await response.json()) as { records: unknown[] }).records.length;
        };
        expect(await seenBy(otherRep), object).toBe(0);
        expect(await seenBy(dealOwner), object).toBe(records.length);
        expect(await seenBy(MANAGER_USERNAME), object).toBe(records.length);
      }
      // Processed again, the records stay the owner's and the integration user still updates them.
      const again = await processor.process((await sampleBody('02-tailspin-champion-left.txt')) as never);
      expect(again.status).toBe('processed');
    } finally {
      await t.org.close();
    }
  });
});
