import { describe, expect, it } from 'vitest';
import { decideWrites } from '../../../src/domain/writeback/decide-writes.js';
import type { ContactDetail } from '../../../src/domain/insights/schema.js';
import type { FieldMapping } from '../../../src/domain/insights/field-mapping.js';
import type { FieldDescription } from '../../../src/domain/writeback/field-values.js';
import type { ContactView } from '../../../src/domain/writeback/org-view.js';
import { decisionInput, deal, ev, insights } from './fixtures.js';

/**
 * Contact details through the write-back: a matched contact's new title, email or phone becomes a
 * Field suggestion on that contact with its quote, never an automatic write; a rep's value stays
 * when the policy says so; a person who is not a contact yet carries the details on the new-contact
 * suggestion.
 */

const ACCOUNT = deal().accountId!;

const text = (name: string, label: string, type: FieldDescription['type'] = 'string'): FieldDescription => ({
  name,
  label,
  type,
  length: type === 'email' ? 80 : type === 'phone' ? 40 : 128,
  updateable: false,
  picklistValues: [],
  restrictedPicklist: false,
});
const CONTACT_FIELDS: Record<string, FieldDescription> = {
  Title: text('Title', 'Title'),
  Email: text('Email', 'Email', 'email'),
  Phone: text('Phone', 'Business Phone', 'phone'),
  MobilePhone: text('MobilePhone', 'Mobile Phone', 'phone'),
};

const contactPolicy = (
  fieldName: string,
  insight: FieldMapping['insight'],
  fill: Partial<FieldMapping> = {},
): FieldMapping => ({
  developerName: `Contact_${fieldName}`,
  objectName: 'Contact',
  fieldName,
  insight,
  mode: 'Suggest',
  overwritePolicy: 'If empty',
  minimumConfidence: 0.7,
  isActive: true,
  autoApplyAfterAccepted: null,
  minimumAcceptanceRate: null,
  demoteAfterRejections: null,
  ...fill,
});
const POLICIES = [
  contactPolicy('Title', 'contactTitle', { overwritePolicy: 'Always' }),
  contactPolicy('Email', 'contactEmail', { overwritePolicy: 'Never' }),
  contactPolicy('Phone', 'contactPhone'),
  contactPolicy('MobilePhone', 'contactMobile'),
];

const maria: ContactView = {
  id: '0035L0000000042QAA',
  name: 'Maria Ortiz',
  email: 'maria.ortiz@fabrikam.com',
  accountId: ACCOUNT,
  accountName: 'Fabrikam',
  values: {
    Email: 'maria.ortiz@fabrikam.com',
    Title: 'Director of Operations',
    Phone: null,
    MobilePhone: null,
  },
};

const detail = (
  kind: ContactDetail['kind'],
  value: string,
  quote: string,
  person = 'Maria Ortiz',
): ContactDetail => ({
  person,
  kind,
  value,
  confidence: 0.8,
  extractor: 'embedded',
  evidence: ev(quote, 40),
});

function decide(details: ContactDetail[], fill: Parameters<typeof decisionInput>[0] = {}) {
  return decideWrites(
    decisionInput({
      insights: insights({
        stakeholders: [
          {
            name: 'Maria Ortiz',
            title: null,
            role: null,
            affiliation: 'customer',
            evidence: ev('Maria Ortiz'),
          },
        ],
        contactDetails: details,
      }),
      policies: [...decisionInput().policies, ...POLICIES],
      contacts: [maria],
      contactFields: CONTACT_FIELDS,
      knownContactNames: ['Maria Ortiz'],
      ...fill,
    }),
  );
}

