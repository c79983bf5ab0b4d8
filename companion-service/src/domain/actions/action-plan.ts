import type { RecordValue } from '../writeback/field-values.js';
import { sameAs } from '../writeback/field-values.js';
import type { RecommendedAction } from '../risk/risk-rules.js';
import type { NextBestAction } from './next-best-action.js';

/**
 * The action plan: how the queue the engines want becomes Next_Best_Action__c writes against the
 * records the org holds. An action a rep marked done, snoozed or dismissed is left alone; one whose
 * reason is gone is closed; one that moved is updated or reopened; the rest are created. The plan
 * is in the package's field shapes, which the adapter writes as they are.
 */

/** External ids of the actions the scan owns; other actions (samples, people's own) are left alone. */
export const ACTION_KEY_PREFIX = 'scan:';

/** The Next_Best_Action__c fields the plan reads from the org. */
export const ACTION_FIELDS = [
  'Opportunity__c',
  'Action__c',
  'Action_Type__c',
  'Why__c',
  'Rank__c',
  'Due_Date__c',
  'Status__c',
  'Snoozed_Until__c',
  'Status_Changed_At__c',
  'OwnerId',
  'CreatedById',
] as const;

/** A Next_Best_Action__c the scan wrote before, as the org holds it now. */
export interface ExistingAction {
  id: string;
  externalId: string;
  fields: Record<(typeof ACTION_FIELDS)[number], RecordValue>;
}

const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max - 1) + '…');

export const actionKey = (opportunityId: string, action: RecommendedAction) =>
  `${ACTION_KEY_PREFIX}${opportunityId}:${action.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

function actionText(a: NextBestAction): string {
  const deal = a.opportunityName ?? a.accountName ?? 'this deal';
  const who = a.accountName ?? deal;
  const text: Record<RecommendedAction, string> = {
    'Re-engage': `Re-engage ${who}`,
    'Update Close Date': `Update the close date of ${deal}`,
    'Add Contact': `Bring more people at ${who} into ${deal}`,
    'Add Next Step': `Write down the next step for ${deal}`,
    'Close Out': `Close out ${deal} as won or lost`,
    Escalate: `Escalate ${deal} with your manager`,
    'Follow Up': `Follow up on ${deal}`,
    'Review Suggestions': `Review the suggestions on ${deal}`,
  };
  return clip(text[a.action], 255);
}

export interface ActionWrite {
  externalId: string;
  opportunityId: string;
  existingId: string | null;
  kind: 'create' | 'update' | 'reopen' | 'close';
  fields: Record<string, RecordValue>;
  /** The action's reason, for the provenance of each field. */
  evidence: string;
}

export interface ActionPlan {
  writes: ActionWrite[];
  /** Actions a rep marked done, snoozed or dismissed: never touched. */
  leftToRep: number;
}

/** A rep's decision: a status other than Open that the queue's Done/Snooze/Dismiss set (with its time). */
const decidedByRep = (a: ExistingAction) =>
  a.fields.Status__c !== 'Open' && a.fields.Status_Changed_At__c !== null;

/** Fields the scan sets to route an action, not to say anything: they carry no provenance. */
export const ROUTING_FIELDS: ReadonlySet<string> = new Set(['OwnerId']);

/**
 * The owner an action should have when the scan writes it: the deal's owner, since the rep's queue
 * lists the actions the rep owns. A new action is created with it (Create on the object is enough).
 * An existing one is re-owned only while its creator still owns it (the scan made it before actions
 * carried the deal's owner): the creator hands over its own record, while another rep's record stays
 * where a person put it (Modify All would let the integration user transfer it; the scan never does).
 */
function ownerChange(
  held: ExistingAction | undefined,
  dealOwner: string | undefined,
): Record<string, string> {
  if (!dealOwner) return {};
  if (!held) return { OwnerId: dealOwner };
  const owner = held.fields.OwnerId;
  return owner !== dealOwner && owner !== null && owner === held.fields.CreatedById
    ? { OwnerId: dealOwner }
    : {};
}

/**
 * Upserts for the wanted actions and closes for the scan's open actions whose reason is gone.
 * `withRank` is false for incremental re-scoring: the rank is a position among the owner's other
 * deals, which only a full scan sees. `owners` maps each deal to its OwnerId.
 */
export function planActions(
  wanted: readonly NextBestAction[],
  existing: readonly ExistingAction[],
  asOf: string,
  withRank: boolean,
  owners: ReadonlyMap<string, string> = new Map(),
): ActionPlan {
  const byKey = new Map(existing.map((a) => [a.externalId, a]));
  const wantedKeys = new Set<string>();
  const writes: ActionWrite[] = [];
  let leftToRep = 0;
  for (const a of wanted) {
    const externalId = actionKey(a.opportunityId, a.action);
    wantedKeys.add(externalId);
    const held = byKey.get(externalId);
    if (held && decidedByRep(held)) {
      leftToRep++;
      continue;
    }
    const fields: Record<string, RecordValue> = {
      Opportunity__c: a.opportunityId,
      Action__c: actionText(a),
      Action_Type__c: a.action,
      Why__c: clip(a.why, 255),
      Due_Date__c: a.dueDate,
      ...(withRank ? { Rank__c: a.rank } : {}),
    };
    const evidence = [a.why, ...a.rules].join('\n');
    const owner = ownerChange(held, owners.get(a.opportunityId));
    if (!held) {
      writes.push({
        externalId,
        opportunityId: a.opportunityId,
        existingId: null,
        kind: 'create',
        fields: { ...fields, Status__c: 'Open', ...owner },
        evidence,
      });
      continue;
    }
    const reopen = held.fields.Status__c !== 'Open';
    const changed = Object.fromEntries(
      Object.entries(reopen ? { ...fields, Status__c: 'Open' } : fields).filter(
        ([k, v]) =>
          !sameAs(
            k === 'Due_Date__c' ? 'date' : undefined,
            v,
            held.fields[k as keyof ExistingAction['fields']],
          ),
      ),
    );
    Object.assign(changed, owner);
    if (Object.keys(changed).length > 0) {
      writes.push({
        externalId,
        opportunityId: a.opportunityId,
        existingId: held.id,
        kind: reopen ? 'reopen' : 'update',
        fields: changed,
        evidence,
      });
    }
  }
  for (const held of existing) {
    if (wantedKeys.has(held.externalId) || held.fields.Status__c !== 'Open') continue;
    const reason = `Closed by the pipeline scan on ${asOf}: the rules behind it no longer fire.`;
    writes.push({
      externalId: held.externalId,
      opportunityId: String(held.fields.Opportunity__c ?? ''),
      existingId: held.id,
      kind: 'close',
      fields: {
        Status__c: 'Done',
        Why__c: clip(`${reason} Was: ${held.fields.Why__c ?? ''}`, 255),
        ...ownerChange(held, owners.get(String(held.fields.Opportunity__c ?? ''))),
      },
      evidence: reason,
    });
  }
  return { writes, leftToRep };
}
