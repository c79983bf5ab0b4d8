import type { ContactDetail, Stakeholder } from '../insights/schema.js';
import type { OrgRules } from '../org-rules.js';
import { emailDomain, personKey, sellerKeys } from './seller-side.js';

/**
 * Whichever extractor found them, contact details are kept only on the customer's people: the person
 * must be one of the conversation's customer stakeholders (by full name, or a first name only one of
 * them has), never one of the org's own people, and an address at one of our domains is ours. Each is
 * said on the stakeholder's full name, the name a contact is matched or created by.
 */
export function customerContactDetails(
  details: readonly ContactDetail[],
  stakeholders: readonly Stakeholder[],
  rules: Pick<OrgRules, 'sellerPeople' | 'sellerEmailDomains'>,
): ContactDetail[] {
  const ours = sellerKeys(rules.sellerPeople);
  const customers = stakeholders.filter((s) => s.affiliation === 'customer' && !ours.has(personKey(s.name)));
  const sellers = stakeholders.filter((s) => s.affiliation === 'seller');
  const owner = (person: string): string | null => {
    const key = personKey(person);
    if (ours.has(key) || sellers.some((s) => personKey(s.name) === key)) return null;
    const exact = customers.find((s) => personKey(s.name) === key);
    if (exact) return exact.name;
    const byFirst = customers.filter((s) => personKey(s.name).split(' ')[0] === key.split(' ')[0]);
    return !key.includes(' ') && byFirst.length === 1 ? byFirst[0]!.name : null;
  };
  const out: ContactDetail[] = [];
  for (const detail of details) {
    const person = owner(detail.person);
    if (!person) continue;
    const domain = detail.kind === 'email' ? emailDomain(detail.value) : null;
    if (domain && rules.sellerEmailDomains.includes(domain)) continue;
    out.push({ ...detail, person });
  }
  return out;
}
