import type { FieldValue, SObjectRecord } from '../store/record-store.js';

/**
 * The package's StageMove, as SuggestionService uses it: a stage suggestion that closes the deal or
 * moves it back from the stage it was suggested at (or goes to a stage the Stage_Definition__mdt
 * records do not define, which might close it) is applied only when the rep confirmed that decision.
 */

export const NEEDS_CONFIRMATION =
  'Closing a deal or moving it back needs your confirmation: accept it on its own.';

export type StageMoveKind = 'close' | 'back' | 'unknown' | null;

interface StageDefinition {
  isClosed: boolean;
  sortOrder: number | null;
}

/** Stage_Definition__mdt.getAll() keyed by Stage_Name__c, from rows read without the namespace. */
export function stageDefinitions(rows: Record<string, FieldValue>[]): Map<string, StageDefinition> {
  const byName = new Map<string, StageDefinition>();
  for (const row of rows) {
    if (typeof row.Stage_Name__c !== 'string') continue;
    byName.set(row.Stage_Name__c, {
      isClosed: row.Is_Closed__c === true,
      sortOrder: typeof row.Sort_Order__c === 'number' ? row.Sort_Order__c : null,
    });
  }
  return byName;
}

export function stageMoveKind(
  stages: Map<string, StageDefinition>,
  fromStage: FieldValue,
  toStage: FieldValue,
): StageMoveKind {
  const target = typeof toStage === 'string' ? stages.get(toStage) : undefined;
  if (!target) return 'unknown';
  if (target.isClosed) return 'close';
  const origin = typeof fromStage === 'string' ? stages.get(fromStage) : undefined;
  // No order to move back along from a stage the rules do not define; an open target cannot close the deal.
  if (!origin || origin.sortOrder === null || target.sortOrder === null) return null;
  return target.sortOrder < origin.sortOrder ? 'back' : null;
}

/** StageMove.needsConfirmation: whether this decision on this suggestion waits for the rep's confirmation. */
export function needsConfirmation(
  stages: Map<string, StageDefinition>,
  suggestion: Record<string, FieldValue> | SObjectRecord,
  decision: { action: string; editedValue?: string | null },
): boolean {
  if (suggestion.Type__c !== 'Stage' || decision.action === 'reject') return false;
  const toStage = decision.action === 'edit' ? decision.editedValue : suggestion.Proposed_Value__c;
  // An edit without a stage is refused by the applier with its own reason.
  if (typeof toStage !== 'string' || toStage.trim() === '') return false;
  return stageMoveKind(stages, suggestion.Value_At_Suggestion__c ?? null, toStage) !== null;
}
