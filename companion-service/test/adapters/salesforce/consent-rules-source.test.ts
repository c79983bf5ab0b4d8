import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { startTestOrg, type TestOrg } from '../../support/local-org.js';
import { SalesforceClient } from '../../../src/adapters/salesforce/salesforce-client.js';
import { ConsentRulesSource } from '../../../src/adapters/salesforce/consent-rules-source.js';
import type { ConsentRules } from '../../../src/domain/privacy/recording-consent.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const packageRules: ConsentRules = {
  policy: 'Process',
  allPartyJurisdictions: new Set(['US-CA']),
  platformConsent: new Set(['zoom']),
};

let t: TestOrg;
beforeAll(async () => {
  t = await startTestOrg();
});
afterAll(async () => t?.org.close());

describe("the org's consent rules", () => {
  it('are read through the API: the shipped jurisdictions and the Hold policy', async () => {
    const client = await SalesforceClient.connect({ ...t.config, logger } as never);
    const rules = await new ConsentRulesSource(client, packageRules, logger).rules(Date.now());
    expect(rules.policy).toBe('Hold');
    expect(rules.platformConsent.size).toBe(0);
    expect([...rules.allPartyJurisdictions]).toEqual(expect.arrayContaining(['US-CA', 'US-FL', 'US-WA']));
  });

  it("are read once within their lifetime, and fall back to the package's jurisdictions held when the org cannot answer", async () => {
    let calls = 0;
    const failing = {
      get: async () => {
        calls++;
        throw new Error('connect ECONNREFUSED');
      },
    };
    const source = new ConsentRulesSource(failing as never, packageRules, logger);
    const rules = await source.rules(0);
    expect(rules).toEqual({
      policy: 'Hold',
      allPartyJurisdictions: packageRules.allPartyJurisdictions,
      platformConsent: new Set(),
    });
    expect(calls).toBe(1);

    const answering = {
      get: async () => {
        calls++;
        return { totalSize: 0, done: true, records: [] };
      },
    };
    const cached = new ConsentRulesSource(answering as never, packageRules, logger, 1000);
    await cached.rules(0);
    await cached.rules(500);
    expect(calls).toBe(3);
    await cached.rules(1500);
    expect(calls).toBe(5);
  });
});
