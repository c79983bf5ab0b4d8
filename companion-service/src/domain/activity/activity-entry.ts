import type { Insights, NextStep } from '../insights/schema.js';
import type { Conversation, Participant } from '../source/conversation.js';
import { money, ROLE_LABEL } from '../notes/notes-text.js';
import { emailDomain, personKey, sellerKeys } from '../extraction/seller-side.js';

/**
 * The activity a processed conversation is logged as, in the CRM's terms: a completed call or email
 * task, or a meeting event, dated the day it happened, with the people who took part and an entry a
 * rep reads instead of "Had a call": who, what, the outcome, decisions, objections and next steps.
 */

/** How the conversation took place, which decides what kind of activity it is. */
export type ActivityChannel = 'call' | 'email' | 'meeting' | 'note';

export interface ActivityContact {
  id: string;
  name: string;
  email: string | null;
  accountId: string | null;
}

export interface ActivityEntry {
  kind: 'Task' | 'Event';
  /** Task.TaskSubtype (Call, Email, Task) or Event.EventSubtype (Event). */
  subtype: 'Call' | 'Email' | 'Task' | 'Event';
  subject: string;
  /** YYYY-MM-DD: the task's due date (it is completed) or the meeting's day. */
  date: string;
  /** An event's start and end (ISO datetimes) when the source gives them; null logs it on its day. */
  times: { start: string; end: string } | null;
  description: string;
  /** The primary contact (WhoId), the first customer contact who took part. */
  whoId: string | null;
  /** Every customer contact who took part, the primary first; at most MAX_ACTIVITY_CONTACTS. */
  contactIds: string[];
}

/** Task.Description and Event.Description hold 32,000 characters (object-task.html, object-event.html). */
export const ACTIVITY_DESCRIPTION_LENGTH = 32_000;
/** Shared Activities relates a task or an event to at most 50 contacts (object-taskrelation.html). */
export const MAX_ACTIVITY_CONTACTS = 50;
const SUBJECT_LENGTH = 255;
/**
 * Each section's share of the description, so a long summary or a long list of decisions never
 * pushes the next steps out: together they stay under ACTIVITY_DESCRIPTION_LENGTH.
 */
const SECTION_LENGTH = {
  attendees: 2_000,
  summary: 10_000,
  outcome: 2_000,
  decisions: 5_000,
  objections: 5_000,
  nextSteps: 6_000,
} as const;
const ITEM_LENGTH = 1_000;

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

const CHANNEL: Record<ActivityChannel, Pick<ActivityEntry, 'kind' | 'subtype'> & { label: string }> = {
  call: { kind: 'Task', subtype: 'Call', label: 'Call' },
  email: { kind: 'Task', subtype: 'Email', label: 'Email' },
  meeting: { kind: 'Event', subtype: 'Event', label: 'Meeting' },
  note: { kind: 'Task', subtype: 'Task', label: 'Notes' },
};

/** A person who took part, as the entry lists them. */
interface Attendee {
  name: string;
  title: string | null;
  email: string | null;
  side: 'customer' | 'seller' | null;
  role: string | null;
}

/** Our own people, as the org's rules know them (OrgRules.sellerEmailDomains, sellerPeople). */
export interface SellerSide {
  domains: readonly string[];
  people: readonly string[];
}

/**
 * Who took part: the conversation's participants (a call's parties, an email's senders and
 * recipients), each on the side the source, our own people, or the extractor puts them; notes and
 * memos name none, so there the people the extractor found stand in.
 */
function attendeesOf(participants: Participant[], insights: Insights, sellers: SellerSide): Attendee[] {
  const found = new Map(insights.stakeholders.map((s) => [personKey(s.name), s] as const));
  const ours = sellerKeys(sellers.people);
  const sideOf = (p: Participant): Attendee['side'] => {
    if (p.affiliation) return p.affiliation;
    const domain = emailDomain(p.email);
    if ((domain && sellers.domains.includes(domain)) || ours.has(personKey(p.name))) return 'seller';
    return found.get(personKey(p.name))?.affiliation ?? null;
  };
  if (participants.length > 0) {
    return participants.map((p) => {
      const role = found.get(personKey(p.name))?.role;
      return {
        name: p.name,
        title: p.title,
        email: p.email,
        side: sideOf(p),
        role: role ? ROLE_LABEL[role] : null,
      };
    });
  }
  return insights.stakeholders.map((s) => ({
    name: s.name,
    title: s.title,
    email: null,
    side: s.affiliation,
    role: s.role ? ROLE_LABEL[s.role] : null,
  }));
}

/**
 * The CRM contacts among the customer's people who took part, in the order they appear: matched by
 * email address first, else by full name, preferring the deal's account when two contacts share a name.
 */
export function contactsWhoTookPart(
  attendees: Pick<Attendee, 'name' | 'email' | 'side'>[],
  contacts: ActivityContact[],
  accountId: string | null,
): ActivityContact[] {
  const found: ActivityContact[] = [];
  for (const person of attendees) {
    if (person.side === 'seller') continue;
    const email = person.email?.toLowerCase() ?? null;
    const byEmail = email ? contacts.find((c) => c.email?.toLowerCase() === email) : undefined;
    const byName = contacts
      .filter((c) => personKey(c.name) === personKey(person.name))
      .sort((a, b) => Number(b.accountId === accountId) - Number(a.accountId === accountId));
    const contact = byEmail ?? byName[0];
    if (contact && !found.some((c) => c.id === contact.id)) found.push(contact);
  }
  return found.slice(0, MAX_ACTIVITY_CONTACTS);
}

