import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedCalendar, readInvitations } from '../../../src/adapters/calendar/ics.js';
import { invitation } from '../../support/mail.js';

/**
 * The ICS reader against generated calendars: a well-formed invitation reads back as it was written
 * whatever its UID, SEQUENCE and times; anything else, however broken, is refused as MalformedCalendar
 * with a reason, never another error that would turn into a 500 or a stuck meeting.
 */

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15);

describe('readInvitations', () => {
  it('reads back the UID, SEQUENCE, times and attendees of any well-formed invitation', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9@._-]{1,60}$/),
        fc.nat(10_000),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2090-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 24 * 60 }),
        fc.constantFrom<'REQUEST' | 'CANCEL'>('REQUEST', 'CANCEL'),
        (uid, sequence, start, minutes, method) => {
          const end = new Date(start.getTime() + minutes * 60_000);
          const text = invitation({ uid, sequence, method, start: stamp(start), end: stamp(end) }).replace(
            /;TZID=Eastern Standard Time:(\d{8}T\d{6})/g,
            ':$1Z',
          );
          const [read] = readInvitations(text);
          expect(read).toMatchObject({ uid, sequence, cancelled: method === 'CANCEL' });
          expect(Date.parse(read!.end) - Date.parse(read!.start)).toBe(minutes * 60_000);
          expect(read!.attendees.map((a) => a.email)).toEqual([
            'dmitri.volkov@fabrikam.com',
            'hannah.cole@fabrikam.com',
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses broken calendars as malformed, with a reason, and throws nothing else', () => {
    const valid = invitation();
    const mutated = fc.oneof(
      fc.string({ maxLength: 2000 }),
      fc.string({ unit: 'binary', maxLength: 2000 }),
      // A real invitation cut short, or with a slice of it replaced by noise.
      fc.nat(valid.length).map((n) => valid.slice(0, n)),
      fc
        .tuple(fc.nat(valid.length), fc.nat(200), fc.string({ maxLength: 80 }))
        .map(([at, cut, noise]) => valid.slice(0, at) + noise + valid.slice(at + cut)),
    );
    fc.assert(
      fc.property(mutated, (text) => {
        try {
          for (const read of readInvitations(text)) {
            expect(read.uid.length).toBeGreaterThan(0);
            expect(Date.parse(read.end)).toBeGreaterThanOrEqual(Date.parse(read.start));
            expect(read.sequence).toBeGreaterThanOrEqual(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedCalendar);
          expect((error as Error).message).toMatch(/^(the calendar|meeting|a VEVENT)/);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('reads times in the zone the invitation defines, daylight saving included', () => {
    const [winter] = readInvitations(invitation({ start: '20260302T100000', end: '20260302T110000' }));
    const [summer] = readInvitations(invitation({ start: '20260316T100000', end: '20260316T110000' }));
    expect(winter!.start).toBe('2026-03-02T15:00:00.000Z');
    expect(summer!.start).toBe('2026-03-16T14:00:00.000Z');
  });
});
