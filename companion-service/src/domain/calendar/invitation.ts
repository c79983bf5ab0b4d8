/**
 * A meeting invitation (an iCalendar VEVENT, RFC 5545, sent with an iTIP method, RFC 5546) and how
 * one received later changes the meeting already known under its UID: a higher SEQUENCE is a newer
 * version of the meeting; at the same SEQUENCE a cancellation still applies (organisers cancel
 * without raising it), anything else is a copy; a lower SEQUENCE is stale and changes nothing.
 */

export interface MeetingPerson {
  /** Lower-cased. */
  email: string;
  name: string | null;
}

export interface Invitation {
  uid: string;
  sequence: number;
  /** METHOD:CANCEL or STATUS:CANCELLED. */
  cancelled: boolean;
  title: string;
  /** ISO datetimes in UTC. */
  start: string;
  end: string;
  organizer: MeetingPerson | null;
  /** Everyone invited, the organizer included when the invitation lists them. */
  attendees: MeetingPerson[];
}

/** What is known of a meeting already. */
export interface KnownMeeting {
  sequence: number;
  cancelled: boolean;
}

export type InvitationVerdict = 'create' | 'update' | 'cancel' | 'unchanged' | 'stale';

export function invitationVerdict(known: KnownMeeting | null, incoming: Invitation): InvitationVerdict {
  if (!known) return incoming.cancelled ? 'cancel' : 'create';
  if (incoming.sequence < known.sequence) return 'stale';
  if (incoming.sequence === known.sequence) {
    if (incoming.cancelled && !known.cancelled) return 'cancel';
    return 'unchanged';
  }
  return incoming.cancelled ? 'cancel' : 'update';
}

/**
 * The customer's people in a meeting: attendees outside our own domains, the organizer among them
 * when a customer sent the invitation.
 */
export function customerAttendees(invitation: Invitation, sellerDomains: readonly string[]): MeetingPerson[] {
  const ours = (email: string) => sellerDomains.some((d) => email.endsWith(`@${d.toLowerCase()}`));
  const people = [...(invitation.organizer ? [invitation.organizer] : []), ...invitation.attendees];
  const seen = new Set<string>();
  return people.filter((p) => {
    if (ours(p.email) || seen.has(p.email)) return false;
    seen.add(p.email);
    return true;
  });
}
