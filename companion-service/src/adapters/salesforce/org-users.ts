import { z } from 'zod';
import type { SalesforceApi } from './salesforce-client.js';
import { queryPath, queryResultOf, soqlString } from './responses.js';

/**
 * The org's active users by email address, for deciding who may log mail: each address is asked
 * once and the answer kept for `ttlMs` (a deactivated user stops being able to log mail within it),
 * so a burst of mail from one rep costs one API call.
 */

export interface OrgUser {
  id: string;
  name: string;
}

/** Bounded, so a flood of made-up senders cannot grow memory: the oldest answers go first. */
const MAX_REMEMBERED = 10_000;

const UserRowSchema = z.looseObject({ Id: z.string(), Name: z.string() });

export class OrgUserDirectory {
  private readonly answers = new Map<string, { user: OrgUser | null; until: number }>();

  constructor(
    private readonly api: () => SalesforceApi,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The active user with this address (already a plain, lower-cased mailbox), or null. */
  async activeUser(email: string): Promise<OrgUser | null> {
    const known = this.answers.get(email);
    if (known && known.until > this.now()) return known.user;
    const soql = `SELECT Id, Name FROM User WHERE IsActive = true AND Email = ${soqlString(email)} ORDER BY CreatedDate LIMIT 1`;
    const body = queryResultOf(UserRowSchema).parse(await this.api().get<unknown>(queryPath(soql)));
    const row = body.records[0];
    const user = row ? { id: row.Id, name: row.Name } : null;
    this.answers.delete(email);
    this.answers.set(email, { user, until: this.now() + this.ttlMs });
    if (this.answers.size > MAX_REMEMBERED) this.answers.delete(this.answers.keys().next().value!);
    return user;
  }
}
