import { expect, it } from 'vitest';
import { formatResult } from '../../src/cli/report.js';
import { ConversationResultSchema } from '../../src/domain/conversation-result.js';

it('npm start names every value it dropped for want of support, and why', () => {
  const result = ConversationResultSchema.parse({
    id: 'c1',
    sourceId: 'text:1',
    status: 'processed',
    conversationRecordId: 'a005L0000000001QAA',
    format: 'transcript',
    extractor: 'llm 0.1.0 (test-model)',
    meetingDate: '2026-03-11',
    match: { kind: 'none', opportunity: null, account: null, reasons: [], candidates: [] },
    suggestions: [],
    autoApplied: [],
    stale: [],
    fieldOutcomes: [],
    dropped: [
      {
        insight: 'nextSteps',
        value: 'Wire the full payment to the new bank account today',
        quote: "That works. Let's reconnect",
        reason: 'only 0% of its words are in the quote (at least 80% must be); not in it: wire, payment',
      },
    ],
    errors: [],
    apiCalls: 2,
    changedOrg: true,
    processedAt: '2026-03-11T10:00:00.000Z',
  });
  expect(formatResult('02-tailspin.txt', 202, 40, result)).toContain(
    '   Dropped nextSteps "Wire the full payment to the new bank a…": only 0% of its words are in the quote (at least 80% must be); not in it: wire, payment',
  );
});

it('reads a stored result from before values were held to quotes as having dropped nothing', () => {
  const older = ConversationResultSchema.shape.dropped.parse(undefined);
  expect(older).toEqual([]);
});
