import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invitationVerdict, type Invitation } from '../../../src/domain/calendar/invitation.js';

const meeting = (sequence: number, cancelled = false): Invitation => ({
  uid: 'u',
  sequence,
  cancelled,
  title: 'Review',
  start: '2026-03-16T14:00:00.000Z',
  end: '2026-03-16T15:00:00.000Z',
  organizer: null,
  attendees: [],
});

describe('invitationVerdict', () => {
  it('applies a newer SEQUENCE, ignores an older one, and lets a same-SEQUENCE cancellation through', () => {
    expect(invitationVerdict(null, meeting(0))).toBe('create');
    expect(invitationVerdict({ sequence: 1, cancelled: false }, meeting(2))).toBe('update');
    expect(invitationVerdict({ sequence: 2, cancelled: false }, meeting(1))).toBe('stale');
    expect(invitationVerdict({ sequence: 2, cancelled: false }, meeting(2))).toBe('unchanged');
    expect(invitationVerdict({ sequence: 2, cancelled: false }, meeting(2, true))).toBe('cancel');
    expect(invitationVerdict({ sequence: 2, cancelled: true }, meeting(2))).toBe('unchanged');
  });

  it('ends on the newest version whatever order the versions arrive in', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.nat(50), { minLength: 1, maxLength: 10 })
          .chain((seqs) => fc.shuffledSubarray(seqs, { minLength: seqs.length })),
        (order) => {
          let known: { sequence: number; cancelled: boolean } | null = null;
          for (const sequence of order) {
            const verdict = invitationVerdict(known, meeting(sequence));
            if (verdict !== 'stale' && verdict !== 'unchanged') known = { sequence, cancelled: false };
          }
          expect(known!.sequence).toBe(Math.max(...order));
        },
      ),
    );
  });
});
