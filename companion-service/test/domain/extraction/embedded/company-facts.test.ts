import { describe, expect, it } from 'vitest';
import { expectQuoted, extract, transcript } from './embedded-support.js';

/** Company and deal facts as a rep would see them on the account and the deal, each on its own quote. */
async function factsOf(raw: string, meetingDate = '2026-04-08') {
  const { conversation, insights } = await extract(raw, { meetingDate });
  const quoted = [
    insights.employeeCount,
    insights.annualRevenue,
    insights.decisionTimeline,
    ...(insights.techStack ?? []),
  ];
  for (const fact of quoted) if (fact) expectQuoted(conversation, fact.evidence);
  return insights;
}

describe('company size', () => {
  it.each([
    ["We're about 1,200 people across four sites.", 1200],
    ['The company has roughly 9,000 employees.', 9000],
    ['Norrvik is a 650-employee manufacturer.', 650],
    ['They are a ninety person company.', 90],
    ['Headcount is around 2,300 since the merger.', 2300],
  ])('"%s" is %i employees', async (text, count) => {
    const insights = await factsOf(text);
    expect(insights.employeeCount?.count).toBe(count);
    expect(insights.employeeCount?.confidence).toBeGreaterThan(0);
  });

  it.each([
    'My team is 40 people.',
    'We have a 40-person team in Leeds.',
    'The sales org is 60 employees strong.',
    'We could roll it out to 250 reps.',
  ])('a team or a rollout is not the company: "%s"', async (text) => {
    expect((await factsOf(text)).employeeCount ?? null).toBeNull();
  });

  it('takes the company beside a team in the same sentence', async () => {
    const insights = await factsOf(
      'We are around 3,400 employees globally, but my revenue operations group is only 9.',
    );
    expect(insights.employeeCount?.count).toBe(3400);
  });
});

describe('annual revenue', () => {
  it.each([
    ['We did $80M last year.', 80_000_000, 'USD'],
    ['Annual revenue is about $210 million.', 210_000_000, 'USD'],
    ['We turned over 14 million euros in revenue last year.', 14_000_000, 'EUR'],
    ["We're a $1.4 billion business.", 1_400_000_000, 'USD'],
  ])('"%s"', async (text, amount, currency) => {
    const insights = await factsOf(text);
    expect(insights.annualRevenue).toMatchObject({ amount, currency });
  });

  it.each([
    'We have $80,000 budgeted for this.',
    'We raised a $40 million Series B last spring.',
    'We spend two million dollars a year on software.',
  ])('money that is not revenue: "%s"', async (text) => {
    expect((await factsOf(text)).annualRevenue ?? null).toBeNull();
  });

  it('keeps a budget and the revenue apart in one conversation', async () => {
    const insights = await factsOf('Revenue was $60M last year. The budget for this project is $50,000.');
    expect(insights.annualRevenue?.amount).toBe(60_000_000);
    expect(insights.budget?.amount).toBe(50_000);
  });
});

describe('tech stack', () => {
  const names = async (text: string) => ((await factsOf(text)).techStack ?? []).map((t) => t.name);

  it('reads the systems the customer runs', async () => {
    expect(await names("We're on Salesforce and NetSuite, and our data sits in Snowflake.")).toEqual([
      'Salesforce',
      'NetSuite',
      'Snowflake',
    ]);
  });

  it.each([
    ['Our ERP is Infor M3.', 'Infor M3'],
    ['We use Zendesk for ticketing.', 'Zendesk'],
    ['The CRM is Dynamics 365.', 'Dynamics 365'],
  ])('"%s"', async (text, name) => {
    expect(await names(text)).toContain(name);
  });

  it('never lists a competitor for this deal as part of the stack', async () => {
    const { insights } = await extract(
      "We're on Clari for forecasting today and want to replace it. Our CRM is Salesforce.",
    );
    expect(insights.competitors.map((c) => c.name)).toContain('Clari');
    expect((insights.techStack ?? []).map((t) => t.name)).toEqual(['Salesforce']);
  });

  it('leaves out a system the customer has moved off', async () => {
    expect(await names('We moved off Marketo last year.')).toEqual([]);
  });
});

describe('decision timeline', () => {
  it('resolves a decision date against the meeting date', async () => {
    const insights = await factsOf('We want to make a decision by the end of Q2.');
    expect(insights.decisionTimeline?.date).toBe('2026-06-30');
  });

  it('takes a board date to decide', async () => {
    const insights = await factsOf(
      transcript(
        ['Rita Imre', 'When does the money get signed off?'],
        ['Owen Castell', 'Our board meets on the 14th of May to decide.'],
        ['Rita Imre', 'Understood, thanks.'],
        ['Owen Castell', 'Talk soon.'],
      ),
    );
    expect(insights.decisionTimeline?.date).toBe('2026-05-14');
  });

  it('does not take a go-live for a decision', async () => {
    const insights = await factsOf('We need it live by September 1.');
    expect(insights.decisionTimeline ?? null).toBeNull();
    expect(insights.timeline?.date).toBe('2026-09-01');
  });
});

describe('field values', () => {
  it('proposes the facts for the account and the deal under their field policies', async () => {
    const insights = await factsOf(
      "We're about 1,200 people and we did $80M last year. We run Salesforce for CRM and NetSuite for billing. We want a decision by the end of Q2.",
    );
    const byField = Object.fromEntries(insights.fieldUpdates.map((u) => [`${u.object}.${u.field}`, u.value]));
    expect(byField).toMatchObject({
      'Account.NumberOfEmployees': 1200,
      'Account.AnnualRevenue': 80_000_000,
      'Account.Tech_Stack__c': 'Salesforce; NetSuite',
      'Opportunity.Decision_Timeline__c': 'the end of Q2 (2026-06-30)',
    });
  });
});
