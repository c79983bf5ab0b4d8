import type { DealAudit } from '../../domain/review/pipeline-audit.js';
import {
  describeCutoffs,
  forecastCategory,
  type ForecastCutoffs,
} from '../../domain/forecast/forecast-category.js';
import type { FieldDescription, RecordValue } from '../../domain/writeback/field-values.js';
import type { AiOpportunityField } from './pipeline-read.js';

/**
 * What the scan wants the org to hold, in the package's field shapes: the Opportunity AI fields of
 * each scored deal, each value with the engine that set it and the evidence behind it (for its
 * provenance). The decisions are the domain's (the audit, the forecast category, the action plan in
 * domain/actions/action-plan.ts); this only shapes them. Lengths, picklists and scales come from the
 * org's describe, so a value that does not fit is clipped or left out rather than failing the record.
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
  /** Null when the model had nothing to learn from: the fields are cleared, with the reason. */
  probability: number | null;
  evidence: string;
  /** The chance the deal misses its close date, and why it is what it is (or why there is none). */
  slip?: { probability: number | null; evidence: string };
  /** The win probability's drivers, one line each, with their effect in points; null when none. */
  drivers?: string | null;
}

export interface ScanForecast {
  engine: Engine;
  deals: ReadonlyMap<string, DealForecast>;
  calibration: CalibrationSummary | null;
  /** The quarter's range and category amounts, for the forecast snapshot; absent from runners that make none. */
  quarter?: QuarterSummary | null;
}

/** The quarter as the forecast snapshot holds it; the range is null when the model learned nothing. */
export interface QuarterSummary {
  window: { from: string; to: string };
  range: { p10: number; p50: number; p90: number; expected: number } | null;
  commit: number | null;
  bestCase: number | null;
  pipeline: number;
  deals: number;
  dealsWithoutAmount: number;
  /** What the forecast could not learn, said when it falls back. */
  note: string | null;
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

const LONG_TEXT = 32_768;
const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max - 1) + '…');
const lines = (items: string[]) => (items.length === 0 ? null : items.join('\n'));

/**
 * The AI fields of one open deal as the engines set them; a field whose engine knows nothing is absent.
 * `cutoffs` are the settings' forecast category cut-offs.
 */
export function dealValues(
  deal: DealAudit,
  lastConversation: string | null,
  forecast: DealForecast | null,
  forecastEngine: Engine | null,
  cutoffs: ForecastCutoffs,
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
    const { probability, evidence } = forecast;
    const percent = probability === null ? null : Math.round(probability * 10_000) / 100;
    values.Model_Close_Probability__c = { value: percent, engine: forecastEngine, evidence };
    values.Suggested_Forecast_Category__c = {
      value: probability === null ? null : forecastCategory(probability, cutoffs),
      engine: forecastEngine,
      evidence:
        percent === null ? evidence : `Win probability ${percent}%: ${describeCutoffs(cutoffs)}. ${evidence}`,
    };
    if (forecast.slip) {
      const slip = forecast.slip.probability;
      values.Slip_Probability__c = {
        value: slip === null ? null : Math.round(slip * 10_000) / 100,
        engine: forecastEngine,
        evidence: forecast.slip.evidence,
      };
    }
    if (forecast.drivers !== undefined) {
      values.Forecast_Drivers__c = {
        value: forecast.drivers,
        engine: forecastEngine,
        evidence:
          percent === null ? evidence : `What moves the win probability of ${percent}% most for this deal.`,
      };
    }
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
