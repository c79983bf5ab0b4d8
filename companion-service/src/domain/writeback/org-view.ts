import type { RecordValue } from './field-values.js';

/**
 * What the write-back knows about the org after its one read for a conversation: candidate deals
 * with their contact roles, pending suggestions and provenance; contacts found by the participants'
 * emails and names; and what earlier processing of the same conversation left behind.
 */

export interface ContactView {
  id: string;
  name: string;
  email: string | null;
  accountId: string | null;
  accountName: string | null;
  /**
   * Current values of the contact fields the contact policies name (Title, Email, Phone...), those
   * the integration user can read; a field it cannot read is absent.
   */
  values?: Record<string, RecordValue>;
}

export interface ContactRoleView {
  contactId: string;
  contactName: string | null;
  email: string | null;
  role: string | null;
  isPrimary: boolean;
}

export type SuggestionStatus =
  'Pending' | 'Accepted' | 'Edited' | 'Rejected' | 'Stale' | 'Auto-applied' | 'Failed';
export type SuggestionType = 'Stage' | 'Field' | 'Contact' | 'Task' | 'Opportunity Match';

export interface SuggestionView {
  id: string;
  externalId: string | null;
  conversationId: string | null;
  /** When the conversation it came from took place (ISO), to tell older suggestions from newer. */
  conversationOccurredAt: string | null;
  type: SuggestionType | null;
  targetField: string | null;
  valueAtSuggestion: string | null;
  proposedValue: string | null;
  evidenceQuote: string | null;
  status: SuggestionStatus;
}

export interface ProvenanceView {
  id: string;
  externalId: string | null;
  field: string;
  newValue: string | null;
  appliedByPolicy: string | null;
  appliedAt: string | null;
  revertedAt: string | null;
}

export interface OpportunityView {
  id: string;
  name: string;
  accountId: string | null;
  accountName: string | null;
  stageName: string;
  isClosed: boolean;
  /** The deal's owner while an active user: who a logged activity is assigned to. */
  activeOwnerId?: string | null;
  /** Current values of the fields the field policies name, and the standard ones read with them. */
  values: Record<string, RecordValue>;
  /** Current values of the deal's account fields the field policies name (company facts). */
  accountValues?: Record<string, RecordValue>;
  contactRoles: ContactRoleView[];
  pendingSuggestions: SuggestionView[];
  /** Values Pipeline Scribe set on this deal, newest first. */
  provenance: ProvenanceView[];
}

export interface ExistingConversation {
  id: string;
  opportunityId: string | null;
  accountId: string | null;
  /** This conversation's suggestions and applied values from earlier processing. */
  suggestions: SuggestionView[];
  provenance: ProvenanceView[];
}

/** One rep decision on a suggestion for a field, for earned trust. */
export interface TrustDecision {
  objectName: string;
  fieldName: string;
  outcome: 'accepted' | 'edited' | 'rejected';
  /** ISO date-time of the decision (or of the revert that counts as a rejection). */
  at: string;
}
