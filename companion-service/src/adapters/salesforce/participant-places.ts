import { z } from 'zod';
import type { MeetingPeople, PlacedPerson } from '../../domain/privacy/address-region.js';
import { queryPath, queryResultOf, soqlList } from './responses.js';
import type { SalesforceApi } from './salesforce-client.js';

/**
 * The org's Contacts a meeting's people are (by email, or by full name as a transcript labels its
 * speakers), with their mailing state and country: Zoom and Teams say nothing of where a participant
 * is, so the consent rules judge them by where the CRM has them.
 */

/** As many names and emails as the conversation matching asks about, and as many rows back. */
const MAX_HINTS = 50;
const MAX_ROWS = 200;

const ContactPlaceSchema = z.object({
  Name: z.string().nullable().optional(),
  Email: z.string().nullable().optional(),
  MailingState: z.string().nullable().optional(),
  MailingCountry: z.string().nullable().optional(),
});

export async function contactsWithPlaces(
  api: Pick<SalesforceApi, 'get'>,
  people: MeetingPeople,
): Promise<PlacedPerson[]> {
  const emails = [...new Set(people.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))].slice(
    0,
    MAX_HINTS,
  );
  const names = [...new Set(people.names.map((n) => n.trim()).filter((n) => n.includes(' ')))].slice(
    0,
    MAX_HINTS,
  );
  const where = [
    emails.length ? `Email IN (${soqlList(emails)})` : '',
    names.length ? `Name IN (${soqlList(names)})` : '',
  ]
    .filter(Boolean)
    .join(' OR ');
  if (!where) return [];
  const body = await api.get<unknown>(
    queryPath(
      `SELECT Name, Email, MailingState, MailingCountry FROM Contact WHERE ${where} LIMIT ${MAX_ROWS}`,
    ),
  );
  return queryResultOf(ContactPlaceSchema)
    .parse(body)
    .records.map((c) => ({
      name: c.Name ?? null,
      email: c.Email ?? null,
      state: c.MailingState ?? null,
      country: c.MailingCountry ?? null,
    }));
}
