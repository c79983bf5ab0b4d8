import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import type { OrgRules } from '../../../src/domain/org-rules.js';
import { emptyAnswer, startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { extract, extractor } from './fixtures.js';

/** The model's company and deal facts reach the same shape, and the same gates, as the embedded extractor's. */

const CALL = `Lena Okafor: We're about 1,200 people and we did $80M last year.
Sam Ritter: Thanks. What do you run today?
Lena Okafor: We're on Salesforce and NetSuite, and we're on Clari for forecasting but want out.
Lena Okafor: We want a decision by the end of Q2.
`;

let rules: OrgRules;
let server: FakeOpenAi | null = null;

beforeAll(async () => {
  rules = await loadPackageRules();
});

afterEach(async () => {
  await server?.close();
  server = null;
});

describe('company and deal facts from the LLM extractor', () => {
  it('keeps each fact on its quote, and never a competitor in the stack', async () => {
    const sizeQuote = { quote: "We're about 1,200 people and we did $80M last year." };
    const stackQuote = {
      quote: "We're on Salesforce and NetSuite, and we're on Clari for forecasting but want out.",
    };
    server = await startFakeOpenAi(() => ({
      content: {
        ...emptyAnswer(),
        competitors: [{ name: 'Clari', context: 'incumbent being replaced', evidence: stackQuote }],
        employeeCount: { count: 1200, confidence: 0.9, evidence: sizeQuote },
        annualRevenue: { amount: 80_000_000, currency: 'USD', confidence: 0.85, evidence: sizeQuote },
        techStack: [
          { name: 'Salesforce', confidence: 0.9, evidence: stackQuote },
          { name: 'NetSuite', confidence: 0.9, evidence: stackQuote },
          { name: 'Clari', confidence: 0.6, evidence: stackQuote },
          // Not in its quote: held back with a reason.
          { name: 'Snowflake', confidence: 0.9, evidence: stackQuote },
        ],
        decisionTimeline: {
          date: '2025-06-30',
          text: 'by the end of Q2',
          confidence: 0.8,
          evidence: { quote: 'We want a decision by the end of Q2.' },
        },
      },
    }));
    const insights = await extract(extractor(server.baseURL), rules, CALL);
    expect(insights.employeeCount).toMatchObject({ count: 1200, confidence: 0.9 });
    expect(insights.annualRevenue).toMatchObject({ amount: 80_000_000, currency: 'USD' });
    expect(insights.techStack?.map((t) => t.name)).toEqual(['Salesforce', 'NetSuite']);
    expect(insights.dropped.map((d) => [d.insight, d.value])).toContainEqual(['techStack', 'Snowflake']);
    expect(insights.decisionTimeline).toMatchObject({ date: '2025-06-30' });
    const updates = Object.fromEntries(insights.fieldUpdates.map((u) => [`${u.object}.${u.field}`, u.value]));
    expect(updates).toMatchObject({
      'Account.NumberOfEmployees': 1200,
      'Account.Tech_Stack__c': 'Salesforce; NetSuite',
      'Opportunity.Decision_Timeline__c': 'by the end of Q2 (2025-06-30)',
    });
    const text = CALL.replace(/\n$/, '');
    for (const fact of [insights.employeeCount, insights.annualRevenue, ...(insights.techStack ?? [])])
      expect(text).toContain(fact!.evidence.quote);
  });

  it('asks the model for the facts, with the team-size and competitor rules spelled out', async () => {
    server = await startFakeOpenAi(() => ({ content: emptyAnswer() }));
    await extract(extractor(server.baseURL), rules, CALL);
    const request = server.requests[0]!;
    const properties = Object.keys(request.body.response_format.json_schema.schema.properties as object);
    expect(properties).toEqual(
      expect.arrayContaining(['employeeCount', 'annualRevenue', 'techStack', 'decisionTimeline']),
    );
    const system = String(request.body.messages[0]!.content);
    expect(system).toContain('The size of one team');
    expect(system).toContain('never tech stack');
  });
});
