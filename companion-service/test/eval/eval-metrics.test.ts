import { describe, expect, it } from 'vitest';
import {
  checkEvidence,
  matchCompetitors,
  matchNextSteps,
  matchStakeholders,
  normalizeCompetitorName,
  personNamesMatch,
  scoreBudget,
  scoreFacts,
  scoreTimelineDate,
  scoresOf,
  stageCorrect,
  stageOrStay,
} from '../../eval/metrics.js';

describe('person names', () => {
  it('match ignoring case and surrounding space', () => {
    expect(personNamesMatch('  Dana Whitfield ', 'dana whitfield')).toBe(true);
  });

  it('let a first name alone match the full name, either way round', () => {
    expect(personNamesMatch('Roger', 'Roger Lane')).toBe(true);
    expect(personNamesMatch('Roger Lane', 'roger')).toBe(true);
  });

  it('do not match a surname alone or a different full name', () => {
    expect(personNamesMatch('Lane', 'Roger Lane')).toBe(false);
    expect(personNamesMatch('Roger Lane', 'Roger Moore')).toBe(false);
  });
});

describe('competitor names', () => {
  it('ignore case and a trailing .io, .ai or Inc', () => {
    expect(normalizeCompetitorName('Gong.io')).toBe('gong');
    expect(normalizeCompetitorName('People.ai')).toBe('people');
    expect(normalizeCompetitorName('Clari Inc')).toBe('clari');
    expect(normalizeCompetitorName('Clari, Inc.')).toBe('clari');
  });

  it('keep other dotted names whole', () => {
    expect(normalizeCompetitorName('Bill.com')).toBe('bill.com');
  });

  it('count a vendor once however often it is reported, and an unknown one as a false positive', () => {
    const result = matchCompetitors(['Clari', 'People.ai'], ['clari', 'Clari Inc', 'Gong']);
    expect(result.pairs.map((p) => p.expected)).toEqual(['Clari']);
    expect(result.missing).toEqual(['People.ai']);
    expect(result.extra).toEqual(['Gong']);
  });
});

describe('stakeholders', () => {
  const expected = [
    { name: 'Maria Ortiz', affiliation: 'customer', role: 'economic_buyer' },
    { name: 'Jordan Lee', affiliation: 'seller', role: null },
    { name: 'Priya Raman', affiliation: 'customer', role: 'champion' },
  ];

  it('pair by name and judge affiliation over matched people, role over those labelled with one', () => {
    const predicted = [
      { name: 'maria', affiliation: 'customer', role: 'decision_maker' },
      { name: 'Jordan Lee', affiliation: 'customer', role: null },
      { name: 'Raj', affiliation: 'customer', role: null },
    ];
    const score = matchStakeholders(expected, predicted);
    expect(score.pairing.pairs).toHaveLength(2);
    expect(score.pairing.missing.map((p) => p.name)).toEqual(['Priya Raman']);
    expect(score.pairing.extra.map((p) => p.name)).toEqual(['Raj']);
    expect(score.affiliation).toEqual({ correct: 1, total: 2 });
    expect(score.role).toEqual({ correct: 0, total: 1 });
  });

  it('let an exact name claim its person before a first name can', () => {
    const score = matchStakeholders(
      [
        { name: 'Sam', affiliation: 'seller', role: null },
        { name: 'Sam Okafor', affiliation: 'seller', role: null },
      ],
      [
        { name: 'Sam Okafor', affiliation: 'seller', role: null },
        { name: 'Sam', affiliation: 'seller', role: null },
      ],
    );
    expect(score.pairing.pairs.map((p) => [p.expected.name, p.predicted.name])).toEqual([
      ['Sam', 'Sam'],
      ['Sam Okafor', 'Sam Okafor'],
    ]);
  });
});

describe('single-valued fields', () => {
  it('accept a budget within half a percent in the same currency', () => {
    expect(scoreBudget({ amount: 80000, currency: 'USD' }, { amount: 80300, currency: 'USD' })).toEqual({
      tp: 1,
      fp: 0,
      fn: 0,
    });
  });

  it('count a wrong amount or currency as one false positive and one false negative', () => {
    expect(scoreBudget({ amount: 80000, currency: 'USD' }, { amount: 81000, currency: 'USD' })).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
    });
    expect(scoreBudget({ amount: 48000, currency: 'EUR' }, { amount: 48000, currency: 'USD' })).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
    });
  });

  it('score both ends of a labelled range, and only the amount when the label gives none', () => {
    const label = { amount: 70_000, currency: 'USD', range: { low: 50_000, high: 70_000 } };
    expect(scoreBudget(label, { ...label, range: { low: 50_000, high: 70_000 } })).toEqual({
      tp: 1,
      fp: 0,
      fn: 0,
    });
    // The ceiling alone, or the wrong floor, is not the range the customer gave.
    expect(scoreBudget(label, { amount: 70_000, currency: 'USD', range: null })).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
    });
    expect(scoreBudget(label, { ...label, range: { low: 60_000, high: 70_000 } })).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
    });
    // A label that says the budget is one figure is not matched by a range.
    const single = { amount: 70_000, currency: 'USD', range: null };
    expect(scoreBudget(single, { ...single, range: { low: 50_000, high: 70_000 } })).toEqual({
      tp: 0,
      fp: 1,
      fn: 1,
    });
    expect(scoreBudget({ amount: 70_000, currency: 'USD' }, label)).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('count an invented value as a false positive and a missed one as a false negative', () => {
    expect(scoreBudget(null, { amount: 1_000_000, currency: 'USD' })).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(scoreTimelineDate('2026-09-30', null)).toEqual({ tp: 0, fp: 0, fn: 1 });
    expect(scoreTimelineDate(null, null)).toEqual({ tp: 0, fp: 0, fn: 0 });
  });
});

