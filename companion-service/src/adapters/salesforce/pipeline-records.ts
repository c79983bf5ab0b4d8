import type { DealAudit } from '../../domain/review/pipeline-audit.js';
import type { NextBestAction } from '../../domain/actions/next-best-action.js';
import type { RecommendedAction } from '../../domain/risk/risk-rules.js';
import type { FieldDescription, RecordValue } from '../../domain/writeback/field-values.js';
import { toText } from '../../domain/writeback/field-values.js';
import { ACTION_KEY_PREFIX, type AiOpportunityField, type ExistingAction } from './pipeline-read.js';

/**
 * What the scan wants the org to hold, in the package's field shapes: the Opportunity AI fields of
 * each scored deal (each value with the engine that set it and the evidence behind it, for its
 * provenance), the Next_Best_Action__c records, and how a wanted value compares with the one the org
 * holds. Lengths, picklists and scales come from the org's describe, so a value that does not fit is
 * clipped or left out rather than failing the record.
 */

export interface Engine {
  name: string;
  version: string;
}

/** Versions of the rule engines as the provenance records name them. */
export const ENGINES = {
  risk: { name: 'pipeline-risk-rules', version: '1.0.0' },
  hygiene: { name: 'pipeline-hygiene-rules', version: '1.0.0' },
  phase: { name: 'buying-phase-rules', version: '1.0.0' },
  conversations: { name: 'conversation-signals', version: '1.0.0' },
  actions: { name: 'next-best-action', version: '1.0.0' },
} satisfies Record<string, Engine>;

export interface AiValue {
  value: RecordValue;
  engine: Engine;
  /** Why the value is what it is, in words: the provenance's quote. */
  evidence: string;
}

export interface DealForecast {
  probability: number;
  evidence: string;
}

export interface ScanForecast {
  engine: Engine;
  deals: ReadonlyMap<string, DealForecast>;
  calibration: CalibrationSummary | null;
}

export interface CalibrationStage {
  stage: string;
  stated: number | null;
  realized: number | null;
  interval: { low: number; high: number } | null;
  suggested: number | null;
  sampleSize: number;
  won: number;
  enoughData: boolean;
  note: string;
}

export interface CalibrationSummary {
  stages: CalibrationStage[];
  baseWinRate: number | null;
  baseBrier: number | null;
  modelBrier: number | null;
  modelCalibrationError: number | null;
  evaluatedDeals: number | null;
}

/** The deal's win chance that supports each forecast category, the quarter outlook's thresholds. */
const COMMIT_AT = 0.7;
const BEST_CASE_AT = 0.4;

const LONG_TEXT = 32_768;
const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max - 1) + '…');
const lines = (items: string[]) => (items.length === 0 ? null : items.join('\n'));

export function forecastCategory(probability: number): 'Commit' | 'Best Case' | 'Pipeline' {
  return probability >= COMMIT_AT ? 'Commit' : probability >= BEST_CASE_AT ? 'Best Case' : 'Pipeline';
}

