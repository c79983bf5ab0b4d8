import type { Insights, NextStepPriority, StakeholderRole } from '../insights/schema.js';
import type { FieldMapping } from '../insights/field-mapping.js';
import type { MatchCandidate } from '../matching/match-opportunity.js';
import { sameValue } from './field-values.js';
import { decideFields, type FieldDecisionInput } from './decide-fields.js';
import type { ContactView, ExistingConversation } from './org-view.js';
import type { FieldDescription } from './field-values.js';
import { decideContactDetails, newContactDetails } from './decide-contact-details.js';
import {
  emptySuggestion,
  externalKey,
  slug,
  type FieldOutcome,
  type PlannedSuggestion,
  type StaleMark,
  type TaskPriority,
  type WriteDecision,
} from './plan.js';
import { findPrevious, SETTLED } from './previous.js';

/**
 * Everything the write-back decides for a conversation matched to a deal: field values (see
 * decide-fields), tasks for the next steps, contacts for people the org does not know yet, and which
 * older pending suggestions went stale. Pure: the caller reads the org before and writes after.
 */

export interface WriteDecisionInput extends FieldDecisionInput {
  /** When this conversation took place (ISO), to tell whether it supersedes older suggestions. */
  occurredAt: string | null;
  /** OpportunityContactRole.Role values the org accepts. */
  contactRoleValues: string[];
  /** Names of people the org already has as contacts (lower-cased), who need no contact suggestion. */
  knownContactNames: string[];
  /** Email addresses of participants, by lower-cased name. */
  emailsByName: Record<string, string>;
  /** Contacts the read found, with their current values, for contact details (decide-contact-details). */
  contacts?: ContactView[];
  /** Contact fields by API name, as the integration user sees them. */
  contactFields?: Record<string, FieldDescription>;
}

/** At most this many task and contact suggestions per conversation: beyond that a rep stops reading. */
export const MAX_TASKS = 5;
export const MAX_CONTACTS = 5;
/** A next step with a date is a firmer commitment than one without. */
const TASK_CONFIDENCE = { dated: 0.8, undated: 0.7 };
const CONTACT_CONFIDENCE = 0.7;

/** A next step's priority as Salesforce's standard Task Priority values name it. */
const TASK_PRIORITY: Record<NextStepPriority, TaskPriority> = { high: 'High', medium: 'Normal', low: 'Low' };

/** Stakeholder roles as Salesforce's standard contact roles name them. */
const CONTACT_ROLE: Record<StakeholderRole, string> = {
  champion: 'Executive Sponsor',
  economic_buyer: 'Economic Buyer',
  decision_maker: 'Decision Maker',
  technical_evaluator: 'Technical Buyer',
  influencer: 'Influencer',
  blocker: 'Other',
  user: 'Business User',
  procurement_legal: 'Other',
};

/** The suggestion to write given what this conversation left before: updated, or left alone when settled. */
function reconcile(existing: ExistingConversation | null, planned: PlannedSuggestion): PlannedSuggestion[] {
  const previous = findPrevious(existing, { ...planned, evidenceQuote: planned.evidence?.quote ?? null });
  if (!previous) return [planned];
  if (!previous.externalId || SETTLED.has(previous.status)) return [];
  return [{ ...planned, externalId: previous.externalId }];
}

function taskSuggestions(input: WriteDecisionInput): PlannedSuggestion[] {
  return input.insights.nextSteps
    .slice(0, MAX_TASKS)
    .map((step) => {
      const externalId = externalKey(input.sourceId, `Task:${slug(step.text)}`);
      return {
        ...emptySuggestion(
          externalId,
          'Task',
          (step.owner ? `${step.owner}: ${step.text}` : step.text).slice(0, 255),
        ),
        opportunityId: input.opportunity.id,
        accountId: input.opportunity.accountId,
        dueDate: step.dueDate,
        taskPriority: TASK_PRIORITY[step.priority],
        confidence: step.dueDate ? TASK_CONFIDENCE.dated : TASK_CONFIDENCE.undated,
        evidence: step.evidence,
        reasons: [`next step agreed: "${step.evidence.quote}"`],
      };
    })
    .flatMap((s) => reconcile(input.existing, s));
}

function contactSuggestions(input: WriteDecisionInput): PlannedSuggestion[] {
  const known = new Set(input.knownContactNames.map((n) => n.toLowerCase()));
  for (const role of input.opportunity.contactRoles)
    if (role.contactName) known.add(role.contactName.toLowerCase());
  return input.insights.stakeholders
    .filter((s) => s.affiliation === 'customer' && !known.has(s.name.toLowerCase()))
    .slice(0, MAX_CONTACTS)
    .map((person) => {
      const role = person.role ? CONTACT_ROLE[person.role] : null;
      const said = newContactDetails(person.name, input.insights.contactDetails ?? [], input.policies);
      const externalId = externalKey(input.sourceId, `Contact:${slug(person.name)}`);
      return {
        ...emptySuggestion(externalId, 'Contact', person.name),
        opportunityId: input.opportunity.id,
        accountId: input.opportunity.accountId,
        contactTitle: (said.title ?? person.title)?.slice(0, 128) ?? null,
        contactRole: role && input.contactRoleValues.includes(role) ? role : null,
        contactEmail: said.email ?? input.emailsByName[person.name.toLowerCase()] ?? null,
        contactPhone: said.phone,
        contactMobile: said.mobile,
        confidence: CONTACT_CONFIDENCE,
        evidence: person.evidence,
        reasons: [
          `${person.name}${person.title ? `, ${person.title},` : ''} took part or was named, and is not a contact yet`,
        ],
      };
    })
    .flatMap((s) => reconcile(input.existing, s));
}

