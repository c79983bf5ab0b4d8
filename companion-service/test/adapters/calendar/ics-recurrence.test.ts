import { describe, expect, it } from 'vitest';
import { MalformedCalendar, readInvitations } from '../../../src/adapters/calendar/ics.js';
import { invitation } from '../../support/mail.js';

/**
 * A recurring invitation is its occurrences from a week ago to two months ahead: one invitation
 * each, keyed by the series and the occurrence's original start, EXDATEs skipped, overrides applied.
 */

const UID = '040000008200E00074C5B7101A82E0080000000010WEEKLY';
const NOW = new Date('2026-04-01T12:00:00Z');

/** The weekly Monday 10:00 New York meeting from March 16, with extra lines in its VEVENT and more VEVENTs after it. */
function weekly(seriesLines: string[], more: string[][] = [], sequence = 0): string {
  const base = invitation({ uid: UID, sequence, summary: 'Fabrikam weekly sync' });
  const withRule = base.replace(
    'DTEND;TZID=Eastern Standard Time:20260316T110000\r\n',
    `DTEND;TZID=Eastern Standard Time:20260316T110000\r\n${seriesLines.map((l) => `${l}\r\n`).join('')}`,
  );
  const overrides = more
    .map((lines) =>
      ['BEGIN:VEVENT', `UID:${UID}`, 'DTSTAMP:20260310T120000Z', ...lines, 'END:VEVENT'].join('\r\n'),
    )
    .join('\r\n');
  return overrides ? withRule.replace('END:VCALENDAR', `${overrides}\r\nEND:VCALENDAR`) : withRule;
}

const occurrence = (iso: string) => `${UID}#${iso}`;

describe('a recurring meeting', () => {
  it('is one invitation per occurrence within the window, EXDATEs left out, overrides applied', () => {
    const read = readInvitations(
      weekly(
        ['RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=Eastern Standard Time:20260413T100000'],
        [
          // April 20 moved to Tuesday 11:00 and retitled; April 27 cancelled.
          [
            'RECURRENCE-ID;TZID=Eastern Standard Time:20260420T100000',
            'SEQUENCE:1',
            'DTSTART;TZID=Eastern Standard Time:20260421T110000',
            'DTEND;TZID=Eastern Standard Time:20260421T120000',
            'SUMMARY:Fabrikam sync (moved)',
            'ORGANIZER;CN=Avery Rep:mailto:avery.rep@pipelinescribe.example',
          ],
          [
            'RECURRENCE-ID;TZID=Eastern Standard Time:20260427T100000',
            'DTSTART;TZID=Eastern Standard Time:20260427T100000',
            'DTEND;TZID=Eastern Standard Time:20260427T110000',
            'STATUS:CANCELLED',
          ],
        ],
      ),
      NOW,
    );
    // March 25 to May 31: March 30, April 6, (13 excluded), 20, 27, May 4, 11, 18, 25.
    expect(read.map((r) => r.uid)).toEqual(
      [
        '2026-03-30T14:00:00.000Z',
        '2026-04-06T14:00:00.000Z',
        '2026-04-20T14:00:00.000Z',
        '2026-04-27T14:00:00.000Z',
        '2026-05-04T14:00:00.000Z',
        '2026-05-11T14:00:00.000Z',
        '2026-05-18T14:00:00.000Z',
        '2026-05-25T14:00:00.000Z',
      ].map(occurrence),
    );
    const moved = read.find((r) => r.uid === occurrence('2026-04-20T14:00:00.000Z'))!;
    expect(moved).toMatchObject({
      title: 'Fabrikam sync (moved)',
      start: '2026-04-21T15:00:00.000Z',
      end: '2026-04-21T16:00:00.000Z',
      sequence: 1,
      cancelled: false,
    });
    expect(read.find((r) => r.uid === occurrence('2026-04-27T14:00:00.000Z'))!.cancelled).toBe(true);
    const plain = read[0]!;
    expect(plain).toMatchObject({ title: 'Fabrikam weekly sync', sequence: 0, cancelled: false });
    expect(plain.attendees.map((a) => a.email)).toEqual([
      'dmitri.volkov@fabrikam.com',
      'hannah.cole@fabrikam.com',
    ]);
  });

  it('reads the same occurrences from the same invitation, and a series update reaches each of them', () => {
    const text = weekly(['RRULE:FREQ=WEEKLY;COUNT=12']);
    expect(readInvitations(text, NOW)).toEqual(readInvitations(text, NOW));
    const updated = readInvitations(weekly(['RRULE:FREQ=WEEKLY;COUNT=12'], [], 2), NOW);
    expect(updated.every((o) => o.sequence === 2)).toBe(true);
    // COUNT=12 from March 16 ends June 1, past the window's May 31.
    expect(updated).toHaveLength(9);
  });

  it('is cancelled occurrence by occurrence when the series is', () => {
    const read = readInvitations(
      weekly(['RRULE:FREQ=WEEKLY;COUNT=4', 'STATUS:CANCELLED']).replace('METHOD:REQUEST', 'METHOD:CANCEL'),
      NOW,
    );
    expect(read.map((r) => [r.start, r.cancelled])).toEqual([
      ['2026-03-30T14:00:00.000Z', true],
      ['2026-04-06T14:00:00.000Z', true],
    ]);
  });

  it('keeps to at most 100 occurrences, and takes an override sent alone as that occurrence', () => {
    const hourly = readInvitations(weekly(['RRULE:FREQ=HOURLY']), NOW);
    expect(hourly).toHaveLength(100);
    const alone = invitation({
      uid: UID,
      sequence: 3,
      start: '20260407T090000',
      end: '20260407T100000',
    }).replace(
      'SEQUENCE:3\r\n',
      'SEQUENCE:3\r\nRECURRENCE-ID;TZID=Eastern Standard Time:20260406T100000\r\n',
    );
    expect(readInvitations(alone, NOW)).toEqual([
      expect.objectContaining({
        uid: occurrence('2026-04-06T14:00:00.000Z'),
        sequence: 3,
        start: '2026-04-07T13:00:00.000Z',
      }),
    ]);
  });

  it('is refused, with the reason, when no occurrence falls within the window', () => {
    const past = weekly(['RRULE:FREQ=WEEKLY;COUNT=2']);
    expect(() => readInvitations(past, NOW)).toThrow(MalformedCalendar);
    expect(() => readInvitations(past, NOW)).toThrow(/no occurrence between 7 days ago and 60 days ahead/);
  });
});
