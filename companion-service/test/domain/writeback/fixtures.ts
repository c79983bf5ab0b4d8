import type { FieldUpdate, Insights } from '../../../src/domain/insights/schema.js';
import type { FieldMapping } from '../../../src/domain/insights/field-mapping.js';
import type { FieldDescription } from '../../../src/domain/writeback/field-values.js';
import type { OpportunityView } from '../../../src/domain/writeback/org-view.js';
import type { WriteDecisionInput } from '../../../src/domain/writeback/decide-writes.js';

/** Small, readable inputs for the write decision: one deal, its fields, its policies. */

export const ev = (quote: string, start = 0) => ({ quote, start, end: start + quote.length });

export function insights(fill: Partial<Insights> = {}): Insights {
  return {
    summary: '',
    decisions: [],
    objections: [],
    nextSteps: [],
    stakeholders: [],
    budget: null,
    timeline: null,
    competitors: [],
    useCase: null,
    seatCount: null,
    meddpicc: {
      metrics: [],
      economicBuyer: [],
      decisionCriteria: [],
      decisionProcess: [],
      paperProcess: [],
      identifiedPain: [],
      champion: [],
      competition: [],
    },
    stageSuggestion: null,
    fieldUpdates: [],
    dropped: [],
    source: {
      format: 'notes',
      meetingDate: '2026-03-10',
      characters: 100,
      extractor: 'embedded',
      extractorVersion: '0.2.0',
    },
    ...fill,
  };
}

export const update = (
  field: string,
  value: string | number,
  confidence = 0.8,
  quote = `quote for ${field}`,
): FieldUpdate => ({
  object: 'Opportunity',
  field,
  value,
  confidence,
  evidence: ev(quote),
});

export function policy(
  fieldName: string,
  insight: FieldMapping['insight'],
  fill: Partial<FieldMapping> = {},
): FieldMapping {
  return {
    developerName: `Opportunity_${fieldName.replace(/__c$/, '')}`,
    objectName: 'Opportunity',
    fieldName,
    insight,
    mode: 'Suggest',
    overwritePolicy: 'If empty',
    minimumConfidence: 0.6,
    isActive: true,
    autoApplyAfterAccepted: null,
    minimumAcceptanceRate: null,
    demoteAfterRejections: null,
    ...fill,
  };
}

const STAGES = ['Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Closed Won', 'Closed Lost'];

export const FIELDS: Record<string, FieldDescription> = {
  StageName: {
    name: 'StageName',
    label: 'Stage',
    type: 'picklist',
    length: 255,
    updateable: true,
    picklistValues: STAGES,
    restrictedPicklist: true,
  },
  Budget__c: {
    name: 'Budget__c',
    label: 'Budget',
    type: 'currency',
    length: 0,
    updateable: true,
    picklistValues: [],
    restrictedPicklist: false,
  },
  NextStep: {
    name: 'NextStep',
    label: 'Next Step',
    type: 'string',
    length: 255,
    updateable: true,
    picklistValues: [],
    restrictedPicklist: false,
  },
  Competitors__c: {
    name: 'Competitors__c',
    label: 'Competitors',
    type: 'string',
    length: 255,
    updateable: true,
    picklistValues: [],
    restrictedPicklist: false,
  },
  CloseDate: {
    name: 'CloseDate',
    label: 'Close Date',
    type: 'date',
    length: 0,
    updateable: false,
    picklistValues: [],
    restrictedPicklist: false,
  },
};

export function deal(
  values: OpportunityView['values'] = {},
  fill: Partial<OpportunityView> = {},
): OpportunityView {
  return {
    id: '0065L0000000001QAA',
    name: 'Fabrikam - Pipeline Scribe',
    accountId: '0015L0000000001QAA',
    accountName: 'Fabrikam',
    stageName: 'Qualification',
    isClosed: false,
    values: {
      StageName: 'Qualification',
      Budget__c: null,
      NextStep: null,
      Competitors__c: null,
      CloseDate: '2027-01-29',
      ...values,
    },
    contactRoles: [],
    pendingSuggestions: [],
    provenance: [],
    ...fill,
  };
}

export function decisionInput(fill: Partial<WriteDecisionInput> = {}): WriteDecisionInput {
  return {
    insights: insights(),
    sourceId: 'gong:1',
    opportunity: deal(),
    fields: FIELDS,
    policies: [
      policy('StageName', 'stage', { overwritePolicy: 'Always' }),
      policy('Budget__c', 'budget'),
      policy('NextStep', 'nextStep', {
        autoApplyAfterAccepted: 20,
        minimumAcceptanceRate: 0.9,
        demoteAfterRejections: 3,
      }),
      policy('Competitors__c', 'competitors', { mode: 'Auto-apply' }),
      policy('CloseDate', 'timeline', { overwritePolicy: 'Always' }),
    ],
    closedStages: ['Closed Won', 'Closed Lost'],
    trust: [],
    existing: null,
    orgCurrency: 'USD',
    occurredAt: '2026-03-10',
    contactRoleValues: ['Economic Buyer', 'Decision Maker', 'Executive Sponsor', 'Technical Buyer', 'Other'],
    knownContactNames: [],
    emailsByName: {},
    ...fill,
  };
}
