/**
 * Who is on our side, from the org itself: the names of its active users and the email domains
 * they write from, joined to what sales ops listed in Scribe_Setting__mdt (Seller_Company_Names__c,
 * Seller_Email_Domains__c). A public mailbox domain (a user who signed up with a personal address)
 * says nothing about which company someone works for, so it never makes anyone a seller.
 */

export interface OrgUser {
  name: string;
  email: string | null;
}

export interface SellerSide {
  /** Full names of the people on our side, as the org spells them. */
  people: string[];
  /** Lower-cased email domains our people write from. */
  domains: string[];
}

/** A syntactically plain domain ("acme.com", "mail.acme.co.uk"), not an address or a pattern. */
export const DOMAIN = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function emailDomain(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  if (!email || at < 0) return null;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase();
  return DOMAIN.test(domain) ? domain : null;
}

/**
 * Names kept for documentation and tests (RFC 2606, RFC 6761): a user parked on one, such as an
 * integration user, tells nothing about where our people write from.
 */
const RESERVED = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/;

/** The seller side from the org's users plus configured domains and names, each said once. */
export function sellerSideOf(
  users: readonly OrgUser[],
  configured: { domains: readonly string[]; people?: readonly string[] },
  isPublicMailbox: (domain: string) => boolean,
): SellerSide {
  const people = new Map<string, string>();
  for (const name of [...(configured.people ?? []), ...users.map((u) => u.name)]) {
    const clean = name.replace(/\s+/g, ' ').trim();
    // A one-word name ("Integration", "Admin") is too common a word to hold anyone to our side.
    if (clean.includes(' ') && !people.has(clean.toLowerCase())) people.set(clean.toLowerCase(), clean);
  }
  const domains = new Set(configured.domains.map((d) => d.trim().toLowerCase()).filter(Boolean));
  for (const user of users) {
    const domain = emailDomain(user.email);
    if (domain && !isPublicMailbox(domain) && !RESERVED.test(domain)) domains.add(domain);
  }
  return { people: [...people.values()], domains: [...domains] };
}

/** The same person however a source writes them: case, spacing and accents aside. */
export function personKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .toLowerCase();
}

const keysOf = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Our people's names as personKey reads them. The rules are read once and kept (an org may have
 * thousands of users), so the keys are made once per list, not once per conversation.
 */
export function sellerKeys(people: readonly string[]): ReadonlySet<string> {
  let keys = keysOf.get(people);
  if (!keys) {
    keys = new Set(people.map(personKey));
    keysOf.set(people, keys);
  }
  return keys;
}