function attendeeLine(a: Attendee): string {
  const side = a.side === 'seller' ? 'our side' : a.side === 'customer' ? 'customer' : null;
  const about = [a.title, a.role, side].filter(Boolean).join(', ');
  return `- ${a.name}${about ? ` (${about})` : ''}`;
}

function nextStepLine(step: NextStep): string {
  // Extractors that rank next steps give them a priority; the others do not.
  const priority = (step as NextStep & { priority?: unknown }).priority;
  const details = [
    `owner: ${step.owner ?? 'not named'}`,
    `due: ${step.dueDate ?? 'no date set'}`,
    ...(typeof priority === 'string' && priority ? [`priority: ${priority}`] : []),
  ];
  return `- ${clip(flat(step.text), ITEM_LENGTH)} (${details.join('; ')})`;
}

/** Where the deal stands after the conversation: the stage the evidence points to and the commercial signals. */
function outcomeLines(insights: Insights): string[] {
  const lines: string[] = [];
  const stage = insights.stageSuggestion;
  if (stage?.to && stage.direction !== 'none') {
    const move = stage.direction === 'backward' ? 'moved back' : 'moved forward';
    const reasons = stage.reasons.length > 0 ? `: ${stage.reasons.join('; ')}` : '';
    lines.push(`- The deal ${move} to ${stage.to}${stage.from ? ` (from ${stage.from})` : ''}${reasons}`);
  }
  if (insights.budget) {
    lines.push(`- Budget: ${money(insights.budget.amount, insights.budget.currency)}`);
  }
  if (insights.timeline) {
    lines.push(`- Timeline: ${insights.timeline.date ?? flat(insights.timeline.text)}`);
  }
  for (const c of insights.competitors) lines.push(`- Competitor: ${c.name}, ${clip(flat(c.context), 200)}`);
  return lines;
}

/** The lines that fit the budget, and a last line saying how many did not. */
function within(lines: string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget - 40) {
      kept.push(`- … and ${lines.length - kept.length} more`);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

function section(title: string, lines: string[], budget: number, empty?: string): string | null {
  if (lines.length === 0) return empty ? `${title}\n${empty}` : null;
  return `${title}\n${within(lines, budget).join('\n')}`;
}

const MINUTE_MS = 60_000;

function eventTimes(timing: NonNullable<Conversation['timing']>): { start: string; end: string } {
  const start = Date.parse(timing.start);
  return {
    start: new Date(start).toISOString(),
    end: new Date(start + timing.minutes * MINUTE_MS).toISOString(),
  };
}

/** The title, said to be a call, an email or a meeting unless it already says what it is. */
const subjectOf = (label: string, title: string) =>
  title.toLowerCase().startsWith(label.toLowerCase()) ? title : `${label}: ${title}`;

export interface ActivityEntryInput {
  channel: ActivityChannel;
  title: string;
  insights: Insights;
  participants: Participant[];
  /** When the conversation started and how long it ran, when its source says. */
  timing?: Conversation['timing'];
  /** The CRM contacts the conversation's people were matched against. */
  contacts: ActivityContact[];
  /** The matched deal's account, to tell two contacts of the same name apart. */
  accountId: string | null;
  /** The conversation's day when the source gives none (the day it was processed). */
  today: string;
  sellers: SellerSide;
}

export function activityEntry(input: ActivityEntryInput): ActivityEntry {
  const { insights } = input;
  const channel = CHANNEL[input.channel];
  const date = insights.source.meetingDate ?? input.today;
  const attendees = attendeesOf(input.participants, insights, input.sellers);
  const contacts = contactsWhoTookPart(attendees, input.contacts, input.accountId);
  const summary = flat(insights.summary);
  const sections = [
    `${channel.label} on ${date}, logged by Pipeline Scribe from "${clip(flat(input.title), SUBJECT_LENGTH)}".`,
    section('Who took part', attendees.map(attendeeLine), SECTION_LENGTH.attendees, 'Not recorded.'),
    section(
      'What was discussed',
      summary ? [clip(summary, SECTION_LENGTH.summary)] : [],
      SECTION_LENGTH.summary + 1,
      'No summary.',
    ),
    section(
      'Outcome',
      outcomeLines(insights),
      SECTION_LENGTH.outcome,
      'No change to the deal was evidenced.',
    ),
    section(
      'Decisions',
      insights.decisions.map((d) => `- ${clip(flat(d.text), ITEM_LENGTH)}`),
      SECTION_LENGTH.decisions,
    ),
    section(
      'Objections',
      insights.objections.map((o) => `- ${clip(flat(o.text), ITEM_LENGTH)}`),
      SECTION_LENGTH.objections,
    ),
    section('Next steps', insights.nextSteps.map(nextStepLine), SECTION_LENGTH.nextSteps, 'None agreed.'),
  ].filter((s): s is string => s !== null);
  return {
    kind: channel.kind,
    subtype: channel.subtype,
    subject: clip(subjectOf(channel.label, flat(input.title)), SUBJECT_LENGTH),
    date,
    times: channel.kind === 'Event' && input.timing ? eventTimes(input.timing) : null,
    description: clip(sections.join('\n\n'), ACTIVITY_DESCRIPTION_LENGTH),
    whoId: contacts[0]?.id ?? null,
    contactIds: contacts.map((c) => c.id),
  };
}
