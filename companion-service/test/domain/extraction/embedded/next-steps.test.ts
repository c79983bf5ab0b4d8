import { describe, expect, it } from 'vitest';
import { extractNextSteps } from '../../../../src/domain/extraction/embedded/next-steps.js';
import { expectQuoted, extract, MEETING_DATE, sentencesOf, transcript } from './embedded-support.js';

const PEOPLE = ['Sam Okafor', 'Dana Whitfield', 'Maria Ortiz'];

/** The cut-offs the package ships (Scribe_Setting.Default): High within 3 days, Medium within 14. */
const CUTOFFS = { highWithinDays: 3, mediumWithinDays: 14 };

/** Next steps with every quote checked against the source. */
function prioritizedStepsIn(raw: string) {
  const { conversation, sentences } = sentencesOf(raw);
  const steps = extractNextSteps({
    sentences,
    meetingDate: MEETING_DATE,
    resolveName: (label) =>
      PEOPLE.find((p) => p === label || p.split(' ')[0] === label.split(' ')[0]) ?? null,
    // In these calls Sam sells and Dana buys.
    counterpartOf: (speaker) =>
      speaker === 'Sam Okafor' ? 'Dana Whitfield' : speaker === 'Dana Whitfield' ? 'Sam Okafor' : null,
    customerOf: (speaker) => (speaker === 'Sam Okafor' ? 'Dana Whitfield' : null),
    isNotes: conversation.format === 'notes',
    priorityCutoffs: CUTOFFS,
  });
  for (const s of steps) expectQuoted(conversation, s.evidence);
  return steps;
}

/** Next steps as a rep would see them, without their priority. */
function stepsIn(raw: string) {
  return prioritizedStepsIn(raw).map(({ text, owner, dueDate }) => ({ text, owner, dueDate }));
}

/** A line said by Sam on a call with Dana. */
function samSays(line: string) {
  return transcript(
    ['Sam Okafor', 'Thanks for taking the time today.'],
    ['Dana Whitfield', 'Happy to.'],
    ['Sam Okafor', line],
  );
}

