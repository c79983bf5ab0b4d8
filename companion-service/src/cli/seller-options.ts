import type { OrgRules } from '../domain/org-rules.js';
import { DOMAIN, sellerSideOf } from '../domain/extraction/seller-side.js';
import { UsageError } from './options.js';

/** Bounds on what a command line may add to our side: a typo should not become a thousand sellers. */
const MAX_ENTRIES = 200;
const MAX_NAME_LENGTH = 120;

function listOf(raw: string, option: string): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UsageError(`${option} is empty; give a comma-separated list`);
  if (items.length > MAX_ENTRIES) throw new UsageError(`${option} lists more than ${MAX_ENTRIES} entries`);
  return items;
}

/**
 * `--seller-domains a.com,b.com` and `--seller "Person A,Person B"`: our own people for one run of
 * `scribe extract`, which reads no org, added to the domains in Scribe_Setting__mdt.
 */
export function withSellerSide(
  rules: OrgRules,
  domainsOption: string | undefined,
  peopleOption: string | undefined,
): OrgRules {
  if (domainsOption === undefined && peopleOption === undefined) return rules;
  const domains = domainsOption === undefined ? [] : listOf(domainsOption, '--seller-domains');
  for (const raw of domains) {
    const domain = raw.replace(/^@/, '').toLowerCase();
    if (!DOMAIN.test(domain))
      throw new UsageError(`--seller-domains: "${raw}" is not a domain; write it as example.com`);
  }
  const people = peopleOption === undefined ? [] : listOf(peopleOption, '--seller');
  for (const name of people) {
    if (name.length > MAX_NAME_LENGTH)
      throw new UsageError(`--seller: a name is longer than ${MAX_NAME_LENGTH} characters`);
    if (!/\p{L}/u.test(name)) throw new UsageError(`--seller: "${name}" is not a name`);
  }
  const seller = sellerSideOf(
    [],
    { domains: [...rules.sellerEmailDomains, ...domains.map((d) => d.replace(/^@/, ''))], people },
    () => false,
  );
  return {
    ...rules,
    sellerEmailDomains: seller.domains,
    // A single name given on purpose is kept: the user said this person is ours.
    sellerPeople: [...new Set([...rules.sellerPeople, ...seller.people, ...people])],
  };
}
