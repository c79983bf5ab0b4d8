import type { ExistingConversation, SuggestionType, SuggestionView } from './org-view.js';

/**
 * The suggestion an earlier processing of the same conversation left for the same thing. Our own
 * external ids find it directly; a record another writer made for this conversation (the sample data,
 * an older version of the service) is recognised by what it is about: the same field, the same
 * person, the same quoted next step, the same candidate deal. Reusing its external id turns the write
 * into an update of it rather than a duplicate beside it.
 */

export interface SuggestionIdentity {
  externalId: string;
  type: SuggestionType;
  targetField: string | null;
  proposedValue: string;
  evidenceQuote: string | null;
}

const words = (text: string | null) =>
  (text ?? '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function sameThing(planned: SuggestionIdentity, existing: SuggestionView): boolean {
  if (existing.type !== planned.type) return false;
  switch (planned.type) {
    case 'Field':
    case 'Stage':
      return existing.targetField === planned.targetField;
    case 'Contact':
    case 'Opportunity Match':
      return words(existing.proposedValue) === words(planned.proposedValue);
    case 'Task': {
      const a = words(existing.evidenceQuote);
      const b = words(planned.evidenceQuote);
      return a.length > 0 && b.length > 0 && (a.includes(b) || b.includes(a));
    }
  }
}

export function findPrevious(
  existing: ExistingConversation | null,
  planned: SuggestionIdentity,
): SuggestionView | null {
  if (!existing) return null;
  return (
    existing.suggestions.find((s) => s.externalId === planned.externalId) ??
    existing.suggestions.find((s) => sameThing(planned, s)) ??
    null
  );
}

/** Suggestions a rep (or an earlier auto-apply) settled are never reopened by processing again. */
export const SETTLED = new Set(['Accepted', 'Edited', 'Rejected', 'Stale', 'Auto-applied']);