describe('extractNextSteps', () => {
  it('splits "I\'ll send the proposal by Friday and set up a call next Tuesday" into two steps', () => {
    expect(stepsIn(samSays("I'll send the proposal by Friday and set up a call next Tuesday."))).toEqual([
      { text: "I'll send the proposal by Friday", owner: 'Sam Okafor', dueDate: '2026-03-13' },
      { text: 'set up a call next Tuesday', owner: 'Sam Okafor', dueDate: '2026-03-17' },
    ]);
  });

  it('gives a commitment in notes to the person named', () => {
    expect(stepsIn('Dana to send the security questionnaire by 3/27.')).toEqual([
      {
        text: 'Dana to send the security questionnaire by 3/27',
        owner: 'Dana Whitfield',
        dueDate: '2026-03-27',
      },
    ]);
  });

  it('gives "Name will ..." to that person', () => {
    expect(stepsIn('Maria will review the order form by end of next month.')).toEqual([
      expect.objectContaining({ owner: 'Maria Ortiz' }),
    ]);
  });

  it('gives a request to the other side', () => {
    expect(stepsIn(samSays('Could you send me the SOC 2 report by Friday?'))).toEqual([
      {
        text: 'Could you send me the SOC 2 report by Friday?',
        owner: 'Dana Whitfield',
        dueDate: '2026-03-13',
      },
    ]);
  });

  it.each([
    ["Let's reconnect next week.", 'a week'],
    ["We'll circle back sometime in Q4.", 'a quarter'],
    ["I'll send the recap in H2.", 'a half year'],
  ])('gives no due date for a span: "%s" (%s)', (line) => {
    const steps = stepsIn(samSays(line));
    expect(steps).toHaveLength(1);
    expect(steps[0]!.dueDate).toBeNull();
  });

  // Bug: chrono reads the past meeting's date forward, so the step is due 2027-03-02.
  it('does not take the date of a past meeting for a due date', () => {
    expect(stepsIn(samSays("I'll send over the deck from our March 2nd call."))).toEqual([
      { text: "I'll send over the deck from our March 2nd call", owner: 'Sam Okafor', dueDate: null },
    ]);
  });

  it('reads the lines under "Next steps:"', () => {
    const raw = [
      'Call with Fabrikam.',
      'Next steps:',
      '- Maria to confirm the budget owner',
      '- Send pricing by Friday',
    ].join('\n');
    expect(stepsIn(raw)).toEqual([
      { text: 'Maria to confirm the budget owner', owner: 'Maria Ortiz', dueDate: null },
      { text: 'Send pricing by Friday', owner: null, dueDate: '2026-03-13' },
    ]);
  });

  it('agrees a time as a step: "Next Thursday works for the demo"', () => {
    expect(stepsIn(samSays('Next Thursday works for the demo.'))).toEqual([
      { text: 'Next Thursday works for the demo', owner: null, dueDate: '2026-03-19' },
    ]);
  });

  // Bug: "resend" is not an action word, so the commitment is missed.
  it('reads "I\'ll resend the deck tomorrow" as a step', () => {
    expect(stepsIn(samSays("I'll resend the deck tomorrow."))).toEqual([
      { text: "I'll resend the deck tomorrow", owner: 'Sam Okafor', dueDate: '2026-03-12' },
    ]);
  });

  // Bug: "I'll have X over to you" is not read as a commitment.
  it('reads "I\'ll have the MSA over to you by Monday" as a step', () => {
    expect(stepsIn(samSays("Will do, I'll have the MSA over to you by Monday."))).toEqual([
      expect.objectContaining({ owner: 'Sam Okafor', dueDate: '2026-03-16' }),
    ]);
  });

  // Bug: "30 minutes" is read as a date today, so the step is due on the meeting day, not 3/27.
  it('does not take a duration for the due date', () => {
    expect(stepsIn(samSays("Let's book 30 minutes on 3/27 with your CFO."))).toEqual([
      expect.objectContaining({ dueDate: '2026-03-27' }),
    ]);
  });

  // Bug: only clauses starting with an action are split off, so Dana's step and its date are lost.
  it("splits two owners' commitments in one sentence", () => {
    expect(
      stepsIn(samSays('I will send you the proposal on Friday, and Dana will confirm the budget by Monday.')),
    ).toEqual([
      expect.objectContaining({ owner: 'Sam Okafor', dueDate: '2026-03-13' }),
      expect.objectContaining({ owner: 'Dana Whitfield', dueDate: '2026-03-16' }),
    ]);
  });

  describe('what is not a next step', () => {
    it.each([
      ['If we had the numbers we could have sent it already.', 'hypothetical'],
      ["I'll take the kids to softball on Saturday.", 'small talk'],
      ['Let me just confirm that I understood you.', 'thinking aloud'],
      ['We already sent the proposal last week.', 'done already'],
      ['Walk me through how forecasting works today?', 'a discovery question'],
    ])('"%s" (%s)', (line) => {
      expect(stepsIn(samSays(line))).toEqual([]);
    });
  });

  describe('what already happened is not a next step', () => {
    it.each([
      ['We sent the contract last week.'],
      ['They signed the NDA on Monday.'],
      ['Dana shared the SOC 2 report with her security team.'],
      ['I already set up the sandbox for your admins.'],
    ])('"%s"', (line) => {
      expect(stepsIn(samSays(line))).toEqual([]);
    });

    it('keeps the commitment said in the same sentence as what was done', () => {
      expect(
        stepsIn(samSays("We sent the contract last week, and I'll follow up with legal on Friday.")),
      ).toEqual([expect.objectContaining({ owner: 'Sam Okafor', dueDate: '2026-03-13' })]);
    });

    it('keeps a step that waits for something to be done', () => {
      expect(stepsIn(samSays("Let's reconnect on March 20 once the review is done."))).toEqual([
        expect.objectContaining({ dueDate: '2026-03-20' }),
      ]);
    });

    it('keeps "I\'ll resend the deck I sent last week"', () => {
      expect(stepsIn(samSays("I'll resend the deck I sent last week by Thursday."))).toEqual([
        expect.objectContaining({ owner: 'Sam Okafor', dueDate: '2026-03-12' }),
      ]);
    });

    it('skips done items under "Next steps:" and keeps the rest', () => {
      const raw = [
        'Call with Fabrikam.',
        'Next steps:',
        '- Sent the pricing deck to Dana',
        '- Dana to return the security questionnaire by Friday',
      ].join('\n');
      expect(stepsIn(raw)).toEqual([
        {
          text: 'Dana to return the security questionnaire by Friday',
          owner: 'Dana Whitfield',
          dueDate: '2026-03-13',
        },
      ]);
    });
  });

  describe('hypotheticals and questions are not next steps', () => {
    it.each([
      ['If the pilot goes well, we will set up the rollout for all forty reps.'],
      ['Assuming legal is fine with it, we can sign next month.'],
      ['Should we set up a call with your legal team?'],
      ['I can send the case study if that helps.'],
    ])('"%s"', (line) => {
      expect(stepsIn(samSays(line))).toEqual([]);
    });

    it('keeps a polite "if that works" before a commitment', () => {
      expect(stepsIn(samSays("If that works, I'll send the invite for Monday."))).toEqual([
        expect.objectContaining({ owner: 'Sam Okafor', dueDate: '2026-03-16' }),
      ]);
    });
  });

  it('gives "they" to the customer when our side says it', () => {
    expect(stepsIn(samSays("They'll send the signed PO by the 20th."))).toEqual([
      expect.objectContaining({ owner: 'Dana Whitfield', dueDate: '2026-03-20' }),
    ]);
  });

  describe('due dates counted from the meeting, not from today', () => {
    it.each([
      ["I'll send the revised proposal in two weeks.", '2026-03-25'],
      ["I'll send the recap by EOW.", '2026-03-13'],
      ["I'll send the order form by the end of the week.", '2026-03-13'],
      ["I'll get you the pricing by end of month.", '2026-03-31'],
      ["I'll send the signed MSA by the 15th.", '2026-03-15'],
      ["I'll set up the review next Thursday.", '2026-03-19'],
    ])('"%s" is due %s', (line, due) => {
      expect(stepsIn(samSays(line))).toEqual([expect.objectContaining({ dueDate: due })]);
    });

    it.each([["I'll check back in two weeks or so."], ["Let's regroup early next quarter."]])(
      '"%s" names a span, no day',
      (line) => {
        expect(stepsIn(samSays(line))).toEqual([expect.objectContaining({ dueDate: null })]);
      },
    );
  });

  describe('priority', () => {
    const priorityOf = (line: string) => prioritizedStepsIn(samSays(line)).map((s) => s.priority);

    it('is High when due within the High days, Medium within the Medium days, Low later', () => {
      expect(priorityOf("I'll send the recap tomorrow.")).toEqual(['high']);
      expect(priorityOf("I'll send the case studies by the 20th.")).toEqual(['medium']);
      expect(priorityOf("Let's regroup early next quarter.")).toEqual(['low']);
    });

    it('is High when called urgent, and Low when said to be no rush', () => {
      expect(priorityOf('Could you send me the W-9 ASAP? Our AP team needs it.')).toEqual(['high']);
      expect(priorityOf("No rush, but I'll send the case studies by Friday.")).toEqual(['low']);
    });

    it('is a level higher when the deal waits on it', () => {
      expect(priorityOf("I'll send the order form by the 20th.")).toEqual(['high']);
      expect(priorityOf("I'll send a few case studies.")).toEqual(['medium']);
      expect(priorityOf("I'll send the redlines back.")).toEqual(['high']);
    });
  });

  it('names one action once, however it is reworded later in the call', () => {
    const raw = transcript(
      ['Sam Okafor', "I'll send the order form by Friday."],
      ['Dana Whitfield', 'Great, and I will get Maria to sign it.'],
      ['Sam Okafor', 'Perfect. So again, I will send over the order form Friday.'],
    );
    const steps = stepsIn(raw);
    expect(steps.filter((s) => /order form/.test(s.text))).toEqual([
      { text: "I'll send the order form by Friday", owner: 'Sam Okafor', dueDate: '2026-03-13' },
    ]);
  });

  it('takes a request and the yes that answers it as one step: the answer, which says when', () => {
    const raw = transcript(
      ['Sam Okafor', 'Thanks for joining, Dana and Maria.'],
      ['Dana Whitfield', 'Happy to.'],
      ['Sam Okafor', 'Maria, can you set up a sandbox for the pilot team?'],
      ['Maria Ortiz', "Yes, I'll have the sandbox ready by Friday."],
    );
    expect(stepsIn(raw)).toEqual([
      { text: "Yes, I'll have the sandbox ready by Friday", owner: 'Maria Ortiz', dueDate: '2026-03-13' },
    ]);
  });

  it('finds every commitment of a dictated memo said in one breath', () => {
    const memo =
      'ok quick memo on the call with Dana um it went well they liked the forecasting views and the ' +
      'rollup and they want to see the Salesforce sync working end to end before anything else and ' +
      'there was a long bit about their territories and how the regions report up to Maria so ' +
      "I'm gonna set up a call with Maria for next Wednesday and I owe Dana the pricing sheet by Monday " +
      'and that is about it for now other than the usual stuff about timing and procurement';
    expect(stepsIn(memo).map(({ dueDate }) => dueDate)).toEqual(['2026-03-18', '2026-03-16']);
  });

  it('reads "send case studies (Maria) by 3/20" as Maria\'s, but not a title in brackets', () => {
    expect(stepsIn('send case studies (Maria) by 3/20')).toEqual([
      expect.objectContaining({ owner: 'Maria Ortiz', dueDate: '2026-03-20' }),
    ]);
    expect(stepsIn('Call w/ Dana Whitfield (VP Sales). Went well.')).toEqual([]);
  });

  it('names each step once', () => {
    const raw = transcript(
      ['Sam Okafor', "I'll send the proposal by Friday."],
      ['Dana Whitfield', 'Great.'],
      ['Sam Okafor', "I'll send the proposal by Friday."],
    );
    expect(stepsIn(raw)).toHaveLength(1);
  });
});

