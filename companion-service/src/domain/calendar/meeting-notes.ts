/**
 * Whether a customer meeting still needs notes: once it has ended and the wait (the Default Scribe
 * setting Meeting_Notes_Wait_Hours__c) has passed with no conversation for its deal since it began,
 * its owner is asked for notes or a voice memo in the next-best-action queue; a conversation that
 * arrives later clears the ask. A conversation counts once processing matched it to the meeting's
 * deal: one still queued is not yet known to be about this meeting, and clears the ask when it is.
 */

export interface MeetingForNotes {
  uid: string;
  title: string;
  /** ISO datetimes in UTC. */
  start: string;
  end: string;
  cancelled: boolean;
  opportunityId: string | null;
  ownerId: string | null;
  /** Lower-cased emails of the attendees outside the seller's domains. */
  customerEmails: readonly string[];
}

export interface ArrivedConversation {
  /** The deal processing matched it to, if any. */
  opportunityId: string | null;
  /** When the service accepted it, ISO. */
  arrivedAt: string;
}

export type MeetingNotesDecision =
  | { kind: 'ask' }
  /** Ended too recently: a recording or notes may still be on their way. */
  | { kind: 'wait'; askAfter: string }
  | { kind: 'covered' }
  | { kind: 'not-applicable'; reason: string };

const HOUR_MS = 3_600_000;

export function meetingNotesDecision(
  meeting: MeetingForNotes,
  conversations: readonly ArrivedConversation[],
  now: string,
  waitHours: number,
): MeetingNotesDecision {
  if (meeting.cancelled) return { kind: 'not-applicable', reason: 'the meeting was cancelled' };
  if (!meeting.opportunityId) return { kind: 'not-applicable', reason: 'the meeting matched no deal' };
  if (!meeting.ownerId) return { kind: 'not-applicable', reason: 'no rep in the org owns the meeting' };
  if (meeting.customerEmails.length === 0)
    return { kind: 'not-applicable', reason: 'no customer attended: an internal meeting' };
  const start = Date.parse(meeting.start);
  const end = Date.parse(meeting.end);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    return { kind: 'not-applicable', reason: 'the meeting has no readable start or end' };
  const covered = conversations.some(
    (c) => c.opportunityId === meeting.opportunityId && Date.parse(c.arrivedAt) >= start,
  );
  if (covered) return { kind: 'covered' };
  const askAfter = end + waitHours * HOUR_MS;
  if (Date.parse(now) < askAfter) return { kind: 'wait', askAfter: new Date(askAfter).toISOString() };
  return { kind: 'ask' };
}

/** Action_Type__c of the ask; a value of the Next_Best_Action__c picklist. */
export const MEETING_NOTES_ACTION = 'Add Meeting Notes';

/**
 * The words the action starts with. The queue's capture form takes the rest of Action__c as the
 * conversation's title (nextBestActionQueue.js), so the action carries the meeting's subject and time.
 */
export const MEETING_NOTES_PREFIX = 'Add notes for ';

/** External ids of these actions: the pipeline scan's own (prefix "scan:") are a separate set. */
export const MEETING_ACTION_KEY_PREFIX = 'meeting:';

/** The subject and start as a rep reads them, e.g. "Pricing review (2026-12-07 14:00 UTC)"; fits 80 characters. */
export function meetingLabel(meeting: Pick<MeetingForNotes, 'title' | 'start'>): string {
  const when = `${meeting.start.slice(0, 10)} ${meeting.start.slice(11, 16)} UTC`;
  const room = 80 - when.length - 3;
  const title = meeting.title.trim() || 'Meeting';
  const subject = title.length <= room ? title : title.slice(0, room - 1) + '…';
  return `${subject} (${when})`;
}

/** The Next_Best_Action__c fields of an ask, owned by the meeting's rep. */
export function meetingNotesAction(meeting: MeetingForNotes, waitHours: number): Record<string, string> {
  return {
    Opportunity__c: meeting.opportunityId!,
    Action__c: MEETING_NOTES_PREFIX + meetingLabel(meeting),
    Action_Type__c: MEETING_NOTES_ACTION,
    Why__c: `The meeting ended more than ${waitHours} hours ago and no recording, transcript or notes arrived for it; add notes or a voice memo so the deal reflects it.`,
    Due_Date__c: meeting.end.slice(0, 10),
    Status__c: 'Open',
    OwnerId: meeting.ownerId!,
  };
}
