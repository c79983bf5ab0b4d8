import type { ContactDetail, ContactDetailKind, Insights } from '../insights/schema.js';
import type { FieldMapping } from '../insights/field-mapping.js';
import { personKey } from '../extraction/seller-side.js';
import { convertForField, sameValue, toText, type FieldDescription } from './field-values.js';
import type { ContactView, ExistingConversation, OpportunityView } from './org-view.js';
import { emptySuggestion, externalKey, type FieldOutcome, type PlannedSuggestion } from './plan.js';
import { SETTLED } from './previous.js';

/**
 * Contact details (a new title, an email, a phone) for the customer's people who already are contacts
 * at the deal's account: one Field suggestion per contact and field, on the same path as a deal
 * field's (Target_Object__c Contact, the contact's id as Target_Record_Id__c, the quote beside it),
 * under the field's Field_Policy__mdt. A contact's details are personal data a rep vouches for, so
 * the write-back only ever suggests them: whatever a policy's mode, a rep applies the value as
 * themselves (SuggestionService), and the policy's overwrite rule and confidence floor decide whether
 * it is proposed at all. People who are not contacts yet carry their details on the new-contact
 * suggestion instead (newContactDetails).
 */

/** Field_Policy__mdt.Insight__c values that feed contact fields, by the kind of detail. */
export const CONTACT_DETAIL_INSIGHTS: Record<ContactDetailKind, FieldMapping['insight']> = {
  title: 'contactTitle',
  email: 'contactEmail',
  phone: 'contactPhone',
  mobile: 'contactMobile',
};

const KIND_WORDS: Record<ContactDetailKind, string> = {
  title: 'title',
  email: 'email address',
  phone: 'phone number',
  mobile: 'mobile number',
};

export interface ContactDetailDecisionInput {
  insights: Insights;
  sourceId: string;
  opportunity: OpportunityView;
  /** Contacts the read found, with the current values of the fields the contact policies name. */
  contacts: ContactView[];
  /** Contact fields by API name, as the integration user sees them (describe). */
  contactFields: Record<string, FieldDescription>;
  policies: FieldMapping[];
  existing: ExistingConversation | null;
}

export interface ContactDetailDecisions {
  suggestions: PlannedSuggestion[];
  outcomes: FieldOutcome[];
}

/** The contact a person is at the deal's account: by name, and only one. */
export function contactFor(person: string, contacts: readonly ContactView[], accountId: string | null) {
  const key = personKey(person);
  const same = contacts.filter(
    (c) => personKey(c.name) === key && (!accountId || !c.accountId || c.accountId === accountId),
  );
  return same.length === 1 ? same[0]! : null;
}

/** The firmest detail of each kind per person: the first said when two are equally sure. */
function firmest(details: readonly ContactDetail[]): ContactDetail[] {
  const best = new Map<string, ContactDetail>();
  for (const d of details) {
    const key = `${personKey(d.person)}|${d.kind}`;
    const held = best.get(key);
    if (!held || d.confidence > held.confidence) best.set(key, d);
  }
  return [...best.values()];
}

export function decideContactDetails(input: ContactDetailDecisionInput): ContactDetailDecisions {
  const out: ContactDetailDecisions = { suggestions: [], outcomes: [] };
  for (const detail of firmest(input.insights.contactDetails ?? [])) {
    const contact = contactFor(detail.person, input.contacts, input.opportunity.accountId);
    if (contact) decideOne(input, detail, contact, out);
  }
  return out;
}

