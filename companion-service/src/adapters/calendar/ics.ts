import ICAL from 'ical.js';
import type { Invitation, MeetingPerson } from '../../domain/calendar/invitation.js';
import { plainMailbox } from '../../domain/mail/inbound-mail.js';

/**
 * iCalendar text (RFC 5545) read by `ical.js` into the invitations it carries: one per VEVENT with
 * a UID, its times in UTC (the calendar's own VTIMEZONE definitions applied), its organizer and
 * attendees by address. A recurring meeting (RRULE, RDATE) is expanded into one invitation per
 * occurrence from 7 days ago to 60 days ahead, at most 100 of them, each keyed by the series' UID and
 * the occurrence's original start (its RECURRENCE-ID), so that each is its own Event and the same
 * invitation received again changes nothing. EXDATEs are skipped; a RECURRENCE-ID override in the
 * same calendar replaces its occurrence (moved, retitled or cancelled), and one sent alone updates
 * that occurrence only. Occurrences that enter the window later are read when the series is sent
 * again (an organiser's update or a forward).
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
const DAY_MS = 86_400_000;
/** The occurrences logged: the last week's (notes may still come) and the next two months'. */
const WINDOW_PAST_MS = 7 * DAY_MS;
const WINDOW_AHEAD_MS = 60 * DAY_MS;
const MAX_OCCURRENCES = 100;
/** Steps through a rule before giving up on reaching the window (a daily series from years ago). */
const MAX_RECURRENCE_STEPS = 20_000;

function person(property: ICAL.Property | null): MeetingPerson | null {
  if (!property) return null;
  const value = String(property.getFirstValue() ?? '');
  const email = plainMailbox(value.replace(/^mailto:/i, ''));
  if (!email) return null;
  const cn = property.getParameter('cn');
  const name = typeof cn === 'string' && cn.trim() ? cn.trim() : null;
  return { email, name };
}

/** The invitations a calendar carries, recurring meetings expanded around `now`. */
export function readInvitations(text: string, now: Date = new Date()): Invitation[] {
  try {
    return readCalendar(text, now);
  } catch (error) {
    if (error instanceof MalformedCalendar) throw error;
    // ical.js decodes a value when it is first read: a broken one fails there, not in parse().
    throw new MalformedCalendar(`the calendar cannot be read: ${(error as Error).message}`);
  }
}

function readCalendar(text: string, now: Date): Invitation[] {
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
    return readEvents(root, method, now);
  } finally {
    for (const zone of zones) ICAL.TimezoneService.remove(zone.tzid);
  }
}

function readEvents(root: ICAL.Component, method: string, now: Date): Invitation[] {
  const vevents = root.getAllSubcomponents('vevent');
  if (vevents.length === 0)
    throw new MalformedCalendar('the calendar holds no VEVENT: there is no meeting in it');
  if (vevents.length > MAX_EVENTS) {
    throw new MalformedCalendar(
      `the calendar holds ${vevents.length} events, over the ${MAX_EVENTS} an invitation may carry`,
    );
  }
  const window = { from: now.getTime() - WINDOW_PAST_MS, to: now.getTime() + WINDOW_AHEAD_MS };
  const overrides = vevents.filter((v) => v.hasProperty('recurrence-id'));
  const series = vevents.filter((v) => !v.hasProperty('recurrence-id'));
  const seriesUids = new Set(series.map(uidOf));
  const invitations: Invitation[] = [];
  for (const vevent of series) {
    const uid = uidOf(vevent);
    const event = new ICAL.Event(vevent);
    if (!event.isRecurring()) {
      invitations.push(invitationOf(vevent, uid, method, null));
      continue;
    }
    for (const override of overrides) if (uidOf(override) === uid) event.relateException(override);
    invitations.push(...occurrencesOf(event, uid, method, window, MAX_OCCURRENCES - invitations.length));
  }
  // An override sent without its series (Outlook's update to one occurrence) is that occurrence.
  for (const override of overrides) {
    const uid = uidOf(override);
    if (seriesUids.has(uid) || invitations.length >= MAX_OCCURRENCES) continue;
    const recurrenceId = timeOf(
      override.getFirstPropertyValue('recurrence-id') as ICAL.Time,
      'RECURRENCE-ID',
      uid,
    );
    if (Date.parse(recurrenceId) < window.from || Date.parse(recurrenceId) > window.to) continue;
    invitations.push(invitationOf(override, `${uid}#${recurrenceId}`, method, null));
  }
  if (invitations.length === 0) {
    throw new MalformedCalendar(
      'the calendar holds no meeting to log: its recurring meetings have no occurrence between 7 days ago and 60 days ahead',
    );
  }
  return invitations;
}

function uidOf(vevent: ICAL.Component): string {
  const uid = String(vevent.getFirstPropertyValue('uid') ?? '').trim();
  if (!uid || uid.length > 255) {
    throw new MalformedCalendar('a VEVENT has no UID (or one over 255 characters)');
  }
  return uid;
}

/** The occurrences of a series within the window, overrides applied, EXDATEs skipped by ical.js. */
function occurrencesOf(
  event: ICAL.Event,
  uid: string,
  method: string,
  window: { from: number; to: number },
  room: number,
): Invitation[] {
  const occurrences: Invitation[] = [];
  const expansion = event.iterator();
  for (let step = 0; step < MAX_RECURRENCE_STEPS && occurrences.length < room; step++) {
    const next = expansion.next();
    if (!next) break;
    const at = next.toJSDate().getTime();
    if (Number.isNaN(at)) throw new MalformedCalendar(`meeting ${uid} has an unreadable occurrence`);
    if (at > window.to) break;
    if (at < window.from) continue;
    const details = event.getOccurrenceDetails(next);
    const recurrenceId = timeOf(details.recurrenceId, 'RECURRENCE-ID', uid);
    const occurrence = invitationOf(details.item.component, `${uid}#${recurrenceId}`, method, {
      start: timeOf(details.startDate, 'DTSTART', uid),
      end: timeOf(details.endDate, 'DTEND', uid),
      seriesSequence: sequenceOf(event.component),
    });
    occurrences.push(occurrence);
  }
  return occurrences;
}

function sequenceOf(vevent: ICAL.Component): number {
  const sequence = Number(vevent.getFirstPropertyValue('sequence') ?? 0);
  return Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : 0;
}

/**
 * One meeting: a single event, or one occurrence of a series (its times as expanded, and a version
 * no older than the series', so that a series update reaches every occurrence).
 */
function invitationOf(
  vevent: ICAL.Component,
  uid: string,
  method: string,
  occurrence: { start: string; end: string; seriesSequence: number } | null,
): Invitation {
  const event = new ICAL.Event(vevent);
  const start = occurrence?.start ?? timeOf(event.startDate, 'DTSTART', uid);
  const end = occurrence?.end ?? (event.endDate ? timeOf(event.endDate, 'DTEND', uid) : start);
  if (Date.parse(end) < Date.parse(start))
    throw new MalformedCalendar(`meeting ${uid} ends before it starts`);
  const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
  const title = String(vevent.getFirstPropertyValue('summary') ?? '').trim() || 'Meeting';
  return {
    uid,
    sequence: Math.max(sequenceOf(vevent), occurrence?.seriesSequence ?? 0),
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

function timeOf(time: ICAL.Time | null | undefined, name: string, uid: string): string {
  if (!time) throw new MalformedCalendar(`meeting ${uid} has no ${name}`);
  const date = time.toJSDate();
  if (Number.isNaN(date.getTime())) throw new MalformedCalendar(`meeting ${uid} has an unreadable ${name}`);
  return date.toISOString();
}
