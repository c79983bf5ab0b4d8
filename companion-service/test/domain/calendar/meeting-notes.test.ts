import { describe, expect, it } from 'vitest';
import {
  meetingLabel,
  meetingNotesAction,
  meetingNotesDecision,
  MEETING_NOTES_PREFIX,
  type MeetingForNotes,
} from '../../../src/domain/calendar/meeting-notes.js';

const meeting: MeetingForNotes = {
  uid: 'pricing-review@acme.example',
  title: 'Pricing review',
  start: '2026-12-07T14:00:00.000Z',
  end: '2026-12-07T15:00:00.000Z',
  cancelled: false,
  opportunityId: '006000000000001AAA',
  ownerId: '005000000000001AAA',
  customerEmails: ['dana@acme.example'],
};

describe('meetingNotesDecision', () => {
  it('asks for notes once the wait after the end has passed with no conversation', () => {
    expect(meetingNotesDecision(meeting, [], '2026-12-07T19:00:00.000Z', 4)).toEqual({ kind: 'ask' });
  });

  it('waits while a recording may still be on its way, and says until when', () => {
    expect(meetingNotesDecision(meeting, [], '2026-12-07T18:59:00.000Z', 4)).toEqual({
      kind: 'wait',
      askAfter: '2026-12-07T19:00:00.000Z',
    });
  });

  it('is covered by a conversation on the deal that arrived after the meeting began', () => {
    const recorded = [{ opportunityId: meeting.opportunityId, arrivedAt: '2026-12-07T16:30:00.000Z' }];
    expect(meetingNotesDecision(meeting, recorded, '2026-12-08T09:00:00.000Z', 4)).toEqual({
      kind: 'covered',
    });
  });

  it('still asks when the only conversations are older or about another deal', () => {
    const others = [
      { opportunityId: meeting.opportunityId, arrivedAt: '2026-12-07T13:59:00.000Z' },
      { opportunityId: '006000000000002AAA', arrivedAt: '2026-12-07T16:00:00.000Z' },
      { opportunityId: null, arrivedAt: '2026-12-07T16:00:00.000Z' },
    ];
    expect(meetingNotesDecision(meeting, others, '2026-12-08T09:00:00.000Z', 4)).toEqual({ kind: 'ask' });
  });

  it.each([
    [{ cancelled: true }, 'cancelled'],
    [{ opportunityId: null }, 'no deal'],
    [{ ownerId: null }, 'no rep'],
    [{ customerEmails: [] }, 'internal'],
    [{ end: 'not a time' }, 'no readable'],
  ] as const)('never asks about a meeting that is not a rep’s customer meeting (%o)', (change, reason) => {
    const decision = meetingNotesDecision({ ...meeting, ...change }, [], '2026-12-09T00:00:00.000Z', 4);
    expect(decision.kind).toBe('not-applicable');
    expect(decision.kind === 'not-applicable' && decision.reason).toContain(reason);
  });
});

describe('meetingNotesAction', () => {
  it('is owned by the meeting’s rep, on its deal, naming the meeting for the capture form', () => {
    const fields = meetingNotesAction(meeting, 4);
    expect(fields).toMatchObject({
      Opportunity__c: meeting.opportunityId,
      OwnerId: meeting.ownerId,
      Action__c: 'Add notes for Pricing review (2026-12-07 14:00 UTC)',
      Action_Type__c: 'Add Meeting Notes',
      Due_Date__c: '2026-12-07',
      Status__c: 'Open',
    });
    expect(fields.Why__c).toContain('4 hours');
    expect(fields.Why__c!.length).toBeLessThanOrEqual(255);
  });

  it('shortens a long subject so the label fits the capture form’s 80-character title', () => {
    const label = meetingLabel({ ...meeting, title: 'Quarterly business review '.repeat(10) });
    expect(label.length).toBeLessThanOrEqual(80);
    expect(label).toMatch(/… \(2026-12-07 14:00 UTC\)$/);
    expect(meetingNotesAction({ ...meeting, title: 'x'.repeat(300) }, 4).Action__c).toBe(
      MEETING_NOTES_PREFIX + meetingLabel({ ...meeting, title: 'x'.repeat(300) }),
    );
  });
});
