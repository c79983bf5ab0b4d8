import { describe, expect, it } from 'vitest';
import { findDates } from '../../../../src/domain/extraction/embedded/dates.js';
import { MEETING_DATE } from './embedded-support.js';

/** The one date in a line, resolved against a Wednesday meeting on 2026-03-11. */
function dateIn(line: string, meetingDate = MEETING_DATE) {
  const dates = findDates(line, meetingDate);
  expect(dates).toHaveLength(1);
  const [found] = dates;
  // The date's text is where the line says it is.
  expect(line.slice(found!.index, found!.index + found!.text.length)).toBe(found!.text);
  return { date: found!.date, precision: found!.precision };
}

describe('findDates', () => {
  describe('the meeting day said as part of it, days in words, and what is no date', () => {
    it.each([
      ["I'll send the DPA this afternoon.", '2026-03-11'],
      ['You will have it by EOD.', '2026-03-11'],
      ["I'll send the invite right after this call.", '2026-03-11'],
      ['Share the list by COB Thursday.', '2026-03-12'],
      ['The rebuild should be done by the twelfth.', '2026-03-12'],
      ['Send it over by the twenty-first at the latest.', '2026-03-21'],
    ])('reads "%s" as %s', (line, date) => {
      expect(dateIn(line)).toEqual({ date, precision: 'day' });
    });

    it('reads "the week of the 18th" as a week, not a day to hold someone to', () => {
      const said = findDates('Propose two slots for the week of the 18th.', MEETING_DATE);
      expect(said.map((d) => d.precision)).not.toContain('day');
    });

    it.each([
      'It takes our team two weeks to get through one.',
      "I'll tell you how it went the day after.",
      'He was the first person we called.',
      'We are on the second floor.',
    ])('finds no date in "%s"', (line) => {
      expect(findDates(line, MEETING_DATE)).toEqual([]);
    });
  });

  describe('days a rep can be held to', () => {
    it.each([
      ["Let's talk again next Tuesday.", '2026-03-17'],
      ["I'll have it to you by Friday.", '2026-03-13'],
      ['Can you get it back to us by 3/27?', '2026-03-27'],
      ['We kick off on March 30th.', '2026-03-30'],
      ['Send it over tomorrow.', '2026-03-12'],
      ['Legal wants it by April 2.', '2026-04-02'],
    ])('"%s" is %s', (line, date) => {
      expect(dateIn(line)).toEqual({ date, precision: 'day' });
    });
  });

  // Bug: a day of the month said without the month ("by the 20th") is not found at all.
  it('reads "by the 20th" as the 20th of the meeting month', () => {
    expect(dateIn('Can you have it signed by the 20th?')).toEqual({ date: '2026-03-20', precision: 'day' });
  });

  describe('the business calendar', () => {
    it.each([
      ['We need to sign by the end of Q3.', '2026-09-30'],
      ['We want to be live by the start of Q3.', '2026-07-01'],
      ['Contract signed by end of next month.', '2026-04-30'],
      ['Procurement closes everything at EOQ.', '2026-03-31'],
      ['The rollout is planned for H2.', '2026-12-31'],
      ['We decide by the end of the year.', '2026-12-31'],
      ['Sometime in Q4 probably.', '2026-12-31'],
    ])('"%s" ends %s', (line, date) => {
      expect(dateIn(line).date).toBe(date);
    });

    it("reads a quarter already over at the meeting as next year's", () => {
      expect(dateIn('We should be done by the end of Q1.', '2026-05-20').date).toBe('2027-03-31');
    });

    it('reads a quarter with its year as said', () => {
      expect(dateIn('Target is Q2 2027 for the second region.').date).toBe('2027-06-30');
    });
  });

  describe('spans that are no day to hold someone to', () => {
    it.each([
      "Let's reconnect next week.",
      'Sometime in Q4 probably.',
      'The rollout is planned for H2.',
      'We need to sign by the end of Q3.',
      'We want to be live by the start of Q3.',
      "We'll regroup early next quarter.",
      "I'll check back in two weeks or so.",
    ])('"%s"', (line) => {
      expect(dateIn(line).precision).toBe('month');
    });
  });

  describe('deadlines a step can be held to', () => {
    it.each([
      ['Contract signed by end of next month.', '2026-04-30'],
      ['Send it over by EOW.', '2026-03-13'],
      ['I need the redlines by the end of the month.', '2026-03-31'],
      ['Legal will be done by the end of March.', '2026-03-31'],
      ["I'll send the revised quote in two weeks.", '2026-03-25'],
      ["We'll confirm by the end of next week.", '2026-03-20'],
      ['The replay session is the following Thursday.', '2026-03-19'],
    ])('"%s" is %s', (line, date) => {
      expect(dateIn(line)).toMatchObject({ date, precision: 'day' });
    });
  });

  // Bug: "EOQ" is read as a day to hold someone to, while "the end of the quarter" is a span.
  it('treats "EOQ" like "the end of the quarter"', () => {
    expect(dateIn('Procurement closes everything at EOQ.')).toEqual(
      dateIn('Procurement closes everything at the end of the quarter.'),
    );
  });

  it.each([
    'Support is 24/7 for enterprise plans.',
    "It's a 50/50 split between the teams.",
    'Right now it is manual.',
  ])('finds no date in "%s"', (line) => {
    expect(findDates(line, MEETING_DATE)).toEqual([]);
  });

  it('finds every date in a sentence, in order', () => {
    const line = "I'll send the proposal by Friday and set up a call next Tuesday.";
    expect(findDates(line, MEETING_DATE).map((d) => d.date)).toEqual(['2026-03-13', '2026-03-17']);
  });
});