function decideOne(
  input: ContactDetailDecisionInput,
  detail: ContactDetail,
  contact: ContactView,
  out: ContactDetailDecisions,
): void {
  const insight = CONTACT_DETAIL_INSIGHTS[detail.kind];
  const policy = input.policies.find(
    (p) => p.isActive && p.objectName === 'Contact' && p.insight === insight,
  );
  // Outcomes name the field, never the person or the value: they travel into the processing result.
  const outcome = (
    field: string,
    kind: FieldOutcome['outcome'],
    reason: string,
    value: string | null = null,
  ): void => {
    out.outcomes.push({ field: `Contact.${field}`, outcome: kind, value, reason });
  };
  if (!policy) return outcome(insight, 'skipped', `no active Field_Policy__mdt record feeds ${insight}`);
  const field = input.contactFields[policy.fieldName];
  if (!field)
    return outcome(
      policy.fieldName,
      'skipped',
      `the org has no field Contact.${policy.fieldName}; check ${policy.developerName}`,
    );
  if (!contact.values || !(field.name in contact.values))
    return outcome(field.name, 'skipped', `the integration user cannot read ${field.label} on contacts`);
  if (detail.confidence < policy.minimumConfidence)
    return outcome(
      field.name,
      'skipped',
      `confidence ${detail.confidence} is below the policy's floor of ${policy.minimumConfidence}`,
    );
  const converted = convertForField(field, detail.value);
  if (!converted.ok) return outcome(field.name, 'skipped', converted.problem);
  const current = contact.values[field.name];
  const currentText = toText(current);
  if (sameValue(current, converted.text))
    return outcome(
      field.name,
      'unchanged',
      `the contact's ${field.label} already holds this value`,
      converted.text,
    );
  if (currentText !== null && policy.overwritePolicy === 'Never')
    return outcome(
      field.name,
      'skipped',
      `the contact's ${field.label} holds a value, and its policy never replaces it`,
    );
  const externalId = externalKey(input.sourceId, `Contact.${contact.id}.${field.name}`);
  const previous = input.existing?.suggestions.find((s) => s.externalId === externalId);
  if (previous && SETTLED.has(previous.status))
    return outcome(
      field.name,
      'kept',
      `a rep already decided this suggestion (${previous.status}); it is left as decided`,
    );
  const notes: string[] = [];
  if (policy.mode === 'Auto-apply')
    notes.push(`contact details are never applied without a rep: accept it to write ${field.label}`);
  if (currentText !== null && policy.overwritePolicy === 'If empty')
    notes.push(
      `the contact's ${field.label} holds "${currentText}"; this replaces it only if the rep accepts`,
    );
  out.suggestions.push({
    ...emptySuggestion(externalId, 'Field', converted.text),
    targetObject: 'Contact',
    targetField: field.name,
    targetRecordId: contact.id,
    opportunityId: input.opportunity.id,
    accountId: input.opportunity.accountId,
    valueAtSuggestion: currentText,
    confidence: detail.confidence,
    evidence: detail.evidence,
    reasons: [`${contact.name}'s ${KIND_WORDS[detail.kind]}, said: "${detail.evidence.quote}"`, ...notes],
  });
  outcome(
    field.name,
    'suggested',
    notes.join('; ') || 'the field policy asks a rep to decide',
    converted.text,
  );
}

/**
 * The details a new-contact suggestion carries for a person the org does not know yet: a title, an
 * email and a phone (the mobile when no other number was said), each only when an active contact
 * policy feeds it and it reaches the policy's confidence floor.
 */
export function newContactDetails(
  person: string,
  details: readonly ContactDetail[],
  policies: readonly FieldMapping[],
): { title: string | null; email: string | null; phone: string | null; mobile: string | null } {
  const pick = (kind: ContactDetailKind): string | null => {
    const policy = policies.find(
      (p) => p.isActive && p.objectName === 'Contact' && p.insight === CONTACT_DETAIL_INSIGHTS[kind],
    );
    if (!policy) return null;
    const key = personKey(person);
    const found = firmest(details).find(
      (d) => d.kind === kind && personKey(d.person) === key && d.confidence >= policy.minimumConfidence,
    );
    return found?.value ?? null;
  };
  return { title: pick('title'), email: pick('email'), phone: pick('phone'), mobile: pick('mobile') };
}
