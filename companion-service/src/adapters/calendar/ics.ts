import ICAL from 'ical.js';
import type { Invitation, MeetingPerson } from '../../domain/calendar/invitation.js';
import { plainMailbox } from '../../domain/mail/inbound-mail.js';

/**
 * iCalendar text (RFC 5545) read by `ical.js` into the invitations it carries: one per VEVENT with
 * a UID, its times in UTC (the calendar's own VTIMEZONE definitions applied), its organizer and
 * attendees by address. A recurring meeting is its first occurrence; exceptions to a series
 * (RECURRENCE-ID) are left out, as the series' own invitation carries the meeting.
 */

export class MalformedCalendar extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedCalendar';
  }
}

/** A calendar holds a handful of meetings; more is a flood, not an invitation. */
const MAX_EVENTS = 50;
const MAX_ZONES = 20;
/** Outlook's largest invitations (long agendas, many attendees) are tens of kilobytes. */
const MAX_CALENDAR_BYTES = 1_000_000;
const TITLE_LENGTH = 255;

function person(property: ICAL.Property | null): MeetingPerson | null {
  if (!property) return null;
  const value = String(property.getFirstValue() ?? '');
  const email = plainMailbox(value.replace(/^mailto:/i, ''));
  if (!email) return null;
  const cn = property.getParameter('cn');
  const name = typeof cn === 'string' && cn.trim() ? cn.trim() : null;
  return { email, name };
}

export function readInvitations(text: string): Invitation[] {
  try {
    return readCalendar(text);
  } catch (error) {
    if (error instanceof MalformedCalendar) throw error;
    // ical.js decodes a value when it is first read: a broken one fails there, not in parse().
    throw new MalformedCalendar(`the calendar cannot be read: ${(error as Error).message}`);
  }
}

function readCalendar(text: string): Invitation[] {
  // Bounded before parsing: each time zone's rules are expanded from their first year (Outlook's
  // start in 1601), so a calendar's cost grows with what it defines, not only with its size.
  if (text.length > MAX_CALENDAR_BYTES) {
    throw new MalformedCalendar(
      `the calendar is over ${MAX_CALENDAR_BYTES} characters: an invitation is far smaller`,
    );
  }
  let root: ICAL.Component;
  try {
    const parsed: unknown = ICAL.parse(text);
    if (!Array.isArray(parsed) || parsed[0] !== 'vcalendar') {
      throw new Error('it does not start with BEGIN:VCALENDAR');
    }
    root = new ICAL.Component(parsed as [string, unknown[], unknown[]]);
  } catch (error) {
    throw new MalformedCalendar(`the calendar cannot be read: ${(error as Error).message}`);
  }
  const method = String(root.getFirstPropertyValue('method') ?? 'PUBLISH').toUpperCase();
  // Times given with a TZID are read in the calendar's own definition of that zone (Outlook names
  // zones its own way, such as "W. Europe Standard Time", and always sends their definitions).
  // They are registered for this calendar only: another sender's definition of a zone of the same
  // name must not move this one's meetings.
  const definitions = root.getAllSubcomponents('vtimezone');
  if (definitions.length > MAX_ZONES) {
    throw new MalformedCalendar(
      `the calendar defines ${definitions.length} time zones, over the ${MAX_ZONES} allowed`,
    );
  }
  const zones = definitions.map((zone) => new ICAL.Timezone(zone));
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  try {
    return readEvents(root, method);
  } finally {
    for (const zone of zones) ICAL.TimezoneService.remove(zone.tzid);
  }
}

function readEvents(root: ICAL.Component, method: string): Invitation[] {
  const vevents = root.getAllSubcomponents('vevent');
  if (vevents.length === 0)
    throw new MalformedCalendar('the calendar holds no VEVENT: there is no meeting in it');
  if (vevents.length > MAX_EVENTS) {
    throw new MalformedCalendar(
      `the calendar holds ${vevents.length} events, over the ${MAX_EVENTS} an invitation may carry`,
    );
  }
  const invitations: Invitation[] = [];
  for (const vevent of vevents) {
    const read = readEvent(vevent, method);
    if (read) invitations.push(read);
  }
  if (invitations.length === 0) {
    throw new MalformedCalendar('the calendar holds only changes to single occurrences');
  }
  return invitations;
}

function readEvent(vevent: ICAL.Component, method: string): Invitation | null {
  if (vevent.hasProperty('recurrence-id')) return null;
  const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim();
  if (!uid || uid.length > 255) {
    throw new MalformedCalendar('a VEVENT has no UID (or one over 255 characters)');
  }
  const event = new ICAL.Event(vevent);
  const start = timeOf(event.startDate, 'DTSTART', uid);
  const end = event.endDate ? timeOf(event.endDate, 'DTEND', uid) : start;
  if (Date.parse(end) < Date.parse(start))
    throw new MalformedCalendar(`meeting ${uid} ends before it starts`);
  const sequence = Number(vevent.getFirstPropertyValue('sequence') ?? 0);
  const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
  const title = String(vevent.getFirstPropertyValue('summary') ?? '').trim() || 'Meeting';
  return {
    uid,
    sequence: Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : 0,
    cancelled: method === 'CANCEL' || status === 'CANCELLED',
    title: title.slice(0, TITLE_LENGTH),
    start,
    end,
    organizer: person(vevent.getFirstProperty('organizer')),
    attendees: vevent
      .getAllProperties('attendee')
      .map(person)
      .filter((p): p is MeetingPerson => p !== null),
  };
}

function timeOf(time: ICAL.Time | null, name: string, uid: string): string {
  if (!time) throw new MalformedCalendar(`meeting ${uid} has no ${name}`);
  const date = time.toJSDate();
  if (Number.isNaN(date.getTime())) throw new MalformedCalendar(`meeting ${uid} has an unreadable ${name}`);
  return date.toISOString();
}
