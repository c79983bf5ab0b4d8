import { describe, expect, it } from 'vitest';
import { parsePattern } from '../../../src/domain/stages/stage-rules.js';
import { judgePhrase, prepareSentences } from '../../../src/domain/stages/signal-matcher.js';
import { VETOES } from '../../../src/domain/stages/signal-vetoes.js';
import { findMentions } from '../../../src/domain/extraction/finalize.js';
import { parseConversation } from '../../../src/domain/source/detect.js';
import { splitSentences } from '../../../src/domain/text/sentences.js';

/**
 * One row per named veto: a sentence it stops, and the same claim stated plainly, which counts. The
 * pair shows the veto is what makes the difference.
 */

type Kind = 'open' | 'closed' | 'setback';

interface Row {
  veto: string;
  pattern: string;
  kind: Kind;
  stopped: string;
  stated: string;
  competitors?: string[];
}

const ROWS: Row[] = [
  {
    veto: 'negated',
    pattern: 'signed * contract',
    kind: 'open',
    stopped: "We haven't signed the contract.",
    stated: 'We have signed the contract.',
  },
  {
    veto: 'negated after',
    pattern: 'discount',
    kind: 'open',
    stopped: 'Discount not discussed.',
    stated: 'Discount discussed at length.',
  },
  {
    veto: 'negated within',
    pattern: 'signed * contract',
    kind: 'open',
    stopped: 'We signed no contract.',
    stated: 'We signed the contract.',
  },
  {
    veto: 'setback undone',
    pattern: 'budget freeze',
    kind: 'setback',
    stopped: 'The budget freeze was lifted.',
    stated: 'The budget freeze hit the project.',
  },
  {
    veto: 'moved, not cancelled',
    pattern: 'cancel* * meeting',
    kind: 'setback',
    stopped: "We had to cancel Thursday's meeting, can we move it to Monday?",
    stated: "We had to cancel Thursday's meeting, and there is no new date.",
  },
  {
    veto: 'pause of something else',
    pattern: 'on hold',
    kind: 'setback',
    stopped: 'Line 3 was on hold for six hours.',
    stated: 'The project is on hold for six weeks.',
  },
  {
    veto: 'old setback',
    pattern: 'budget freeze',
    kind: 'setback',
    stopped: 'We had a budget freeze in 2022.',
    stated: 'We have a budget freeze.',
  },
  {
    veto: 'condition',
    pattern: 'send * proposal',
    kind: 'open',
    stopped: 'Once the trial is done we send the proposal.',
    stated: 'After the trial is done we send the proposal.',
  },
  {
    veto: 'not now',
    pattern: 'pilot',
    kind: 'open',
    stopped: 'A pilot, but not now.',
    stated: 'A pilot, starting now.',
  },
  {
    veto: 'habitual',
    pattern: 'legal * reviewing',
    kind: 'open',
    stopped: 'Usually legal is reviewing the contract for two weeks before anyone signs.',
    stated: 'Right now legal is reviewing the contract.',
  },
  {
    veto: 'put off',
    pattern: 'proof of concept',
    kind: 'open',
    stopped: 'We want to defer the proof of concept to next quarter.',
    stated: 'We want to start the proof of concept next week.',
  },
  {
    veto: 'speculation',
    pattern: 'pilot',
    kind: 'open',
    stopped: 'Maybe we would run a pilot in one warehouse.',
    stated: 'We would run a pilot in one warehouse.',
  },
  {
    veto: "competitor's deal",
    pattern: 'pilot',
    kind: 'open',
    stopped: 'Clari is running a pilot with our team.',
    stated: 'Acme is running a pilot with our team.',
    competitors: ['Clari'],
  },
  {
    veto: 'signed with someone else',
    pattern: 'contract * signed',
    kind: 'closed',
    stopped: "It's final, the contract's signed with them.",
    stated: "It's final, the contract's signed with you.",
  },
  {
    veto: 'dropping something old',
    pattern: 'not moving forward',
    kind: 'closed',
    stopped: 'We are not moving forward with the old spreadsheet process.',
    stated: 'We are not moving forward with the project.',
  },
  {
    veto: 'hypothetical',
    pattern: 'contract * signed',
    kind: 'closed',
    stopped: 'We would like to have the contract signed.',
    stated: 'They have the contract signed.',
  },
  {
    veto: 'hypothetical within',
    pattern: 'contract * signed',
    kind: 'closed',
    stopped: 'The contract will be signed.',
    stated: 'The contract was signed.',
  },
  {
    veto: 'future or history',
    pattern: 'signed * contract',
    kind: 'closed',
    stopped: 'We signed the contract two years ago.',
    stated: 'We signed the contract today.',
  },
  {
    veto: 'deadline',
    pattern: 'contract * signed',
    kind: 'closed',
    stopped: 'The contract was signed by Friday.',
    stated: 'The contract was signed by their CFO.',
  },
];

/** What the one sentence of `text` answers to the pattern, for a signal of that kind. */
function judge(row: Row, text: string) {
  const conversation = parseConversation(text);
  const catalog = (row.competitors ?? []).map((name) => ({ name, aliases: [] }));
  const mentions = findMentions(conversation.text, row.competitors ?? [], catalog);
  const [sentence, ...more] = prepareSentences(splitSentences(conversation), mentions);
  expect(more, 'each example is one sentence').toEqual([]);
  const pattern = parsePattern(row.pattern, 'test');
  if (pattern.kind !== 'phrase') throw new Error(`${row.pattern} is not a phrase`);
  return judgePhrase(sentence!, pattern.tokens, {
    factualOnly: row.kind === 'closed',
    regression: row.kind === 'setback',
    competitorMentions: mentions,
  });
}

describe('the vetoes of the signal matcher', () => {
  it('has an example for every veto, in the order they are tried', () => {
    expect(ROWS.map((r) => r.veto)).toEqual(VETOES.map((v) => v.name));
  });

  it.each(ROWS)('$veto: "$stopped" is no evidence; "$stated" is', (row) => {
    const stopped = judge(row, row.stopped);
    expect(stopped && 'veto' in stopped ? stopped.veto.name : stopped).toBe(row.veto);
    expect(judge(row, row.stated)).toEqual({
      evidence: expect.objectContaining({ quote: row.stated }),
      at: expect.any(Object),
    });
  });
});
