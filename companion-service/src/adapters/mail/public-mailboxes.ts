import providers from 'email-providers';
import { z } from 'zod';

/**
 * Domains anyone can get an address at (gmail.com, outlook.com, ...): a user who writes from one
 * tells nothing about which company they work for. The list is the email-providers package's,
 * kept up to date there rather than here; it ships no types, so its shape is checked once here.
 */
const PUBLIC: ReadonlySet<string> = new Set(
  z
    .array(z.string())
    .parse(providers)
    .map((d) => d.toLowerCase()),
);

export function isPublicMailbox(domain: string): boolean {
  return PUBLIC.has(domain.toLowerCase());
}