describe('contact details for a contact the org has', () => {
  it('proposes a title change as a suggestion on that contact, with its quote, for a rep to review', () => {
    const quote = 'Maria Ortiz is now VP of Operations, so she signs.';
    const decision = decide([detail('title', 'VP of Operations', quote)]);
    const title = decision.suggestions.find((s) => s.targetObject === 'Contact');
    expect(title).toMatchObject({
      type: 'Field',
      targetField: 'Title',
      targetRecordId: maria.id,
      opportunityId: deal().id,
      proposedValue: 'VP of Operations',
      valueAtSuggestion: 'Director of Operations',
      status: 'Pending',
      evidence: { quote },
    });
    expect(title!.reasons[0]).toContain(quote);
    expect(decision.applies).toEqual([]);
  });

  it("never replaces a rep's email when the policy says Never, and says why without the address", () => {
    const decision = decide([
      detail('email', 'm.ortiz@fabrikam-group.com', 'Please use m.ortiz@fabrikam-group.com from now on.'),
    ]);
    expect(decision.suggestions.filter((s) => s.targetObject === 'Contact')).toEqual([]);
    const outcome = decision.outcomes.find((o) => o.field === 'Contact.Email')!;
    expect(outcome.outcome).toBe('skipped');
    expect(outcome.reason).toMatch(/never replaces/);
    expect(outcome.reason).not.toContain('fabrikam');
  });

  it('fills an empty phone, and still only suggests it when the policy says Auto-apply', () => {
    const policies = [
      ...decisionInput().policies,
      ...POLICIES.map((p) => (p.fieldName === 'Phone' ? { ...p, mode: 'Auto-apply' as const } : p)),
    ];
    const decision = decide([detail('phone', '(312) 555-0148', 'Her direct line is (312) 555-0148.')], {
      policies,
    });
    const phone = decision.suggestions.find((s) => s.targetField === 'Phone')!;
    expect(phone).toMatchObject({
      status: 'Pending',
      proposedValue: '(312) 555-0148',
      valueAtSuggestion: null,
    });
    expect(phone.reasons.join(' ')).toMatch(/never applied without a rep/);
    expect(decision.applies).toEqual([]);
  });

  it('leaves a same-named contact at another account alone', () => {
    const elsewhere = { ...maria, accountId: '0015L0000000099QAA' };
    const decision = decide([detail('title', 'VP of Operations', 'Maria Ortiz is now VP of Operations.')], {
      contacts: [elsewhere],
    });
    expect(decision.suggestions.filter((s) => s.targetObject === 'Contact')).toEqual([]);
  });

  it('says nothing is to change when the contact already holds the value', () => {
    const decision = decide([
      detail('title', 'Director of Operations', 'Maria Ortiz, Director of Operations.'),
    ]);
    expect(decision.suggestions.filter((s) => s.targetObject === 'Contact')).toEqual([]);
    expect(decision.outcomes.find((o) => o.field === 'Contact.Title')?.outcome).toBe('unchanged');
  });
});

describe('contact details for someone who is not a contact yet', () => {
  it('carries the title, email and numbers on the new-contact suggestion', () => {
    const withSam = decideWrites(
      decisionInput({
        insights: insights({
          stakeholders: [
            { name: 'Sam Lee', title: null, role: null, affiliation: 'customer', evidence: ev('Sam Lee') },
          ],
          contactDetails: [
            detail('title', 'Head of IT', 'Sam Lee is the new Head of IT.', 'Sam Lee'),
            detail('email', 'sam.lee@fabrikam.com', 'sam.lee@fabrikam.com', 'Sam Lee'),
            detail('mobile', '+1 415 555 0199', 'Mobile: +1 415 555 0199', 'Sam Lee'),
          ],
        }),
        policies: [...decisionInput().policies, ...POLICIES],
        contacts: [],
        contactFields: CONTACT_FIELDS,
      }),
    );
    expect(withSam.suggestions.find((s) => s.type === 'Contact')).toMatchObject({
      proposedValue: 'Sam Lee',
      contactTitle: 'Head of IT',
      contactEmail: 'sam.lee@fabrikam.com',
      contactMobile: '+1 415 555 0199',
      contactPhone: null,
    });
  });
});
