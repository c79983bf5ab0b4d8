import { expect, it } from 'vitest';
import { allPages } from '../../../src/adapters/salesforce/query-pages.js';
import { CountedApi, type SalesforceApi } from '../../../src/adapters/salesforce/salesforce-client.js';

const pages: Record<string, unknown> = {
  '/services/data/v62.0/query/01g-200': {
    totalSize: 3,
    done: false,
    nextRecordsUrl: '/services/data/v62.0/query/01g-400',
    records: [{ Id: 'b' }],
  },
  '/services/data/v62.0/query/01g-400': { totalSize: 3, done: true, records: [{ Id: 'c' }] },
  '/services/data/v62.0/query/01h-200': { totalSize: 2, done: true, records: [{ ContactId: 'y' }] },
};
const org: SalesforceApi = {
  apiVersion: '62.0',
  instanceUrl: 'https://example.my.salesforce.com',
  usage: () => ({}) as never,
  composite: async () => [],
  get: async <T>(path: string) => pages[path] as T,
};

it('follows every page of a result and of each partial child result, a counted call each', async () => {
  const api = new CountedApi(org);
  const [query, failed] = await allPages(api, [
    {
      referenceId: 'open',
      httpStatusCode: 200,
      body: {
        totalSize: 3,
        done: false,
        nextRecordsUrl: '/services/data/v62.0/query/01g-200',
        records: [
          {
            Id: 'a',
            OpportunityContactRoles: {
              totalSize: 2,
              done: false,
              nextRecordsUrl: '/services/data/v62.0/query/01h-200',
              records: [{ ContactId: 'x' }],
            },
          },
        ],
      },
    },
    { referenceId: 'contacts', httpStatusCode: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'x' }] },
  ]);
  expect(query!.body).toMatchObject({
    done: true,
    records: [
      { Id: 'a', OpportunityContactRoles: { done: true, records: [{ ContactId: 'x' }, { ContactId: 'y' }] } },
      { Id: 'b' },
      { Id: 'c' },
    ],
  });
  expect(failed!.httpStatusCode).toBe(400);
  expect(api.calls).toBe(3);
});