describe('next steps through the embedded extractor', () => {
  it('keeps the date of a request answered later, with a quote that bears it out, and its priority', async () => {
    const raw = transcript(
      ['Sam Okafor', 'Thanks for joining, Dana. Maria is on too.'],
      ['Dana Whitfield', 'Happy to. Maria Ortiz runs procurement for us.'],
      ['Sam Okafor', 'Maria, could you send the signed order form back?'],
      ['Maria Ortiz', 'Sure, I will send it back by Friday.'],
    );
    const { conversation, insights } = await extract(raw);
    for (const s of insights.nextSteps) expectQuoted(conversation, s.evidence);
    expect(insights.nextSteps).toEqual([
      expect.objectContaining({ owner: 'Maria Ortiz', dueDate: '2026-03-13', priority: 'high' }),
    ]);
    expect(insights.dropped.filter((d) => d.insight.startsWith('nextSteps'))).toEqual([]);
  });

  it('resolves owners from the stakeholders and dates from the meeting date', async () => {
    const raw = transcript(
      ['Sam Okafor', 'Thanks for taking the time today. Tell me about your current process.'],
      ['Dana Whitfield', 'We currently use spreadsheets. Our CFO, Maria Ortiz, signs anything over 50k.'],
      ['Sam Okafor', "Got it. I'll send the proposal by Friday and set up a call next Tuesday."],
      ['Dana Whitfield', "I'll loop in Maria by end of next month."],
    );
    const { conversation, insights } = await extract(raw);
    for (const s of insights.nextSteps) expectQuoted(conversation, s.evidence);
    expect(insights.nextSteps.map(({ text, owner, dueDate }) => ({ text, owner, dueDate }))).toEqual([
      { text: "I'll send the proposal by Friday", owner: 'Sam Okafor', dueDate: '2026-03-13' },
      { text: 'set up a call next Tuesday', owner: 'Sam Okafor', dueDate: '2026-03-17' },
      { text: "I'll loop in Maria by end of next month", owner: 'Dana Whitfield', dueDate: '2026-04-30' },
    ]);
  });
});