/**
 * Pending suggestions from other conversations become stale when their field changed since they were
 * made, or when this (newer) conversation proposes or applies a value for the same field.
 */
function staleMarks(input: WriteDecisionInput, decided: WriteDecision): StaleMark[] {
  const marks: StaleMark[] = [];
  const ours = new Set(decided.suggestions.map((s) => s.externalId));
  // A contact's field is not the deal's: a newer title for one contact leaves another's suggestion be.
  const touched = new Map(
    decided.suggestions
      .filter((s) => s.targetField && (s.targetObject ?? 'Opportunity') === 'Opportunity')
      .map((s) => [s.targetField!, s.proposedValue]),
  );
  for (const pending of input.opportunity.pendingSuggestions) {
    if (
      pending.status !== 'Pending' ||
      !pending.targetField ||
      (pending.externalId && ours.has(pending.externalId))
    )
      continue;
    if (input.existing && pending.conversationId === input.existing.id) continue;
    if (pending.type !== 'Field' && pending.type !== 'Stage') continue;
    const field = input.fields[pending.targetField];
    const label = field?.label ?? pending.targetField;
    if (
      pending.targetField in input.opportunity.values &&
      !sameValue(input.opportunity.values[pending.targetField], pending.valueAtSuggestion)
    ) {
      const now = input.opportunity.values[pending.targetField];
      marks.push({
        id: pending.id,
        reason: `${label} changed since this was suggested: it is now "${now ?? ''}", it was "${pending.valueAtSuggestion ?? ''}".`,
      });
      continue;
    }
    const proposed = touched.get(pending.targetField);
    const older =
      !pending.conversationOccurredAt ||
      !input.occurredAt ||
      pending.conversationOccurredAt <= input.occurredAt;
    if (proposed !== undefined && older) {
      marks.push({ id: pending.id, reason: `A newer conversation proposes "${proposed}" for ${label}.` });
    }
  }
  return marks;
}

/** The field policy insight a dropped value would have fed ("nextSteps.owner" feeds nextStep). */
const DROPPED_INSIGHT_FEEDS: Record<string, FieldMapping['insight']> = {
  nextSteps: 'nextStep',
  budget: 'budget',
  'budget.range': 'budgetRange',
  timeline: 'timeline',
  seatCount: 'seatCount',
  competitors: 'competitors',
  useCase: 'useCase',
  employeeCount: 'employeeCount',
  annualRevenue: 'annualRevenue',
  techStack: 'techStack',
  decisionTimeline: 'decisionTimeline',
  proposedStage: 'stage',
};

/** A field whose value was dropped for want of support says so, beside what was decided for it. */
function droppedOutcomes(insights: Insights, policies: FieldMapping[]): FieldOutcome[] {
  const outcomes: FieldOutcome[] = [];
  for (const d of insights.dropped) {
    const path = d.insight.split('.');
    const feeds = DROPPED_INSIGHT_FEEDS[path.slice(0, 2).join('.')] ?? DROPPED_INSIGHT_FEEDS[path[0]!];
    const policy = policies.find(
      (p) =>
        p.isActive && (p.objectName === 'Opportunity' || p.objectName === 'Account') && p.insight === feeds,
    );
    if (!policy) continue;
    const value = d.value.length > 80 ? `${d.value.slice(0, 79)}…` : d.value;
    outcomes.push({
      field: policy.fieldName,
      outcome: 'dropped',
      value: null,
      reason: `"${value}" (${d.insight}) was not written: ${d.reason}`,
    });
  }
  return outcomes;
}

export function decideWrites(input: WriteDecisionInput): WriteDecision {
  const fields = decideFields(input);
  const details = decideContactDetails({
    ...input,
    contacts: input.contacts ?? [],
    contactFields: input.contactFields ?? {},
  });
  const decision: WriteDecision = {
    suggestions: [
      ...fields.suggestions,
      ...taskSuggestions(input),
      ...contactSuggestions(input),
      ...details.suggestions,
    ],
    applies: fields.applies,
    stale: [],
    outcomes: [...fields.outcomes, ...droppedOutcomes(input.insights, input.policies), ...details.outcomes],
  };
  decision.stale = staleMarks(input, decision);
  return decision;
}

/** When the deal is a close call, one suggestion per candidate asks the rep which one it is. */
export function matchSuggestions(
  sourceId: string,
  candidates: MatchCandidate[],
  existing: ExistingConversation | null,
): PlannedSuggestion[] {
  const total = candidates.reduce((sum, c) => sum + c.score, 0) || 1;
  return candidates
    .map((c) => ({
      ...emptySuggestion(
        externalKey(sourceId, `OpportunityMatch:${c.opportunity.id}`),
        'Opportunity Match',
        c.opportunity.id,
      ),
      opportunityId: c.opportunity.id,
      accountId: c.opportunity.accountId,
      confidence: Math.round((c.score / total) * 100) / 100,
      reasons: [`Is this conversation about ${c.opportunity.name}?`, ...c.reasons],
    }))
    .flatMap((s) => reconcile(existing, s));
}