/** The AI fields of one open deal as the engines set them; a field whose engine knows nothing is absent. */
export function dealValues(
  deal: DealAudit,
  lastConversation: string | null,
  forecast: DealForecast | null,
  forecastEngine: Engine | null,
): Partial<Record<AiOpportunityField, AiValue>> {
  const factors = deal.risk.factors.map((f) => `${f.label} (+${f.weight}): ${f.evidence}`);
  const riskEvidence = lines(factors) ?? 'No enabled risk rule fires for this deal.';
  const values: Partial<Record<AiOpportunityField, AiValue>> = {
    Risk_Score__c: { value: deal.risk.score, engine: ENGINES.risk, evidence: riskEvidence },
    Previous_Risk_Score__c: {
      value: deal.trend.previous,
      engine: ENGINES.risk,
      evidence:
        deal.trend.previous === null
          ? 'The deal was not open a week earlier.'
          : `Risk score a week earlier${deal.trend.added.length ? `; since then: ${deal.trend.added.join(', ')}` : ''}${deal.trend.cleared.length ? `; cleared: ${deal.trend.cleared.join(', ')}` : ''}.`,
    },
    Risk_Factors__c: { value: lines(factors), engine: ENGINES.risk, evidence: riskEvidence },
    Hygiene_Flags__c: {
      value: deal.findings.map((f) => f.signal).join(';') || null,
      engine: ENGINES.hygiene,
      evidence: lines(deal.findings.map((f) => `${f.rule}: ${f.evidence}`)) ?? 'No hygiene rule fires.',
    },
    Hygiene_Details__c: {
      value: lines(deal.findings.map((f) => `${f.label}: ${f.evidence} Recommended: ${f.action}.`)),
      engine: ENGINES.hygiene,
      evidence: lines(deal.findings.map((f) => `${f.rule}: ${f.evidence}`)) ?? 'No hygiene rule fires.',
    },
  };
  if (deal.decisionPhase) {
    values.Customer_Decision_Phase__c = {
      value: deal.decisionPhase.phase,
      engine: ENGINES.phase,
      evidence: deal.decisionPhase.evidence
        .slice(0, 5)
        .map((e) => `${e.date}: ${e.kind} (${e.behaviour})`)
        .join('\n'),
    };
  }
  if (lastConversation) {
    values.Last_Conversation_Date__c = {
      value: lastConversation,
      engine: ENGINES.conversations,
      evidence: `The latest processed Conversation__c about this deal took place on ${lastConversation}.`,
    };
  }
  if (forecast && forecastEngine) {
    const percent = Math.round(forecast.probability * 10_000) / 100;
    values.Model_Close_Probability__c = {
      value: percent,
      engine: forecastEngine,
      evidence: forecast.evidence,
    };
    values.Suggested_Forecast_Category__c = {
      value: forecastCategory(forecast.probability),
      engine: forecastEngine,
      evidence: `Win probability ${percent}%: Commit from ${COMMIT_AT * 100}%, Best Case from ${BEST_CASE_AT * 100}%. ${forecast.evidence}`,
    };
  }
  return values;
}

/**
 * The value as the field can hold it: text clipped to its length, multi-select values kept only when
 * the picklist has them, a restricted picklist value it lacks refused (undefined), numbers rounded to
 * its scale.
 */
export function fitToField(value: RecordValue, field: FieldDescription | undefined): RecordValue | undefined {
  if (!field || !field.updateable) return undefined;
  if (value === null) return null;
  switch (field.type) {
    case 'multipicklist': {
      const allowed = new Set(field.picklistValues);
      const kept = String(value)
        .split(';')
        .filter((v) => allowed.has(v));
      return kept.length ? kept.join(';') : null;
    }
    case 'picklist':
      return field.picklistValues.includes(String(value)) || !field.restrictedPicklist ? value : undefined;
    case 'string':
    case 'textarea':
      return clip(String(value), field.length > 0 ? field.length : LONG_TEXT);
    default:
      return value;
  }
}

const normalText = (v: RecordValue | undefined) =>
  toText(v ?? null)
    ?.replace(/\r\n/g, '\n')
    .trim() || null;

/** Whether the org already holds the value: numbers by value, multi-selects as sets, text trimmed. */
export function sameAs(
  kind: string | undefined,
  wanted: RecordValue,
  held: RecordValue | undefined,
): boolean {
  if (wanted === null || held === null || held === undefined) return wanted === (held ?? null);
  if (typeof wanted === 'number' || kind === 'double' || kind === 'percent' || kind === 'currency')
    return Math.abs(Number(wanted) - Number(held)) < 1e-6;
  if (kind === 'multipicklist') {
    const a = new Set(String(wanted).split(';'));
    const b = new Set(String(held).split(';'));
    return a.size === b.size && [...a].every((v) => b.has(v));
  }
  if (kind === 'date') return String(wanted).slice(0, 10) === String(held).slice(0, 10);
  return normalText(wanted) === normalText(held);
}

// ---- Next_Best_Action__c ----

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
 * carried the deal's owner): the creator may hand over its own record, while moving another rep's
 * record would be a transfer the integration user is not granted.
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