describe('commitments said with any verb, by a named person or a team, and what is one step', () => {
  it('takes any action after a committing subject, not only the usual verbs', () => {
    expect(stepsIn(samSays("I'll draft the rollout plan by Friday."))).toEqual([
      { text: "I'll draft the rollout plan by Friday", owner: 'Sam Okafor', dueDate: '2026-03-13' },
    ]);
    expect(stepsIn(samSays("Dana, I'll rebuild the sandbox with your course data by Monday."))).toEqual([
      {
        text: "Dana, I'll rebuild the sandbox with your course data by Monday",
        owner: 'Sam Okafor',
        dueDate: '2026-03-16',
      },
    ]);
  });

  it('does not take being, thinking or a condition for a step', () => {
    expect(stepsIn(samSays("I'll be honest, the pricing page is confusing."))).toEqual([]);
    expect(stepsIn(samSays("I'll let you know sooner if anything changes."))).toEqual([]);
    // The purpose of a request is no second step (the request itself waits for a "Will do").
    expect(stepsIn(samSays('Send me the deck so I can take it to our CFO.'))).toEqual([]);
  });

  it('finds the owner named before who they are: "Maria from their finance team will ..."', () => {
    expect(
      stepsIn(samSays('Maria from their finance team will answer the tax questions by Friday.')),
    ).toEqual([
      {
        text: 'Maria from their finance team will answer the tax questions by Friday',
        owner: 'Maria Ortiz',
        dueDate: '2026-03-13',
      },
    ]);
  });

  it('keeps an action and what is then done with its result as one step', () => {
    expect(
      stepsIn(samSays("I'll pull the route exceptions and share them with you by Thursday.")),
    ).toHaveLength(1);
    expect(stepsIn(samSays("I'll send the proposal by Friday and set up a call next Tuesday."))).toHaveLength(
      2,
    );
  });

  it('takes "we need to" for a task but not for the deal\'s own milestone', () => {
    expect(stepsIn(samSays('We need to book the training sessions for the clinics.'))).toHaveLength(1);
    expect(stepsIn(samSays('We need to sign by the end of Q2.'))).toEqual([]);
  });
});
