import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiExtractor } from '../../../src/adapters/llm/openai-extractor.js';
import { loadPackageRules } from '../../../src/adapters/metadata/package-metadata.js';
import { chunkConversation } from '../../../src/domain/extraction/chunking.js';
import { parseConversation } from '../../../src/domain/source/detect.js';
import type { OrgRules } from '../../../src/domain/org-rules.js';
import {
  conversationSent,
  emptyAnswer,
  startFakeOpenAi,
  type FakeOpenAi,
  type RecordedRequest,
} from './fake-openai-server.js';

let rules: OrgRules;
let server: FakeOpenAi | null = null;

beforeAll(async () => {
  rules = await loadPackageRules();
});

afterEach(async () => {
  await server?.close();
  server = null;
});

const EARLY_BUDGET = 'We set aside $80k for this originally.';
const LATE_BUDGET = 'Finance approved $120k, so that is the real budget now.';
const GONG = 'We are evaluating Gong as well.';
const CLARI = 'We also had a demo from Clari last week.';
const TITLE = "As the CFO I'll sign the order form myself.";

/** A forty-turn call: budget and Gong early, Clari and the revised budget late, filler between. */
function longCall(): string {
  const turns: string[] = [];
  for (let i = 0; i < 40; i++) {
    const speaker = i % 2 === 0 ? 'Dana Whitfield' : 'Sam Rivera';
    let line = `We walked through item ${i + 1} of the rollout plan and agreed it looks reasonable for the team.`;
    if (i === 2) line = `${EARLY_BUDGET} ${GONG}`;
    if (i === 30) line = `${CLARI} ${TITLE}`;
    if (i === 36) line = LATE_BUDGET;
    turns.push(`${speaker}: ${line}`);
  }
  return turns.join('\n') + '\n';
}

/** A model that reports what its chunk holds, and only that. */
function answerFor(request: RecordedRequest) {
  const text = conversationSent(request);
  const part = /part (\d+) of (\d+)/.exec(request.body.messages[1]!.content)?.[1] ?? '?';
  const answer = emptyAnswer();
  answer.summary = `Part ${part} went through the rollout plan. More detail followed.`;
  const stakeholders = [];
  if (text.includes('Dana Whitfield:')) {
    const titled = text.includes(TITLE);
    stakeholders.push({
      name: titled ? 'Dana Whitfield' : 'Dana',
      title: titled ? 'CFO' : null,
      role: titled ? 'economic_buyer' : null,
      affiliation: 'customer',
      evidence: { quote: titled ? TITLE : `${text.split('Dana Whitfield: ')[1]!.split('\n')[0]}` },
    });
  }
  const competitors = [];
  if (text.includes(GONG))
    competitors.push({ name: 'Gong', context: 'Being evaluated', evidence: { quote: GONG } });
  if (text.includes(CLARI))
    competitors.push({ name: 'Clari', context: 'Gave a demo', evidence: { quote: CLARI } });
  const budgetQuote = text.includes(LATE_BUDGET)
    ? LATE_BUDGET
    : text.includes(EARLY_BUDGET)
      ? EARLY_BUDGET
      : null;
  return {
    content: {
      ...answer,
      stakeholders,
      competitors,
      budget: budgetQuote
        ? {
            amount: budgetQuote === LATE_BUDGET ? 120_000 : 80_000,
            currency: 'USD',
            evidence: { quote: budgetQuote },
            range: null,
          }
        : null,
    },
  };
}

describe('OpenAiExtractor on a long transcript', () => {
  it('extracts each overlapping chunk in its own request and merges the answers', async () => {
    server = await startFakeOpenAi(answerFor);
    const settings = { chunkChars: 1_500, overlapChars: 300 };
    const llm = new OpenAiExtractor({
      baseURL: server.baseURL,
      apiKey: 'sk-test-0123456789abcdef',
      model: 'test-model',
      sendPii: false,
      timeoutMs: 5_000,
      maxRetries: 0,
      ...settings,
    });
    const conversation = parseConversation(longCall());
    const insights = await llm.extract(conversation, {
      currentStage: null,
      meetingDate: '2025-03-10',
      rules,
    });

    const expected = chunkConversation(conversation, {
      maxChars: settings.chunkChars,
      overlapChars: settings.overlapChars,
    });
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(server.requests).toHaveLength(expected.length);
    const sent = server.requests
      .map(conversationSent)
      .sort((a, b) => conversation.text.indexOf(a) - conversation.text.indexOf(b));
    expect(sent).toEqual(expected.map((c) => c.text));
    for (const text of sent) expect(text.length).toBeLessThanOrEqual(settings.chunkChars);
    for (const request of server.requests)
      expect(request.body.messages[1]!.content).toMatch(
        new RegExp(`of ${expected.length} of a longer conversation`),
      );

    expect(insights.competitors.map((c) => c.name).sort()).toEqual(['Clari', 'Gong']);
    expect(insights.budget).toMatchObject({ amount: 120_000, evidence: { quote: LATE_BUDGET } });
    expect(insights.stakeholders).toHaveLength(1);
    expect(insights.stakeholders[0]).toMatchObject({
      name: 'Dana Whitfield',
      title: 'CFO',
      role: 'economic_buyer',
    });
    const sentences = insights.summary.split(/(?<=[.!?])\s+/);
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(3);
    for (const e of [insights.budget!.evidence, ...insights.competitors.map((c) => c.evidence)]) {
      expect(conversation.text.slice(e.start, e.end)).toBe(e.quote);
    }
  });
});