describe('scores', () => {
  it('compute precision, recall and F1, and leave them undefined with nothing to measure', () => {
    expect(scoresOf({ tp: 3, fp: 1, fn: 2 })).toEqual({ precision: 0.75, recall: 0.6, f1: 6 / 9 });
    expect(scoresOf({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: null, recall: null, f1: null });
  });
});

describe('stage', () => {
  it('needs both the stage and the direction right', () => {
    const expected = { to: 'Qualification', direction: 'backward' };
    expect(stageCorrect(expected, { to: 'Qualification', direction: 'backward' })).toBe(true);
    expect(stageCorrect(expected, { to: 'Qualification', direction: 'forward' })).toBe(false);
  });

  it('reads no suggestion as staying at the current stage', () => {
    expect(stageOrStay(null, 'Needs Analysis')).toEqual({ to: 'Needs Analysis', direction: 'none' });
    expect(stageCorrect({ to: null, direction: 'none' }, stageOrStay(null, null))).toBe(true);
  });
});

describe('next steps', () => {
  it('pair steps by due date before order, then judge due dates and owners over the pairs', () => {
    const score = matchNextSteps(
      [
        { owner: 'Roger Lane', dueDate: '2026-03-13' },
        { owner: 'Aisha Bello', dueDate: '2026-03-12' },
      ],
      [
        { owner: 'Aisha', dueDate: '2026-03-12' },
        { owner: null, dueDate: '2026-03-20' },
        { owner: 'Hannah Cho', dueDate: null },
      ],
    );
    expect(score.pairing.pairs).toHaveLength(2);
    expect(score.pairing.extra).toHaveLength(1);
    expect(score.dueDate).toEqual({ correct: 1, total: 2 });
    expect(score.owner).toEqual({ correct: 1, total: 2 });
  });

  it('score a priority only where the label gives one, so older labels are not counted wrong', () => {
    const score = matchNextSteps(
      [
        { owner: 'Roger Lane', dueDate: '2026-03-13', priority: 'high' },
        { owner: 'Aisha Bello', dueDate: '2026-03-12', priority: 'low' },
        { owner: 'Hannah Cho', dueDate: null },
      ],
      [
        { owner: 'Roger Lane', dueDate: '2026-03-13', priority: 'high' },
        { owner: 'Aisha Bello', dueDate: '2026-03-12', priority: 'medium' },
        { owner: 'Hannah Cho', dueDate: null, priority: 'high' },
      ],
    );
    expect(score.priority).toEqual({ correct: 1, total: 2 });
  });
});

describe('evidence', () => {
  const text = 'Dana Whitfield: We set aside $64,000 a year.';

  it('finds every quote in the output, nested anywhere, and checks it against the text', () => {
    const output = {
      budget: { amount: 64000, evidence: { quote: '$64,000', start: 29, end: 36 } },
      stageSuggestion: { evidence: [{ quote: 'set aside', start: 19, end: 28 }] },
      competitors: [{ name: 'Clari', evidence: { quote: 'Clari', start: 0, end: 5 } }],
    };
    const result = checkEvidence(text, output);
    expect(result.total).toBe(3);
    expect(result.correct).toBe(2);
    expect(result.failures.map((f) => f.quote)).toEqual(['Clari']);
  });

  it('rejects a quote without offsets', () => {
    expect(checkEvidence(text, { evidence: { quote: 'Dana' } }).correct).toBe(0);
  });
});

describe('company and deal facts', () => {
  const label = {
    employees: 1200,
    revenue: { amount: 80_000_000, currency: 'USD' },
    techStack: ['Salesforce', 'NetSuite'],
    users: 40,
    useCase: 'cut the time our reps spend',
    decisionTimeline: { date: '2026-06-30' },
  };

  it('scores each fact as what a rep would record: counts exact, stack by name, use case by its words', () => {
    const score = scoreFacts(label, {
      employees: 40,
      revenue: { amount: 80_200_000, currency: 'USD' },
      techStack: ['salesforce', 'Clari'],
      users: 40,
      useCase: {
        text: 'cut the time',
        quote: 'The main thing is to cut the time our reps spend updating it.',
      },
      decisionTimeline: null,
    });
    expect(score.employees).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(score.revenue).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(score.techStack.missing).toEqual(['NetSuite']);
    expect(score.techStack.extra).toEqual(['Clari']);
    expect(score.users).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(score.useCase).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(score.decisionTimeline).toEqual({ tp: 0, fp: 0, fn: 1 });
  });

  it('counts a use case read from the wrong sentence as wrong, and an invented one as invented', () => {
    const wrong = scoreFacts(label, {
      ...label,
      useCase: { text: 'integrate with Slack', quote: 'It must integrate with Slack.' },
    });
    expect(wrong.useCase).toEqual({ tp: 0, fp: 1, fn: 1 });
    const invented = scoreFacts(
      { ...label, useCase: null, decisionTimeline: null },
      { ...label, useCase: { text: 'x', quote: 'x' }, decisionTimeline: { date: null } },
    );
    expect(invented.useCase).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(invented.decisionTimeline).toEqual({ tp: 0, fp: 1, fn: 0 });
  });
});
