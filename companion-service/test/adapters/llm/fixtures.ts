import { OpenAiExtractor } from '../../../src/adapters/llm/openai-extractor.js';
import type { LlmConfig } from '../../../src/config/llm-config.js';
import type { Evidence, Insights } from '../../../src/domain/insights/schema.js';
import type { OrgRules } from '../../../src/domain/org-rules.js';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { emptyAnswer } from './fake-openai-server.js';

/** What the LLM extractor tests share: settings, a discovery call and the answer a good model gives. */

export const API_KEY = 'sk-test-0123456789abcdef';

export function extractor(baseURL: string, overrides: Partial<LlmConfig> = {}): OpenAiExtractor {
  return new OpenAiExtractor({
    baseURL,
    apiKey: API_KEY,
    model: 'test-model',
    sendPii: false,
    chunkChars: 12_000,
    overlapChars: 1_200,
    timeoutMs: 5_000,
    maxRetries: 0,
    ...overrides,
  });
}

export function extract(
  llm: OpenAiExtractor,
  rules: OrgRules,
  transcript: string,
  currentStage: string | null = null,
): Promise<Insights> {
  return llm.extract(parseConversation(transcript), { currentStage, meetingDate: '2025-03-10', rules });
}

/** Every piece of evidence in the result, wherever it sits. */
export function allEvidence(insights: Insights): Evidence[] {
  const out: Evidence[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v.quote === 'string' && typeof v.start === 'number') out.push(v as unknown as Evidence);
      else Object.values(v).forEach(walk);
    }
  };
  walk(insights);
  return out;
}

export const DISCOVERY = `Dana Whitfield: Thanks for joining. I'm the VP of Sales Operations at Acme Corp and I own this budget.
Sam Rivera: Great to meet you, Dana. What are you hoping to fix?
Dana Whitfield: Our reps spend six hours a week on CRM updates. We are also evaluating Gong for this.
Dana Whitfield: Our budget for this is $120k for the year, for 250 seats.
Sam Rivera: I'll send the proposal by Friday.
Dana Whitfield: We need to make a decision by March 31.
`;

export function discoveryAnswer() {
  const budgetQuote = { quote: 'Our budget for this is $120k for the year, for 250 seats.' };
  return {
    ...emptyAnswer(),
    summary:
      // Every line in the conversation's own words: a summary that says more is not kept.
      'Dana Whitfield of Acme Corp owns the budget: $120k for 250 seats. She needs to make a decision by March 31.',
    stakeholders: [
      {
        name: 'Dana Whitfield',
        title: 'VP of Sales Operations',
        role: 'economic_buyer',
        affiliation: 'customer',
        evidence: { quote: "I'm the VP of Sales Operations at Acme Corp and I own this budget." },
      },
      // Typography differs from the source (curly apostrophe): grounding forgives it and emits the source's text.
      {
        name: 'Sam Rivera',
        title: null,
        role: null,
        affiliation: 'seller',
        evidence: { quote: 'I’ll send the proposal by Friday.' },
      },
    ],
    budget: { amount: 120_000, currency: 'USD', evidence: budgetQuote, range: null },
    seatCount: { count: 250, evidence: budgetQuote },
    timeline: {
      date: '2025-03-31',
      text: 'Decision by March 31',
      evidence: { quote: 'We need to make a decision by March 31.' },
    },
    timelineIsDecision: true,
    competitors: [
      {
        name: 'Gong',
        context: 'Evaluating Gong',
        evidence: { quote: 'We are also evaluating Gong for this.' },
      },
    ],
    nextSteps: [
      {
        text: 'Send the proposal',
        owner: 'Sam Rivera',
        dueDate: '2025-03-14',
        priority: 'high',
        evidence: { quote: "I'll send the proposal by Friday." },
      },
    ],
    meddpicc: {
      ...emptyAnswer().meddpicc,
      identifiedPain: [
        {
          text: 'Reps spend six hours a week on CRM updates',
          evidence: { quote: 'Our reps spend six hours a week on CRM updates.' },
        },
      ],
    },
  };
}
