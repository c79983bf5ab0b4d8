import type { OpportunityField, PipelineOpportunity } from '../pipeline/records.js';
import { FIELD_LABELS } from './stage-requirements.js';

/**
 * How complete a record is against the fields its stage requires (Stage_Definition__mdt
 * .Required_Fields__c). Only fields the source carries are judged: an export without a Next Step
 * column says nothing about next steps, so that field is neither present nor missing.
 */

export interface Completeness {
  required: OpportunityField[];
  /** Required fields the source carries, so they can be judged. */
  checked: OpportunityField[];
  missing: OpportunityField[];
  /** present / checked, 0..1; null when nothing could be checked. */
  score: number | null;
}

const blankString = (value: unknown) => typeof value === 'string' && value.trim() === '';

/** Whether a field is blank, or null when the source does not carry it and so nothing is known. */
export function fieldBlank(
  opportunity: PipelineOpportunity,
  field: OpportunityField,
  knownFields: ReadonlySet<OpportunityField> | null,
): boolean | null {
  const value = opportunity[field];
  if (blankString(value)) return true;
  if (value !== null && value !== undefined) return false;
  return knownFields?.has(field) ? true : null;
}

export function completenessOf(
  opportunity: PipelineOpportunity,
  required: readonly OpportunityField[],
  knownFields: ReadonlySet<OpportunityField> | null,
): Completeness {
  const checked: OpportunityField[] = [];
  const missing: OpportunityField[] = [];
  for (const field of required) {
    const blank =
      field === 'accountId'
        ? accountBlank(opportunity, knownFields)
        : fieldBlank(opportunity, field, knownFields);
    if (blank === null) continue;
    checked.push(field);
    if (blank) missing.push(field);
  }
  return {
    required: [...required],
    checked,
    missing,
    score: checked.length === 0 ? null : (checked.length - missing.length) / checked.length,
  };
}

function accountBlank(
  opportunity: PipelineOpportunity,
  knownFields: ReadonlySet<OpportunityField> | null,
): boolean | null {
  const id = fieldBlank(opportunity, 'accountId', knownFields);
  const name = fieldBlank(opportunity, 'accountName', knownFields);
  if (id === false || name === false) return false;
  return id === true || name === true ? true : null;
}

export const fieldLabel = (field: OpportunityField) => FIELD_LABELS[field];

export interface RepCompleteness {
  owner: string;
  deals: number;
  /** Deals with at least one required field blank. */
  incomplete: number;
  /** Present fields over judged fields across the rep's open deals; null when nothing could be judged. */
  score: number | null;
  /** The most often blank field and how often, for the sales-ops conversation with the rep. */
  mostMissing: { field: OpportunityField; count: number } | null;
}

export function completenessByRep(
  deals: readonly { owner: string; completeness: Completeness }[],
): RepCompleteness[] {
  const reps = new Map<
    string,
    {
      deals: number;
      incomplete: number;
      checked: number;
      missing: number;
      fields: Map<OpportunityField, number>;
    }
  >();
  for (const { owner, completeness } of deals) {
    const rep = reps.get(owner) ?? { deals: 0, incomplete: 0, checked: 0, missing: 0, fields: new Map() };
    rep.deals++;
    rep.checked += completeness.checked.length;
    rep.missing += completeness.missing.length;
    if (completeness.missing.length > 0) rep.incomplete++;
    for (const field of completeness.missing) rep.fields.set(field, (rep.fields.get(field) ?? 0) + 1);
    reps.set(owner, rep);
  }
  return [...reps.entries()]
    .map(([owner, rep]) => {
      let mostMissing: RepCompleteness['mostMissing'] = null;
      for (const [field, count] of [...rep.fields.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        if (!mostMissing || count > mostMissing.count) mostMissing = { field, count };
      }
      return {
        owner,
        deals: rep.deals,
        incomplete: rep.incomplete,
        score: rep.checked === 0 ? null : (rep.checked - rep.missing) / rep.checked,
        mostMissing,
      };
    })
    .sort((a, b) => (a.score ?? 2) - (b.score ?? 2) || a.owner.localeCompare(b.owner));
}
